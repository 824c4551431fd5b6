// The cables the security officers marked as canaries (src/node/routes/canaries.ts): the detector judges any
// opening of one as a high alert and a freeze (src/node/detection.ts). The marks are logged as `canary.marked`.
import type { CableId } from '../../cable/types.ts';
import { isCableId, isUserId } from '../../cable/ids.ts';
import type { CanaryRow } from '../store.ts';
import type { Row, Sql } from './sql.ts';
import { branded, int, intArg } from './columns.ts';

function canaryRow(row: Row): CanaryRow {
  return { cable: branded(row, 'cable', isCableId), officer: branded(row, 'officer', isUserId), markedAt: int(row, 'marked_at') };
}

/** Throws `store.conflict` for a cable already marked. */
export function markCanary(sql: Sql, c: CanaryRow): void {
  sql.run('INSERT INTO canaries (cable, officer, marked_at) VALUES (?, ?, ?)', c.cable, c.officer, intArg(c.markedAt, 'markedAt'));
}

export function isCanary(sql: Sql, cable: CableId): boolean {
  return sql.get('SELECT 1 AS n FROM canaries WHERE cable = ?', cable) !== undefined;
}

export function getCanary(sql: Sql, cable: CableId): CanaryRow | null {
  const row = sql.get('SELECT cable, officer, marked_at FROM canaries WHERE cable = ?', cable);
  return row === undefined ? null : canaryRow(row);
}

export function listCanaries(sql: Sql): CanaryRow[] {
  return sql.all('SELECT cable, officer, marked_at FROM canaries ORDER BY marked_at, cable').map(canaryRow);
}
