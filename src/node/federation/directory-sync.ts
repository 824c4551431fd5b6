// The offices each peer hosts (docs/federation.md "Remote keys"), pulled from the peer's node-signed
// `GET /api/v1/offices` when the node starts, every 5 minutes, and right after a peer is added, into peer_offices:
// what the outbox routes cables by. Only offices the peer lists as its own are kept; a code this node or another
// peer hosts already is skipped (an office hosted by two nodes would make routing ambiguous). A peer that fails is
// logged and tried again at the next round; it never stops the node.
import type { NodeName } from '../../cable/types.ts';
import { Classifications, type Classification } from '../../cable/types.ts';
import { isNodeName, isOfficeCode } from '../../cable/ids.ts';
import { CablePatterns } from '../../cable/limits.ts';
import type { PeerOfficeRow } from '../../store/federation.ts';
import type { NodeContext } from '../node-context.ts';
import { trustedPeer } from './peers.ts';
import type { Service } from './services.ts';

export const DIRECTORY_SYNC_INTERVAL_MS = 5 * 60_000;
const MAX_PEER_OFFICES = 10_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The offices of `peer` in its answer; entries that are not well formed or are another node's are left out. */
function officesOf(peer: NodeName, body: unknown, at: number): PeerOfficeRow[] {
  const list = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).offices : undefined;
  if (!Array.isArray(list)) throw new TypeError(`${peer} answered GET /api/v1/offices without an offices list`);
  const rows: PeerOfficeRow[] = [];
  for (const item of list.slice(0, MAX_PEER_OFFICES)) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const { code, node, name, ceiling, communities } = o;
    if (!isOfficeCode(code) || !isNodeName(node) || node !== peer || typeof name !== 'string' || name.length > 200) continue;
    if (!Classifications.includes(ceiling as Classification) || !Array.isArray(communities) || communities.length > 16) continue;
    if (!communities.every((c): c is string => typeof c === 'string' && CablePatterns.community.test(c))) continue;
    rows.push({ code, peer, name, ceiling: ceiling as Classification, communities, syncedAt: at });
  }
  return rows;
}

/**
 * Pulls `peer`'s offices now and stores them (the offices it no longer lists are dropped). Resolves to the number
 * stored; never rejects: a failure is logged, and the peer's previous offices stay until the next success.
 */
export async function syncPeerOffices(node: NodeContext, peer: NodeName): Promise<number> {
  const failed = failedOf(node);
  try {
    // Only a peer whose records still verify: an expired one routes nothing until an officer renews it.
    const trusted = await trustedPeer(node, peer);
    if (!trusted || !node.federation) return 0;
    const body = await node.federation.http(trusted.row.url).get('/api/v1/offices');
    const offered = officesOf(peer, body, node.now());
    return node.store.transaction((tx) => {
      const kept = offered.filter((o) => {
        const local = tx.getOffice(o.code);
        const other = tx.getPeerOffice(o.code);
        const clash = local && local.node === node.identity.node ? node.identity.node : other && other.peer !== peer ? other.peer : null;
        if (clash !== null) node.log.warn({ peer, office: o.code, hostedBy: clash }, 'peer lists an office hosted elsewhere: skipped');
        return clash === null;
      });
      tx.setPeerOffices(peer, kept);
      failed.delete(peer);
      return kept.length;
    });
  } catch (error) {
    failed.add(peer);
    node.log.warn({ peer, err: errorText(error) }, 'could not synchronise the offices of a peer');
    return 0;
  }
}

/** A peer whose last pull failed (down, or it has not added us back yet) is tried again this soon, not in 5 minutes. */
export const DIRECTORY_RETRY_MS = 10_000;

const failures = new WeakMap<NodeContext, Set<NodeName>>();
function failedOf(node: NodeContext): Set<NodeName> {
  let f = failures.get(node);
  if (!f) failures.set(node, (f = new Set<NodeName>()));
  return f;
}

/** Every active peer's offices, one peer after the other. */
export async function syncAllPeerOffices(node: NodeContext): Promise<void> {
  const peers = node.store.transaction((tx) => tx.listPeers());
  for (const p of peers) {
    const count = await syncPeerOffices(node, p.node);
    node.log.debug({ peer: p.node, offices: count }, 'peer offices synchronised');
  }
}

/**
 * The service: a round at start and every `intervalMs`, sooner (DIRECTORY_RETRY_MS) while a peer's last pull
 * failed; `stop` waits for a round in progress.
 */
export function startDirectorySync(node: NodeContext, intervalMs = DIRECTORY_SYNC_INTERVAL_MS): Service {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const round = () => {
    if (stopped) return;
    running = running
      .then(() => (stopped ? undefined : syncAllPeerOffices(node)))
      .catch((error: unknown) => {
        node.log.error({ err: errorText(error) }, 'peer directory round failed');
      })
      .then(() => {
        if (stopped) return;
        timer = setTimeout(round, failedOf(node).size > 0 ? Math.min(DIRECTORY_RETRY_MS, intervalMs) : intervalMs);
        timer.unref();
      });
  };
  round();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
