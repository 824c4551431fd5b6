// Hybrid signatures for long-lived records (organisation roots, node and officer certificates): Ed25519 and
// ML-DSA-65 over the same message, valid only when both halves verify (DESIGN.md "The envelope": signatures).
// Domain separation is the caller's job: src/keys signs `label ‖ 0x00 ‖ canonical CBOR` (src/keys/labels.ts), so a
// half cannot be lifted into another protocol that signs bare Ed25519 or ML-DSA messages under other labels.
import { wipe } from '../bytes.ts';
import { checkLength } from './checks.ts';
import type { CryptoProvider } from './provider.ts';

/** Byte lengths of every part (RFC 8032 §5.1; FIPS 204 Table 2, ML-DSA-65). */
export const HybridLengths = {
  ed25519Public: 32,
  ed25519Seed: 32,
  ed25519Signature: 64,
  mlDsa65Public: 1952,
  mlDsa65Seed: 32,
  mlDsa65Secret: 4032,
  mlDsa65Signature: 3309,
} as const;

/** The public half: what certificates carry and verifiers pin. */
export interface HybridPublicKey {
  readonly ed25519: Uint8Array;
  readonly mlDsa65: Uint8Array;
}

/** The secret half: the Ed25519 seed and the expanded ML-DSA-65 secret key. Wipe with `wipeHybridSecret`. */
export interface HybridSecretKey {
  readonly ed25519Seed: Uint8Array;
  readonly mlDsa65Secret: Uint8Array;
}

export interface HybridSigningKey {
  readonly public: HybridPublicKey;
  readonly secret: HybridSecretKey;
}

/** One signature of each algorithm over the same message. */
export interface HybridSignature {
  readonly ed25519: Uint8Array;
  readonly mlDsa65: Uint8Array;
}

/**
 * Derives a hybrid key pair from two 32-byte seeds (RFC 8032 §5.1.5; FIPS 204 ML-DSA.KeyGen_internal). The seeds
 * are copied, never kept by reference; the caller wipes its own.
 *
 * @example
 * ```ts
 * const key = await hybridSigningKeyFromSeeds(p, edSeed, dsaSeed);
 * ```
 */
export async function hybridSigningKeyFromSeeds(
  p: CryptoProvider,
  ed25519Seed: Uint8Array,
  mlDsa65Seed: Uint8Array,
): Promise<HybridSigningKey> {
  checkLength('Ed25519 seed', ed25519Seed, HybridLengths.ed25519Seed);
  checkLength('ML-DSA-65 seed', mlDsa65Seed, HybridLengths.mlDsa65Seed);
  const dsa = p.mlDsa65KeyGen(mlDsa65Seed);
  return {
    public: { ed25519: await p.ed25519PublicKey(ed25519Seed), mlDsa65: dsa.publicKey },
    secret: { ed25519Seed: ed25519Seed.slice(), mlDsa65Secret: dsa.secretKey },
  };
}

/**
 * A fresh hybrid key pair from the provider's random source.
 *
 * @example
 * ```ts
 * const root = await generateHybridSigningKey(p);
 * ```
 */
export async function generateHybridSigningKey(p: CryptoProvider): Promise<HybridSigningKey> {
  const edSeed = p.randomBytes(HybridLengths.ed25519Seed);
  const dsaSeed = p.randomBytes(HybridLengths.mlDsa65Seed);
  try {
    return await hybridSigningKeyFromSeeds(p, edSeed, dsaSeed);
  } finally {
    wipe(edSeed, dsaSeed);
  }
}

/**
 * Signs `message` with both halves. The message must already be domain-separated by the caller.
 *
 * @example
 * ```ts
 * const sig = await signHybrid(p, key.secret, labelledMessage(Labels.nodeCertificate, body));
 * ```
 */
export async function signHybrid(p: CryptoProvider, secret: HybridSecretKey, message: Uint8Array): Promise<HybridSignature> {
  checkLength('Ed25519 seed', secret.ed25519Seed, HybridLengths.ed25519Seed);
  checkLength('ML-DSA-65 secret key', secret.mlDsa65Secret, HybridLengths.mlDsa65Secret);
  if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
  return {
    ed25519: await p.ed25519Sign(secret.ed25519Seed, message),
    mlDsa65: p.mlDsa65Sign(secret.mlDsa65Secret, message),
  };
}

/**
 * True only when BOTH the Ed25519 and the ML-DSA-65 signature verify under their halves of `publicKey`: the record
 * stays unforgeable while either algorithm stands. Wrong lengths give false, never a throw.
 *
 * @example
 * ```ts
 * if (!(await verifyHybrid(p, root.publicKey, message, sig))) throw new VerificationError('verify.bad_signature', '…');
 * ```
 */
export async function verifyHybrid(
  p: CryptoProvider,
  publicKey: HybridPublicKey,
  message: Uint8Array,
  signature: HybridSignature,
): Promise<boolean> {
  for (const b of [publicKey.ed25519, publicKey.mlDsa65, message, signature.ed25519, signature.mlDsa65]) {
    if (!(b instanceof Uint8Array)) throw new TypeError('hybrid signature inputs must be Uint8Arrays');
  }
  if (
    publicKey.ed25519.length !== HybridLengths.ed25519Public ||
    publicKey.mlDsa65.length !== HybridLengths.mlDsa65Public ||
    signature.ed25519.length !== HybridLengths.ed25519Signature ||
    signature.mlDsa65.length !== HybridLengths.mlDsa65Signature
  ) {
    return false;
  }
  // Ed25519 first: it is ~50× cheaper, and a forgery attempt usually fails there. Nothing secret is timed here.
  if (!(await p.ed25519Verify(publicKey.ed25519, message, signature.ed25519))) return false;
  return p.mlDsa65Verify(publicKey.mlDsa65, message, signature.mlDsa65);
}

/** Overwrites both secret halves once the key is no longer needed. */
export function wipeHybridSecret(secret: HybridSecretKey): void {
  wipe(secret.ed25519Seed, secret.mlDsa65Secret);
}
