// The audit commands that read part of the log (issue 4 "CLI": `chancery audit proof | tail | reads`). Each starts
// from the node's latest checkpoint, verified under the pinned log key and consistent with the last one this
// auditor accepted (a LogView over the auditor's memory), and believes an entry only once it is proven under that
// checkpoint: by its inclusion proof, or by hashing a run of entries up to the checkpoint's root.
import type { CableId } from '../cable/types.ts';
import { equalBytes } from '../bytes.ts';
import { DecodeError, LogError } from '../errors.ts';
import type { Checkpoint } from '../log/checkpoint.ts';
import { decodeLogEntry, type CableRead, type DraftRead, type LogEntry, type ShareReleased } from '../log/events.ts';
import { Frontier, HASH_LENGTH, leafHash, nodeHash, popCount } from '../log/merkle.ts';
import type { PersonalDetails } from '../log/personal-details.ts';
import { verifyInclusion } from '../log/proofs.ts';
import { asLogMemory, type AuditMemory, type AuditProgress } from './audit.ts';
import { checkServedDetails, fetchCheckpoint, fetchEntryProof, servedEntries, type ServedEntry, type SignedCheckpoint } from './audit-wire.ts';
import { LogView } from './log-view.ts';
import type { Session } from './session.ts';

/** An entry proven under a signed checkpoint. */
export interface AuditedEntry {
  readonly index: number;
  readonly leaf: Uint8Array;
  /** null for an entry of a newer format than this client reads (or one that does not decode): its bytes are still proven. */
  readonly entry: LogEntry | null;
  /** When the node says it appended the entry: not in the leaf, so not evidence. */
  readonly appendedAt: number;
  /** The personal details beside it, when the node serves them (security officers) and they open its commitment. */
  readonly details: PersonalDetails | null;
}

