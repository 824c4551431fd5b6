// The audit log as an auditor fetches it (issue 4 "CLI"; docs/node.md "The audit log": API): the latest signed
// checkpoint, entries in index order with the personal details beside them (security officers), one entry with its
// inclusion proof, and consistency proofs. Every answer is parsed and capped before use (STYLE.md "Parse, don't
// cast"); nothing here is believed yet — src/client/audit.ts and audit-queries.ts hold it against signed
// checkpoints.
import { fromUtf8, utf8 } from '../bytes.ts';
import { DecodeError, LogError } from '../errors.ts';
import { openCheckpoint, type Checkpoint } from '../log/checkpoint.ts';
import { checkDetails, type PersonalDetails } from '../log/personal-details.ts';
import type { LogEntry } from '../log/events.ts';
import { NoteLimits } from '../log/note.ts';
import { RemoteError } from './http.ts';
import { noteText, proofOf } from './log-view.ts';
import type { Session } from './session.ts';
import { base64Of, fieldsOf, listIn, valueIn, type Fields } from './wire.ts';

/** A checkpoint opened under the pinned log key, with the signed note it came in. */
export interface SignedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: string;
}

/** The personal details kept beside a leaf, and the salt of its commitment (docs/log.md "Personal details"). */
export interface ServedDetails {
  readonly details: PersonalDetails;
  readonly salt: Uint8Array;
}

/** An entry as the node serves it: nothing in it is checked against the tree yet. */
export interface ServedEntry {
  readonly index: number;
  readonly leaf: Uint8Array;
  /** When the node says it appended the entry (Unix ms): not in the leaf, so not evidence. */
  readonly appendedAt: number;
  /** null: the entry has none, or they were erased. */
  readonly details: ServedDetails | null;
}

/** Entries asked for per page; the node caps a page at 1,000 (StoreLimits.logPageMax). */
export const AUDIT_PAGE = 500;
const MAX_PAGE_ITEMS = 1000;
/**
 * Larger than any entry a node writes (MAX_LOG_ENTRY_BYTES, 64 KiB), so a leaf rewritten into something larger is
 * still hashed and reported at its index rather than failing the whole page.
 */
const MAX_SERVED_LEAF = 1024 * 1024;
const TIMEOUT_MS = 30_000;

/** Opens a signed note under the node's pinned log key: both signatures, the pinned origin. */
export function openSigned(s: Session, note: string): Promise<Checkpoint> {
  return openCheckpoint(s.p, utf8(note), s.node.log.policy);
}

/**
 * The node's latest checkpoint (`GET /api/v1/log/checkpoint`, the signed note as text), opened under the pinned log
 * key: `log.bad_signature` or `log.bad_checkpoint` if it does not verify, `log.out_of_range` if the node has none.
 */
export async function fetchCheckpoint(s: Session): Promise<SignedCheckpoint> {
  const note = await fetchCheckpointText(s.http.url, `the node at ${s.http.url}`);
  return { checkpoint: await openSigned(s, note), note };
}

/**
 * `GET /api/v1/log/checkpoint` of the node at `url` as note text, not yet verified: an anonymous, plain-text route,
 * so not through the JSON client. `log.out_of_range` when the node has signed nothing yet; an oversized or non-UTF-8
 * answer is `encoding.*`.
 */
