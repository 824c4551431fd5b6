// A federation of real node processes for multi-node tests and benchmarks: each node is its own organisation, set up
// through `node init` and the client library (test/support/send-network.ts: two offices, two officers, a drafter, a
// releasing officer, two readers, epochs and grants), served by `chancery serve` on its own loopback port, and
// peered with every other node both ways through `chancery peer add`'s client code (src/client/peers.ts). A node can
// be killed (SIGKILL: no shutdown hook runs) and restarted on the same port and data directory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { addPeer, listPeers } from '../../src/client/peers.ts';
import { readRootKeyFile, wipeRootKey } from '../../src/client/root-key.ts';
import type { Session } from '../../src/client/session.ts';
import { spawnNode, type NodeProcess } from '../support/node-process.ts';
import { DEL, EEAS_SITE, HQ, initSendNetwork, PASSPHRASE, People, populateSendNetwork, type SendNetwork, type SendSite } from '../support/send-network.ts';
import { freePort } from '../support/ports.ts';

/** The passphrase of every key file (devices and roots) in a harness network. */
export const HARNESS_PASSPHRASE = PASSPHRASE;
export { People };

export interface HarnessNode {
  readonly name: NodeName;
  readonly org: string;
  readonly url: string;
  readonly port: number;
  /** Everything of this node: `data/` (the node's), `root/` (its organisation root key), `keys/` (devices). */
  readonly dir: string;
  readonly dataDir: string;
  readonly rootKeyFile: string;
  readonly rootFingerprint: string;
  /** The delegation that drafts and the department it writes to. */
  readonly offices: { readonly del: OfficeCode; readonly hq: OfficeCode };
  /** The first security officer's device key file (`People.officer`). */
  readonly officerKey: string;
  /** `user`'s device key file (every user of `People` has one at every node). */
  keyFile(user: UserId): string;
  /** A session of `user`'s device at this node (the caller closes it). */
  session(user: UserId): Promise<Session>;
  /** The running `chancery serve`, or null while killed. */
  readonly process: NodeProcess | null;
}

export interface FederationNetwork {
  readonly nodes: readonly HarnessNode[];
  node(name: string): HarnessNode;
  /** Sends `signal` to the node's process and waits until it is gone. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts the node again on the same port and data directory (killing it first if it still runs). */
  restart(name: string): Promise<HarnessNode>;
  /** Stops every node (SIGTERM). */
  stop(): Promise<void>;
}

export interface NetworkOptions {
  /** Node names, each its own organisation: `['EEAS', 'MFA.CY', 'MFA.FR']`. */
  readonly nodes: readonly string[];
  /** A fresh directory; node N lives in `dir/N`. */
  readonly dir: string;
  /** Peer every pair both ways (default true). */
  readonly peer?: boolean;
  /** Extra `chancery serve` flags for every node (`--no-detect` for bulk readers). */
  readonly serveArgs?: readonly string[];
  /** The nodes' log level (default warn). */
  readonly logLevel?: string;
}

/** Node `EEAS` keeps the send network's office codes; any other node N gets `N.DEL.WASHINGTON` and `N.HQ.AMERICAS`. */
export function siteOf(name: string): SendSite {
  if (name === EEAS_SITE.node) return { ...EEAS_SITE, del: DEL, hq: HQ };
  return { node: name as NodeName, org: name, del: `${name}.DEL.WASHINGTON` as OfficeCode, hq: `${name}.HQ.AMERICAS` as OfficeCode };
}

export { freePort };

interface Slot {
  readonly net: SendNetwork;
  readonly name: NodeName;
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  proc: NodeProcess | null;
}

function view(slot: Slot): HarnessNode {
  const { net } = slot;
  return {
    name: slot.name,
    org: net.site.org,
    url: slot.url,
    port: slot.port,
    dir: slot.dir,
    dataDir: net.dataDir,
    rootKeyFile: net.rootKeyFile,
    rootFingerprint: net.rootFingerprint,
    offices: { del: net.site.del, hq: net.site.hq },
    officerKey: net.keyFile(People.officer),
    keyFile: (user) => net.keyFile(user),
    session: (user) => net.session(user, slot.url),
    get process() {
      return slot.proc;
    },
  };
}

