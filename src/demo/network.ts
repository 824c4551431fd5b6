// `chancery demo`: a realistic one-node network built through the real client library and HTTP API — node init,
// offices, three security officers, users with devices, key epochs, grants by policy, and thirty cables drafted,
// released and sent — by a node run in-process on a free loopback port while seeding. DEMO ONLY: every key file
// uses the passphrase in keys/PASSPHRASE.txt and a weak scrypt cost, and the organisation root sits in the data
// directory instead of offline.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import type { DeviceId, NodeName, OfficeCode, UserId } from '../cable/types.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { setUpNode } from '../client/bootstrap.ts';
import { approveDevice, appointOfficer, createOffice, createUser } from '../client/admin.ts';
import { readClientConfig, writeClientConfig } from '../client/config.ts';
import { enrollDevice } from '../client/enroll.ts';
import { issueGrants, openEpochs } from '../client/key-admin.ts';
import { readKeyFile } from '../client/key-file.ts';
import { readRootKeyFile, wipeRootKey } from '../client/root-key.ts';
import { openSessionFromKeyFile } from '../client/key-file-session.ts';
import { type Session } from '../client/session.ts';
import { wipeDeviceKeys } from '../client/device-keys.ts';
import { startNode } from '../node/serve.ts';
import { DEMO_OFFICERS, DEMO_OFFICES, DEMO_PEOPLE, demoDevice, type DemoOffice, type DemoPerson } from './demo-directory.ts';
import { sendDemoCables, type SentCable } from './demo-traffic.ts';
import { publishDemoWebRelease } from './web-release-demo.ts';

/** The demo's passphrase and scrypt cost: fast to open, and worthless as protection (demo only). */
export const DEMO_PASSPHRASE = 'demo';
const DEMO_KEY_FILE_OPTIONS = { scryptN: 2 ** 14 } as const;
const NODE = 'EEAS' as NodeName;

/** Who a demo node is and hosts: the one-node demo's EEAS by default; the federated demo builds three. */
export interface DemoDirectory {
  readonly node: NodeName;
  readonly org: string;
  readonly offices: readonly DemoOffice[];
  /** Three security officers (one may not grant a key to themselves); the first is the one `node init` creates. */
  readonly officers: readonly DemoPerson[];
  readonly people: readonly DemoPerson[];
}

export const EEAS_DEMO: DemoDirectory = { node: NODE, org: 'EEAS', offices: DEMO_OFFICES, officers: DEMO_OFFICERS, people: DEMO_PEOPLE };

export interface DemoOptions {
  readonly dataDir: string;
  /** The URL the node will be served at afterwards (written into every device's client config). */
  readonly url: string;
  readonly onProgress?: (line: string) => void;
  /** Default: the one-node demo's EEAS. */
  readonly directory?: DemoDirectory;
  /** Send the one-node demo's thirty cables (default true; they are EEAS's). */
  readonly sendCables?: boolean;
}

export interface DemoResult {
  readonly dataDir: string;
  readonly url: string;
  readonly node: NodeName;
  readonly rootFingerprint: string;
  readonly passphraseFile: string;
  readonly people: readonly { id: UserId; name: string; title: string; clearance: string; offices: readonly OfficeCode[]; keyFile: string }[];
  readonly offices: readonly { code: OfficeCode; name: string; ceiling: string }[];
  readonly cables: readonly SentCable[];
  readonly seconds: number;
}

const PASSPHRASE_NOTE = [
  DEMO_PASSPHRASE,
  '# DEMO ONLY. The first line is the passphrase of every key file in this directory, and they use a weak scrypt',
  '# cost (N=2^14). Real device keys have their own passphrase, never stored beside them.',
  '',
].join('\n');

