// Input checks at the provider edge (STYLE.md: TypeError for a wrong type, RangeError for a wrong length).
import type { AeadAlgorithm } from './provider.ts';

const AEAD_KEY_LENGTH: Record<AeadAlgorithm, number> = {
  'aes-128-gcm': 16,
  'aes-256-gcm': 32,
  'chacha20-poly1305': 32,
};

/** Throws TypeError unless `value` is a Uint8Array, RangeError unless it has `length` bytes. */
export function checkLength(what: string, value: Uint8Array, length: number): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  if (value.length !== length) throw new RangeError(`${what} must be ${length} bytes, got ${value.length}`);
}

/** Key and nonce lengths of the AEADs (RFC 9180 §7.3: Nk, Nn). */
export function checkAeadInput(alg: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array): void {
  const keyLength = AEAD_KEY_LENGTH[alg];
  if (keyLength === undefined) throw new TypeError(`unknown AEAD ${String(alg)}`);
  checkLength(`${alg} key`, key, keyLength);
  checkLength(`${alg} nonce`, nonce, 12);
}

/** Throws TypeError unless `value` is a Uint8Array (of any length): a string or DataView must not be hashed as bytes. */
export function checkBytes(what: string, value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
}

/** RFC 5869 §2.3 with SHA-256: PRK of at least HashLen bytes, 0 <= L <= 255·HashLen; RangeError otherwise. */
export function checkHkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): void {
  checkBytes('HKDF PRK', prk);
  checkBytes('HKDF info', info);
  if (prk.length < 32) throw new RangeError('HKDF-Expand: PRK must be at least 32 bytes');
  if (!Number.isSafeInteger(length) || length < 0 || length > 255 * 32) {
    throw new RangeError('HKDF-Expand: length must be an integer from 0 to 8160');
  }
}
