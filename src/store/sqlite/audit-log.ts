// The audit log's rows (docs/log.md "What the node will store"): one row per leaf, the hash of every complete
// subtree above the leaves, and the signed checkpoints. Kept that way, the store is a NodeHashSource: any proof or
// past root costs O(log n) point reads, and an append rebuilds its frontier from the same rows in O(log n) reads.
//
// The frontier is read again at every append rather than cached in memory: a write may run in a savepoint (group
// commit, src/node/commit-batcher.ts) or a transaction that rolls back, and the rows are then the only state that
// is right by construction.
import { equalBytes } from '../../bytes.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { InternalError, LogError, StoreError } from '../../errors.ts';
import { Frontier, HASH_LENGTH, leafHash } from '../../log/merkle.ts';
import { StoreLimits } from '../store.ts';
import type { CheckpointRow, LogAppendResult, LogEntryInput, LogEntryRow } from '../store.ts';
import type { Row, Sql, SqlValue } from './sql.ts';
import { blob, bytesArg, int, intArg, optBlob, optInt, text } from './columns.ts';

const ENTRY_COLUMNS = 'idx, leaf, leaf_hash, details, salt, appended_at';
const CHECKPOINT_COLUMNS = 'size, root, note, signed_at';

function entryRow(row: Row): LogEntryRow {
  return {
    index: int(row, 'idx'),
    leaf: blob(row, 'leaf'),
    leafHash: blob(row, 'leaf_hash'),
    details: optBlob(row, 'details'),
    salt: optBlob(row, 'salt'),
    appendedAt: int(row, 'appended_at'),
  };
}

function checkpointRow(row: Row): CheckpointRow {
  return { size: int(row, 'size'), root: blob(row, 'root'), note: text(row, 'note'), signedAt: int(row, 'signed_at') };
}

function indexArg(value: number, what: string): number {
  if (intArg(value, what) < 0) throw new RangeError(`store: ${what} must not be negative`);
  return value;
}

interface CheckedEntry {
  readonly leaf: Uint8Array;
  readonly details: Uint8Array | null;
  readonly salt: Uint8Array | null;
  readonly keyRecord: Uint8Array | null;
}

function checkEntry(entry: LogEntryInput, i: number): CheckedEntry {
  if (typeof entry !== 'object' || entry === null) throw new TypeError(`store: log entry ${i} is not an object`);
  const leaf = bytesArg(entry.leaf, `log entry ${i} leaf`);
  const details = entry.details ?? null;
  const salt = entry.salt ?? null;
  // Details without their salt could never be checked against the leaf's commitment, and a salt alone means nothing.
  if ((details === null) !== (salt === null)) throw new RangeError(`store: log entry ${i} needs both details and salt, or neither`);
  const keyRecord = entry.keyRecord ?? null;
  if (keyRecord !== null && bytesArg(keyRecord, `log entry ${i} keyRecord`).length !== HASH_LENGTH) throw new RangeError(`store: log entry ${i} keyRecord is not 32 bytes`);
  return {
    leaf,
    details: details === null ? null : bytesArg(details, `log entry ${i} details`),
    salt: salt === null ? null : bytesArg(salt, `log entry ${i} salt`),
    keyRecord,
  };
}

/** The number of entries: the last index plus one (SQLite answers max() of a rowid from the b-tree's edge). */
export function logSize(sql: Sql): number {
  const row = sql.get('SELECT max(idx) AS last FROM log_entries');
  const last = row === undefined ? null : optInt(row, 'last');
  return last === null ? 0 : last + 1;
}

/** A stored subtree hash or null; level 0 is the leaf hash kept in the entry's own row. */
function storedHash(sql: Sql, level: number, index: number): Uint8Array | null {
  const row =
    level === 0
      ? sql.get('SELECT leaf_hash AS hash FROM log_entries WHERE idx = ?', index)
      : sql.get('SELECT hash FROM log_nodes WHERE level = ? AND idx = ?', level, index);
  return row === undefined ? null : blob(row, 'hash');
}

/**
 * The frontier of a log of `size` entries: for each one bit of `size` at `level`, largest first, the subtree
 * (level, ⌊size / 2^level⌋ − 1) — the perfect subtrees along size's binary decomposition.
 */
function storedFrontier(sql: Sql, p: CryptoProvider, size: number): Frontier {
  const levels: number[] = [];
  for (let v = size, level = 0; v > 0; v = Math.floor(v / 2), level++) if (v % 2 === 1) levels.push(level);
  const hashes = levels.reverse().map((level) => {
    const hash = storedHash(sql, level, Math.floor(size / 2 ** level) - 1);
    // Every append stores the nodes it completes in the same transaction, so a gap is a damaged store.
    if (hash === null) throw new InternalError(`store: the audit log lacks a level-${level} subtree hash its size implies`);
    return hash;
  });
  return Frontier.restore(p, size, hashes);
}

/** Rows per multi-row INSERT: one native call per chunk, not per row (measured: appends about 1.25× as fast). */
const CHUNK = 32;

/** Inserts rows of `width` values each: whole chunks with one statement, the remainder one row at a time. */
function insertRows(sql: Sql, head: string, width: number, values: readonly SqlValue[]): void {
  const row = `(${Array<string>(width).fill('?').join(', ')})`;
  const chunk = CHUNK * width;
  let at = 0;
  if (values.length >= chunk) {
    const many = `${head} VALUES ${Array<string>(CHUNK).fill(row).join(', ')}`;
    for (; at + chunk <= values.length; at += chunk) sql.run(many, ...values.slice(at, at + chunk));
  }
  for (; at < values.length; at += width) sql.run(`${head} VALUES ${row}`, ...values.slice(at, at + width));
}

