// Gossip's route (docs/federation.md "Gossip"): a peer asks what we saw of a node's log — our latest stored
// checkpoint of one of our peers, or our own latest — and compares it with what it saw. Checkpoints are public
// (hashes and signatures); the route is for peers only because only peers gossip.
import { parseNodeName } from '../../cable/ids.ts';
import { RequestError } from '../../errors.ts';
import type { Route } from '../route.ts';

export const gossipRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/federation/checkpoints',
    summary: 'Our latest checkpoint of node ?node= (one of our peers, as it showed it to us, or ourselves): {node, checkpoint} (peers)',
    auth: 'peer',
    handle(node, input) {
      const subject = parseNodeName(input.query.get('node') ?? undefined);
      if (subject === node.identity.node) return { body: { node: subject, checkpoint: node.auditLog.latest()?.note ?? null } };
      const note = node.store.transaction((tx) => {
        const peer = tx.getPeer(subject);
        if (!peer || peer.removedAt !== null) throw new RequestError('request.not_found', `${subject} is not a peer of this node`);
        return tx.latestPeerCheckpoint(subject)?.note ?? null;
      });
      return { body: { node: subject, checkpoint: note } };
    },
  },
];