export async function buildDemoNetwork(p: CryptoProvider, options: DemoOptions): Promise<DemoResult> {
  const started = performance.now();
  const say = options.onProgress ?? (() => undefined);
  const keysDir = join(options.dataDir, 'keys');
  const keyFile = (id: UserId) => join(keysDir, `${id}.key`);
  const d = options.directory ?? EEAS_DEMO;
  const first = d.officers[0]!;
  const setup = await setUpNode(p, {
    dataDir: options.dataDir,
    rootDir: join(options.dataDir, 'root'),
    org: d.org,
    node: d.node,
    url: options.url,
    rootPassphrase: DEMO_PASSPHRASE,
    officer: { id: first.id, name: first.name, nationality: first.nationality, device: demoDevice(first.id) as DeviceId, keyFile: keyFile(first.id), passphrase: DEMO_PASSPHRASE },
    keyFileOptions: DEMO_KEY_FILE_OPTIONS,
  });
  await writeFile(join(keysDir, 'PASSPHRASE.txt'), PASSPHRASE_NOTE, { mode: 0o600 });
  say(`node init: organisation ${d.org}, node ${d.node}, root fingerprint ${setup.rootFingerprint}`);

  const node = await startNode(p, { dataDir: options.dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
  say(`seeding through the API of an in-process node at ${node.url}`);
  const sessions = new Map<UserId, Session>();
  const open = async (id: UserId) => {
    const s = await openSessionFromKeyFile(p, { keyFile: keyFile(id), passphrase: DEMO_PASSPHRASE, url: node.url });
    sessions.set(id, s);
    return s;
  };
  let cables: SentCable[];
  try {
    const officer = await open(first.id);
    for (const o of d.offices) {
      await createOffice(officer, o);
      say(`office ${o.code} (${o.ceiling}): ${o.name}`);
    }
    const enrol = async (person: DemoPerson) => {
      await createUser(officer, { ...person, organisations: ['EU'] });
      const device = demoDevice(person.id) as DeviceId;
      if (person.id !== first.id) {
        await enrollDevice(p, { url: node.url, user: person.id, device, keyFile: keyFile(person.id), passphrase: DEMO_PASSPHRASE, rootFingerprint: setup.rootFingerprint, keyFileOptions: DEMO_KEY_FILE_OPTIONS });
        const approved = await approveDevice(officer, person.id, device);
        say(`user ${person.id} (${person.clearance}, ${person.nationality}): ${person.title}; device ${device} enrolled, approved by ${first.id} (${approved.deviceFingerprint})`);
      }
      return person.id === first.id ? officer : open(person.id);
    };
    await enrol(first);
    const root = await readRootKeyFile(setup.rootKeyFile, DEMO_PASSPHRASE);
    const coOfficers: Session[] = [];
    try {
      // The second officer is a founding one, the root's alone (the node has one officer, so two cannot endorse);
      // every later one is endorsed by two officers besides the root (docs/decisions/012-two-officers-appoint.md).
      for (const person of d.officers.slice(1)) {
        const session = await enrol(person);
        const material = await readKeyFile(keyFile(person.id), DEMO_PASSPHRASE);
        const endorsing = coOfficers.slice(0, 1);
        const r = await appointOfficer(officer, root, material, { coOfficers: endorsing }).finally(() => wipeDeviceKeys(material));
        coOfficers.push(session);
        say(`security officer ${person.id} appointed (${r.endorsedBy.length ? `certificate signed by the organisation root, endorsed by ${r.endorsedBy.join(' and ')}` : 'founding: certificate signed by the organisation root alone'})`);
      }
      await publishDemoWebRelease(officer, root, say);
    } finally {
      wipeRootKey(root);
    }
    for (const person of d.people) await enrol(person);

    for (const o of d.offices) {
      const opened = await openEpochs(officer, o.code, { coOfficers });
      say(`key epochs of ${o.code}: ${opened.map((e) => e.level).join(', ')} (granted to ${first.id} by ${coOfficers.map((c) => c.keys.user).join(' and ')})`);
    }
    for (const person of d.people) {
      for (const office of new Set(person.memberships.map((m) => m.office))) {
        const granted = await issueGrants(officer, { user: person.id, device: demoDevice(person.id) as DeviceId, office, coOfficers: coOfficers.slice(0, 1) });
        say(`grants to ${person.id} for ${office}: ${granted.map((g) => g.level).join(', ')}`);
      }
    }
    cables = options.sendCables === false ? [] : await sendDemoCables(sessions, say);
  } finally {
    for (const s of sessions.values()) s.close();
    await node.close();
  }

  // The seeding port is gone: every device's config now names the URL the node will be served at.
  const everyone = [...d.officers, ...d.people];
  for (const person of everyone) await writeClientConfig(keyFile(person.id), { ...(await readClientConfig(keyFile(person.id))), url: options.url });
  return {
    dataDir: options.dataDir,
    url: options.url,
    node: d.node,
    rootFingerprint: setup.rootFingerprint,
    passphraseFile: join(keysDir, 'PASSPHRASE.txt'),
    people: everyone.map((x) => ({ id: x.id, name: x.name, title: x.title, clearance: x.clearance, offices: [...new Set(x.memberships.map((m) => m.office))], keyFile: keyFile(x.id) })),
    offices: d.offices.map((o) => ({ code: o.code, name: o.name, ceiling: o.ceiling })),
    cables,
    seconds: (performance.now() - started) / 1000,
  };
}
