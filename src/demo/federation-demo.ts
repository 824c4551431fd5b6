// `chancery demo --nodes 3`: three organisations, each its own node (EEAS, MFA.CY, MFA.FR) in one data root, on three
// loopback ports: each built like the one-node demo (network.ts, through the real client library), then served,
// peered both ways by each organisation's officer with its root (`chancery peer add`'s code), and a few cables
// drafted, released and sent across them and delivered by the nodes. DEMO ONLY, like the one-node demo: every key
// file's passphrase sits in keys/PASSPHRASE.txt, and each organisation root in its node's directory.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import type { CableId, UserId } from '../cable/types.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { getCableStatus, type CableStatus } from '../client/federation-status.ts';
import { addPeer } from '../client/peers.ts';
import { readRootKeyFile, wipeRootKey } from '../client/root-key.ts';
import { openSessionFromKeyFile } from '../client/key-file-session.ts';
import { type Session } from '../client/session.ts';
import { draftCable } from '../client/drafts.ts';
import { prepareRelease, releaseCandidate } from '../client/release.ts';
import { sendCable } from '../client/send.ts';
import { readCable } from '../client/reading.ts';
import { InternalError } from '../errors.ts';
import { syncPeerOffices } from '../node/federation/directory-sync.ts';
import { nodePath, readNodeIdentity } from '../node/node-files.ts';
import { startNode, type RunningNode } from '../node/serve.ts';
import type { DemoCable } from './demo-directory.ts';
import { FEDERATION_CABLES, FEDERATION_DEMO } from './federation-directory.ts';
import { buildDemoNetwork, DEMO_PASSPHRASE, type DemoDirectory, type DemoResult } from './network.ts';

export interface FederatedDemoOptions {
  /** One directory per node is made under it: `ROOT/EEAS`, `ROOT/MFA.CY`, `ROOT/MFA.FR`. */
  readonly dataRoot: string;
  /** The three nodes' ports, in the order EEAS, MFA.CY, MFA.FR (written into certificates: choose them once). */
  readonly ports: readonly number[];
  readonly onProgress?: (line: string) => void;
}

export interface FederatedCable {
  readonly id: CableId;
  readonly subject: string;
  readonly status: CableStatus;
}

export interface FederatedDemo {
  readonly nodes: readonly DemoResult[];
  readonly cables: readonly FederatedCable[];
  readonly seconds: number;
}

/** The data directory of `node` under the demo root. */
export const federatedNodeDir = (root: string, d: DemoDirectory) => join(root, d.node);

/** True once a federated demo has been built in `root`. */
export function federatedDemoExists(root: string): boolean {
  return FEDERATION_DEMO.every((d) => existsSync(nodePath(federatedNodeDir(root, d), 'description')));
}

/** The ports an existing federated demo's nodes were built for (their URLs are in their certificates). */
export function federatedDemoPorts(root: string): number[] {
  return FEDERATION_DEMO.map((d) => Number(new URL(readNodeIdentity(federatedNodeDir(root, d)).url).port));
}

/** `preferred`, `preferred + 1`, … where free on loopback; any free port for the ones that are not. */
export async function chooseDemoPorts(preferred: number, count: number): Promise<number[]> {
  const probe = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : null));
      });
    });
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push((await probe(preferred + i)) ?? (await probe(0)) ?? 0);
  return ports;
}

/** Serves every demo node in this process until they are closed (`log` for their request logs). */
export async function serveFederatedDemo(p: CryptoProvider, root: string, ports: readonly number[], log = pino({ level: 'silent' })): Promise<RunningNode[]> {
  const running: RunningNode[] = [];
  try {
    for (const [i, d] of FEDERATION_DEMO.entries()) running.push(await startNode(p, { dataDir: federatedNodeDir(root, d), host: '127.0.0.1', port: ports[i] ?? 0, log: log.child({ node: d.node }) }));
  } catch (error) {
    await Promise.all(running.map((n) => n.close()));
    throw error;
  }
  return running;
}

function keyFileOf(nodes: readonly DemoResult[], user: UserId): { node: DemoResult; keyFile: string } {
  for (const node of nodes) {
    const person = node.people.find((x) => x.id === user);
    if (person) return { node, keyFile: person.keyFile };
  }
  throw new InternalError(`federated demo: nobody is ${user}`);
}

async function sessionOf(p: CryptoProvider, nodes: readonly DemoResult[], sessions: Map<UserId, Session>, user: UserId): Promise<Session> {
  const open = sessions.get(user);
  if (open) return open;
  const { node, keyFile } = keyFileOf(nodes, user);
  const s = await openSessionFromKeyFile(p, { keyFile, passphrase: DEMO_PASSPHRASE, url: node.url });
  sessions.set(user, s);
  return s;
}

