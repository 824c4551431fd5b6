// Auditing a node's log in full (issue 4 "CLI": `chancery audit verify`; DESIGN.md "The audit log"): fetch the
// latest checkpoint, verify it under the pinned log key, replay every entry into the tree and compare the root, and
// hold the result against every earlier checkpoint this auditor (or another client) was shown. A row rewritten,
// removed or moved, or a second history shown to someone, fails with a `LogError` that says where.
import { equalBytes, toBase64 } from '../bytes.ts';
import { ChanceryError, DecodeError, LogError } from '../errors.ts';
import type { Checkpoint } from '../log/checkpoint.ts';
import { decodeLogEntry, type LogEntry } from '../log/events.ts';
import { emptyRoot, Frontier, leafHash } from '../log/merkle.ts';
import { verifyConsistency } from '../log/proofs.ts';
import { checkServedDetails, fetchCheckpoint, fetchConsistencyProof, openSigned, servedEntries, type SignedCheckpoint } from './audit-wire.ts';
import type { LogMemory } from './log-view.ts';
import type { Session } from './session.ts';

/** What an auditor keeps between runs: the last checkpoint it accepted (its note), and where to save a newer one. */
export interface AuditMemory {
  readonly auditCheckpoint?: string;
  save?(note: string): Promise<void>;
}

/** The same memory in the shape LogView keeps a device's (src/client/log-view.ts), for the audit commands that use it. */
export function asLogMemory(memory: AuditMemory): LogMemory {
  return {
    ...(memory.auditCheckpoint === undefined ? {} : { lastCheckpoint: memory.auditCheckpoint }),
    ...(memory.save ? { save: memory.save.bind(memory) } : {}),
  };
}



export interface AuditProgress {
  readonly done: number;
  readonly total: number;
}

export interface VerifyLogOptions {
  /** Called after each page of entries. */
  readonly onProgress?: (progress: AuditProgress) => void;
  readonly memory?: AuditMemory;
  /** Another client's checkpoint (its signed note): the log must be consistent with it too. */
  readonly against?: string;
}

/** An earlier checkpoint the log was held against, and what it was. */
export interface ComparedCheckpoint {
  readonly what: string;
  readonly size: number;
}

export interface LogAudit {
  readonly checkpoint: Checkpoint;
  readonly note: string;
  /** Entries per kind; entries of a newer format this client does not know count as `unknown`. */
  readonly kinds: Readonly<Record<string, number>>;
  /** Entries whose personal details were served and opened the commitment in their leaf. */
  readonly detailsOpened: number;
  readonly comparedWith: readonly ComparedCheckpoint[];
}

