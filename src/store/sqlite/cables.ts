// Accepted cables: the envelope as opaque bytes beside its routing fields, one delivery per local addressee, and
// read marks. Idempotent by (id, envelope hash), as federation's store-and-forward needs (DESIGN.md).
import type { CableId, OfficeCode, UserId } from '../../cable/types.ts';
import { isCableId, isOfficeCode, isUserId } from '../../cable/ids.ts';
import { equalBytes } from '../../bytes.ts';
import { InternalError, StoreError } from '../../errors.ts';
import type { CableIndex, CableRow, PutCableResult } from '../store.ts';
import type { Row, Sql } from './sql.ts';
import {
  blob,
  branded,
  bytesArg,
  classification,
  classificationArg,
  int,
  intArg,
  offices,
  precedence,
  precedenceArg,
  strings,
  stringsArg,
  text,
} from './columns.ts';

/** The routing columns, prefixed for the joins in inbox.ts. */
export const CABLE_INDEX_COLUMNS =
  'c.id, c.dtg, c.precedence, c.classification, c.caveats, c.releasable_to, c.from_office, c.to_offices, c.info_offices, c.tags, c.drafter, c.releaser';

/** Decodes the routing fields of a `cables` row. */
export function cableIndex(row: Row): CableIndex {
  return {
    id: branded(row, 'id', isCableId),
    dtg: text(row, 'dtg'),
    precedence: precedence(row, 'precedence'),
    classification: classification(row, 'classification'),
    caveats: strings(row, 'caveats'),
    releasableTo: strings(row, 'releasable_to'),
    from: branded(row, 'from_office', isOfficeCode),
    to: offices(row, 'to_offices'),
    info: offices(row, 'info_offices'),
    tags: strings(row, 'tags'),
    drafter: branded(row, 'drafter', isUserId),
    releaser: branded(row, 'releaser', isUserId),
  };
}

function seqOf(sql: Sql, id: CableId): number | null {
  const row = sql.get('SELECT seq FROM cables WHERE id = ?', id);
  return row === undefined ? null : int(row, 'seq');
}

/**
 * Stores an accepted cable and one delivery per local office, or recognises a cable already stored.
 * `localOffices` must each be named by the cable — `from`, `to` or `info`, the offices its manifest seals it to
 * (the originator is one, so its side can read what it sent): a delivery is what makes a cable appear in an
 * inbox, so delivering to an office the cable does not name would break need-to-know. Repeats are ignored.
 */
export function putCable(
  sql: Sql,
  cable: Omit<CableRow, 'seq' | 'acceptedAt'>,
  localOffices: readonly OfficeCode[],
  acceptedAt: number,
): PutCableResult {
  const envelope = bytesArg(cable.envelope, 'envelope');
  const envelopeHash = bytesArg(cable.envelopeHash, 'envelopeHash');
  const stored = sql.get('SELECT seq, envelope_hash FROM cables WHERE id = ?', cable.id);
  if (stored !== undefined) {
    if (equalBytes(blob(stored, 'envelope_hash'), envelopeHash)) return { kind: 'duplicate', seq: int(stored, 'seq') };
    throw new StoreError('store.conflict', `store: cable ${cable.id} is already stored with another envelope`);
  }
  const addressed = new Set<string>([cable.from, ...cable.to, ...cable.info]);
  const deliveries = [...new Set(localOffices)];
  for (const office of deliveries) {
    if (!addressed.has(office)) throw new RangeError(`store: ${cable.id} does not name ${office}`);
  }
  const rank = precedenceArg(cable.precedence, 'precedence');
  const result = sql.run(
    `INSERT INTO cables (id, dtg, precedence, classification, caveats, releasable_to, from_office, to_offices,
       info_offices, tags, drafter, releaser, envelope, envelope_hash, accepted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    cable.id,
    cable.dtg,
    rank,
    classificationArg(cable.classification, 'classification'),
    stringsArg(cable.caveats, 'caveats'),
    stringsArg(cable.releasableTo, 'releasableTo'),
    cable.from,
    stringsArg(cable.to, 'to'),
    stringsArg(cable.info, 'info'),
    stringsArg(cable.tags, 'tags'),
    cable.drafter,
    cable.releaser,
    envelope,
    envelopeHash,
    intArg(acceptedAt, 'acceptedAt'),
  );
  const seq = Number(result.lastInsertRowid);
  if (!Number.isSafeInteger(seq) || seq <= 0) throw new InternalError('store: cable sequence out of range');
  for (const office of deliveries) {
    sql.run('INSERT INTO deliveries (office, precedence, seq) VALUES (?, ?, ?)', office, rank, seq);
  }
  return { kind: 'stored', seq };
}

export function getCable(sql: Sql, id: CableId): CableRow | null {
  const row = sql.get(
    `SELECT ${CABLE_INDEX_COLUMNS}, c.envelope, c.envelope_hash, c.seq, c.accepted_at FROM cables c WHERE c.id = ?`,
    id,
  );
  if (row === undefined) return null;
  return {
    ...cableIndex(row),
    envelope: blob(row, 'envelope'),
    envelopeHash: blob(row, 'envelope_hash'),
    seq: int(row, 'seq'),
    acceptedAt: int(row, 'accepted_at'),
  };
}

export function countCables(sql: Sql): number {
  const row = sql.get('SELECT count(*) AS n FROM cables');
  return row === undefined ? 0 : int(row, 'n');
}

/**
 * Marks a cable read by a user, for every office it reached them through. The first read is kept: marking again
 * changes nothing, so the time answers "when did they first read it". An unknown cable or user is
 * `store.not_found`.
 */
export function markRead(sql: Sql, user: UserId, cable: CableId, at: number): void {
  const readAt = intArg(at, 'at');
  const seq = seqOf(sql, cable);
  if (seq === null) throw new StoreError('store.not_found', `store: no cable ${cable}`);
  sql.run('INSERT INTO reads (user, seq, read_at) VALUES (?, ?, ?) ON CONFLICT (user, seq) DO NOTHING', user, seq, readAt);
}
