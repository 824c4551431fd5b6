// A real node for client tests: `initNode` in a temp dir and `startNode` on a free loopback port, with the first
// officer's session and helpers to enroll, approve and open sessions the way a user's device does (cheap scrypt).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { setUpNode } from '../../src/client/bootstrap.ts';
import { readClientConfig, writeClientConfig } from '../../src/client/config.ts';
import { enrollDevice } from '../../src/client/enroll.ts';
import { approveDevice, appointOfficer, createUser, type UserInput } from '../../src/client/admin.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { readRootKeyFile, wipeRootKey } from '../../src/client/root-key.ts';
import { openSessionFromKeyFile } from '../../src/client/key-file-session.ts';
import { type Session, type Transport } from '../../src/client/session.ts';

export const p = nodeProvider;
export const PASSPHRASE = 'test passphrase';
const KEY_FILE_OPTIONS = { scryptN: 1024 } as const;

export interface TestNode {
  readonly dir: string;
  readonly node: RunningNode;
  readonly rootFingerprint: string;
  readonly rootKeyFile: string;
  readonly officer: Session;
  keyFile(user: string, device?: string): string;
  /** A session for an enrolled, approved device. */
  session(user: string, device?: string, transport?: Transport): Promise<Session>;
  /** Creates the user (by the first officer), enrolls a device and approves it; returns its session. */
  addUser(input: UserInput, device?: string): Promise<Session>;
  /** Creates a user with a device and appoints them security officer: founding for the second, then endorsed by the first two. */
  addOfficer(input: UserInput): Promise<Session>;
  close(): Promise<void>;
}

export async function startTestNode(): Promise<TestNode> {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-client-'));
  const keyFile = (user: string, device = `d-${user.split('.')[0]}-1`) => join(dir, 'keys', `${user}.${device}.key`);
  const init = await setUpNode(p, {
    dataDir: join(dir, 'data'),
    rootDir: join(dir, 'root'),
    org: 'EEAS',
    node: 'EEAS' as NodeName,
    url: 'http://127.0.0.1:1',
    rootPassphrase: PASSPHRASE,
    officer: { id: 'ines.moreau' as UserId, name: 'Inès Moreau', nationality: 'FR', device: 'd-ines-1' as DeviceId, passphrase: PASSPHRASE, keyFile: keyFile('ines.moreau') },
    keyFileOptions: KEY_FILE_OPTIONS,
  });
  // The port is known only once the node listens: the officer's config then names it.
  const node = await startNode(p, { dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
  await writeClientConfig(keyFile('ines.moreau'), { ...(await readClientConfig(keyFile('ines.moreau'))), url: node.url });
  const session = (user: string, device?: string, transport: Transport = {}) =>
    openSessionFromKeyFile(p, { keyFile: keyFile(user, device), passphrase: PASSPHRASE, ...transport });
  const officer = await session('ines.moreau');

  async function addUser(input: UserInput, device = `d-${input.id.split('.')[0]}-1`): Promise<Session> {
    await createUser(officer, input);
    await enrollDevice(p, { url: node.url, user: input.id, device: device as DeviceId, keyFile: keyFile(input.id, device), passphrase: PASSPHRASE, rootFingerprint: init.rootFingerprint, keyFileOptions: KEY_FILE_OPTIONS });
    await approveDevice(officer, input.id, device as DeviceId);
    return session(input.id, device);
  }

  // The node's officers in order of appointment: the second is founding (the root's alone); from the third on, the
  // first two endorse.
  const officers: string[] = ['ines.moreau'];
  async function addOfficer(input: UserInput): Promise<Session> {
    const s = await addUser(input);
    const root = await readRootKeyFile(init.rootKeyFile, PASSPHRASE);
    const second = officers[1];
    const coOfficers = second === undefined ? [] : [await session(second)];
    try {
      await appointOfficer(officer, root, await readKeyFile(keyFile(input.id), PASSPHRASE), { coOfficers });
    } finally {
      wipeRootKey(root);
      for (const co of coOfficers) co.close();
    }
    officers.push(input.id);
    return s;
  }

  return {
    dir,
    node,
    rootFingerprint: init.rootFingerprint,
    rootKeyFile: init.rootKeyFile,
    officer,
    keyFile,
    session,
    addUser,
    addOfficer,
    async close() {
      await node.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
