// Accepting a verified cable: stored with one delivery per addressed office hosted here, in the same transaction
// as whatever else the request changes and as its audit entries, so an acknowledged cable is complete or absent —
// never half there, never unlogged. The log records one `cable.sent` and one `cable.delivered` per delivery row
// (the offices of the manifest hosted here), so the same entries will serve a cable that arrives from a peer node
// (federation: `cable.delivered` only, from that node). Offices of peers get one outbox row per peer in the same
// transaction (docs/federation.md "Delivery"), so an acknowledged cable is queued for every node it must reach.
import type { NodeName, OfficeCode } from '../../cable/types.ts';
import type { VerifiedEnvelope } from '../../envelope/verify.ts';
import type { StoreTx } from '../../store/store.ts';
import type { NodeContext } from '../node-context.ts';
import { loggedWrite } from '../logged-write.ts';
import type { RequestInput } from '../route.ts';

/** The manifest's offices grouped by the node hosting them, this node's excluded. */
export function officesByPeer(verified: VerifiedEnvelope, self: NodeName): Map<NodeName, OfficeCode[]> {
  const byPeer = new Map<NodeName, OfficeCode[]>();
  for (const m of verified.envelope.header.manifest) {
    if (m.node === self) continue;
    const list = byPeer.get(m.node) ?? [];
    if (!list.includes(m.office)) list.push(m.office);
    byPeer.set(m.node, list);
  }
  return byPeer;
}

export async function acceptCable(
  node: NodeContext,
  verified: VerifiedEnvelope,
  bytes: Uint8Array,
  input: Pick<RequestInput, 'now' | 'client'>,
  alsoInTransaction: (tx: StoreTx) => void,
) {
  const h = verified.routing;
  const envelopeHash = node.p.sha256(bytes);
  const remote = officesByPeer(verified, node.identity.node);
  const result = await loggedWrite(node, input, (tx, record) => {
    alsoInTransaction(tx);
    const local: OfficeCode[] = verified.envelope.header.manifest.filter((m) => m.node === node.identity.node).map((m) => m.office);
    const stored = tx.putCable(
      {
        id: h.id, dtg: h.dtg, precedence: h.precedence, classification: h.marking.classification,
        caveats: h.marking.caveats, releasableTo: h.marking.releasableTo, from: h.from,
        to: h.to, info: h.info, tags: h.tags, drafter: h.drafter, releaser: h.releaser, envelope: bytes, envelopeHash,
      },
      local,
      input.now,
    );
    if (stored.kind === 'stored') {
      for (const [peer, offices] of remote) tx.enqueue(peer, stored.seq, offices, input.now);
      record([
        {
          kind: 'cable.sent', cable: h.id, from: h.from, to: h.to, info: h.info, precedence: h.precedence,
          level: h.marking.classification, drafter: h.drafter, releaser: h.releaser, envelopeHash,
        },
        ...[...new Set(local)].map((office) => ({ kind: 'cable.delivered' as const, cable: h.id, office, fromNode: node.identity.node })),
      ]);
    }
    node.log.info({ cable: h.id, precedence: h.precedence, offices: local.length, peers: remote.size, duplicate: stored.kind === 'duplicate' }, 'cable accepted');
    return { id: h.id, seq: stored.seq, duplicate: stored.kind === 'duplicate', deliveredTo: local, queuedFor: [...remote.keys()] };
  });
  if (remote.size > 0) node.federation?.kick();
  return result;
}
