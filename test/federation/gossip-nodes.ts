// Nodes of different organisations for the gossip tests: each initialised in its own temp dir, served in process on
// a loopback port (its keeper a child process), and peered by each root signing a peer certificate for the other,
// stored straight into the node's store (what POST /api/v1/peers would store after checking it).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { readRootKeyFile, type RootKey } from '../../src/client/root-key.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { decodeLogEntry, type LogEntry } from '../../src/log/events.ts';
import { rootFingerprint } from '../../src/keys/organisation-root.ts';
import { encodePeerCertificate, signPeerCertificate } from '../../src/keys/peer-certificate.ts';
import { initNode } from '../../src/node/init.ts';
import { loggedWrite } from '../../src/node/logged-write.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';

const PASSPHRASE = 'correct horse battery staple';
const DAY = 86_400_000;

/** A node initialised on disk, with its root key (for signing peer certificates). */
export interface OrgNode {
  readonly node: NodeName;
  readonly org: string;
  readonly dir: string;
  readonly dataDir: string;
  readonly rootKey: RootKey;
}

export async function initOrgNode(node: string, org: string): Promise<OrgNode> {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-gossip-'));
  const dataDir = join(dir, 'data');
  const init = await initNode(p, {
    dataDir, rootDir: join(dir, 'root'), org, node: node as NodeName, url: 'http://127.0.0.1:1', rootPassphrase: PASSPHRASE,
    officer: { id: 'olga' as UserId, name: 'Olga Officer', nationality: 'CY', device: 'd-olga-1' as DeviceId, passphrase: PASSPHRASE, keyFile: join(dir, 'olga.key') },
    now: Date.now(), keyFileOptions: { scryptN: 1024 },
  });
  return { node: node as NodeName, org, dir, dataDir, rootKey: await readRootKeyFile(init.rootKeyFile, PASSPHRASE) };
}

/** A second data directory holding the same node — same keys, same log so far — to fork it. */
export function copyOrgNode(of: OrgNode): OrgNode {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-gossip-copy-'));
  cpSync(of.dataDir, join(dir, 'data'), { recursive: true });
  return { ...of, dir, dataDir: join(dir, 'data') };
}

export interface Served extends OrgNode {
  readonly running: RunningNode;
  readonly url: string;
}

export async function serve(n: OrgNode): Promise<Served> {
  const running = await startNode(p, { dataDir: n.dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), detect: false });
  return { ...n, running, url: running.url };
}

export async function stopAll(nodes: readonly Served[]): Promise<void> {
  for (const n of nodes) await n.running.close();
  for (const n of nodes) rmSync(n.dir, { recursive: true, force: true });
}

/** `at` adds `peer` as its root would, reaching it at `url` (by default where it listens). */
export async function addPeer(at: Served, peer: Served, url = peer.url): Promise<void> {
  const now = Date.now();
  const certificate = await signPeerCertificate(
    p,
    { org: at.rootKey.org, peer: peer.node, peerOrg: peer.rootKey.org, peerRootFingerprint: rootFingerprint(p, peer.rootKey.root), url, validFrom: now - 60_000, validUntil: now + DAY },
    at.rootKey.secret,
  );
  const identity = peer.running.context.identity;
  at.running.context.store.transaction((tx) =>
    tx.putPeer({ node: peer.node, org: peer.org, url, certificate: encodePeerCertificate(certificate), root: identity.root, nodeCertificate: identity.certificate, addedAt: now, removedAt: null }),
  );
}

/** Appends one entry of the node's own (a distinct `code` gives a distinct leaf), signed like any write. */
export async function appendMarker(n: Served, code: string): Promise<void> {
  const ctx = n.running.context;
  await loggedWrite(ctx, { now: ctx.now(), client: null }, (_tx, record) => record([{ kind: 'peer.refused', peer: 'NOBODY' as NodeName, code }]));
}

/** Every entry of the node's log, decoded. */
export function entriesOf(n: Served): LogEntry[] {
  return n.running.context.store.transaction((tx) => tx.logEntries(0, 1000).map((row) => decodeLogEntry(row.leaf)));
}

export function forksAt(n: Served): Extract<LogEntry, { kind: 'peer.fork' }>[] {
  return entriesOf(n).filter((e): e is Extract<LogEntry, { kind: 'peer.fork' }> => e.kind === 'peer.fork');
}
