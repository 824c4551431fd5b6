// The Node provider: node:crypto (OpenSSL) for hashes, HKDF, AEAD, X25519 and Ed25519 — 15–25× faster than pure
// JavaScript on this machine (STACK.md) — and noble for ML-KEM and ML-DSA, which Node 20's OpenSSL lacks.
// This file is an edge: the core takes a CryptoProvider and never imports it.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { CryptoError } from '../errors.ts';
import { noblePostQuantum } from './noble-provider.ts';
import type { AeadAlgorithm, CryptoProvider } from './provider.ts';
import { checkAeadInput, checkBytes, checkHkdfExpand, checkLength } from './checks.ts';

const TAG_LENGTH = 16;
// OpenSSL derives an OKP private key's public half from `d` and ignores the JWK's `x`, which Node nonetheless
// requires; JWK import is ~10× faster than PKCS#8 DER on Node 20 (STACK.md), so a placeholder `x` is passed.
const PLACEHOLDER_X = Buffer.alloc(32).toString('base64url');

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

function okpPrivate(crv: 'X25519' | 'Ed25519', d: Uint8Array): KeyObject {
  return createPrivateKey({ key: { kty: 'OKP', crv, d: b64url(d), x: PLACEHOLDER_X }, format: 'jwk' });
}

function okpPublic(crv: 'X25519' | 'Ed25519', x: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv, x: b64url(x) }, format: 'jwk' });
}

function publicBytes(key: KeyObject): Uint8Array {
  const x = key.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new CryptoError('crypto.invalid_key', 'no public key');
  return new Uint8Array(Buffer.from(x, 'base64url'));
}

function u8(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function nodeCipherName(alg: AeadAlgorithm): string {
  return alg === 'chacha20-poly1305' ? 'chacha20-poly1305' : alg;
}

/** node:crypto for everything it offers, noble for post-quantum. */
export const nodeProvider: CryptoProvider = {
  name: 'node',
  randomBytes: (length) => u8(randomBytes(length)),
  // node:crypto would also hash a string or a DataView; checkBytes keeps every provider refusing them alike.
  sha256(data) {
    checkBytes('data', data);
    return u8(createHash('sha256').update(data).digest());
  },
  sha3_256(data) {
    checkBytes('data', data);
    return u8(createHash('sha3-256').update(data).digest());
  },
  shake256(data, outputLength) {
    checkBytes('data', data);
    return u8(createHash('shake256', { outputLength }).update(data).digest());
  },
  hmacSha256(key, data) {
    checkBytes('HMAC key', key);
    checkBytes('data', data);
    return u8(createHmac('sha256', key).update(data).digest());
  },
  hkdfExtract(salt, ikm) {
    checkBytes('HKDF salt', salt);
    checkBytes('HKDF IKM', ikm);
    return u8(createHmac('sha256', salt.length === 0 ? new Uint8Array(32) : salt).update(ikm).digest());
  },
  hkdfExpand(prk, info, length) {
    // RFC 5869 §2.3 over OpenSSL's HMAC: Node has no expand-only HKDF call, and HPKE's labeled expand needs one.
    checkHkdfExpand(prk, info, length);
    const out = new Uint8Array(length);
    let previous: Uint8Array = new Uint8Array(0);
    for (let i = 1, offset = 0; offset < length; i++) {
      previous = u8(createHmac('sha256', prk).update(previous).update(info).update(Uint8Array.of(i)).digest());
      out.set(previous.subarray(0, Math.min(32, length - offset)), offset);
      offset += 32;
    }
    return out;
  },

  aeadSeal(alg, key, nonce, aad, plaintext) {
    checkAeadInput(alg, key, nonce);
    checkBytes('AEAD associated data', aad);
    checkBytes('AEAD plaintext', plaintext);
    const c = createCipheriv(nodeCipherName(alg) as 'aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
    c.setAAD(aad);
    const body = c.update(plaintext);
    const final = c.final();
    const out = new Uint8Array(body.length + final.length + TAG_LENGTH);
    out.set(body, 0);
    out.set(final, body.length);
    out.set(c.getAuthTag(), body.length + final.length);
    return Promise.resolve(out);
  },
  aeadOpen(alg, key, nonce, aad, sealed) {
    checkAeadInput(alg, key, nonce);
    checkBytes('AEAD associated data', aad);
    checkBytes('AEAD ciphertext', sealed);
    if (sealed.length < TAG_LENGTH) return Promise.reject(new CryptoError('crypto.decrypt_failed', 'authentication failed'));
    try {
      const d = createDecipheriv(nodeCipherName(alg) as 'aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
      d.setAAD(aad);
      d.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
      const body = d.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
      const final = d.final();
      const out = new Uint8Array(body.length + final.length);
      out.set(body, 0);
      out.set(final, body.length);
      return Promise.resolve(out);
    } catch (cause) {
      return Promise.reject(new CryptoError('crypto.decrypt_failed', 'authentication failed', { cause }));
    }
  },

  x25519PublicKey(privateKey) {
    checkLength('X25519 private key', privateKey, 32);
    return Promise.resolve(publicBytes(okpPrivate('X25519', privateKey)));
  },
  x25519(privateKey, publicKey) {
    checkLength('X25519 private key', privateKey, 32);
    checkLength('X25519 public key', publicKey, 32);
    try {
      return Promise.resolve(u8(diffieHellman({ privateKey: okpPrivate('X25519', privateKey), publicKey: okpPublic('X25519', publicKey) })));
    } catch (cause) {
      // OpenSSL refuses an all-zero shared secret (a low-order public key).
      return Promise.reject(new CryptoError('crypto.invalid_key', 'X25519 public key rejected', { cause }));
    }
  },

  ed25519PublicKey(seed) {
    checkLength('Ed25519 seed', seed, 32);
    return Promise.resolve(publicBytes(okpPrivate('Ed25519', seed)));
  },
  ed25519Sign(seed, message) {
    checkLength('Ed25519 seed', seed, 32);
    checkBytes('Ed25519 message', message);
    return Promise.resolve(u8(sign(null, message, okpPrivate('Ed25519', seed))));
  },
  ed25519Verify(publicKey, message, signature) {
    if (!(publicKey instanceof Uint8Array) || !(signature instanceof Uint8Array) || !(message instanceof Uint8Array)) return Promise.resolve(false);
    if (publicKey.length !== 32 || signature.length !== 64) return Promise.resolve(false);
    try {
      return Promise.resolve(verify(null, message, okpPublic('Ed25519', publicKey), signature));
    } catch {
      return Promise.resolve(false);
    }
  },
  ...noblePostQuantum,
};
