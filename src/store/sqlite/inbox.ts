// The inbox: cables delivered to a user's offices, FLASH before ROUTINE and newest first, in keyset pages.
//
// Order: precedence rank ascending, then seq descending, then office ascending. One line per (cable, office): a
// cable addressed to two of the user's offices appears twice, because the office is part of what a reader acts on
// (which desk must answer). Read state is per (user, cable), so reading it once marks both lines read.
//
// Each page seeks the `deliveries` primary key (office, precedence, seq) once per (office, precedence) from the
// cursor onward, newest first, and merges the few rows found: the cost of a page is limit × offices × 4 rows at
// most, however long the inbox, where OFFSET or one sorted query over all offices would grow with it.
import type { OfficeCode } from '../../cable/types.ts';
import { isOfficeCode } from '../../cable/ids.ts';
import { DecodeError } from '../../errors.ts';
import type { InboxEntry, InboxPage, InboxQuery } from '../store.ts';
import { StoreLimits } from '../store.ts';
import type { Row, Sql } from './sql.ts';
import { CABLE_INDEX_COLUMNS, cableIndex } from './cables.ts';
import { branded, int, intArg, optInt, PrecedenceRank } from './columns.ts';

/** A position in the order: the last line of the previous page. */
interface Position {
  readonly p: number;
  readonly s: number;
  readonly o: OfficeCode;
}

const LOWEST_RANK = Math.max(...Object.values(PrecedenceRank));
/** Cursors are short; anything longer is refused before decoding. */
const CURSOR_MAX_CHARS = 256;

/** Encodes a position as base64url JSON: opaque to clients, and tied to nothing but the order itself. */
function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Parses a cursor from a client; a malformed one is `encoding.malformed`, never a silently restarted listing. */
function decodeCursor(cursor: string): Position {
  const malformed = (): DecodeError => new DecodeError('encoding.malformed', 'store: malformed inbox cursor');
  if (typeof cursor !== 'string' || cursor.length > CURSOR_MAX_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (typeof parsed !== 'object' || parsed === null) throw malformed();
  const { p, s, o } = parsed as Record<string, unknown>; // a plain object: each field is checked below
  if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < 0 || p > LOWEST_RANK) throw malformed();
  if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) throw malformed();
  if (!isOfficeCode(o)) throw malformed();
  return { p, s, o };
}

function compare(a: Position, b: Position): number {
  if (a.p !== b.p) return a.p - b.p;
  if (a.s !== b.s) return b.s - a.s;
  return a.o < b.o ? -1 : a.o > b.o ? 1 : 0;
}

/** One office's lines of one precedence below a seq, newest first (exported for the query-plan test). */
export const INBOX_PAGE_SQL = `
  SELECT d.office, d.precedence AS rank, d.seq, c.accepted_at, r.read_at, ${CABLE_INDEX_COLUMNS}
  FROM deliveries d
  JOIN cables c ON c.seq = d.seq
  LEFT JOIN reads r ON r.user = ? AND r.seq = d.seq
  WHERE d.office = ? AND d.precedence = ? AND d.seq < ?
  ORDER BY d.seq DESC
  LIMIT ?`;

interface Line {
  readonly position: Position;
  readonly row: Row;
}

/** Up to `want` lines of one office strictly after `after`, in order. */
function officeLines(sql: Sql, user: string, office: OfficeCode, after: Position | null, want: number): Line[] {
  const lines: Line[] = [];
  for (let p = after?.p ?? 0; p <= LOWEST_RANK && lines.length < want; p++) {
    // Within the cursor's precedence, rows of this office come after it when their seq is lower — or equal, when
    // this office sorts after the cursor's (the tie-break of one cable delivered to several offices).
    let below = Number.MAX_SAFE_INTEGER;
    if (after !== null && p === after.p) below = office > after.o ? after.s + 1 : after.s;
    for (const row of sql.all(INBOX_PAGE_SQL, user, office, p, below, want - lines.length)) {
      lines.push({ position: { p: int(row, 'rank'), s: int(row, 'seq'), o: branded(row, 'office', isOfficeCode) }, row });
    }
  }
  return lines;
}

/** One page of a user's inbox; see the module comment for the order. `limit` is capped at StoreLimits. */
export function inbox(sql: Sql, query: InboxQuery): InboxPage {
  const limit = Math.min(intArg(query.limit, 'limit'), StoreLimits.inboxPageMax);
  if (limit < 1) throw new RangeError('store: limit must be at least 1');
  const after = query.after === undefined ? null : decodeCursor(query.after);
  // One more than the page: if any office still has it, there is a next page (every line of the global first
  // limit + 1 is among its own office's first limit + 1).
  const want = limit + 1;
  const lines = [...new Set(query.offices)]
    .flatMap((office) => officeLines(sql, query.user, office, after, want))
    .sort((a, b) => compare(a.position, b.position));
  const page = lines.slice(0, limit);
  const entries = page.map(({ row, position }): InboxEntry => ({
    ...cableIndex(row),
    office: position.o,
    seq: position.s,
    acceptedAt: int(row, 'accepted_at'),
    readAt: optInt(row, 'read_at'),
  }));
  const last = page.at(-1);
  return { entries, next: lines.length > limit && last !== undefined ? encodeCursor(last.position) : null };
}
