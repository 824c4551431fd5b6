// A releasing officer's comment on a returned draft (issue 6 "return with a comment"): it may quote the cable, so the
// node never holds it in clear. The officer's device signs it (so the node cannot forge or alter a comment) and seals
// one copy to each device that may read it, with HPKE (the one suite, X-Wing) bound to the draft and that device.
import type { CableId, DeviceId, UserId } from '../cable/types.ts';
import { parseDeviceId, parseUserId } from '../cable/ids.ts';
import { concatBytes, utf8 } from '../bytes.ts';
import { encodeCanonical } from '../encoding/canonical-cbor.ts';
import { decodeVersioned } from '../encoding/fields.ts';
import { CHANCERY_SUITE, hpkeOpen, hpkeSeal } from '../crypto/hpke.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing } from '../crypto/xwing.ts';
import { OpenError, VerificationError } from '../errors.ts';

const NOTE_LABEL = 'chancery/v1 draft-return-note';
const SIGN_LABEL = 'chancery/v1 draft-return';
const VERSION = 1;
const EMPTY = new Uint8Array(0);

/** A comment is at most 16,000 UTF-8 bytes; a sealed note (KEM output, signature, tag and framing) stays under 64 KiB. */
export const MAX_RETURN_COMMENT_BYTES = 16_000;
export const MAX_SEALED_RETURN_NOTE = 64 * 1024;

/** Who wrote a return comment: the releasing officer and the device that signed it. */
export interface ReturnAuthor {
  readonly user: UserId;
  readonly device: DeviceId;
}

/** The device a sealed copy is for. */
export interface NoteRecipient {
  readonly user: UserId;
  readonly device: DeviceId;
}

/** A comment as opened: its text, its author (whose signature is checked by `verifyReturnComment`), and the signature. */
export interface OpenedReturnNote {
  readonly author: ReturnAuthor;
  readonly comment: string;
  readonly signature: Uint8Array;
}

function signedMessage(draft: CableId, author: ReturnAuthor, comment: Uint8Array): Uint8Array {
  return encodeCanonical({ label: SIGN_LABEL, v: VERSION, draft, by: author.user, device: author.device, comment });
}

function noteInfo(draft: CableId, to: NoteRecipient): Uint8Array {
  return encodeCanonical({ label: NOTE_LABEL, v: VERSION, draft, user: to.user, device: to.device });
}

/** The comment's UTF-8 bytes; a RangeError for an empty or oversize comment. */
export function commentBytes(comment: string): Uint8Array {
  const bytes = utf8(comment);
  if (comment.trim().length === 0) throw new RangeError('a return comment is not empty');
  if (bytes.length > MAX_RETURN_COMMENT_BYTES) throw new RangeError(`a return comment is at most ${MAX_RETURN_COMMENT_BYTES} bytes`);
  return bytes;
}

/** The author's signature over the comment, bound to the draft (Ed25519, the device's signing seed). */
export function signReturnComment(p: CryptoProvider, draft: CableId, author: ReturnAuthor, comment: string, signingSeed: Uint8Array): Promise<Uint8Array> {
  return p.ed25519Sign(signingSeed, signedMessage(draft, author, commentBytes(comment)));
}

/**
 * Seals one signed copy of the comment to a device's X-Wing key: `enc ‖ cipherText` (enc is X-Wing's 1,120 bytes).
 *
 * @example
 * const sealed = await sealReturnNote(p, id, author, 'Para 2 quotes a NOFORN source', sig, device.encryptionKey, device);
 */
export async function sealReturnNote(
  p: CryptoProvider, draft: CableId, author: ReturnAuthor, comment: string, signature: Uint8Array, encryptionKey: Uint8Array, to: NoteRecipient,
): Promise<Uint8Array> {
  const plain = encodeCanonical({ v: VERSION, by: author.user, device: author.device, comment: commentBytes(comment), sig: signature });
  const sealed = await hpkeSeal(p, CHANCERY_SUITE, encryptionKey, noteInfo(draft, to), EMPTY, plain);
  return concatBytes(sealed.enc, sealed.cipherText);
}

/** Opens this device's copy; any failure (wrong device, altered bytes, malformed content) is `open.failed`. */
export async function openReturnNote(p: CryptoProvider, draft: CableId, sealed: Uint8Array, encryptionSecret: Uint8Array, to: NoteRecipient): Promise<OpenedReturnNote> {
  if (sealed.length <= XWing.cipherTextLength || sealed.length > MAX_SEALED_RETURN_NOTE) throw new OpenError('open.failed', 'the return comment could not be opened');
  try {
    const enc = sealed.subarray(0, XWing.cipherTextLength);
    const plain = await hpkeOpen(p, CHANCERY_SUITE, encryptionSecret, { enc, cipherText: sealed.subarray(XWing.cipherTextLength) }, noteInfo(draft, to), EMPTY);
    const f = decodeVersioned(plain, MAX_SEALED_RETURN_NOTE, 'return note', VERSION, ['v', 'by', 'device', 'comment', 'sig']);
    const comment = new TextDecoder('utf-8', { fatal: true }).decode(f.bytesUpTo('comment', MAX_RETURN_COMMENT_BYTES));
    return { author: { user: f.id('by', parseUserId), device: f.id('device', parseDeviceId) }, comment, signature: f.bytes('sig', 64) };
  } catch (cause) {
    throw new OpenError('open.failed', 'the return comment could not be opened', { cause });
  }
}

/** Checks the author's signature with their device's verified signing key; `verify.bad_signature` otherwise. */
export async function verifyReturnComment(p: CryptoProvider, draft: CableId, note: OpenedReturnNote, authorSigningKey: Uint8Array): Promise<void> {
  const ok = await p.ed25519Verify(authorSigningKey, signedMessage(draft, note.author, utf8(note.comment)), note.signature);
  if (!ok) throw new VerificationError('verify.bad_signature', 'the return comment is not signed by its author');
}