/** Leaf hashes packed in one buffer (32 bytes each): a million entries take 32 MB, not a million objects. */
class LeafHashes {
  #bytes = new Uint8Array(32 * 1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(hash: Uint8Array): void {
    if ((this.#size + 1) * 32 > this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes.set(hash, this.#size * 32);
    this.#size++;
  }

  /** The root of the first `size` leaves (O(size) hashes: only needed once something is already wrong). */
  rootAt(s: Session, size: number): Uint8Array {
    const frontier = new Frontier(s.p);
    for (let i = 0; i < size; i++) frontier.append(this.#bytes.subarray(i * 32, (i + 1) * 32));
    return frontier.root();
  }
}

interface Earlier {
  readonly what: string;
  readonly checkpoint: Checkpoint;
}

interface Replay {
  readonly leaves: LeafHashes;
  readonly root: Uint8Array;
  /** The root at each size an earlier checkpoint has (and at 0). */
  readonly roots: ReadonlyMap<number, Uint8Array>;
  readonly kinds: Record<string, number>;
  readonly detailsOpened: number;
  /** The first entry that does not decode (a format this client knows, but malformed), or whose details are wrong. */
  readonly firstBad: LogError | null;
}

async function earlierCheckpoints(s: Session, options: VerifyLogOptions): Promise<Earlier[]> {
  const earlier: Earlier[] = [];
  if (options.memory?.auditCheckpoint !== undefined) earlier.push({ what: 'the checkpoint of the last audit', checkpoint: await openSigned(s, options.memory.auditCheckpoint) });
  if (s.log.last) earlier.push({ what: "this device's last checkpoint", checkpoint: s.log.last });
  if (options.against !== undefined) {
    try {
      earlier.push({ what: 'the other checkpoint', checkpoint: await openSigned(s, options.against) });
    } catch (error) {
      if (!(error instanceof ChanceryError)) throw error;
      throw new LogError(error instanceof LogError ? error.code : 'log.bad_checkpoint', `the checkpoint to compare with is not one of this node's log: ${error.message}`, { cause: error });
    }
  }
  return earlier;
}

function decoded(index: number, leaf: Uint8Array): { entry: LogEntry | null; bad: LogError | null } {
  try {
    return { entry: decodeLogEntry(leaf), bad: null };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    // A newer writer's entry: its bytes are in the tree all the same (docs/log.md "Entries").
    if (error.code === 'encoding.unsupported_version') return { entry: null, bad: null };
    return { entry: null, bad: new LogError('log.bad_proof', `entry ${index} does not decode as a log entry (${error.code}: ${error.message})`, { cause: error }) };
  }
}

/** Every entry up to the checkpoint's size, hashed into a fresh tree; entries themselves checked as they pass. */
async function replay(s: Session, size: number, wanted: ReadonlySet<number>, onProgress?: (progress: AuditProgress) => void): Promise<Replay> {
  const leaves = new LeafHashes();
  const frontier = new Frontier(s.p);
  const roots = new Map<number, Uint8Array>([[0, emptyRoot(s.p)]]);
  const kinds: Record<string, number> = {};
  let detailsOpened = 0;
  let firstBad: LogError | null = null;
  onProgress?.({ done: 0, total: size });
  for await (const served of servedEntries(s, 0, size)) {
    const hash = leafHash(s.p, served.leaf);
    frontier.append(hash);
    leaves.push(hash);
    if (wanted.has(frontier.size)) roots.set(frontier.size, frontier.root());
    const { entry, bad } = decoded(served.index, served.leaf);
    firstBad ??= bad;
    const kind = entry?.kind ?? 'unknown';
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const details = entry ? checkServedDetails(s, entry, served) : 'none';
    if (details === 'opened') detailsOpened++;
    if (details === 'wrong') firstBad ??= new LogError('log.bad_proof', `entry ${served.index}: the personal details served beside it do not open the commitment in its leaf`);
    if (frontier.size % 100 === 0 || frontier.size === size) onProgress?.({ done: frontier.size, total: size });
  }
  return { leaves, root: frontier.root(), roots, kinds, detailsOpened, firstBad };
}

/** Whether the node can prove the first `size` leaves as replayed are the first `size` of the signed tree. */
async function proven(s: Session, leaves: LeafHashes, size: number, head: Checkpoint): Promise<boolean> {
  try {
    const proof = await fetchConsistencyProof(s, size, head.size);
    verifyConsistency(s.p, { size1: size, size2: head.size, root1: leaves.rootAt(s, size), root2: head.root, proof });
    return true;
  } catch (error) {
    if (error instanceof ChanceryError) return false;
    throw error;
  }
}

/**
 * Where the served entries part from the signed tree. The first m entries as served are confirmed by a consistency
 * proof from m entries to the checkpoint, verified against their root, or by an earlier signed checkpoint of size m
 * with that root; any prefix of a confirmed prefix is confirmed, so a binary search, starting above the largest
 * earlier checkpoint they match, finds the first entry that does not match in O(log n) proofs.
 */
async function locateDifference(s: Session, head: Checkpoint, leaves: LeafHashes, earlier: readonly Checkpoint[]): Promise<LogError> {
  const served = leaves.size;
  const signed = `the checkpoint the node signed for ${head.size} entries`;
  const matched = earlier.filter((c) => c.size <= served && c.size < head.size && equalBytes(leaves.rootAt(s, c.size), c.root)).map((c) => c.size);
  const confirmed = async (size: number) => size === 0 || matched.includes(size) || (await proven(s, leaves, size, head));
  if (served < head.size && (await confirmed(served))) {
    return new LogError('log.bad_proof', `entries ${served}–${head.size - 1} are missing: the node serves ${served} entries, all as ${signed} has them, but it covers ${head.size}`);
  }
  let [good, bad] = [Math.max(0, ...matched), served];
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (await confirmed(mid)) good = mid;
    else bad = mid;
  }
  const count = served < head.size ? ` The node serves ${served} of its ${head.size} entries.` : '';
  if (good === 0) {
    const last = head.size % 2 === 1 ? ` (every proof to an odd size carries the stored hash of the last entry, ${head.size - 1}: rewritten with its hash, it looks like this)` : '';
    return new LogError('log.bad_proof', `the log does not match ${signed}, and nothing confirms even its first entry: entry 0 was rewritten, or the node's stored hashes were too${last}.${count}`);
  }
  // A proof from an odd size carries the stored hash of the leaf just after it, so a node that rewrote that hash
  // with its row makes an intact entry look like the first that differs: then its data cannot tell the two apart.
  const pair = good % 2 === 0 && good + 1 < served && !matched.includes(good + 1) ? `; or entry ${good + 1}, if the node rewrote its stored hash too (its proofs cannot tell the two apart)` : '';
  return new LogError('log.bad_proof', `entry ${good} is the first that does not match ${signed} (rewritten, moved or replaced; entries 0–${good - 1} match it)${pair}.${count}`);
}

/** The log must extend every earlier checkpoint: the same root at that size (we rebuilt it), never a smaller tree. */
function checkEarlier(head: Checkpoint, roots: ReadonlyMap<number, Uint8Array>, earlier: Earlier): void {
  const { what, checkpoint } = earlier;
  if (checkpoint.size > head.size) {
    throw new LogError('log.inconsistent', `${what} covers ${checkpoint.size} entries, but the node now signs a log of ${head.size}: it showed a longer history before (rolled back or forked)`);
  }
  const root = roots.get(checkpoint.size);
  if (!root || !equalBytes(root, checkpoint.root)) {
    throw new LogError('log.inconsistent', `${what} (${checkpoint.size} entries, root ${toBase64(checkpoint.root)}) is not a state of this log, whose first ${checkpoint.size} entries have root ${root ? toBase64(root) : '?'}: the node showed two different histories`);
  }
}

/**
 * Verifies the node's whole log: the latest checkpoint under the pinned log key (`log.bad_signature`,
 * `log.bad_checkpoint`); every entry, in order and without gaps, hashed into a fresh tree whose root must be the
 * checkpoint's (`log.bad_proof`, naming the first entry that differs or is missing); each entry decodes and its
 * personal details open its commitment (`log.bad_proof`); and the log extends the last checkpoint of this auditor,
 * this device's last checkpoint and `against` (`log.inconsistent`). On success the checkpoint is saved as the
 * auditor's (never moving it back) and this device's view moves up to it.
 *
 * @example
 * ```ts
 * const audit = await verifyLog(session, { memory: await auditMemory(keyFile), onProgress: (p) => draw(p) });
 * ```
 */
export async function verifyLog(s: Session, options: VerifyLogOptions = {}): Promise<LogAudit> {
  const head: SignedCheckpoint = await fetchCheckpoint(s);
  const earlier = await earlierCheckpoints(s, options);
  const wanted = new Set(earlier.map((e) => e.checkpoint.size));
  const replayed = await replay(s, head.checkpoint.size, wanted, options.onProgress);
  if (replayed.leaves.size < head.checkpoint.size || !equalBytes(replayed.root, head.checkpoint.root)) {
    throw await locateDifference(s, head.checkpoint, replayed.leaves, earlier.map((e) => e.checkpoint));
  }
  const roots = new Map(replayed.roots).set(head.checkpoint.size, head.checkpoint.root);
  for (const e of earlier) checkEarlier(head.checkpoint, roots, e);
  if (replayed.firstBad) throw replayed.firstBad;
  await options.memory?.save?.(head.note);
  await s.log.accept(head.checkpoint, head.note);
  return {
    checkpoint: head.checkpoint,
    note: head.note,
    kinds: replayed.kinds,
    detailsOpened: replayed.detailsOpened,
    comparedWith: earlier.map((e) => ({ what: e.what, size: e.checkpoint.size })),
  };
}
