// The device's seeds at rest: AES-256-GCM under a key derived from the passkey's PRF output, so reading them needs
// the passkey (and its user verification) every time the app unlocks — a copy of the browser profile holds only
// ciphertext. The wrapping key is a non-extractable WebCrypto key; the PRF output is wiped once it is imported.
import { utf8, wipe } from '../../../src/bytes.ts';

/** HKDF info binding the derived key to its one use. */
const INFO = utf8('chancery/web-device/v1');
const SEED_LENGTH = 32;
const IV_LENGTH = 12;

/** The two seeds sealed: `sealed` = AES-GCM(signing seed ‖ encryption seed), additional data `user/device/node`. */
export interface SealedSeeds {
  readonly iv: Uint8Array;
  readonly sealed: Uint8Array;
}

function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** The wrapping key of one PRF output (32 bytes from the authenticator's hmac-secret); wipes the output. */
export async function wrappingKey(prfOutput: Uint8Array, salt: Uint8Array): Promise<CryptoKey> {
  if (prfOutput.length < 32) throw new Error('the passkey gave a PRF output shorter than 32 bytes');
  try {
    const ikm = await crypto.subtle.importKey('raw', buffer(prfOutput), 'HKDF', false, ['deriveKey']);
    return await crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: buffer(salt), info: buffer(INFO) }, ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  } finally {
    wipe(prfOutput);
  }
}

export async function sealSeeds(key: CryptoKey, signingSeed: Uint8Array, encryptionSeed: Uint8Array, label: string): Promise<SealedSeeds> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH));
  const plain = new Uint8Array(2 * SEED_LENGTH);
  plain.set(signingSeed, 0);
  plain.set(encryptionSeed, SEED_LENGTH);
  try {
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: buffer(utf8(label)) }, key, plain));
    return { iv, sealed };
  } finally {
    wipe(plain);
  }
}

/** The seeds back; throws when the key is not the one they were sealed under (another passkey) or they were altered. */
export async function unsealSeeds(key: CryptoKey, s: SealedSeeds, label: string): Promise<{ signingSeed: Uint8Array; encryptionSeed: Uint8Array }> {
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: buffer(s.iv), additionalData: buffer(utf8(label)) }, key, buffer(s.sealed)));
  } catch {
    throw new Error("this passkey does not unlock this browser's device keys (another passkey, or the stored keys were altered)");
  }
  try {
    if (plain.length !== 2 * SEED_LENGTH) throw new Error('the stored device keys have the wrong length');
    return { signingSeed: plain.slice(0, SEED_LENGTH), encryptionSeed: plain.slice(SEED_LENGTH) };
  } finally {
    wipe(plain);
  }
}
