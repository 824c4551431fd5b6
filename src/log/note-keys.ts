// The keys that sign notes (C2SP signed-note, as Go's golang.org/x/mod/sumdb/note implements it): key names, the
// signature type bytes, 32-bit key IDs, verifier-key text ("name+keyid+base64(type ‖ key)") and what each type signs.
import { concatBytes, fromBase64, toBase64, utf8 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { LogError } from '../errors.ts';

/** C2SP signed-note "Signature types": 0x01 is Ed25519; 0xff is for types it has not assigned, then an identifier. */
export const NoteSignatureType = {
  ed25519: 0x01,
  unassigned: 0xff,
} as const;

/**
 * Chancery's ML-DSA-65 note signatures: type 0xff followed by this identifier and a 0x00, and the same identifier
 * with a 0x00 as the label in front of the note text it signs (FIPS 204 ML-DSA.Sign, empty context).
 * C2SP's own 0x06 is ML-DSA-44 over a binary cosignature message, a different scheme, so it is not reused.
 */
export const ML_DSA_65_NOTE_ID = 'chancery/ml-dsa-65-note/v1';

export type NoteKeyKind = 'ed25519' | 'ml-dsa-65';

/** A public key that signs notes: its kind, key name and key ID (the pair that names it in a signature line). */
export interface NoteKey {
  readonly kind: NoteKeyKind;
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
}

const SEPARATOR = Uint8Array.of(0x00);
const TYPE_BYTES: Readonly<Record<NoteKeyKind, Uint8Array>> = {
  ed25519: Uint8Array.of(NoteSignatureType.ed25519),
  'ml-dsa-65': concatBytes(Uint8Array.of(NoteSignatureType.unassigned), utf8(ML_DSA_65_NOTE_ID), SEPARATOR),
};
const PUBLIC_KEY_LENGTH: Readonly<Record<NoteKeyKind, number>> = { ed25519: 32, 'ml-dsa-65': 1952 };
/** Signature lengths (RFC 8032 §5.1.6; FIPS 204 Table 2). */
const NOTE_SIGNATURE_LENGTH: Readonly<Record<NoteKeyKind, number>> = { ed25519: 64, 'ml-dsa-65': 3309 };
const MAX_NAME_LENGTH = 255;
const MAX_VERIFIER_KEY_LENGTH = 4096;
const ML_DSA_LABEL = concatBytes(utf8(ML_DSA_65_NOTE_ID), SEPARATOR);

/**
 * C2SP signed-note: a key name is non-empty and has no Unicode space and no '+' (Go's `unicode.IsSpace`, which
 * also counts U+0085). Chancery also caps it at 255 characters and refuses lone surrogates (not UTF-8).
 */
export function isValidKeyName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_NAME_LENGTH && !/[\s\u0085+]|\p{Cs}/u.test(name);
}

/** The 4-byte big-endian key ID as a number: SHA-256(name ‖ 0x0A ‖ type bytes ‖ public key)[:4]. */
function computeKeyId(p: CryptoProvider, kind: NoteKeyKind, name: string, publicKey: Uint8Array): number {
  const h = p.sha256(concatBytes(utf8(`${name}\n`), TYPE_BYTES[kind], publicKey));
  return readUint32(h, 0);
}

/** Big-endian uint32 at `offset` (always non-negative, unlike `<<`). */
export function readUint32(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! * 0x1000000 + bytes[offset + 1]! * 0x10000 + bytes[offset + 2]! * 0x100 + bytes[offset + 3]!;
}

/** The 4 big-endian bytes of a key ID. */
export function keyIdBytes(keyId: number): Uint8Array {
  return Uint8Array.of(Math.floor(keyId / 0x1000000) % 256, Math.floor(keyId / 0x10000) % 256, Math.floor(keyId / 0x100) % 256, keyId % 256);
}

/**
 * A note key from its kind, name and public key; the key ID is derived as C2SP signed-note recommends.
 * Throws `LogError('log.bad_key')` for an invalid name or a public key of the wrong length.
 *
 * @example
 * ```ts
 * const key = noteKey(p, 'ed25519', 'chancery.example/log', nodeKey.public.ed25519);
 * ```
 */
