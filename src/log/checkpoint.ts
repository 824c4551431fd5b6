// Signed tree heads of the audit log: C2SP tlog-checkpoint text (origin, tree size, base64 root, extension lines)
// in a C2SP signed note carrying an Ed25519 signature that Go's sumdb/note verifies as it is, and an ML-DSA-65
// signature under its own key name that such verifiers ignore. Chancery's policy requires both.
import { equalBytes, fromBase64, toBase64 } from '../bytes.ts';
import type { HybridPublicKey, HybridSigningKey } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { LogError } from '../errors.ts';
import { HASH_LENGTH, emptyRoot } from './merkle.ts';
import { noteKey, type NoteKey } from './note-keys.ts';
import { hasControl, parseNote, signNote, verifyNote } from './note.ts';
import { verifyConsistency } from './proofs.ts';

/**
 * A tree head: the log's origin, its size and root hash (RFC 9162 §2.1.1 MTH), when it was signed, and opaque
 * extension lines.
 * - `time`: Unix milliseconds at signing, carried as the first extension line `time <ms>`, absent on checkpoints
 *   signed without one. It is what lets a client bound how old its view of the log is (issue 4: senders trust key
 *   records only from a view no older than a configured bound): a tree size alone cannot tell an idle log from an
 *   old checkpoint replayed. Standard verifiers sign and check it as any other line of the note text.
 * - `extensions`: the other extension lines, in order.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly time?: number;
  readonly extensions: readonly string[];
}

const TIME_LINE = /^time (0|[1-9][0-9]{0,15})$/;

/** Caps on checkpoint text beyond the note's own (`NoteLimits`). */
export const CheckpointLimits = {
  maxTextLength: 4096,
  maxExtensions: 8,
} as const;

/** The key names a log signs under: Ed25519 under the origin (C2SP tlog-checkpoint: SHOULD match), ML-DSA-65 beside it. */
export interface CheckpointKeyNames {
  readonly ed25519: string;
  readonly mlDsa65: string;
}

/** What a verifier pins for one log: its origin and both of its note keys. */
export interface CheckpointPolicy {
  readonly origin: string;
  readonly ed25519: NoteKey;
  readonly mlDsa65: NoteKey;
}

function bad(message: string): LogError {
  return new LogError('log.bad_checkpoint', `checkpoint: ${message}`);
}

/**
 * The default key names for a log's origin: the origin itself, and the origin with `/ml-dsa-65` appended.
 *
 * @example
 * ```ts
 * checkpointKeyNames('chancery.example/log'); // { ed25519: 'chancery.example/log', mlDsa65: 'chancery.example/log/ml-dsa-65' }
 * ```
 */
export function checkpointKeyNames(origin: string): CheckpointKeyNames {
  return { ed25519: origin, mlDsa65: `${origin}/ml-dsa-65` };
}

/**
 * The note text of a checkpoint (C2SP tlog-checkpoint "Note text"), each line ending in a newline.
 *
 * @example
 * ```ts
 * formatCheckpoint({ origin: 'chancery.example/log', size: 8, root, extensions: [] });
 * ```
 */
export function formatCheckpoint(c: Checkpoint): string {
  const time = c.time === undefined ? [] : [`time ${c.time}`];
  const text = [c.origin, String(c.size), toBase64(c.root), ...time, ...c.extensions].map((l) => `${l}\n`).join('');
  let parsed: Checkpoint;
  try {
    parsed = parseCheckpoint(text);
  } catch (cause) {
    throw new RangeError('invalid checkpoint', { cause });
  }
  // A newline inside a field would parse back as other lines: nothing is signed that reads back differently.
  if (!equalCheckpoints(parsed, c)) throw new RangeError('invalid checkpoint: a field does not read back as itself');
  return text;
}

function equalCheckpoints(a: Checkpoint, b: Checkpoint): boolean {
  return a.origin === b.origin && a.size === b.size && equalBytes(a.root, b.root) && a.time === b.time && a.extensions.length === b.extensions.length &&
    a.extensions.every((line, i) => line === b.extensions[i]);
}

