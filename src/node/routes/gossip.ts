// Gossip's routes (docs/federation.md "Gossip"): a peer asks what we saw of a node's log — our latest stored
// checkpoint of one of our peers, or our own latest — and compares it with what it saw; a security officer's device
// asks the same of a peer to check it against the peer's own head (`chancery audit verify --peer`). Checkpoints are
// public (hashes and signatures); the first route is for peers only because only peers gossip.
import { parseNodeName } from '../../cable/ids.ts';
import type { NodeName } from '../../cable/types.ts';
import { RequestError } from '../../errors.ts';
import type { StoreTx } from '../../store/store.ts';
import { callerOf, requireOfficer } from '../access.ts';
import type { Route } from '../route.ts';

/** The latest checkpoint gossip stored of an active peer, or null; `request.not_found` for a node that is not one. */
function storedOf(tx: StoreTx, subject: NodeName): string | null {
  const peer = tx.getPeer(subject);
  if (!peer || peer.removedAt !== null) throw new RequestError('request.not_found', `${subject} is not a peer of this node`);
  return tx.latestPeerCheckpoint(subject)?.note ?? null;
}

export const gossipRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/federation/checkpoints',
    summary: 'Our latest checkpoint of node ?node= (one of our peers, as it showed it to us, or ourselves): {node, checkpoint} (peers)',
    auth: 'peer',
    handle(node, input) {
      const subject = parseNodeName(input.query.get('node') ?? undefined);
      if (subject === node.identity.node) return { body: { node: subject, checkpoint: node.auditLog.latest()?.note ?? null } };
      return { body: { node: subject, checkpoint: node.store.transaction((tx) => storedOf(tx, subject)) } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/federation/peer-checkpoints',
    summary: 'The latest checkpoint gossip stored of peer ?node=, as the peer signed it: {node, checkpoint} (security officers; chancery audit verify --peer)',
    auth: 'device',
    handle(node, input) {
      const caller = callerOf(input.caller);
      const subject = parseNodeName(input.query.get('node') ?? undefined);
      return node.store.transaction((tx) => {
        requireOfficer(tx, caller);
        return { body: { node: subject, checkpoint: storedOf(tx, subject) } };
      });
    },
  },
];
