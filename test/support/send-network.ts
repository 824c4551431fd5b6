// A small node set up through the client library for the send path's crash test and benchmark: a security officer
// and a co-officer, a delegation that drafts and a department it writes to, a drafter, a releasing officer and
// readers — each a device enrolled, approved and granted its office keys — plus many cables drafted and released,
// waiting only for the drafter's send.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { setUpNode } from '../../src/client/bootstrap.ts';
import { approveDevice, appointOfficer, createOffice, createUser, type UserInput } from '../../src/client/admin.ts';
import { enrollDevice } from '../../src/client/enroll.ts';
import { issueGrants, openEpochs } from '../../src/client/key-admin.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { readRootKeyFile, wipeRootKey } from '../../src/client/root-key.ts';
import { openSessionFromKeyFile } from '../../src/client/key-file-session.ts';
import { type Session, type Transport } from '../../src/client/session.ts';

export const p = nodeProvider;
export const PASSPHRASE = 'send network';
const KEY_FILE_OPTIONS = { scryptN: 1024 } as const; // test keys: fast to open, worthless as protection

export const DEL = 'EEAS.DEL.WASHINGTON' as OfficeCode;
export const HQ = 'EEAS.HQ.AMERICAS' as OfficeCode;
/** Below CONFIDENTIAL one co-officer suffices for grants; LIMITED still needs the release service's share to open. */
export const LEVEL = 'LIMITED';

/** The people of the network; each has one device, `d-<first name>-1`. */
export const People = {
  officer: 'ines.moreau' as UserId,
  coOfficer: 'piotr.nowak' as UserId,
  drafter: 'anna.schmidt' as UserId,
  releaser: 'marc.dupont' as UserId,
  reader: 'piet.janssens' as UserId,
  reader2: 'lisa.rossi' as UserId,
} as const;

/** Which node a network is, and its two offices (federation tests run several, each its own organisation). */
export interface SendSite {
  readonly node: NodeName;
  readonly org: string;
  /** The delegation that drafts, and the department it writes to. */
  readonly del: OfficeCode;
  readonly hq: OfficeCode;
}

export const EEAS_SITE: SendSite = { node: 'EEAS' as NodeName, org: 'EEAS', del: DEL, hq: HQ };

export interface SendNetwork {
  readonly site: SendSite;
  readonly dataDir: string;
  readonly rootFingerprint: string;
  readonly rootKeyFile: string;
  keyFile(user: UserId): string;
  /** A session for `user`'s device at the node's current URL (it changes when the node restarts on port 0). */
  session(user: UserId, url: string, transport?: Transport): Promise<Session>;
}

const deviceOf = (user: UserId) => `d-${user.split('.')[0]}-1` as DeviceId;

/** `chancery node init` into `dir/data`; the node is then served (in-process or by `chancery serve`) and populated. */
export async function initSendNetwork(dir: string, site: SendSite = EEAS_SITE, url = 'http://127.0.0.1:1'): Promise<SendNetwork> {
  mkdirSync(join(dir, 'keys'), { recursive: true });
  const keyFile = (user: UserId) => join(dir, 'keys', `${user}.key`);
  const init = await setUpNode(p, {
    dataDir: join(dir, 'data'),
    rootDir: join(dir, 'root'),
    org: site.org,
    node: site.node,
    url, // by default a placeholder: every session names the URL the node really listens at
    rootPassphrase: PASSPHRASE,
    officer: { id: People.officer, name: 'Inès Moreau', nationality: 'FR', device: deviceOf(People.officer), passphrase: PASSPHRASE, keyFile: keyFile(People.officer) },
    keyFileOptions: KEY_FILE_OPTIONS,
  });
  return {
    site,
    dataDir: join(dir, 'data'),
    rootFingerprint: init.rootFingerprint,
    rootKeyFile: init.rootKeyFile,
    keyFile,
    session: (user, url, transport = {}) => openSessionFromKeyFile(p, { keyFile: keyFile(user), passphrase: PASSPHRASE, url, ...transport }),
  };
}

/** Offices, people, devices, epochs and grants, all through the client library against the node at `url`. */
export async function populateSendNetwork(n: SendNetwork, url: string): Promise<void> {
  const { del: DEL, hq: HQ } = n.site;
  const officer = await n.session(People.officer, url);
  const sessions: Session[] = [officer];
  try {
    for (const code of [DEL, HQ]) await createOffice(officer, { code, name: code, ceiling: 'RESTRICTED', communities: ['EU'] });
    const base = { clearance: 'RESTRICTED' as const, organisations: ['EU'] };
    const so = { ...base, nationality: 'FR', memberships: [DEL, HQ].map((office) => ({ office, role: 'security-officer' as const })) };
    const add = async (input: UserInput) => {
      await createUser(officer, input);
      if (input.id === People.officer) return officer;
      await enrollDevice(p, { url, user: input.id, device: deviceOf(input.id), keyFile: n.keyFile(input.id), passphrase: PASSPHRASE, rootFingerprint: n.rootFingerprint, keyFileOptions: KEY_FILE_OPTIONS });
      await approveDevice(officer, input.id, deviceOf(input.id));
      const s = await n.session(input.id, url);
      sessions.push(s);
      return s;
    };
    await add({ ...so, id: People.officer, name: 'Inès Moreau' });
    const co = await add({ ...so, id: People.coOfficer, name: 'Piotr Nowak', nationality: 'PL' });
    const root = await readRootKeyFile(n.rootKeyFile, PASSPHRASE);
    try {
      await appointOfficer(officer, root, await readKeyFile(n.keyFile(People.coOfficer), PASSPHRASE));
    } finally {
      wipeRootKey(root);
    }
    const members: [UserId, string, OfficeCode, UserInput['memberships'][number]['role']][] = [
      [People.drafter, 'Anna Schmidt', DEL, 'member'],
      [People.releaser, 'Marc Dupont', DEL, 'releasing-officer'],
      [People.reader, 'Piet Janssens', HQ, 'member'],
      [People.reader2, 'Lisa Rossi', HQ, 'member'],
    ];
    for (const [id, name, office, role] of members) {
      const membership = role === 'releasing-officer' ? { office, role, releaseCeiling: 'RESTRICTED' as const } : { office, role: role as 'member' };
      await add({ ...base, id, name, nationality: 'BE', memberships: [membership] });
    }
    for (const office of [DEL, HQ]) await openEpochs(officer, office, { coOfficers: [co] });
    for (const [id, , office] of members) await issueGrants(officer, { user: id, device: deviceOf(id), office, coOfficers: [co] });
  } finally {
    for (const s of sessions) s.close();
  }
}