function decodedOrNull(leaf: Uint8Array): LogEntry | null {
  try {
    return decodeLogEntry(leaf);
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
}

function audited(s: Session, served: ServedEntry): AuditedEntry {
  const entry = decodedOrNull(served.leaf);
  const check = entry ? checkServedDetails(s, entry, served) : 'none';
  if (check === 'wrong') throw new LogError('log.bad_proof', `entry ${served.index}: the personal details served beside it do not open the commitment in its leaf`);
  const details = check === 'opened' && served.details ? served.details.details : null;
  return { index: served.index, leaf: served.leaf, entry, appendedAt: served.appendedAt, details };
}

/** The latest checkpoint, accepted by `view`: consistent with (and, when newer, replacing) the last one it accepted. */
async function acceptedHead(s: Session, view: LogView): Promise<SignedCheckpoint> {
  const head = await fetchCheckpoint(s);
  await view.accept(head.checkpoint, head.note);
  return head;
}

function openView(s: Session, memory: AuditMemory): Promise<LogView> {
  return LogView.open(s.p, s.http, s.node.log, asLogMemory(memory));
}

/** An entry with its inclusion proof, verified against a checkpoint of `size` entries. */
export interface ProvenEntry extends AuditedEntry {
  readonly size: number;
  readonly proof: readonly Uint8Array[];
  readonly note: string;
}

/**
 * Entry `index` with its inclusion proof (RFC 9162 §2.1.3.2) in the tree of the latest checkpoint. `log.out_of_range`
 * beyond it, `log.bad_proof` if the proof does not lead to the signed root.
 *
 * @example
 * ```ts
 * const { entry, proof } = await proveEntry(session, 12, await auditMemory(keyFile));
 * ```
 */
export async function proveEntry(s: Session, index: number, memory: AuditMemory = {}): Promise<ProvenEntry> {
  const head = await acceptedHead(s, await openView(s, memory));
  const size = head.checkpoint.size;
  if (index >= size) throw new LogError('log.out_of_range', `entry ${index} is beyond the latest checkpoint, which covers ${size} entries`);
  const { entry, proof } = await fetchEntryProof(s, index, size);
  verifyInclusion(s.p, { leafIndex: index, treeSize: size, leafHash: leafHash(s.p, entry.leaf), root: head.checkpoint.root, proof });
  return { ...audited(s, entry), size, proof, note: head.note };
}

/**
 * The frontier of the first `size` leaves (docs/log.md "The tree"), from the inclusion path of leaf size − 1 in the
 * tree of `size` leaves. It is not trusted: the caller appends the entries after it and compares the root with a
 * signed checkpoint, which only the true frontier followed by the true entries reaches.
 */
async function frontierAt(s: Session, size: number): Promise<Frontier> {
  if (size === 0) return new Frontier(s.p);
  const { entry, proof } = await fetchEntryProof(s, size - 1, size);
  // The last leaf's path runs up the tree's right edge: its first t hashes (t = the trailing zero bits of size)
  // complete the smallest perfect subtree, and the rest are the larger perfect subtrees to its left, smallest first.
  let t = 0;
  for (let v = size; v % 2 === 0; v /= 2) t++;
  if (proof.length !== t + popCount(size) - 1 || proof.some((h) => h.length !== HASH_LENGTH)) {
    throw new LogError('log.bad_proof', `the node's inclusion proof of entry ${size - 1} in the tree of ${size} entries has the wrong shape`);
  }
  let smallest = leafHash(s.p, entry.leaf);
  for (const h of proof.slice(0, t)) smallest = nodeHash(s.p, h, smallest);
  return Frontier.restore(s.p, size, [...proof.slice(t).reverse(), smallest]);
}

/** The entries after `frontier` up to `head`, appended to it; their root must be the signed one. */
async function provenRun(s: Session, frontier: Frontier, head: Checkpoint): Promise<AuditedEntry[]> {
  const from = frontier.size;
  const served: ServedEntry[] = [];
  for await (const entry of servedEntries(s, from, head.size)) {
    frontier.append(leafHash(s.p, entry.leaf));
    served.push(entry);
  }
  if (frontier.size !== head.size || !equalBytes(frontier.root(), head.root)) {
    throw new LogError('log.bad_proof', `entries ${from}–${head.size - 1} as served do not hash to the checkpoint the node signed for ${head.size} entries (chancery audit verify finds the first that differs)`);
  }
  return served.map((entry) => audited(s, entry));
}

export interface LogTail {
  readonly head: SignedCheckpoint;
  readonly entries: readonly AuditedEntry[];
}

async function tailWith(s: Session, view: LogView, count: number): Promise<LogTail & { frontier: Frontier }> {
  const head = await acceptedHead(s, view);
  const frontier = await frontierAt(s, Math.max(0, head.checkpoint.size - count));
  const entries = await provenRun(s, frontier, head.checkpoint);
  return { head, entries, frontier };
}

/**
 * The last `count` entries under the latest checkpoint, proven together: the frontier before them and the entries
 * must hash to the signed root (`log.bad_proof` if not).
 */
export async function tailLog(s: Session, count: number, memory: AuditMemory = {}): Promise<LogTail> {
  const { head, entries } = await tailWith(s, await openView(s, memory), count);
  return { head, entries };
}

export interface FollowOptions {
  readonly count: number;
  /** How often to ask for a newer checkpoint. */
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  readonly memory?: AuditMemory;
  /** The tail first, then each run of new entries, every one proven under the checkpoint given with it. */
  readonly onEntries: (entries: readonly AuditedEntry[], head: SignedCheckpoint) => void;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * `tailLog`, then polls the checkpoint until `signal` aborts. Each newer checkpoint must be consistent with the one
 * before (`log.inconsistent`), and the entries it adds, appended to the tree so far, must reach its root.
 */
export async function followLog(s: Session, options: FollowOptions): Promise<void> {
  const view = await openView(s, options.memory ?? {});
  const tail = await tailWith(s, view, options.count);
  options.onEntries(tail.entries, tail.head);
  while (!options.signal.aborted) {
    await pause(options.intervalMs, options.signal);
    if (options.signal.aborted) return;
    const head = await acceptedHead(s, view);
    if (head.checkpoint.size <= tail.frontier.size) continue;
    options.onEntries(await provenRun(s, tail.frontier, head.checkpoint), head);
  }
}

/** A read of a cable on the record, with its inclusion proof (verified) in the tree of the checkpoint. */
export interface ReadRecord extends AuditedEntry {
  readonly entry: CableRead | DraftRead | ShareReleased;
  readonly proof: readonly Uint8Array[];
}

export interface CableReads {
  readonly cable: CableId;
  readonly head: SignedCheckpoint;
  /** Every `cable.read` of the cable, and every `draft.read` and `share.released` of it as a draft, in log order. */
  readonly reads: readonly ReadRecord[];
}

type ReadEntry = CableRead | DraftRead | ShareReleased;

/** A draft's openings before release are reads of the cable's text too, so they are listed with the others. */
function isReadOf(entry: LogEntry | null, cable: CableId): entry is ReadEntry {
  return (entry?.kind === 'cable.read' || entry?.kind === 'draft.read' || entry?.kind === 'share.released') && entry.cable === cable;
}

/**
 * Who read `cable`, and when (security officers). The node keeps no index of entries by cable, so this scans the
 * log up to the latest checkpoint and hashes it on the way: the scan's root must be the signed one, so no read was
 * left out. Each read found then comes with its own inclusion proof, verified, so it can be shown on its own.
 *
 * @example
 * ```ts
 * const { reads } = await cableReads(session, cableId, { memory: await auditMemory(keyFile) });
 * ```
 */
export async function cableReads(s: Session, cable: CableId, options: { memory?: AuditMemory; onProgress?: (p: AuditProgress) => void } = {}): Promise<CableReads> {
  const head = await acceptedHead(s, await openView(s, options.memory ?? {}));
  const { size, root } = head.checkpoint;
  const frontier = new Frontier(s.p);
  const found: AuditedEntry[] = [];
  options.onProgress?.({ done: 0, total: size });
  for await (const served of servedEntries(s, 0, size)) {
    frontier.append(leafHash(s.p, served.leaf));
    if (isReadOf(decodedOrNull(served.leaf), cable)) found.push(audited(s, served));
    if (frontier.size % 100 === 0 || frontier.size === size) options.onProgress?.({ done: frontier.size, total: size });
  }
  if (frontier.size !== size || !equalBytes(frontier.root(), root)) {
    throw new LogError('log.bad_proof', `the log as served does not hash to the checkpoint the node signed for ${size} entries, so reads may be missing (chancery audit verify finds where)`);
  }
  const reads: ReadRecord[] = [];
  for (const read of found) {
    const { entry, proof } = await fetchEntryProof(s, read.index, size);
    if (!equalBytes(entry.leaf, read.leaf)) throw new LogError('log.bad_proof', `the node served entry ${read.index} twice with different contents`);
    verifyInclusion(s.p, { leafIndex: read.index, treeSize: size, leafHash: leafHash(s.p, read.leaf), root, proof });
    if (isReadOf(read.entry, cable)) reads.push({ ...read, entry: read.entry, proof });
  }
  return { cable, head, reads };
}
