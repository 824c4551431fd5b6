// Reading the audit log in the browser against this device's own log view (session.log, pinned at enrollment and
// remembered in IndexedDB). src/client/audit-queries.ts does the same for the CLI but reaches the key-file config
// (node:fs) through audit.ts, so the browser composes the same pure pieces: the signed checkpoint, accepted by the
// view (consistent with the last one), and each entry's RFC 9162 inclusion proof under it.
import { DecodeError, LogError } from '../../../src/errors.ts';
import { fetchCheckpoint, fetchEntryPage, fetchEntryProof, type ServedEntry, type SignedCheckpoint } from '../../../src/client/audit-wire.ts';
import type { Session } from '../../../src/client/session.ts';
import { decodeLogEntry, type LogEntry } from '../../../src/log/events.ts';
import { leafHash } from '../../../src/log/merkle.ts';
import { verifyInclusion } from '../../../src/log/proofs.ts';

export interface ListedEntry {
  readonly index: number;
  /** null for an entry of a newer format than this client reads: its bytes are still proven on demand. */
  readonly entry: LogEntry | null;
  readonly appendedAt: number;
}

export interface LogTail {
  readonly head: SignedCheckpoint;
  readonly entries: readonly ListedEntry[];
}

function decodedOrNull(leaf: Uint8Array): LogEntry | null {
  try {
    return decodeLogEntry(leaf);
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
}

/** The node's latest checkpoint, accepted by the device's view: consistent with every one it accepted before. */
async function acceptedHead(s: Session): Promise<SignedCheckpoint> {
  const head = await fetchCheckpoint(s);
  await s.log.accept(head.checkpoint, head.note);
  return head;
}

/** The last `count` entries below the latest accepted checkpoint, as the node serves them (each provable). */
export async function lastEntries(s: Session, count: number): Promise<LogTail> {
  const head = await acceptedHead(s);
  const from = Math.max(0, head.checkpoint.size - count);
  const page: ServedEntry[] = head.checkpoint.size === 0 ? [] : await fetchEntryPage(s, from, head.checkpoint.size - from);
  const entries = page.filter((e) => e.index >= from && e.index < head.checkpoint.size).map((e) => ({ index: e.index, entry: decodedOrNull(e.leaf), appendedAt: e.appendedAt }));
  return { head, entries };
}

/**
 * Entry `index` proven included in the tree of the latest checkpoint the device's view accepted; `log.bad_proof` if
 * the proof does not reach the signed root.
 */
export async function proveInclusion(s: Session, index: number): Promise<{ readonly size: number; readonly entry: LogEntry | null }> {
  const head = await acceptedHead(s);
  const size = head.checkpoint.size;
  if (index >= size) throw new LogError('log.out_of_range', `entry ${index} is beyond the latest checkpoint, which covers ${size} entries`);
  const { entry, proof } = await fetchEntryProof(s, index, size);
  verifyInclusion(s.p, { leafIndex: index, treeSize: size, leafHash: leafHash(s.p, entry.leaf), root: head.checkpoint.root, proof });
  return { size, entry: decodedOrNull(entry.leaf) };
}
