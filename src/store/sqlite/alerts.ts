// The node's alerts and the security officers' pending clearances (src/node/detection.ts, routes/alerts.ts): the
// detector's evidence and the officers' handling, which the `alert.raised` leaf does not hold.
import type { UserId } from '../../cable/types.ts';
import { isUserId } from '../../cable/ids.ts';
import { StoreError } from '../../errors.ts';
import { AlertActions, AlertSeverities, type AlertAction, type AlertId } from '../../log/event-types.ts';
import { parseAlertId } from '../../log/events.ts';
import { AlertStates, type AlertRow, type AlertState, type ClearanceRequestRow } from '../store.ts';
import type { Row, Sql } from './sql.ts';
import { branded, corrupt, int, intArg, oneOf, optBranded, text } from './columns.ts';

const COLUMNS = 'id, user, rule, severity, action, evidence, trigger_idx, raised_idx, raised_at, state, acknowledged_by';

function alertIdOf(row: Row, column: string): AlertId {
  try {
    return parseAlertId(text(row, column));
  } catch {
    throw corrupt(column);
  }
}

function evidenceOf(row: Row): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(row, 'evidence'));
  } catch {
    throw corrupt('evidence');
  }
  if (!Array.isArray(parsed) || !parsed.every((n): n is number => Number.isSafeInteger(n) && (n as number) >= 0)) throw corrupt('evidence');
  return parsed;
}

function alertRow(row: Row): AlertRow {
  return {
    id: alertIdOf(row, 'id'),
    user: branded(row, 'user', isUserId),
    rule: text(row, 'rule'),
    severity: oneOf(row, 'severity', AlertSeverities),
    action: oneOf(row, 'action', AlertActions),
    evidence: evidenceOf(row),
    triggerIndex: int(row, 'trigger_idx'),
    raisedIndex: int(row, 'raised_idx'),
    raisedAt: int(row, 'raised_at'),
    state: oneOf(row, 'state', AlertStates),
    acknowledgedBy: optBranded(row, 'acknowledged_by', isUserId),
  };
}

export function putAlert(sql: Sql, a: AlertRow): void {
  for (const n of a.evidence) intArg(n, 'evidence');
  sql.run(
    `INSERT INTO alerts (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    a.id,
    a.user,
    a.rule,
    a.severity,
    a.action,
    JSON.stringify(a.evidence),
    intArg(a.triggerIndex, 'triggerIndex'),
    intArg(a.raisedIndex, 'raisedIndex'),
    intArg(a.raisedAt, 'raisedAt'),
    a.state,
    a.acknowledgedBy,
  );
}

export function getAlert(sql: Sql, id: AlertId): AlertRow | null {
  const row = sql.get(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`, id);
  return row === undefined ? null : alertRow(row);
}

export function findAlert(sql: Sql, user: UserId, rule: string, triggerIndex: number): AlertRow | null {
  const row = sql.get(`SELECT ${COLUMNS} FROM alerts WHERE user = ? AND rule = ? AND trigger_idx = ?`, user, rule, intArg(triggerIndex, 'triggerIndex'));
  return row === undefined ? null : alertRow(row);
}

export function listAlerts(sql: Sql, states: readonly AlertState[]): AlertRow[] {
  if (states.length === 0) return [];
  for (const s of states) if (!AlertStates.includes(s)) throw new TypeError('store: unknown alert state');
  const marks = states.map(() => '?').join(', ');
  return sql.all(`SELECT ${COLUMNS} FROM alerts WHERE state IN (${marks}) ORDER BY raised_idx`, ...states).map(alertRow);
}

export function listOpenAlertsOf(sql: Sql, user: UserId, action: AlertAction): AlertRow[] {
  return sql.all(`SELECT ${COLUMNS} FROM alerts WHERE user = ? AND state = 'open' AND action = ? ORDER BY raised_idx`, user, action).map(alertRow);
}

export function countAlerts(sql: Sql): number {
  const row = sql.get('SELECT count(*) AS n FROM alerts');
  return row === undefined ? 0 : int(row, 'n');
}

export function setAlertState(sql: Sql, id: AlertId, state: AlertState, by: UserId | null): void {
  if (!AlertStates.includes(state)) throw new TypeError('store: unknown alert state');
  const result = sql.run('UPDATE alerts SET state = ?, acknowledged_by = coalesce(?, acknowledged_by) WHERE id = ?', state, by, id);
  if (result.changes !== 1) throw new StoreError('store.not_found', `store: no alert ${id}`);
}

export function setAlertAction(sql: Sql, id: AlertId, action: AlertAction): void {
  if (!AlertActions.includes(action)) throw new TypeError('store: unknown alert action');
  const result = sql.run('UPDATE alerts SET action = ? WHERE id = ?', action, id);
  if (result.changes !== 1) throw new StoreError('store.not_found', `store: no alert ${id}`);
}

export function putClearanceRequest(sql: Sql, r: ClearanceRequestRow): void {
  sql.run('INSERT INTO alert_clearances (alert, officer, requested_at) VALUES (?, ?, ?)', r.alert, r.officer, intArg(r.requestedAt, 'requestedAt'));
}

export function getClearanceRequest(sql: Sql, alert: AlertId): ClearanceRequestRow | null {
  const row = sql.get('SELECT alert, officer, requested_at FROM alert_clearances WHERE alert = ?', alert);
  if (row === undefined) return null;
  return { alert: alertIdOf(row, 'alert'), officer: branded(row, 'officer', isUserId), requestedAt: int(row, 'requested_at') };
}

export function deleteClearanceRequest(sql: Sql, alert: AlertId): void {
  sql.run('DELETE FROM alert_clearances WHERE alert = ?', alert);
}
