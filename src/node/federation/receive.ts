// Receiving a cable a peer pushed (docs/federation.md "Delivery"): decode, deduplicate by id and envelope hash,
// verify — signers chained to the pushing peer's root, our offices sealed to their current epochs, our release
// entry to our release key, the originating office the peer's — then store it with a delivery per office of ours
// and log it, in one write, and sign a receipt. The same id with another envelope is refused and logged as a
// conflict: no one may show two offices two texts under one id.
import type { NodeName, OfficeCode } from '../../cable/types.ts';
import { equalBytes, toHex } from '../../bytes.ts';
import { decodeRoutingHeader } from '../../cable/codec.ts';
import { RequestError, VerificationError } from '../../errors.ts';
import { decodeEnvelope } from '../../envelope/codec.ts';
import type { VerifiedEnvelope } from '../../envelope/verify.ts';
import { encodeDeliveryReceipt, signDeliveryReceipt } from '../../keys/delivery-receipt.ts';
import { verifyForNode } from '../cable-checks.ts';
import { loggedWrite } from '../logged-write.ts';
import type { NodeContext } from '../node-context.ts';
import type { RequestInput } from '../route.ts';
import { syncPeerOffices } from './directory-sync.ts';
import { PriorityGate } from './priority-gate.ts';
import { remoteSignerKey } from './remote-signers.ts';

export interface Received {
  /** The encoded, signed delivery receipt. */
  readonly receipt: Uint8Array;
  readonly duplicate: boolean;
  readonly offices: readonly OfficeCode[];
}

/** Verifications of pushed cables at once (each also waits on the peer for an unknown signer), the rest by precedence. */
const VERIFY_CONCURRENCY = 4;
const gates = new WeakMap<NodeContext, PriorityGate>();
function gateOf(node: NodeContext): PriorityGate {
  let g = gates.get(node);
  if (!g) gates.set(node, (g = new PriorityGate(VERIFY_CONCURRENCY)));
  return g;
}

function ourOffices(node: NodeContext, envelope: { readonly header: { readonly manifest: readonly { readonly office: OfficeCode; readonly node: NodeName }[] } }): OfficeCode[] {
  return [...new Set(envelope.header.manifest.filter((m) => m.node === node.identity.node).map((m) => m.office))];
}

async function receipt(node: NodeContext, peer: NodeName, v: { id: VerifiedEnvelope['routing']['id']; envelopeHash: Uint8Array; offices: readonly OfficeCode[]; at: number }): Promise<Uint8Array> {
  const federation = node.federation;
  if (!federation) throw new RequestError('request.not_found', 'this node does not federate');
  const signed = await signDeliveryReceipt(
    node.p,
    { node: node.identity.node, fromNode: peer, cable: v.id, envelopeHash: v.envelopeHash, offices: v.offices, receivedAt: v.at },
    federation.signingKey,
  );
  return encodeDeliveryReceipt(signed);
}

/** What is already stored under the id: a duplicate (the receipt again), a conflict (refused, logged), or nothing. */
async function known(node: NodeContext, input: Pick<RequestInput, 'now' | 'client'>, peer: NodeName, id: VerifiedEnvelope['routing']['id'], envelopeHash: Uint8Array, offices: readonly OfficeCode[]): Promise<Received | null> {
  const stored = node.store.transaction((tx) => tx.getCable(id));
  if (!stored) return null;
  if (equalBytes(stored.envelopeHash, envelopeHash)) {
    return { receipt: await receipt(node, peer, { id, envelopeHash, offices, at: stored.acceptedAt }), duplicate: true, offices };
  }
  await loggedWrite(node, input, (_tx, record) => record([{ kind: 'peer.conflict', peer, cable: id, envelopeHash, storedHash: stored.envelopeHash }]));
  node.federation?.alert({ rule: 'peer_conflict', peer, cable: id, evidence: [toHex(envelopeHash), toHex(stored.envelopeHash)] });
  throw new RequestError('request.conflict', `cable ${id} is already stored here with another envelope`);
}

/**
 * Receives one pushed envelope from `peer`. Throws a 4xx-mapped error for anything it refuses (malformed,
 * forged, not for us, not from the peer's office, conflicting); nothing refused is stored as a cable.
 */
export async function receivePushed(node: NodeContext, input: Pick<RequestInput, 'now' | 'client'>, peer: NodeName, bytes: Uint8Array): Promise<Received> {
  const envelope = decodeEnvelope(bytes);
  const routing = decodeRoutingHeader(envelope.header.routing);
  const envelopeHash = node.p.sha256(bytes);
  const offices = ourOffices(node, envelope);
  if (offices.length === 0) throw new VerificationError('verify.untrusted_key', `cable ${routing.id} is addressed to no office of ${node.identity.node}`);
  const origin = envelope.header.manifest[0];
  if (origin?.node !== peer) throw new VerificationError('verify.untrusted_key', `cable ${routing.id} originates at ${origin?.node ?? 'no node'}, not at ${peer}`);
  const again = await known(node, input, peer, routing.id, envelopeHash, offices);
  if (again) return again;

  // Only the verification waits its turn by precedence: it is the CPU work. The write and the checkpoint that follow
  // run outside the gate, so concurrent pushes share one group commit and one checkpoint signature.
  const verified = await gateOf(node).run(routing.precedence, async () => {
    let hosted = node.store.transaction((tx) => tx.getPeerOffice(routing.from));
    // An office the peer opened since our last pull of its directory: pull it now rather than refuse a real cable.
    if (hosted?.peer !== peer) {
      await syncPeerOffices(node, peer);
      hosted = node.store.transaction((tx) => tx.getPeerOffice(routing.from));
    }
    if (hosted?.peer !== peer) throw new VerificationError('verify.untrusted_key', `office ${routing.from} is not hosted by ${peer} as its directory lists it`);
    return verifyForNode(node, bytes, ['drafter', 'releaser'], { kind: 'peer', peer, resolve: (user, device) => remoteSignerKey(node, peer, user, device) });
  });
  const h = verified.routing;
  const stored = await loggedWrite(node, input, (tx, record) => {
    const result = tx.putCable(
      {
        id: h.id, dtg: h.dtg, precedence: h.precedence, classification: h.marking.classification, caveats: h.marking.caveats,
        releasableTo: h.marking.releasableTo, from: h.from, to: h.to, info: h.info, tags: h.tags, drafter: h.drafter, releaser: h.releaser,
        envelope: bytes, envelopeHash,
      },
      offices,
      input.now,
    );
    if (result.kind === 'stored') {
      record([
        { kind: 'cable.received', cable: h.id, fromNode: peer, from: h.from, precedence: h.precedence, level: h.marking.classification, envelopeHash },
        ...offices.map((office) => ({ kind: 'cable.delivered' as const, cable: h.id, office, fromNode: peer })),
      ]);
    }
    return result;
  });
  // Two pushes of one cable racing past the dedupe above: the second finds the first's row (same hash) here.
  if (stored.kind === 'duplicate') {
    const again2 = await known(node, input, peer, h.id, envelopeHash, offices);
    if (again2) return again2;
  }
  node.log.info({ cable: h.id, from: peer, precedence: h.precedence, offices: offices.length }, 'cable received');
  return { receipt: await receipt(node, peer, { id: h.id, envelopeHash, offices, at: input.now }), duplicate: false, offices };
}
