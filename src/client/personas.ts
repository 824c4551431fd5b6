// Personas for planted canaries (issue 7; docs/detection.md "Planted canaries"): two ordinary user accounts per
// office that a security officer's client creates and holds — a drafter (member) and a releasing officer, since
// release takes two people and a security officer's name in the releaser field would tell every reader the cable is
// not routine traffic. Each has one device whose keys this client makes and keeps in a key file in the officer's own
// client directory (`personas/`, beside the officer's key file), protected by the officer's passphrase; the device is
// enrolled and approved like anyone's, so its signatures verify like anyone's. Each account is declared on the log
// as a persona of the officer (`persona.declared`, shown only to security officers).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { parseDeviceId, parseUserId } from '../cable/ids.ts';
import { ChanceryError, RequestError } from '../errors.ts';
import { approveDevice, createUser } from './admin.ts';
import { personaName } from './canary-templates.ts';
import { getOffice, getUser } from './directory.ts';
import { enrollDevice } from './enroll.ts';
import { issueGrants } from './key-admin.ts';
import type { KeyFileOptions } from './key-file.ts';
import { openSessionFromKeyFile } from './key-file-session.ts';
import type { Session } from './session.ts';

export type PersonaRole = 'drafter' | 'releaser';

export interface PersonaOptions {
  readonly office: OfficeCode;
  /** The officer's client directory for personas: `<dir of the officer's key file>/personas`. */
  readonly dir: string;
  readonly url: string;
  /** The officer's own passphrase: it protects the persona key files too. */
  readonly passphrase: string;
  /** The persona's clearance (and the releaser's release ceiling): the highest level the plant uses. */
  readonly level: Classification;
  readonly random: () => number;
  readonly keyFileOptions?: KeyFileOptions;
  readonly progress?: (line: string) => void;
}

/** Where the client keeps a persona's key file: one per office and role. */
export const personaKeyFile = (dir: string, office: OfficeCode, role: PersonaRole): string => join(dir, `${office}.${role}.key`);

async function exists(officer: Session, id: UserId): Promise<boolean> {
  try {
    await getUser(officer, id);
    return true;
  } catch (error) {
    if (error instanceof ChanceryError && error.code === 'request.not_found') return false;
    throw error;
  }
}

/** A name not yet taken at the node (a handful of tries: the name list is small, the node's users are many). */
async function freshName(officer: Session, random: () => number): Promise<{ id: UserId; name: string }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { id, name } = personaName(random);
    const user = parseUserId(id);
    if (!(await exists(officer, user))) return { id: user, name };
  }
  throw new RequestError('request.conflict', 'no free persona name: every one tried is taken at the node');
}

/** Creates, enrolls, approves, grants and declares one persona; its key file is written at `keyFile`. */
async function createPersona(officer: Session, o: PersonaOptions, role: PersonaRole, keyFile: string): Promise<void> {
  const office = await getOffice(officer, o.office);
  const me = await getUser(officer, officer.keys.user);
  const { id, name } = await freshName(officer, o.random);
  const device: DeviceId = parseDeviceId(`d-${id.split('.')[0]!}-1`);
  const membership = role === 'releaser' ? { office: o.office, role: 'releasing-officer' as const, releaseCeiling: o.level } : { office: o.office, role: 'member' as const };
  // Organisations from the office's communities and the officer's nationality: what a colleague posted there has.
  await createUser(officer, { id, name, clearance: o.level, nationality: me.nationality, organisations: office.communities, memberships: [membership] });
  const enrolled = await enrollDevice(officer.p, {
    url: o.url, user: id, device, keyFile, passphrase: o.passphrase, rootFingerprint: officer.node.fingerprint, ...(o.keyFileOptions ? { keyFileOptions: o.keyFileOptions } : {}),
  });
  await approveDevice(officer, id, device, enrolled.deviceFingerprint);
  await issueGrants(officer, { user: id, device, office: o.office });
  await officer.http.post('/api/v1/personas', { persona: id, office: o.office });
  o.progress?.(`persona ${id} (${role}) of ${o.office}: created, device ${device} approved, declared`);
}

/**
 * The office's two personas as sessions, creating them on first use. Key files already in `dir` are reused, so a
 * second plant in the same office drafts under the same names.
 */
export async function personaSessions(officer: Session, o: PersonaOptions): Promise<Record<PersonaRole, Session>> {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const out: Partial<Record<PersonaRole, Session>> = {};
  try {
    for (const role of ['drafter', 'releaser'] as const) {
      const keyFile = personaKeyFile(o.dir, o.office, role);
      if (!existsSync(keyFile)) await createPersona(officer, o, role, keyFile);
      out[role] = await openSessionFromKeyFile(officer.p, { keyFile, passphrase: o.passphrase, url: o.url });
    }
    return { drafter: out.drafter!, releaser: out.releaser! };
  } catch (error) {
    out.drafter?.close();
    out.releaser?.close();
    throw error;
  }
}
