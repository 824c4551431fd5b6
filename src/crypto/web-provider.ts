// The browser provider: WebCrypto (globalThis.crypto.subtle) for AES-GCM, X25519 and Ed25519 — the native code a
// browser offers (STACK.md) — and noble for what WebCrypto lacks or offers only asynchronously: ChaCha20-Poly1305,
// the synchronous hashes, HMAC, HKDF, ML-KEM and ML-DSA. No node: imports: it runs in browsers and in Node 20.
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256, shake256 } from '@noble/hashes/sha3.js';
import { hmac } from '@noble/hashes/hmac.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { fromBase64, wipe } from '../bytes.ts';
import { CryptoError } from '../errors.ts';
import { checkAeadInput, checkBytes, checkHkdfExpand, checkLength } from './checks.ts';
import { noblePostQuantum } from './noble-provider.ts';
import type { AeadAlgorithm, CryptoProvider } from './provider.ts';

const TAG_LENGTH = 16;
// getRandomValues refuses more than 65,536 bytes per call (W3C Web Cryptography API: QuotaExceededError).
const RANDOM_CHUNK = 65536;
// PKCS#8 PrivateKeyInfo headers for a bare 32-byte OKP private key (RFC 8410 §7): version 0, the algorithm
// identifier (1.3.101.110 X25519, 1.3.101.112 Ed25519) and an OCTET STRING wrapping the 32-byte CurvePrivateKey.
const X25519_PKCS8_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20);
const ED25519_PKCS8_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20);
// The X25519 base point u = 9 (RFC 7748 §6.1): X25519(k, 9) is the public key of k, so a private key never has to
// be extractable to learn its public half.
const X25519_BASE_POINT = Uint8Array.of(9, ...new Uint8Array(31));

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new CryptoError('crypto.unsupported', 'WebCrypto (crypto.subtle) is not available');
  return s;
}

/** A private copy on a plain ArrayBuffer: WebCrypto's BufferSource, safe from later mutation by the caller. */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** Imports a 32-byte OKP private key through its PKCS#8 encoding, wiping the encoding afterwards. */
async function importOkpPrivate(
  alg: 'X25519' | 'Ed25519',
  key: Uint8Array,
  extractable: boolean,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const prefix = alg === 'X25519' ? X25519_PKCS8_PREFIX : ED25519_PKCS8_PREFIX;
  const pkcs8 = new Uint8Array(prefix.length + key.length);
  pkcs8.set(prefix);
  pkcs8.set(key, prefix.length);
  try {
    return await subtle().importKey('pkcs8', pkcs8, { name: alg }, extractable, usages);
  } catch (cause) {
    throw new CryptoError('crypto.invalid_key', `${alg} private key rejected`, { cause });
  } finally {
    wipe(pkcs8);
  }
}

/** Base64url without padding (RFC 7515 §2, as JWK uses it) to bytes. */
function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
}

async function aesKey(key: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  const raw = own(key);
  try {
    return await subtle().importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);
  } finally {
    wipe(raw);
  }
}

function gcmParams(nonce: Uint8Array, aad: Uint8Array): AesGcmParams {
  return { name: 'AES-GCM', iv: own(nonce), additionalData: own(aad), tagLength: TAG_LENGTH * 8 };
}

function checkAead(alg: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array): void {
  checkAeadInput(alg, key, nonce);
  checkBytes('AEAD associated data', aad);
  checkBytes('AEAD input', data);
}

async function x25519Derive(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  const priv = await importOkpPrivate('X25519', privateKey, false, ['deriveBits']);
  try {
    const pub = await subtle().importKey('raw', own(publicKey), { name: 'X25519' }, false, []);
    return new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: pub }, priv, 256));
  } catch (cause) {
    // WebCrypto refuses an all-zero shared secret (a low-order public key) with an OperationError
    // (Secure Curves in WebCrypto §X25519 derive bits, after RFC 7748 §6.1).
    throw new CryptoError('crypto.invalid_key', 'X25519 public key rejected', { cause });
  }
}