export async function fetchCheckpointText(url: string, what = new URL(url).origin): Promise<string> {
  const target = new URL('/api/v1/log/checkpoint', url).toString();
  let res: Response;
  try {
    res = await fetch(target, { headers: { accept: 'text/plain' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (cause) {
    throw new RemoteError('internal', `cannot reach ${what} for its checkpoint`, 0, [], { cause });
  }
  if (Number(res.headers.get('content-length') ?? 0) > NoteLimits.maxBytes) {
    await res.body?.cancel();
    throw new DecodeError('encoding.too_large', 'the checkpoint is too large');
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.status === 404) throw new LogError('log.out_of_range', 'the node has no signed checkpoint yet');
  if (!res.ok) throw new RemoteError('internal', `the node answered HTTP ${res.status} for its checkpoint`, res.status);
  if (bytes.length > NoteLimits.maxBytes) throw new DecodeError('encoding.too_large', 'the checkpoint is too large');
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch (cause) {
    throw new DecodeError('encoding.malformed', 'the checkpoint is not UTF-8 text', { cause });
  }
  return noteText(text, 'the checkpoint');
}

function detailsOf(f: Fields): ServedDetails {
  const details: PersonalDetails = {
    ...(f.has('ip') ? { ip: f.token('ip', 64) } : {}),
    ...(f.has('userAgent') ? { userAgent: f.text('userAgent', 512) } : {}),
  };
  return { details, salt: base64Of(f, 'salt', 64) };
}

function entryOf(f: Fields): ServedEntry {
  return {
    index: f.uint('index'),
    leaf: base64Of(f, 'leaf', MAX_SERVED_LEAF),
    appendedAt: f.uint('appendedAt'),
    details: f.has('details') ? detailsOf(f.map('details', ['salt'], ['ip', 'userAgent'])) : null,
  };
}

/** One page of entries from `from` on, at most `count` (security officers: `GET /api/v1/log/entries`). */
export async function fetchEntryPage(s: Session, from: number, count: number): Promise<ServedEntry[]> {
  const body = await s.http.get('/api/v1/log/entries', { from: String(from), count: String(count) });
  fieldsOf('log entries', body, ['size', 'entries']);
  return listIn('log entries', body, 'entries', MAX_PAGE_ITEMS).map((item) => entryOf(fieldsOf('log entry', item, ['index', 'leaf', 'appendedAt'], ['kind', 'details'])));
}

/**
 * Entries `from` … `to` − 1 in index order, fetched a page at a time. An index out of sequence is refused at once
 * (`log.bad_proof`, naming the entry that is missing or repeated); a node that runs out early simply ends the
 * sequence, so the caller compares what it got with the checkpoint.
 */
export async function* servedEntries(s: Session, from: number, to: number): AsyncGenerator<ServedEntry> {
  let next = from;
  while (next < to) {
    const page = await fetchEntryPage(s, next, Math.min(AUDIT_PAGE, to - next));
    if (page.length === 0) return;
    for (const entry of page) {
      if (next >= to) return;
      if (entry.index > next) {
        const after = next === 0 ? 'as its first entry' : `right after entry ${next - 1}`;
        throw new LogError('log.bad_proof', `entry ${next} is missing: the node serves entry ${entry.index} ${after} (a row was removed)`);
      }
      if (entry.index < next) throw new LogError('log.bad_proof', `the node serves entry ${entry.index} again where entry ${next} belongs`);
      yield entry;
      next++;
    }
  }
}

/** An entry with the inclusion proof the node gives for it in the tree of `size` entries, and its note of that size. */
export interface EntryWithProof {
  readonly entry: ServedEntry;
  readonly proof: Uint8Array[];
  readonly note: string | null;
}

/** `GET /api/v1/log/entries/{index}?size=`: the entry and its inclusion proof (checked by the caller). */
export async function fetchEntryProof(s: Session, index: number, size: number): Promise<EntryWithProof> {
  const body = await s.http.get(`/api/v1/log/entries/${index}`, { size: String(size) });
  const f = fieldsOf('log entry', body, ['index', 'leaf', 'appendedAt', 'size', 'proof'], ['kind', 'details', 'checkpoint']);
  const entry = entryOf(f);
  if (entry.index !== index || f.uint('size') !== size) throw new LogError('log.bad_proof', `the node answered another entry or tree size than entry ${index} of ${size}`);
  const note = f.has('checkpoint') ? noteText(valueIn('log entry', body, 'checkpoint'), 'checkpoint') : null;
  return { entry, proof: proofOf('log entry', body, 'proof'), note };
}

/** The node's consistency proof from `from` to `to` entries (`GET /api/v1/log/consistency`). */
export async function fetchConsistencyProof(s: Session, from: number, to: number): Promise<Uint8Array[]> {
  const body = await s.http.get('/api/v1/log/consistency', { from: String(from), to: String(to) });
  const f = fieldsOf('consistency', body, ['from', 'to', 'proof']);
  if (f.uint('from') !== from || f.uint('to') !== to) throw new LogError('log.bad_proof', 'the node answered a consistency proof of other sizes');
  return proofOf('consistency', body, 'proof');
}

/**
 * Whether the personal details served beside an entry are the ones its leaf commits to: `none` when there are none
 * to check (never committed, or erased since, which changes no hash), `opened` when they open the commitment, and
 * `wrong` for details that do not, or details beside an entry that commits to none.
 */
export function checkServedDetails(s: Session, entry: LogEntry, served: ServedEntry): 'none' | 'opened' | 'wrong' {
  if (served.details === null) return 'none';
  if (entry.details === undefined) return 'wrong';
  return checkDetails(s.p, entry.details, served.details.salt, served.details.details) ? 'opened' : 'wrong';
}
