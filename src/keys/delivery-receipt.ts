// A delivery receipt: the receiving node's signed word that it stored cable `cable` (the envelope whose SHA-256 is
// `envelopeHash`) from `fromNode` for `offices` at `receivedAt`, and logged it. The sending node keeps
// it beside the outbox row and logs its hash (`cable.forwarded`), so "delivered at …" is evidence, not a claim
// (docs/federation.md "Receipts").
import type { CableId, NodeName, OfficeCode } from '../cable/types.ts';
import { parseCableId, parseNodeName, parseOfficeCode } from '../cable/ids.ts';
import { CableLimits } from '../cable/limits.ts';
import { signHybrid, verifyHybrid, type HybridPublicKey, type HybridSecretKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { equalBytes } from '../bytes.ts';
import { VerificationError } from '../errors.ts';
import { HYBRID_SIGNATURE_CBOR_BYTES, hybridSignatureFromFields, hybridSignatureToCbor } from './hybrid-fields.ts';
import { Labels } from './labels.ts';
import { bytesToVerify, checkedBody, decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

export interface DeliveryReceipt {
  readonly node: NodeName;
  readonly fromNode: NodeName;
  readonly cable: CableId;
  readonly envelopeHash: Uint8Array;
  readonly offices: readonly OfficeCode[];
  /** When the receiver stored it (the first push's time, for a duplicate push). */
  readonly receivedAt: UnixMillis;
  readonly signature: HybridSignature;
}

export type DeliveryReceiptBody = Omit<DeliveryReceipt, 'signature'>;

const spec: RecordSpec<DeliveryReceiptBody> = {
  what: 'delivery-receipt',
  label: Labels.deliveryReceipt,
  maxBytes: 2048 + CableLimits.addresseesMax * 72 + HYBRID_SIGNATURE_CBOR_BYTES,
  required: ['node', 'fromNode', 'cable', 'envelopeHash', 'offices', 'receivedAt'],
  optional: [],
  toCbor: (b) => ({
    node: b.node, fromNode: b.fromNode, cable: b.cable, envelopeHash: b.envelopeHash, offices: b.offices, receivedAt: b.receivedAt,
  }),
  fromFields: (f) => ({
    node: f.id('node', parseNodeName),
    fromNode: f.id('fromNode', parseNodeName),
    cable: f.id('cable', parseCableId),
    envelopeHash: f.bytes('envelopeHash', 32),
    offices: f.idList('offices', 1, CableLimits.addresseesMax, parseOfficeCode),
    receivedAt: f.uint('receivedAt'),
  }),
};

/** Signs a receipt with the receiving node's signing key. */
export async function signDeliveryReceipt(p: CryptoProvider, body: DeliveryReceiptBody, nodeSecret: HybridSecretKey): Promise<DeliveryReceipt> {
  const checked = checkedBody(spec, body);
  return { ...checked.body, signature: await signHybrid(p, nodeSecret, checked.message) };
}

export function encodeDeliveryReceipt(receipt: DeliveryReceipt): Uint8Array {
  return encodeSigned(spec, receipt, hybridSignatureToCbor(receipt.signature));
}

export function decodeDeliveryReceipt(bytes: Uint8Array): DeliveryReceipt {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: hybridSignatureFromFields(sig, 'sig') };
}

/** What the sender expects a receipt to say. */
export interface ExpectedReceipt {
  readonly node: NodeName;
  readonly fromNode: NodeName;
  readonly cable: CableId;
  readonly envelopeHash: Uint8Array;
}

/**
 * Checks a receipt against the receiving node's certified signing key and what was sent: another node, cable or
 * envelope is `verify.record_invalid`; a bad signature `verify.bad_signature`.
 */
export async function verifyDeliveryReceipt(p: CryptoProvider, receipt: DeliveryReceipt, nodeKey: HybridPublicKey, expected: ExpectedReceipt): Promise<Verified<DeliveryReceipt>> {
  if (receipt.node !== expected.node || receipt.fromNode !== expected.fromNode || receipt.cable !== expected.cable || !equalBytes(receipt.envelopeHash, expected.envelopeHash)) {
    throw new VerificationError('verify.record_invalid', 'delivery-receipt: not a receipt for the cable that was sent');
  }
  if (!(await verifyHybrid(p, nodeKey, bytesToVerify(spec, receipt), receipt.signature))) {
    throw new VerificationError('verify.bad_signature', 'delivery-receipt: signature does not verify');
  }
  return markVerified(receipt);
}
