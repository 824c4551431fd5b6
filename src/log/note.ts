// Signed notes (C2SP signed-note; Go's golang.org/x/mod/sumdb/note): text ending in a newline, a blank line, then
// one line per signature, `— <key name> <base64(4-byte key ID ‖ signature)>`. Parsed strictly, with size caps.
import { concatBytes, fromBase64, fromUtf8, toBase64, utf8 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { LogError } from '../errors.ts';
import { isValidKeyName, keyIdBytes, readUint32, signNoteText, verifyNoteSignature, type NoteKey, type NoteSigner } from './note-keys.ts';

/**
 * Caps on what `parseNote` reads. C2SP signed-note: verifiers MUST accept at least 16 signatures, and
 * post-quantum ones are up to ~5 kB each (an ML-DSA-65 line is ~4.5 kB).
 */
export const NoteLimits = {
  maxBytes: 256 * 1024,
  maxSignatures: 32,
} as const;

/** One signature line: the key name and key ID it claims, and the signature bytes after the key ID. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

/** A note as parsed, nothing verified: the text (with its final newline) and its signature lines, in order. */
export interface ParsedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A note whose signatures from known keys all verified (at least one did). */
export interface OpenedNote {
  readonly text: string;
  readonly verified: readonly NoteKey[];
  /** Signatures by keys the caller did not name: ignored, as C2SP signed-note requires. */
  readonly unverified: readonly NoteSignature[];
}

const DASH = '\u2014 ';

function malformed(message: string, cause?: unknown): LogError {
  return new LogError('log.bad_checkpoint', `malformed note: ${message}`, cause === undefined ? undefined : { cause });
}

/** True when `text` has a control character other than newline (C2SP signed-note forbids them). */
export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

/**
 * Parses a signed note without verifying it. The text is everything up to and including the newline before the
 * last blank line; each later line must be a well-formed signature line. Refused (`LogError('log.bad_checkpoint')`):
 * invalid UTF-8, control characters, a missing blank line or final newline, a bad key name, non-canonical base64,
 * a signature under 1 byte, two lines with one key name and ID, and anything over `NoteLimits`.
 *
 * @example
 * ```ts
 * const { text, signatures } = parseNote(bytes);
 * ```
 */
export function parseNote(bytes: Uint8Array): ParsedNote {
  if (!(bytes instanceof Uint8Array)) throw malformed('not bytes');
  if (bytes.length > NoteLimits.maxBytes) throw malformed('too large');
  let message: string;
  try {
    message = fromUtf8(bytes);
  } catch (cause) {
    throw malformed('not UTF-8', cause);
  }
  if (hasControl(message)) throw malformed('control character');
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('the signatures must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > NoteLimits.maxSignatures) throw malformed('too many signatures');
  const seen = new Set<string>();
  const signatures = lines.map((line) => {
    const sig = parseSignatureLine(line);
    const id = `${sig.keyId} ${sig.name}`;
    if (seen.has(id)) throw malformed('two signatures by one key');
    seen.add(id);
    return sig;
  });
  return { text, signatures };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(DASH)) throw malformed('a signature line must start with an em dash and a space');
  const rest = line.slice(DASH.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw malformed('a signature line is a key name, a space and base64');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  let raw: Uint8Array;
  try {
    raw = fromBase64(rest.slice(space + 1));
  } catch (cause) {
    throw malformed('signature is not canonical base64', cause);
  }
  if (raw.length < 5) throw malformed('signature too short');
  return { name, keyId: readUint32(raw, 0), signature: raw.slice(4) };
}

/**
 * Checks a parsed note's signatures against `known` keys (C2SP signed-note "Signatures"): a line whose name and key
 * ID match a known key must verify, or the whole note is refused; lines of other keys are ignored; at least one
 * known key must have signed. Failures are `LogError('log.bad_signature')`.
 *
 * @example
 * ```ts
 * const { verified } = await verifyNote(p, parseNote(bytes), [logKey]);
 * ```
 */
export async function verifyNote(p: CryptoProvider, note: ParsedNote, known: readonly NoteKey[]): Promise<OpenedNote> {
  const text = utf8(note.text);
  const verified: NoteKey[] = [];
  const unverified: NoteSignature[] = [];
  for (const sig of note.signatures) {
    const matches = known.filter((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (matches.length > 1) throw new LogError('log.bad_key', 'two known keys share a key name and ID');
    const key = matches[0];
    if (key === undefined) {
      unverified.push(sig);
      continue;
    }
    if (!(await verifyNoteSignature(p, key, text, sig.signature))) {
      throw new LogError('log.bad_signature', `the ${key.kind} signature of ${key.name} does not verify`);
    }
    verified.push(key);
  }
  if (verified.length === 0) throw new LogError('log.bad_signature', 'no signature by a known key');
  return { text: note.text, verified, unverified };
}

/**
 * `parseNote` then `verifyNote`: Go's `note.Open`, stricter in parsing.
 *
 * @example
 * ```ts
 * const opened = await openNote(p, bytes, [parseVerifierKey(p, vkey)]);
 * ```
 */
export async function openNote(p: CryptoProvider, bytes: Uint8Array, known: readonly NoteKey[]): Promise<OpenedNote> {
  return verifyNote(p, parseNote(bytes), known);
}

/**
 * Signs note text with each signer, in order, and returns the note's bytes (Go's `note.Sign` of a fresh note).
 * The text must end in a newline and be what `parseNote` would give back; a bad text or signer set is the
 * caller's bug (`RangeError`).
 *
 * @example
 * ```ts
 * const note = await signNote(p, 'hello\n', [{ key, secret: seed }]);
 * ```
 */
export async function signNote(p: CryptoProvider, text: string, signers: readonly NoteSigner[]): Promise<Uint8Array> {
  if (typeof text !== 'string' || !text.endsWith('\n') || hasControl(text) || /\p{Cs}/u.test(text)) {
    throw new RangeError('note text must be UTF-8 without control characters and end in a newline');
  }
  if (signers.length === 0 || signers.length > NoteLimits.maxSignatures) throw new RangeError('a note needs 1 to 32 signers');
  const ids = new Set(signers.map((s) => `${s.key.keyId} ${s.key.name}`));
  if (ids.size !== signers.length) throw new RangeError('two signers with one key name and ID');
  const textBytes = utf8(text);
  const lines: string[] = [];
  for (const signer of signers) {
    if (!isValidKeyName(signer.key.name)) throw new RangeError('invalid key name');
    const signature = await signNoteText(p, signer, textBytes);
    lines.push(`${DASH}${signer.key.name} ${toBase64(concatBytes(keyIdBytes(signer.key.keyId), signature))}\n`);
  }
  const note = utf8(`${text}\n${lines.join('')}`);
  if (note.length > NoteLimits.maxBytes) throw new RangeError('note too large');
  return note;
}
