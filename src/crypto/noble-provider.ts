// The pure-JavaScript provider: the audited noble libraries for every primitive. Runs anywhere (Node, browser,
// worker); the reference the faster native providers are cross-checked against.
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';
import { hmac } from '@noble/hashes/hmac.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { CryptoError } from '../errors.ts';
import type { AeadAlgorithm, CryptoProvider, KeyPairBytes } from './provider.ts';
import { checkAeadInput, checkLength } from './checks.ts';

function cipher(alg: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  checkAeadInput(alg, key, nonce);
  return alg === 'chacha20-poly1305' ? chacha20poly1305(key, nonce, aad) : gcm(key, nonce, aad);
}

/** ML-KEM-768 and ML-DSA-65 through noble: shared by every provider, since no platform API offers them on Node 20. */
export const noblePostQuantum = {
  mlKem768KeyGen(seed: Uint8Array): KeyPairBytes {
    checkLength('ML-KEM-768 seed', seed, 64);
    return ml_kem768.keygen(seed);
  },
  mlKem768Encapsulate(publicKey: Uint8Array, m: Uint8Array) {
    checkLength('ML-KEM-768 public key', publicKey, 1184);
    checkLength('ML-KEM-768 randomness', m, 32);
    try {
      return ml_kem768.encapsulate(publicKey, m);
    } catch (cause) {
      throw new CryptoError('crypto.invalid_key', 'ML-KEM-768 public key rejected', { cause });
    }
  },
  mlKem768Decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array {
    checkLength('ML-KEM-768 ciphertext', cipherText, 1088);
    checkLength('ML-KEM-768 secret key', secretKey, 2400);
    try {
      return ml_kem768.decapsulate(cipherText, secretKey);
    } catch (cause) {
      throw new CryptoError('crypto.invalid_key', 'ML-KEM-768 secret key rejected', { cause });
    }
  },
  mlDsa65KeyGen(seed: Uint8Array): KeyPairBytes {
    checkLength('ML-DSA-65 seed', seed, 32);
    return ml_dsa65.keygen(seed);
  },
  mlDsa65Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
    checkLength('ML-DSA-65 secret key', secretKey, 4032);
    return ml_dsa65.sign(message, secretKey);
  },
  mlDsa65Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (publicKey.length !== 1952 || signature.length !== 3309) return false;
    try {
      return ml_dsa65.verify(signature, message, publicKey);
    } catch {
      return false;
    }
  },
} as const;

/** Every primitive in pure JavaScript (noble). */
export const nobleProvider: CryptoProvider = {
  name: 'noble',
  randomBytes: (length) => randomBytes(length),
  sha256: (data) => sha256(data),
  sha3_256: (data) => sha3_256(data),
  shake256: (data, outputLength) => shake256(data, { dkLen: outputLength }),
  hmacSha256: (key, data) => hmac(sha256, key, data),
  hkdfExtract: (salt, ikm) => extract(sha256, ikm, salt),
  hkdfExpand: (prk, info, length) => expand(sha256, prk, info, length),

  aeadSeal: (alg, key, nonce, aad, plaintext) => Promise.resolve(cipher(alg, key, nonce, aad).encrypt(plaintext)),
  aeadOpen(alg, key, nonce, aad, sealed) {
    const c = cipher(alg, key, nonce, aad);
    try {
      return Promise.resolve(c.decrypt(sealed));
    } catch (cause) {
      return Promise.reject(new CryptoError('crypto.decrypt_failed', 'authentication failed', { cause }));
    }
  },

  x25519PublicKey(privateKey) {
    checkLength('X25519 private key', privateKey, 32);
    return Promise.resolve(x25519.getPublicKey(privateKey));
  },
  x25519(privateKey, publicKey) {
    checkLength('X25519 private key', privateKey, 32);
    checkLength('X25519 public key', publicKey, 32);
    try {
      return Promise.resolve(x25519.getSharedSecret(privateKey, publicKey));
    } catch (cause) {
      // noble refuses an all-zero result; report it like the other providers do, as an invalid key.
      return Promise.reject(new CryptoError('crypto.invalid_key', 'X25519 public key rejected', { cause }));
    }
  },

  ed25519PublicKey(seed) {
    checkLength('Ed25519 seed', seed, 32);
    return Promise.resolve(ed25519.getPublicKey(seed));
  },
  ed25519Sign(seed, message) {
    checkLength('Ed25519 seed', seed, 32);
    return Promise.resolve(ed25519.sign(message, seed));
  },
  ed25519Verify(publicKey, message, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return Promise.resolve(false);
    try {
      // zip215: false is RFC 8032's strict decoding, matching OpenSSL and WebCrypto.
      return Promise.resolve(ed25519.verify(signature, message, publicKey, { zip215: false }));
    } catch {
      return Promise.resolve(false);
    }
  },
  ...noblePostQuantum,
};
