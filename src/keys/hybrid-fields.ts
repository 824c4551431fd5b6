// CBOR forms of hybrid public keys and signatures, shared by the root, node and officer records: a map
// `{ ed25519, mlDsa65 }` of byte strings with their exact lengths.
import { HybridLengths, type HybridPublicKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CborMap, Fields } from '../encoding/fields.ts';

export function hybridPublicToCbor(key: HybridPublicKey): CborMap {
  return { ed25519: key.ed25519, mlDsa65: key.mlDsa65 };
}

export function hybridPublicFromFields(f: Fields, key: string): HybridPublicKey {
  const m = f.map(key, ['ed25519', 'mlDsa65']);
  return { ed25519: m.bytes('ed25519', HybridLengths.ed25519Public), mlDsa65: m.bytes('mlDsa65', HybridLengths.mlDsa65Public) };
}

export function hybridSignatureToCbor(sig: HybridSignature): CborMap {
  return { ed25519: sig.ed25519, mlDsa65: sig.mlDsa65 };
}

export function hybridSignatureFromFields(f: Fields, key: string): HybridSignature {
  const m = f.map(key, ['ed25519', 'mlDsa65']);
  return { ed25519: m.bytes('ed25519', HybridLengths.ed25519Signature), mlDsa65: m.bytes('mlDsa65', HybridLengths.mlDsa65Signature) };
}

/** Approximate encoded size of a hybrid public key or signature map, for the records' size caps. */
export const HYBRID_PUBLIC_CBOR_BYTES = HybridLengths.ed25519Public + HybridLengths.mlDsa65Public + 32;
export const HYBRID_SIGNATURE_CBOR_BYTES = HybridLengths.ed25519Signature + HybridLengths.mlDsa65Signature + 32;