export function appendLogEntries(sql: Sql, entries: readonly LogEntryInput[], at: number, p: CryptoProvider): LogAppendResult {
  if (!Array.isArray(entries)) throw new TypeError('store: log entries must be an array');
  const appendedAt = intArg(at, 'at');
  // Checked before the first write: a caller that catches the error inside its transaction keeps no half batch.
  const checked = entries.map(checkEntry);
  const first = logSize(sql);
  const frontier = storedFrontier(sql, p, first);
  const entryValues: SqlValue[] = [];
  const nodeValues: SqlValue[] = [];
  const keyRecordValues: SqlValue[] = [];
  for (const entry of checked) {
    for (const node of frontier.append(leafHash(p, entry.leaf))) {
      if (node.level === 0) {
        entryValues.push(node.index, entry.leaf, node.hash, entry.details, entry.salt, appendedAt);
        if (entry.keyRecord) keyRecordValues.push(entry.keyRecord, node.index);
      } else nodeValues.push(node.level, node.index, node.hash);
    }
  }
  insertRows(sql, `INSERT INTO log_entries (${ENTRY_COLUMNS})`, 6, entryValues);
  insertRows(sql, 'INSERT INTO log_nodes (level, idx, hash)', 3, nodeValues);
  insertRows(sql, 'INSERT OR IGNORE INTO log_key_records (record_hash, idx)', 2, keyRecordValues);
  return { first, size: frontier.size, root: frontier.root() };
}

export function logEntry(sql: Sql, index: number): LogEntryRow | null {
  const row = sql.get(`SELECT ${ENTRY_COLUMNS} FROM log_entries WHERE idx = ?`, intArg(index, 'index'));
  return row === undefined ? null : entryRow(row);
}

export function logEntries(sql: Sql, from: number, count: number): LogEntryRow[] {
  const start = indexArg(from, 'from');
  const limit = Math.min(indexArg(count, 'count'), StoreLimits.logPageMax);
  return sql.all(`SELECT ${ENTRY_COLUMNS} FROM log_entries WHERE idx >= ? ORDER BY idx LIMIT ?`, start, limit).map(entryRow);
}

export function logSubtreeHash(sql: Sql, level: number, index: number): Uint8Array {
  // NodeHashSource's contract: whatever is asked, a missing subtree is log.out_of_range and nothing else.
  const valid = Number.isSafeInteger(level) && Number.isSafeInteger(index) && level >= 0 && index >= 0;
  const hash = valid ? storedHash(sql, level, index) : null;
  if (hash === null) throw new LogError('log.out_of_range', 'no such complete subtree in the audit log');
  return hash;
}

export function logIndexOfKeyRecord(sql: Sql, recordHash: Uint8Array): number | null {
  const row = sql.get('SELECT idx FROM log_key_records WHERE record_hash = ?', bytesArg(recordHash, 'recordHash'));
  return row === undefined ? null : int(row, 'idx');
}

export function eraseLogDetails(sql: Sql, index: number): void {
  const result = sql.run('UPDATE log_entries SET details = NULL, salt = NULL WHERE idx = ?', intArg(index, 'index'));
  if (result.changes !== 1) throw new StoreError('store.not_found', 'store: no audit log entry has this index');
}

export function checkpointAt(sql: Sql, size: number): CheckpointRow | null {
  const row = sql.get(`SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints WHERE size = ?`, intArg(size, 'size'));
  return row === undefined ? null : checkpointRow(row);
}

export function latestCheckpoint(sql: Sql): CheckpointRow | null {
  const row = sql.get(`SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints ORDER BY size DESC LIMIT 1`);
  return row === undefined ? null : checkpointRow(row);
}

export function putCheckpoint(sql: Sql, c: CheckpointRow): void {
  const size = indexArg(c.size, 'checkpoint size');
  const root = bytesArg(c.root, 'checkpoint root');
  if (root.length !== HASH_LENGTH) throw new RangeError('store: a checkpoint root is 32 bytes');
  // A lone surrogate would reach SQLite as U+FFFD, and the note read back would no longer be the one signed.
  if (typeof c.note !== 'string' || /\p{Cs}/u.test(c.note)) throw new TypeError('store: a checkpoint note must be well-formed text');
  const signedAt = intArg(c.signedAt, 'signedAt');
  if (size > logSize(sql)) throw new RangeError('store: a checkpoint cannot be ahead of the log');
  const stored = checkpointAt(sql, size);
  if (stored !== null) {
    if (equalBytes(stored.root, root) && stored.note === c.note && stored.signedAt === signedAt) return;
    throw new StoreError('store.conflict', 'store: another checkpoint is stored for this tree size');
  }
  sql.run(`INSERT INTO log_checkpoints (${CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?)`, size, root, c.note, signedAt);
}

export function recordShareRelease(sql: Sql, index: number, user: string, at: number): void {
  if (typeof user !== 'string' || user.length === 0) throw new TypeError('store: a share release needs its user');
  const result = sql.run(
    'INSERT INTO share_releases (idx, user, released_at) SELECT idx, ?, ? FROM log_entries WHERE idx = ?',
    user,
    intArg(at, 'at'),
    indexArg(index, 'index'),
  );
  if (result.changes !== 1) throw new StoreError('store.not_found', 'store: a share release must point at a log entry');
}

export function countShareReleases(sql: Sql, user: string, since: number): number {
  const row = sql.get('SELECT count(*) AS n FROM share_releases WHERE user = ? AND released_at > ?', user, intArg(since, 'since'));
  return row === undefined ? 0 : int(row, 'n');
}
