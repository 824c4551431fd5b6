// The HPKE `info` of each key wrap (envelope step 3): canonical CBOR binding format version, cable id, routing-header
// digest and the recipient, so a wrap moved to another cable, office, level or epoch fails to open.
import type { CableId, Classification, NodeName, OfficeCode } from '../cable/types.ts';
import { encodeCanonical } from '../encoding/canonical-cbor.ts';
import { ENVELOPE_VERSION, Labels } from './format.ts';

/** `info` for the wrap of K (or s1) to an office's epoch key for a level. */
export function officeWrapInfo(cable: CableId, routingDigest: Uint8Array, office: OfficeCode, level: Classification, epoch: number): Uint8Array {
  return encodeCanonical({ label: Labels.officeWrap, v: ENVELOPE_VERSION, cable, routingDigest, office, level, epoch });
}

/** `info` for the bundle of second shares sealed to one node's release service. */
export function releaseWrapInfo(cable: CableId, routingDigest: Uint8Array, node: NodeName): Uint8Array {
  return encodeCanonical({ label: Labels.releaseWrap, v: ENVELOPE_VERSION, cable, routingDigest, node });
}