/** `a` adds `b` as a peer: `a`'s officer, with `a`'s organisation root, after checking `b`'s root fingerprint. */
export async function peerWith(a: HarnessNode, b: HarnessNode): Promise<void> {
  const officer = await a.session(People.officer);
  const root = await readRootKeyFile(a.rootKeyFile, HARNESS_PASSPHRASE);
  try {
    await addPeer(officer, root, { url: b.url, fingerprint: b.rootFingerprint });
  } finally {
    wipeRootKey(root);
    officer.close();
  }
}

/**
 * Waits until `node` lists offices for each of `peers` (its pull runs in the background after a start or an add),
 * so that a cable to them routes. Throws after `timeoutMs`.
 */
export async function waitForPeerOffices(node: HarnessNode, peers: readonly string[], timeoutMs = 20_000): Promise<void> {
  const officer = await node.session(People.officer);
  try {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const listed = await listPeers(officer);
      const missing = peers.filter((name) => !listed.some((x) => x.node === name && x.offices.length > 0));
      if (missing.length === 0) return;
      if (Date.now() > until) throw new Error(`${node.name} has no offices of ${missing.join(', ')} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    officer.close();
  }
}

/**
 * Sets up, starts and (by default) peers one node per name. Each node's set-up runs against its own process, so
 * populating the nodes overlaps.
 *
 * @example
 * const fed = await createNetwork({ nodes: ['EEAS', 'MFA.CY'], dir });
 * try { ... fed.node('MFA.CY').url ... } finally { await fed.stop(); }
 */
export async function createNetwork(options: NetworkOptions): Promise<FederationNetwork> {
  const spawnArgs = (port: number) => ({ logLevel: options.logLevel ?? 'warn', serveArgs: ['--port', String(port), ...(options.serveArgs ?? [])] });
  const slots: Slot[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(slots.flatMap((s) => (s.proc ? [s.proc.kill('SIGTERM')] : [])));
    for (const s of slots) s.proc = null;
  };
  try {
    for (const name of options.nodes) {
      const dir = join(options.dir, name);
      mkdirSync(dir, { recursive: true });
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const net = await initSendNetwork(dir, siteOf(name), url);
      const slot: Slot = { net, name: name as NodeName, port, url, dir, proc: null };
      slots.push(slot);
    }
    // Each start-up is mostly a process compiling TypeScript: they overlap.
    await Promise.all(slots.map(async (s) => { s.proc = await spawnNode(s.net.dataDir, spawnArgs(s.port)); }));
    await Promise.all(slots.map((s) => populateSendNetwork(s.net, s.url)));
    const nodes = slots.map(view);
    if (options.peer !== false) {
      for (const a of nodes) for (const b of nodes) if (a !== b) await peerWith(a, b);
      // A node pulls a peer's offices right after adding it, but the peer refuses until it has added the node back,
      // and the next pull is minutes away. So: wait for the pulls that can succeed (node i of node j < i, in flight
      // now; a restart of j would cut them off), then restart every node but the last, one at a time while the others
      // answer: each pulls all its peers at start.
      for (const [i, n] of nodes.entries()) await waitForPeerOffices(n, nodes.slice(0, i).map((x) => x.name));
      for (const [i, s] of slots.slice(0, -1).entries()) {
        // SIGKILL: a graceful stop waits ~2 s on idle keep-alive connections, and every write is durable anyway.
        await s.proc?.kill('SIGKILL');
        s.proc = await spawnNode(s.net.dataDir, spawnArgs(s.port));
        await waitForPeerOffices(nodes[i]!, nodes.filter((x) => x !== nodes[i]).map((x) => x.name));
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const slotOf = (name: string): Slot => {
    const slot = slots.find((s) => s.name === name);
    if (!slot) throw new Error(`no node ${name} in this network`);
    return slot;
  };
  const nodes = slots.map(view);
  return {
    nodes,
    node: (name) => nodes[slots.indexOf(slotOf(name))]!,
    async kill(name, signal = 'SIGKILL') {
      const slot = slotOf(name);
      await slot.proc?.kill(signal);
      slot.proc = null;
    },
    async restart(name) {
      const slot = slotOf(name);
      await slot.proc?.kill('SIGKILL');
      slot.proc = await spawnNode(slot.net.dataDir, spawnArgs(slot.port));
      return nodes[slots.indexOf(slot)]!;
    },
    stop: stopAll,
  };
}
