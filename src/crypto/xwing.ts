// X-Wing, the hybrid KEM of every Chancery key wrap: ML-KEM-768 + X25519 under a SHA3-256 combiner
// (draft-connolly-cfrg-xwing-kem, HPKE KEM id 0x647A). Composed from the provider's audited primitives and
// byte-compatible with noble's `ml_kem768_x25519` and the draft's vectors (test/crypto/xwing.test.ts).
import { concatBytes, wipe } from '../bytes.ts';
import { checkLength } from './checks.ts';
import type { CryptoProvider } from './provider.ts';

export const XWing = {
  kemId: 0x647a,
  /** Nsk: the private key is the 32-byte seed; everything else is re-derived from it. */
  secretKeyLength: 32,
  /** Npk: ML-KEM-768 encapsulation key (1184) ‖ X25519 public key (32). */
  publicKeyLength: 1216,
  /** Nenc: ML-KEM-768 ciphertext (1088) ‖ X25519 ephemeral public key (32). */
  cipherTextLength: 1120,
  sharedSecretLength: 32,
  encapsulationSeedLength: 64,
} as const;

const ML_KEM_PUBLIC = 1184;
const ML_KEM_CIPHERTEXT = 1088;
// The draft's domain-separation label "\.//^\" (X-Wing §5.3).
const LABEL = Uint8Array.of(0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c);

/** A decoded X-Wing key pair; `secretKey` is the 32-byte seed. */
export interface XWingKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

interface ExpandedKey {
  readonly mlKemSecret: Uint8Array;
  readonly mlKemPublic: Uint8Array;
  readonly x25519Secret: Uint8Array;
  readonly x25519Public: Uint8Array;
}

async function expandSecretKey(p: CryptoProvider, seed: Uint8Array): Promise<ExpandedKey> {
  checkLength('X-Wing secret key', seed, XWing.secretKeyLength);
  // X-Wing §5.2: SHAKE256(sk, 96) = ML-KEM d ‖ z (64) ‖ X25519 scalar (32).
  const expanded = p.shake256(seed, 96);
  const mlKem = p.mlKem768KeyGen(expanded.subarray(0, 64));
  const x25519Secret = expanded.slice(64, 96);
  wipe(expanded);
  return {
    mlKemSecret: mlKem.secretKey,
    mlKemPublic: mlKem.publicKey,
    x25519Secret,
    x25519Public: await p.x25519PublicKey(x25519Secret),
  };
}

function combine(p: CryptoProvider, ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array): Uint8Array {
  return p.sha3_256(concatBytes(ssM, ssX, ctX, pkX, LABEL));
}

/** Derives the key pair of a 32-byte seed (X-Wing GenerateKeyPairDerand). */
export async function xwingKeyPairFromSeed(p: CryptoProvider, seed: Uint8Array): Promise<XWingKeyPair> {
  const k = await expandSecretKey(p, seed);
  wipe(k.mlKemSecret, k.x25519Secret);
  return { publicKey: concatBytes(k.mlKemPublic, k.x25519Public), secretKey: seed.slice() };
}

/** A fresh key pair from the provider's random source. */
export async function xwingGenerateKeyPair(p: CryptoProvider): Promise<XWingKeyPair> {
  const seed = p.randomBytes(XWing.secretKeyLength);
  const pair = await xwingKeyPairFromSeed(p, seed);
  wipe(seed);
  return pair;
}

/**
 * Encapsulates to a public key (X-Wing EncapsulateDerand). `eseed` (64 bytes: ML-KEM m ‖ X25519 ephemeral scalar)
 * defaults to fresh randomness; passing it is for test vectors only.
 */
export async function xwingEncapsulate(
  p: CryptoProvider,
  publicKey: Uint8Array,
  eseed?: Uint8Array,
): Promise<{ readonly cipherText: Uint8Array; readonly sharedSecret: Uint8Array }> {
  checkLength('X-Wing public key', publicKey, XWing.publicKeyLength);
  const seed = eseed ?? p.randomBytes(XWing.encapsulationSeedLength);
  checkLength('X-Wing encapsulation seed', seed, XWing.encapsulationSeedLength);
  const pkM = publicKey.subarray(0, ML_KEM_PUBLIC);
  const pkX = publicKey.subarray(ML_KEM_PUBLIC);
  const ekX = seed.slice(32, 64);
  const ctX = await p.x25519PublicKey(ekX);
  const ssX = await p.x25519(ekX, pkX);
  const { cipherText: ctM, sharedSecret: ssM } = p.mlKem768Encapsulate(pkM, seed.subarray(0, 32));
  const sharedSecret = combine(p, ssM, ssX, ctX, pkX);
  wipe(ekX, ssX, ssM);
  if (eseed === undefined) wipe(seed);
  return { cipherText: concatBytes(ctM, ctX), sharedSecret };
}

/** Decapsulates with the 32-byte secret seed (X-Wing Decapsulate). */
export async function xwingDecapsulate(p: CryptoProvider, cipherText: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array> {
  checkLength('X-Wing ciphertext', cipherText, XWing.cipherTextLength);
  const k = await expandSecretKey(p, secretKey);
  const ctM = cipherText.subarray(0, ML_KEM_CIPHERTEXT);
  const ctX = cipherText.subarray(ML_KEM_CIPHERTEXT);
  try {
    const ssM = p.mlKem768Decapsulate(ctM, k.mlKemSecret);
    const ssX = await p.x25519(k.x25519Secret, ctX);
    const sharedSecret = combine(p, ssM, ssX, ctX, k.x25519Public);
    wipe(ssM, ssX);
    return sharedSecret;
  } finally {
    wipe(k.mlKemSecret, k.x25519Secret);
  }
}