export function noteKey(p: CryptoProvider, kind: NoteKeyKind, name: string, publicKey: Uint8Array): NoteKey {
  if (!isValidKeyName(name)) throw new LogError('log.bad_key', 'invalid key name');
  if (PUBLIC_KEY_LENGTH[kind] === undefined) throw new LogError('log.bad_key', 'unknown note key kind');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_LENGTH[kind]) {
    throw new LogError('log.bad_key', `${kind} public key must be ${PUBLIC_KEY_LENGTH[kind]} bytes`);
  }
  return { kind, name, keyId: computeKeyId(p, kind, name, publicKey), publicKey: publicKey.slice() };
}

/**
 * The verifier-key text of Go's sumdb/note (`NewVerifier`): `name+<8 hex digits>+base64(type bytes ‖ public key)`.
 *
 * @example
 * ```ts
 * formatVerifierKey(key); // 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'
 * ```
 */
export function formatVerifierKey(key: NoteKey): string {
  const id = key.keyId.toString(16).padStart(8, '0');
  return `${key.name}+${id}+${toBase64(concatBytes(TYPE_BYTES[key.kind], key.publicKey))}`;
}

/**
 * Parses a verifier key strictly: a valid name, exactly 8 lower-case hex digits that equal the derived key ID,
 * canonical base64, a known type and an exact key length. Anything else is `LogError('log.bad_key')`.
 *
 * @example
 * ```ts
 * const peter = parseVerifierKey(p, 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
 * ```
 */
export function parseVerifierKey(p: CryptoProvider, text: string): NoteKey {
  if (typeof text !== 'string' || text.length > MAX_VERIFIER_KEY_LENGTH) throw new LogError('log.bad_key', 'verifier key too long');
  // The name holds no '+', so the first two '+' delimit it and the key ID; base64 may contain more.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new LogError('log.bad_key', 'a verifier key is name+keyid+key');
  const name = text.slice(0, first);
  const id = text.slice(first + 1, second);
  if (!/^[0-9a-f]{8}$/.test(id)) throw new LogError('log.bad_key', 'the key ID must be 8 lower-case hex digits');
  let material: Uint8Array;
  try {
    material = fromBase64(text.slice(second + 1));
  } catch (cause) {
    throw new LogError('log.bad_key', 'the key is not canonical base64', { cause });
  }
  const kind = (Object.keys(TYPE_BYTES) as NoteKeyKind[]).find((k) => startsWith(material, TYPE_BYTES[k]));
  if (kind === undefined) throw new LogError('log.bad_key', 'unknown signature type');
  const key = noteKey(p, kind, name, material.subarray(TYPE_BYTES[kind].length));
  if (key.keyId !== parseInt(id, 16)) throw new LogError('log.bad_key', 'the key ID does not match the key');
  return key;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** The bytes a key of `kind` signs for note text `text`: the text itself for Ed25519, labelled for ML-DSA-65. */
function signedNoteMessage(kind: NoteKeyKind, text: Uint8Array): Uint8Array {
  return kind === 'ed25519' ? text : concatBytes(ML_DSA_LABEL, text);
}

/** Whether `signature` by `key` over note text `text` verifies. False, never a throw, for any malformed input. */
export async function verifyNoteSignature(p: CryptoProvider, key: NoteKey, text: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (signature.length !== NOTE_SIGNATURE_LENGTH[key.kind]) return false;
  const message = signedNoteMessage(key.kind, text);
  try {
    if (key.kind === 'ed25519') return await p.ed25519Verify(key.publicKey, message, signature);
    return p.mlDsa65Verify(key.publicKey, message, signature);
  } catch {
    return false; // a library's own refusal of its input is a failed verification, not a crash
  }
}

/** A note key with its secret: the 32-byte Ed25519 seed, or the 4032-byte ML-DSA-65 secret key. */
export interface NoteSigner {
  readonly key: NoteKey;
  readonly secret: Uint8Array;
}

/** Signs note text `text` with `signer` (Ed25519 over the text, RFC 8032; ML-DSA-65 over the labelled text). */
export async function signNoteText(p: CryptoProvider, signer: NoteSigner, text: Uint8Array): Promise<Uint8Array> {
  const message = signedNoteMessage(signer.key.kind, text);
  return signer.key.kind === 'ed25519' ? p.ed25519Sign(signer.secret, message) : p.mlDsa65Sign(signer.secret, message);
}
