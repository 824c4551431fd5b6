// The content layer: keys derived from the content key K, the key commitment, padding to a size bucket and the
// AES-256-GCM encryption of the protected part under the routing header as associated data (envelope step 2).
import { concatBytes, equalBytes, i2osp, wipe } from '../bytes.ts';
import { CryptoError, OpenError } from '../errors.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { LabelBytes, MAX_CONTENT_BYTES, paddedLength } from './format.ts';

export const CONTENT_KEY_LENGTH = 32;
const LENGTH_PREFIX = 4;

/** The keys one content key yields; wipe with `destroyContentKeys` after use. */
export interface ContentKeys {
  readonly encryptionKey: Uint8Array;
  readonly nonce: Uint8Array;
  readonly commitmentKey: Uint8Array;
}

/** HKDF-SHA256 with distinct labels (envelope step 2): the AEAD key, its nonce, and the commitment key. */
export function deriveContentKeys(p: CryptoProvider, contentKey: Uint8Array): ContentKeys {
  if (contentKey.length !== CONTENT_KEY_LENGTH) throw new RangeError('content key must be 32 bytes');
  const prk = p.hkdfExtract(LabelBytes.contentSalt, contentKey);
  const keys = {
    encryptionKey: p.hkdfExpand(prk, LabelBytes.contentKey, 32),
    // K is fresh for every cable and encrypts exactly one message, so a derived nonce never repeats under a key.
    nonce: p.hkdfExpand(prk, LabelBytes.contentNonce, 12),
    commitmentKey: p.hkdfExpand(prk, LabelBytes.commitmentKey, 32),
  };
  wipe(prk);
  return keys;
}

export function destroyContentKeys(k: ContentKeys): void {
  wipe(k.encryptionKey, k.nonce, k.commitmentKey);
}

/** HMAC-SHA256 under the commitment key over the routing-header digest (which contains the cable id). */
export function computeCommitment(p: CryptoProvider, keys: ContentKeys, routingDigest: Uint8Array): Uint8Array {
  return p.hmacSha256(keys.commitmentKey, concatBytes(LabelBytes.commitment, Uint8Array.of(0), routingDigest));
}

/** Constant-time check of a commitment; throws the same coarse OpenError as every other opening failure. */
export function checkCommitment(p: CryptoProvider, keys: ContentKeys, routingDigest: Uint8Array, commitment: Uint8Array): void {
  if (!equalBytes(computeCommitment(p, keys, routingDigest), commitment)) throw new OpenError('open.failed', 'cable could not be opened');
}

/** Length prefix ‖ plaintext ‖ zeros, to the Padmé bucket of the prefixed length. */
export function pad(plaintext: Uint8Array): Uint8Array {
  const size = paddedLength(LENGTH_PREFIX + plaintext.length);
  if (size > MAX_CONTENT_BYTES) throw new RangeError('protected part too large');
  const out = new Uint8Array(size);
  out.set(i2osp(plaintext.length, LENGTH_PREFIX), 0);
  out.set(plaintext, LENGTH_PREFIX);
  return out;
}

/** Inverse of `pad`; refuses a length beyond the buffer, a wrong bucket or non-zero padding. */
export function unpad(padded: Uint8Array): Uint8Array {
  if (padded.length < LENGTH_PREFIX) throw new OpenError('open.failed', 'cable could not be opened');
  const length = ((padded[0]! << 24) >>> 0) + (padded[1]! << 16) + (padded[2]! << 8) + padded[3]!;
  const end = LENGTH_PREFIX + length;
  if (end > padded.length || paddedLength(end) !== padded.length) throw new OpenError('open.failed', 'cable could not be opened');
  for (let i = end; i < padded.length; i++) if (padded[i] !== 0) throw new OpenError('open.failed', 'cable could not be opened');
  return padded.subarray(LENGTH_PREFIX, end);
}

/** Encrypts the padded protected part; the routing header bytes are the associated data. */
export async function encryptContent(p: CryptoProvider, keys: ContentKeys, routing: Uint8Array, protectedBytes: Uint8Array): Promise<Uint8Array> {
  const padded = pad(protectedBytes);
  try {
    return await p.aeadSeal('aes-256-gcm', keys.encryptionKey, keys.nonce, routing, padded);
  } finally {
    wipe(padded);
  }
}

/** Decrypts and unpads; any failure is the one coarse OpenError. */
export async function decryptContent(p: CryptoProvider, keys: ContentKeys, routing: Uint8Array, content: Uint8Array): Promise<Uint8Array> {
  try {
    return unpad(await p.aeadOpen('aes-256-gcm', keys.encryptionKey, keys.nonce, routing, content));
  } catch (cause) {
    if (cause instanceof CryptoError || cause instanceof OpenError) throw new OpenError('open.failed', 'cable could not be opened', { cause });
    throw cause;
  }
}
