// The seam between Chancery's protocols and the audited primitives under them. Node uses node:crypto, the browser
// WebCrypto, and both fall back to the noble libraries; every implementation runs the same published vectors.
// Nothing here is a primitive of our own: each method is one call into a library.

/** AEAD algorithms the envelope and the HPKE vectors need (RFC 9180 §7.3 ids in `AeadIds`). */
export type AeadAlgorithm = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

/** An ML-KEM-768 or ML-DSA-65 key pair in the FIPS 203/204 byte encodings. */
export interface KeyPairBytes {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export interface CryptoProvider {
  /** Human-readable name, shown in test output and benchmarks. */
  readonly name: string;

  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;

  sha256(data: Uint8Array): Uint8Array;
  sha3_256(data: Uint8Array): Uint8Array;
  shake256(data: Uint8Array, outputLength: number): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** HKDF-Extract with SHA-256 (RFC 5869 §2.2). */
  hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  /** HKDF-Expand with SHA-256 (RFC 5869 §2.3). */
  hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;

  /** Returns ciphertext ‖ 16-byte tag. */
  aeadSeal(alg: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** Throws `CryptoError('crypto.decrypt_failed')` when authentication fails. */
  aeadOpen(alg: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Promise<Uint8Array>;

  /** X25519 public key of a 32-byte private scalar (RFC 7748 §6.1). */
  x25519PublicKey(privateKey: Uint8Array): Promise<Uint8Array>;
  /** X25519 shared secret; may be all-zero for low-order points — callers that must refuse that do so. */
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>;

  /** Ed25519 public key of a 32-byte seed (RFC 8032 §5.1.5). */
  ed25519PublicKey(seed: Uint8Array): Promise<Uint8Array>;
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  /** Strict RFC 8032 verification; false (never a throw) for any invalid signature, key or length. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;

  /** ML-KEM-768 key pair from a 64-byte seed d ‖ z (FIPS 203 ML-KEM.KeyGen_internal). */
  mlKem768KeyGen(seed: Uint8Array): KeyPairBytes;
  /** ML-KEM-768 encapsulation with explicit 32-byte randomness m (FIPS 203 ML-KEM.Encaps_internal). */
  mlKem768Encapsulate(publicKey: Uint8Array, m: Uint8Array): { readonly cipherText: Uint8Array; readonly sharedSecret: Uint8Array };
  mlKem768Decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;

  /** ML-DSA-65 key pair from a 32-byte seed (FIPS 204 ML-DSA.KeyGen_internal). */
  mlDsa65KeyGen(seed: Uint8Array): KeyPairBytes;
  /** Hedged ML-DSA-65 signature with an empty context (FIPS 204 ML-DSA.Sign). */
  mlDsa65Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  mlDsa65Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}
