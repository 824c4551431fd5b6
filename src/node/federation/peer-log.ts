// A log as gossip sees it: the origin and key a root certified for it (a peer's, through its node certificate; ours,
// from our identity), a checkpoint fetched as text from a node, and a proof source. Verification itself is the
// client's (src/client/log-view.ts): a node checking a peer's log is in the same position as a device checking its
// own node's, and must not get a second, subtly different rule.
import { utf8 } from '../../bytes.ts';
import { fetchCheckpointText } from '../../client/audit-wire.ts';
import type { NodeHttp } from '../../client/http.ts';
import { logKeyFingerprint, type NodeLog } from '../../client/log-view.ts';
import { VerificationError } from '../../errors.ts';
import { checkpointPolicy, openCheckpoint, type Checkpoint } from '../../log/checkpoint.ts';
import type { NodeContext } from '../node-context.ts';
import { b64 } from '../request-body.ts';
import type { TrustedPeer } from './peers.ts';

/** A checkpoint note and what it says, opened under the log's certified key. */
export interface SignedHead {
  readonly checkpoint: Checkpoint;
  readonly note: string;
}

/** The log a root certified, in the form the client's LogView takes. */
export function certifiedLog(node: NodeContext, origin: string, publicKey: NodeLog['publicKey']): NodeLog {
  return { origin, publicKey, policy: checkpointPolicy(node.p, origin, publicKey), fingerprint: logKeyFingerprint(node.p, origin, publicKey) };
}

/** A peer's log as its root certified it; a certificate without a log key cannot be gossiped about. */
export function peerLog(node: NodeContext, peer: TrustedPeer): NodeLog {
  const log = peer.node.log;
  if (!log) throw new VerificationError('verify.untrusted_key', `the node certificate of ${peer.row.node} certifies no log key`);
  return certifiedLog(node, log.origin, log.publicKey);
}

/** Our own log, as our root certified it. */
export function ownLog(node: NodeContext): NodeLog {
  return certifiedLog(node, node.identity.log.origin, node.identity.log.publicKey);
}

/** Opens a note under `log`; any failure is the note's (LogError), never a thrown surprise. */
export async function openHead(node: NodeContext, log: NodeLog, note: string): Promise<SignedHead> {
  return { checkpoint: await openCheckpoint(node.p, utf8(note), log.policy), note };
}

/** `GET /api/v1/log/checkpoint` of the node at `url`, as note text (not yet verified). */
export function fetchCheckpointNote(url: string): Promise<string> {
  return fetchCheckpointText(url);
}

/**
 * Our own log as a proof source for LogView: it asks `GET /api/v1/log/consistency` and gets the answer that route
 * would give, computed here. Only that path exists.
 */
export function localProofs(node: NodeContext): NodeHttp {
  return {
    url: node.identity.url,
    get(path, query = {}) {
      if (path !== '/api/v1/log/consistency') return Promise.reject(new RangeError(`local proofs serve no ${path}`));
      try {
        const from = Number(query.from);
        const to = Number(query.to);
        return Promise.resolve({ from, to, proof: node.auditLog.consistencyProof(from, to).map(b64) });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    post: () => Promise.reject(new RangeError('local proofs take no POST')),
  };
}