/**
 * WebCrypto for AES-GCM, X25519 and Ed25519; noble for ChaCha20-Poly1305, the hashes, HKDF and post-quantum.
 * Errors match the other providers: input checks reject with TypeError/RangeError, a failed open with
 * `CryptoError('crypto.decrypt_failed')`, a refused X25519 key with `CryptoError('crypto.invalid_key')`.
 *
 * @example
 * const key = webProvider.randomBytes(32);
 * const nonce = webProvider.randomBytes(12);
 * const sealed = await webProvider.aeadSeal('aes-256-gcm', key, nonce, new Uint8Array(0), utf8('cable'));
 * const opened = await webProvider.aeadOpen('aes-256-gcm', key, nonce, new Uint8Array(0), sealed);
 */
export const webProvider: CryptoProvider = {
  name: 'webcrypto',
  randomBytes(length) {
    if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('randomBytes: length must be a non-negative integer');
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += RANDOM_CHUNK) {
      globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + RANDOM_CHUNK)));
    }
    return out;
  },
  sha256: (data) => sha256(data),
  sha3_256: (data) => sha3_256(data),
  shake256: (data, outputLength) => shake256(data, { dkLen: outputLength }),
  hmacSha256: (key, data) => hmac(sha256, key, data),
  hkdfExtract: (salt, ikm) => extract(sha256, ikm, salt),
  hkdfExpand(prk, info, length) {
    checkHkdfExpand(prk, info, length);
    return expand(sha256, prk, info, length);
  },

  async aeadSeal(alg, key, nonce, aad, plaintext) {
    checkAead(alg, key, nonce, aad, plaintext);
    if (alg === 'chacha20-poly1305') return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
    const k = await aesKey(key, 'encrypt');
    return new Uint8Array(await subtle().encrypt(gcmParams(nonce, aad), k, own(plaintext)));
  },
  async aeadOpen(alg, key, nonce, aad, sealed) {
    checkAead(alg, key, nonce, aad, sealed);
    if (sealed.length < TAG_LENGTH) throw new CryptoError('crypto.decrypt_failed', 'authentication failed');
    if (alg === 'chacha20-poly1305') {
      try {
        return chacha20poly1305(key, nonce, aad).decrypt(sealed);
      } catch (cause) {
        throw new CryptoError('crypto.decrypt_failed', 'authentication failed', { cause });
      }
    }
    const k = await aesKey(key, 'decrypt');
    try {
      return new Uint8Array(await subtle().decrypt(gcmParams(nonce, aad), k, own(sealed)));
    } catch (cause) {
      throw new CryptoError('crypto.decrypt_failed', 'authentication failed', { cause });
    }
  },

  async x25519PublicKey(privateKey) {
    checkLength('X25519 private key', privateKey, 32);
    return x25519Derive(privateKey, X25519_BASE_POINT);
  },
  async x25519(privateKey, publicKey) {
    checkLength('X25519 private key', privateKey, 32);
    checkLength('X25519 public key', publicKey, 32);
    return x25519Derive(privateKey, publicKey);
  },

  async ed25519PublicKey(seed) {
    checkLength('Ed25519 seed', seed, 32);
    // WebCrypto has no "public key of a private key" call; the JWK export of an OKP private key carries `x`
    // (RFC 8037 §2). The key is extractable only for this one export and then dropped.
    const key = await importOkpPrivate('Ed25519', seed, true, ['sign']);
    const { x } = await subtle().exportKey('jwk', key);
    if (typeof x !== 'string') throw new CryptoError('crypto.invalid_key', 'no public key');
    return fromBase64Url(x);
  },
  async ed25519Sign(seed, message) {
    checkLength('Ed25519 seed', seed, 32);
    checkBytes('Ed25519 message', message);
    const key = await importOkpPrivate('Ed25519', seed, false, ['sign']);
    return new Uint8Array(await subtle().sign({ name: 'Ed25519' }, key, own(message)));
  },
  async ed25519Verify(publicKey, message, signature) {
    if (!(publicKey instanceof Uint8Array) || !(signature instanceof Uint8Array) || !(message instanceof Uint8Array)) return false;
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      const key = await subtle().importKey('raw', own(publicKey), { name: 'Ed25519' }, false, ['verify']);
      return await subtle().verify({ name: 'Ed25519' }, key, own(signature), own(message));
    } catch {
      return false;
    }
  },
  ...noblePostQuantum,
};
