// A security officer's hybrid signing key. Its Ed25519 half is the officer's device key; its ML-DSA-65 half, for
// long-lived records, is derived from the same device signing seed under its own label, so the one device key file
// holds both (HKDF domain separation: the Ed25519 and ML-DSA keys are independent). The organisation root certifies
// the pair in the officer certificate (`chancery node init`, and every later appointment).
import { utf8 } from '../bytes.ts';
import { hybridSigningKeyFromSeeds, type HybridSigningKey } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';

/** The officer's 32-byte ML-DSA-65 seed, derived from the device's Ed25519 signing seed. The caller wipes it. */
export function officerMlDsaSeed(p: CryptoProvider, signingSeed: Uint8Array): Uint8Array {
  return p.hkdfExpand(p.hkdfExtract(utf8('chancery/v1 officer-ml-dsa'), signingSeed), utf8('ml-dsa-65 seed'), 32);
}

/** The officer's hybrid signing key from the device's signing seed (the caller wipes its secret half). */
export async function officerSigningKey(p: CryptoProvider, signingSeed: Uint8Array): Promise<HybridSigningKey> {
  const dsaSeed = officerMlDsaSeed(p, signingSeed);
  try {
    return await hybridSigningKeyFromSeeds(p, signingSeed, dsaSeed);
  } finally {
    dsaSeed.fill(0);
  }
}
