// Accepting a verified cable: stored with one delivery per addressed office hosted here, in the same transaction
// as whatever else the request changes, so an acknowledged cable is complete or absent — never half there.
import type { OfficeCode } from '../../cable/types.ts';
import type { VerifiedEnvelope } from '../../envelope/verify.ts';
import type { StoreTx } from '../../store/store.ts';
import type { NodeContext } from '../node-context.ts';
import { groupCommit } from '../commit-batcher.ts';

export function acceptCable(node: NodeContext, verified: VerifiedEnvelope, bytes: Uint8Array, now: number, alsoInTransaction: (tx: StoreTx) => void) {
  const h = verified.routing;
  const envelopeHash = node.p.sha256(bytes);
  return groupCommit(node.store, (tx) => {
    alsoInTransaction(tx);
    const local: OfficeCode[] = verified.envelope.header.manifest.filter((m) => m.node === node.identity.node).map((m) => m.office);
    const stored = tx.putCable(
      {
        id: h.id, dtg: h.dtg, precedence: h.precedence, classification: h.marking.classification,
        caveats: h.marking.caveats, releasableTo: h.marking.releasableTo, from: h.from,
        to: h.to, info: h.info, tags: h.tags, drafter: h.drafter, releaser: h.releaser, envelope: bytes, envelopeHash,
      },
      local,
      now,
    );
    node.log.info({ cable: h.id, precedence: h.precedence, offices: local.length, duplicate: stored.kind === 'duplicate' }, 'cable accepted');
    return { id: h.id, seq: stored.seq, duplicate: stored.kind === 'duplicate', deliveredTo: local };
  });
}
