// A node with a log worth auditing, for the audit tests (test/client/audit.test.ts, test/cli/audit.test.ts): the
// send network's officers, people, epochs and grants, one LIMITED cable drafted, released and sent through the API,
// and read by two readers (two cable.read entries, with personal details). Served in-process on a free port.
import { join } from 'node:path';
import { pino } from 'pino';
import type { CableId, NodeName } from '../../src/cable/types.ts';
import { fromUtf8 } from '../../src/bytes.ts';
import { readCable } from '../../src/client/reading.ts';
import { sendCable } from '../../src/client/send.ts';
import { signCheckpoint } from '../../src/log/checkpoint.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { MemoryTree } from '../../src/log/memory-tree.ts';
import { loadLogKey } from '../../src/node/log-key.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { releaseThroughApi } from './released-drafts.ts';
import { initSendNetwork, p, People, populateSendNetwork, type SendNetwork } from './send-network.ts';

export { p, People };

export interface AuditNetwork {
  readonly network: SendNetwork;
  /** The cable sent and read. */
  readonly cable: CableId;
  readonly dbPath: string;
}

/** Serves the node of `dataDir` (the network's, or a copy of it) on a free loopback port. */
export function serveNode(dataDir: string): Promise<RunningNode> {
  return startNode(p, { dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
}

/** Builds the network in `dir` against `node` (already serving its data directory). */
export async function buildAuditNetwork(network: SendNetwork, node: RunningNode): Promise<AuditNetwork> {
  await populateSendNetwork(network, node.url);
  const [drafter, releaser, reader, reader2] = await Promise.all([People.drafter, People.releaser, People.reader, People.reader2].map((u) => network.session(u, node.url)));
  try {
    const [released] = await releaseThroughApi(drafter!, releaser!, 1);
    const cable = released!.id;
    await sendCable(drafter!, cable);
    await readCable(reader!, cable);
    await readCable(reader2!, cable);
    return { network, cable, dbPath: join(network.dataDir, 'node.sqlite') };
  } finally {
    for (const s of [drafter, releaser, reader, reader2]) s?.close();
  }
}

export { initSendNetwork };

/** The leaves of the log as stored, in index order. */
export function storedLeaves(dbPath: string): Uint8Array[] {
  const store = openSqliteStore(dbPath);
  try {
    return store.transaction((tx) => {
      const out: Uint8Array[] = [];
      for (let from = 0; from < tx.logSize(); from += 1000) out.push(...tx.logEntries(from, 1000).map((r) => r.leaf));
      return out;
    });
  } finally {
    store.close();
  }
}

/**
 * A fork: a checkpoint signed with the node's own log key (as a node showing someone another history would sign
 * it) over `leaves`, which differ from the log the node serves.
 */
export async function forkedCheckpoint(dataDir: string, leaves: readonly Uint8Array[]): Promise<string> {
  const { key, identity } = await loadLogKey(p, dataDir, 'EEAS' as NodeName);
  const tree = new MemoryTree(p);
  for (const leaf of leaves) tree.append(leafHash(p, leaf));
  return fromUtf8(await signCheckpoint(p, { origin: identity.origin, size: tree.size, root: tree.root(), extensions: [] }, key));
}