/** Each node's first officer adds every other node with its own root (what `chancery peer add` does). */
async function peerAll(p: CryptoProvider, nodes: readonly DemoResult[], running: readonly RunningNode[], say: (line: string) => void): Promise<void> {
  for (const a of nodes) {
    const officer = a.people[0]!; // the officer node init created
    const s = await openSessionFromKeyFile(p, { keyFile: officer.keyFile, passphrase: DEMO_PASSPHRASE, url: a.url });
    const root = await readRootKeyFile(join(a.dataDir, 'root', `${a.node}.root.key`), DEMO_PASSPHRASE);
    try {
      for (const b of nodes.filter((x) => x !== a)) {
        const added = await addPeer(s, root, { url: b.url, fingerprint: b.rootFingerprint });
        say(`${a.node}: ${officer.id} added peer ${added.node} at ${added.url} (root ${added.peerRootFingerprint.slice(0, 16)}…, checked against the fingerprint given)`);
      }
    } finally {
      wipeRootKey(root);
      s.close();
    }
  }
  // Each node pulled a peer's offices when adding it, but the peers that had not added it back yet refused: pull
  // them again now that every pair is peered, instead of waiting for the next round.
  for (const [i, n] of running.entries()) for (const b of nodes.filter((_, j) => j !== i)) await syncPeerOffices(n.context, b.node);
}

async function sendOne(p: CryptoProvider, nodes: readonly DemoResult[], sessions: Map<UserId, Session>, c: DemoCable): Promise<CableId> {
  const drafter = await sessionOf(p, nodes, sessions, c.drafter);
  const releaser = await sessionOf(p, nodes, sessions, c.releaser);
  const id = await draftCable(drafter, {
    from: c.from, to: c.to, info: c.info ?? [], tags: c.tags, precedence: c.precedence, level: c.level, releasableTo: c.releasableTo ?? [], subject: c.subject, body: c.body, releaser: c.releaser,
  });
  await releaseCandidate(releaser, await prepareRelease(releaser, id));
  await sendCable(drafter, id);
  return id;
}

/** Polls a cable's status until no office is pending, or `timeoutMs` passes (then the last status, pending ones and all). */
async function settled(s: Session, id: CableId, timeoutMs = 30_000): Promise<CableStatus> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = await getCableStatus(s, id);
    if (status.offices.every((o) => o.state !== 'pending') || Date.now() > until) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Builds the three nodes in `options.dataRoot`, serves them on `options.ports`, peers them and sends the demo's
 * cables; resolves with what was built and the running nodes (the caller closes them).
 */
export async function buildFederatedDemo(p: CryptoProvider, options: FederatedDemoOptions): Promise<{ demo: FederatedDemo; running: RunningNode[] }> {
  const started = performance.now();
  const say = options.onProgress ?? (() => undefined);
  const nodes: DemoResult[] = [];
  for (const [i, d] of FEDERATION_DEMO.entries()) {
    const url = `http://127.0.0.1:${options.ports[i] ?? 0}`;
    nodes.push(await buildDemoNetwork(p, { dataDir: federatedNodeDir(options.dataRoot, d), url, directory: d, sendCables: false, onProgress: (line) => say(`${d.node}: ${line}`) }));
  }
  const running = await serveFederatedDemo(p, options.dataRoot, options.ports);
  const sessions = new Map<UserId, Session>();
  try {
    for (const n of running) say(`node ${n.context.identity.node} serving at ${n.url}`);
    await peerAll(p, nodes, running, say);
    const cables: FederatedCable[] = [];
    for (const c of FEDERATION_CABLES) {
      const id = await sendOne(p, nodes, sessions, c);
      const status = await settled(await sessionOf(p, nodes, sessions, c.drafter), id);
      cables.push({ id, subject: c.subject, status });
      say(`cable ${id} ${c.precedence} ${c.level} from ${c.from}: ${status.offices.map((o) => `${o.office} ${o.state}`).join(', ')}`);
    }
    // A reader at a receiving node opens the first cable: its own node's release service hands the share.
    const first = cables[0];
    if (first) {
      const reader = await sessionOf(p, nodes, sessions, 'andreas.georgiou' as UserId);
      // The demo still serves when a read fails: delivery is what it shows first, and the error says what to fix.
      try {
        const opened = await readCable(reader, first.id);
        say(`andreas.georgiou (MFA.CY) read ${first.id}: "${opened.cable.content.subject}"`);
      } catch (error) {
        say(`andreas.georgiou (MFA.CY) could not read ${first.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { demo: { nodes, cables, seconds: (performance.now() - started) / 1000 }, running };
  } catch (error) {
    await Promise.all(running.map((n) => n.close()));
    throw error;
  } finally {
    for (const s of sessions.values()) s.close();
  }
}
