// What the node does with a peer request it refuses (docs/federation.md "Refusals"): the 4xx is the route's; here
// the refusal is logged as `peer.refused` — at most 10 a minute per claimed peer name, so garbage cannot flood the
// audit log — and counted, and a peer refused more than 30 times within a minute is answered 429 without any
// verification work until the minute has passed.
import type { NodeName } from '../../cable/types.ts';
import { parseNodeName } from '../../cable/ids.ts';
import { groupCommit } from '../commit-batcher.ts';
import type { NodeContext } from '../node-context.ts';

export const REFUSALS_LOGGED_PER_MINUTE = 10;
export const REFUSALS_BEFORE_RATE_LIMIT = 30;
const WINDOW_MS = 60_000;
/** Distinct claimed names tracked: a flood of invented names cannot grow this without bound. */
const MAX_TRACKED = 1024;

interface Window {
  start: number;
  refused: number;
}

const windows = new WeakMap<NodeContext, Map<string, Window>>();

function windowOf(node: NodeContext, peer: NodeName, now: number): Window {
  let map = windows.get(node);
  if (!map) windows.set(node, (map = new Map<string, Window>()));
  let w = map.get(peer);
  if (!w || now - w.start >= WINDOW_MS) {
    if (!w && map.size >= MAX_TRACKED) map.delete(map.keys().next().value as string);
    w = { start: now, refused: 0 };
    map.set(peer, w);
  }
  return w;
}

/** The node name a Signature-Input claims (`keyid="node:NAME"`), if it is one; the signature is not checked here. */
export function claimedPeer(signatureInput: string | null): NodeName | null {
  const match = /keyid="node:([^"]{1,64})"/.exec(signatureInput ?? '');
  if (!match) return null;
  try {
    return parseNodeName(match[1]);
  } catch {
    return null;
  }
}

/** Whether requests claiming to come from `peer` are refused with 429 for now. */
export function peerRateLimited(node: NodeContext, peer: NodeName): boolean {
  return windowOf(node, peer, node.now()).refused > REFUSALS_BEFORE_RATE_LIMIT;
}

/** Notes a refusal of a request claiming to come from `peer` with error `code`; logs it while under the cap. */
export function notePeerRefusal(node: NodeContext, peer: NodeName, code: string): void {
  const now = node.now();
  const w = windowOf(node, peer, now);
  w.refused++;
  node.log.warn({ peer, code, refusedThisMinute: w.refused }, 'peer request refused');
  if (w.refused > REFUSALS_LOGGED_PER_MINUTE) return;
  groupCommit(node.store, (tx) => node.auditLog.append(tx, now, [{ kind: 'peer.refused', peer, code }], null).size)
    .then((size) => node.auditLog.checkpoint(size))
    .catch((error: unknown) => node.log.error({ peer, err: error instanceof Error ? error.message : String(error) }, 'could not log a peer refusal'));
}
