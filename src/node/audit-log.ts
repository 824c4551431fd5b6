// The node's audit log writer (DESIGN.md "The audit log"; docs/node.md "The audit log"): events are appended in
// the caller's own transaction — so an entry exists exactly when the state change it records does — and once that
// transaction has committed, the log's key signs a checkpoint covering them. Concurrent writers share one signing:
// a group commit (src/node/commit-batcher.ts) yields at most one new checkpoint, and a signing already under way
// serves every writer whose entries it covers. The key is not here: a `CheckpointSigner` signs — in `chancery
// serve` the keeper process, which recomputes the root itself (src/node/keeper/).
import type { NodeName } from '../cable/types.ts';
import { equalBytes, fromUtf8 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { InternalError, LogError } from '../errors.ts';
import { checkpointPolicy, parseCheckpoint, type CheckpointPolicy } from '../log/checkpoint.ts';
import { encodeLogEntry, type EntryHeader, type LogEntry } from '../log/events.ts';
import { keyRecordHash } from '../log/key-entries.ts';
import { commitDetails, encodePersonalDetails, type PersonalDetails } from '../log/personal-details.ts';
import { parseNote } from '../log/note.ts';
import { consistencyProof, inclusionProof, treeRoot } from '../log/proofs.ts';
import { logHashes, type CheckpointRow, type LogEntryInput, type Store, type StoreTx } from '../store/store.ts';
import { groupCommit } from './commit-batcher.ts';
import { keySigner, type LogKeyPair } from './keeper/key-signer.ts';
import type { CheckpointSigner, LogIdentity } from './node-context.ts';

type WithoutHeader<E> = E extends unknown ? Omit<E, keyof EntryHeader> : never;

/** An event as a route describes it: the entry without `at`, `node` and `details`, which the writer adds. */
export type LogEvent = WithoutHeader<LogEntry>;

/** Where a call's entries went: indices [first, size), and their leaf data in order. */
export interface AppendedEvents {
  readonly first: number;
  readonly size: number;
  readonly leaves: readonly Uint8Array[];
}

/** How many times `checkpoint` signs before concluding the size asked for is beyond the log. */
const MAX_SIGNINGS = 3;

/** The writer and reader of one node's log over its store. Built once per store (serve.ts, tests). */
export class AuditLog {
  readonly identity: LogIdentity;
  readonly policy: CheckpointPolicy;
  readonly #p: CryptoProvider;
  readonly #store: Store;
  readonly #node: NodeName;
  readonly #signer: CheckpointSigner;
  readonly #now: () => number;
  #latest: CheckpointRow | null = null;
  #signing: Promise<CheckpointRow> | null = null;
  /** The latest head signed again for freshness (`freshCheckpoint`), not stored. */
  #fresh: CheckpointRow | null = null;
  #refreshing: Promise<CheckpointRow> | null = null;

  /** `signing`: the keeper's signer, or (init, tests, benchmarks) the log key itself, signed with in memory. */
  constructor(p: CryptoProvider, store: Store, node: NodeName, signing: CheckpointSigner | LogKeyPair, now: () => number = () => Date.now()) {
    this.#p = p;
    this.#store = store;
    this.#node = node;
    this.#signer = 'sign' in signing ? signing : keySigner(p, signing, now);
    this.#now = now;
    this.identity = signing.identity;
    this.policy = checkpointPolicy(p, signing.identity.origin, signing.identity.publicKey);
  }

  /**
   * Appends `events`, happened at `at`, in the caller's transaction. With `details` (the request's network address
   * and user agent), each entry carries its own salted commitment to them, and the store keeps them beside the
   * leaf (docs/log.md "Personal details"). Call `checkpoint(size)` once the transaction has committed.
   *
   * @example
   * ```ts
   * const appended = node.auditLog.append(tx, now, [{ kind: 'device.enrolled', user, device, recordHash }], details);
   * ```
   */
  append(tx: StoreTx, at: number, events: readonly LogEvent[], details: PersonalDetails | null = null): AppendedEvents {
    const header = { at, node: this.#node };
    const inputs = events.map((event): LogEntryInput => {
      const keyRecord = keyRecordHash(event);
      if (!details) return { leaf: encodeLogEntry({ ...event, ...header }), keyRecord };
      const { commitment, salt } = commitDetails(this.#p, details);
      return { leaf: encodeLogEntry({ ...event, ...header, details: commitment }), details: encodePersonalDetails(details), salt, keyRecord };
    });
    const result = tx.appendLogEntries(inputs, at, this.#p);
    return { first: result.first, size: result.size, leaves: inputs.map((i) => i.leaf) };
  }

  /** The checkpoint of the largest tree size stored, or null before the first is signed. */
  latest(): CheckpointRow | null {
    const stored = this.#store.transaction((tx) => tx.latestCheckpoint());
    if (stored && (!this.#latest || stored.size > this.#latest.size)) this.#latest = stored;
    return this.#latest;
  }

  /**
   * A stored, signed checkpoint of at least `size` entries: the latest one if it covers them, else a new one for
   * the log's current size. Signings are shared: while one is under way, callers wait for it, and sign again only
   * if it does not cover them (their entries committed after it read the log). `log.out_of_range` for a size
   * beyond the log.
   *
   * @example
   * ```ts
   * const checkpoint = await node.auditLog.checkpoint(appended.size);
   * ```
   */
  async checkpoint(size: number): Promise<CheckpointRow> {
    for (let signings = 0; ; signings++) {
      const cached = this.#latest;
      if (cached && cached.size >= size) return cached;
      const latest = this.latest();
      if (latest && latest.size >= size) return latest;
      if (signings === MAX_SIGNINGS) throw new LogError('log.out_of_range', 'no checkpoint can cover a size beyond the log');
      this.#signing ??= this.#signCurrent().finally(() => {
        this.#signing = null;
      });
      await this.#signing;
    }
  }

  /**
   * A checkpoint of at least `size` entries signed no more than `maxAgeMs` ago: `checkpoint(size)` if that is recent
   * enough, else the same head signed again now. Clients bound the age of the view of the log they trust key records
   * from (src/client/key-transparency.ts), and an idle log must still show a recent one. The re-signed note is kept
   * in memory only: the store keeps one checkpoint per size, the first.
   */
  async freshCheckpoint(size: number, maxAgeMs: number): Promise<CheckpointRow> {
    const row = await this.checkpoint(size);
    const fresh = this.#fresh && this.#fresh.size >= row.size ? this.#fresh : row;
    if (this.#now() - fresh.signedAt <= maxAgeMs) return fresh;
    this.#refreshing ??= this.#resign(fresh).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #resign(row: CheckpointRow): Promise<CheckpointRow> {
    const note = await this.#signer.sign(row.size, row.root);
    const signed = parseCheckpoint(parseNote(note).text);
    if (signed.origin !== this.identity.origin || signed.size !== row.size || !equalBytes(signed.root, row.root)) {
      throw new InternalError('the checkpoint signed again is not the head asked for');
    }
    const fresh: CheckpointRow = { ...row, note: fromUtf8(note), signedAt: signed.time ?? this.#now() };
    if (!this.#fresh || fresh.size >= this.#fresh.size) this.#fresh = fresh;
    return fresh;
  }

  /** Signs (or finds) the checkpoint of the log's current size and stores it in the next group commit. */
  async #signCurrent(): Promise<CheckpointRow> {
    const head = this.#store.transaction((tx) => {
      const size = tx.logSize();
      return { size, root: treeRoot(this.#p, logHashes(tx), size), stored: tx.checkpointAt(size) };
    });
    if (head.stored) return this.#remember(head.stored);
    const note = await this.#signer.sign(head.size, head.root);
    const signed = parseCheckpoint(parseNote(note).text);
    // The keeper computes the root from the store on its own: it must have signed the head this process read.
    if (signed.origin !== this.identity.origin || signed.size !== head.size || !equalBytes(signed.root, head.root)) {
      throw new InternalError('the checkpoint signed is not the log head asked for');
    }
    const row: CheckpointRow = { size: head.size, root: head.root, note: fromUtf8(note), signedAt: signed.time ?? this.#now() };
    const stored = await groupCommit(this.#store, (tx) => {
      const existing = tx.checkpointAt(row.size);
      if (existing) return existing;
      tx.putCheckpoint(row);
      return row;
    });
    return this.#remember(stored);
  }

  #remember(row: CheckpointRow): CheckpointRow {
    if (!this.#latest || row.size > this.#latest.size) this.#latest = row;
    return row;
  }

  /** RFC 9162 §2.1.3.1 inclusion proof of entry `index` in the tree of `size` entries (`log.out_of_range` if not). */
  inclusionProof(index: number, size: number): Uint8Array[] {
    return this.#store.transaction((tx) => {
      if (size > tx.logSize()) throw new LogError('log.out_of_range', 'the log is not that large');
      return inclusionProof(this.#p, logHashes(tx), index, size);
    });
  }

  /**
   * RFC 9162 §2.1.4.1 consistency proof from `from` to `to` entries. From the empty tree the proof is empty: every
   * tree extends it (docs/log.md "Proofs").
   */
  consistencyProof(from: number, to: number): Uint8Array[] {
    return this.#store.transaction((tx) => {
      if (to > tx.logSize()) throw new LogError('log.out_of_range', 'the log is not that large');
      if (from === 0 && Number.isSafeInteger(to) && to >= 0) return [];
      return consistencyProof(this.#p, logHashes(tx), from, to);
    });
  }
}