/**
 * Parses checkpoint note text strictly (C2SP tlog-checkpoint): at least three non-empty lines; a non-empty origin;
 * the size in decimal without leading zeroes, at most 2^53 − 1; the root as canonical base64 of 32 bytes; then
 * non-empty extension lines. Anything else, or text over `CheckpointLimits`, is `LogError('log.bad_checkpoint')`.
 *
 * @example
 * ```ts
 * const { origin, size, root } = parseCheckpoint(parseNote(bytes).text);
 * ```
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || text.length > CheckpointLimits.maxTextLength) throw bad('text too large');
  if (!text.endsWith('\n')) throw bad('text must end in a newline');
  if (hasControl(text) || /\p{Cs}/u.test(text)) throw bad('control character or lone surrogate');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeLine, rootLine, ...rest] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) throw bad('needs origin, size and root lines');
  if (lines.some((l) => l.length === 0)) throw bad('empty line');
  if (rest.length > CheckpointLimits.maxExtensions) throw bad('too many extension lines');
  const timeMatch = rest[0] === undefined ? null : TIME_LINE.exec(rest[0]);
  const extensions = timeMatch ? rest.slice(1) : rest;
  // One reading only: a time line anywhere else is an error, not an opaque extension a reader might take as the time.
  if (extensions.some((l) => l.startsWith('time '))) throw bad('a time line other than the first extension line');
  const time = timeMatch ? Number(timeMatch[1]) : undefined;
  if (time !== undefined && !Number.isSafeInteger(time)) throw bad('time is not a decimal below 2^53');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) throw bad('tree size is not a decimal below 2^53');
  let root: Uint8Array;
  try {
    root = fromBase64(rootLine);
  } catch {
    throw bad('root hash is not canonical base64');
  }
  if (root.length !== HASH_LENGTH) throw bad('root hash is not 32 bytes');
  return time === undefined ? { origin, size: Number(sizeLine), root, extensions } : { origin, size: Number(sizeLine), root, time, extensions };
}

/**
 * The verifier's policy for one log: the origin it expects and the log's hybrid public key as two note keys.
 * Throws `LogError('log.bad_key')` for key names that are not valid.
 *
 * @example
 * ```ts
 * const policy = checkpointPolicy(p, 'chancery.example/log', nodeLogKey);
 * ```
 */
export function checkpointPolicy(
  p: CryptoProvider,
  origin: string,
  publicKey: HybridPublicKey,
  names: CheckpointKeyNames = checkpointKeyNames(origin),
): CheckpointPolicy {
  return {
    origin,
    ed25519: noteKey(p, 'ed25519', names.ed25519, publicKey.ed25519),
    mlDsa65: noteKey(p, 'ml-dsa-65', names.mlDsa65, publicKey.mlDsa65),
  };
}

/**
 * Signs a checkpoint with both halves of the log's hybrid key: the Ed25519 line first (what Go's sumdb/note and
 * witnesses check), then the ML-DSA-65 line. Returns the signed note's bytes.
 *
 * @example
 * ```ts
 * const note = await signCheckpoint(p, { origin, size: tree.size, root: tree.root(), extensions: [] }, logKey);
 * ```
 */
export async function signCheckpoint(
  p: CryptoProvider,
  checkpoint: Checkpoint,
  key: HybridSigningKey,
  names: CheckpointKeyNames = checkpointKeyNames(checkpoint.origin),
): Promise<Uint8Array> {
  const text = formatCheckpoint(checkpoint);
  let policy: CheckpointPolicy;
  try {
    policy = checkpointPolicy(p, checkpoint.origin, key.public, names);
  } catch (cause) {
    throw new RangeError('invalid checkpoint key names or keys', { cause });
  }
  return signNote(p, text, [
    { key: policy.ed25519, secret: key.secret.ed25519Seed },
    { key: policy.mlDsa65, secret: key.secret.mlDsa65Secret },
  ]);
}

/**
 * Parses and verifies a signed checkpoint under `policy`: the origin must be the pinned one, the Ed25519 AND the
 * ML-DSA-65 signature of the log's keys must both be present and verify (signatures of other keys, such as
 * witnesses', are ignored), and an empty tree must have the empty root. Failures are `LogError` with
 * `log.bad_checkpoint` (malformed, wrong origin) or `log.bad_signature` (a signature missing or wrong).
 *
 * @example
 * ```ts
 * const checkpoint = await openCheckpoint(p, bytes, policy);
 * ```
 */
export async function openCheckpoint(p: CryptoProvider, bytes: Uint8Array, policy: CheckpointPolicy): Promise<Checkpoint> {
  const note = parseNote(bytes);
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== policy.origin) throw bad('not the expected origin');
  if (checkpoint.size === 0 && !equalBytes(checkpoint.root, emptyRoot(p))) throw bad('an empty tree with a non-empty root');
  const { verified } = await verifyNote(p, note, [policy.ed25519, policy.mlDsa65]);
  for (const key of [policy.ed25519, policy.mlDsa65]) {
    if (!verified.includes(key)) throw new LogError('log.bad_signature', `checkpoint: no ${key.kind} signature by ${key.name}`);
  }
  return checkpoint;
}

/**
 * Checks that `newer` extends `older` (both opened under one policy) with a consistency proof (RFC 9162 §2.1.4.2).
 * A smaller newer tree, or a proof that does not reconcile the roots, is `LogError('log.inconsistent')`: evidence,
 * with the two signed checkpoints, that the log showed two histories.
 *
 * @example
 * ```ts
 * verifyCheckpointConsistency(p, lastSeen, latest, proof);
 * ```
 */
export function verifyCheckpointConsistency(p: CryptoProvider, older: Checkpoint, newer: Checkpoint, proof: readonly Uint8Array[]): void {
  if (older.origin !== newer.origin) throw bad('two different origins');
  if (newer.size < older.size) throw new LogError('log.inconsistent', 'the newer checkpoint has a smaller tree');
  if (older.size === 0) {
    // Every tree extends the empty one; RFC 9162 defines no proof for it, so none may be sent.
    if (proof.length !== 0) throw new LogError('log.bad_proof', 'a proof from the empty tree must be empty');
    return;
  }
  verifyConsistency(p, { size1: older.size, size2: newer.size, root1: older.root, root2: newer.root, proof });
}
