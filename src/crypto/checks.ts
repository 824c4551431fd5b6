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
