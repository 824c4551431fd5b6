// The node's alerts API (docs/node.md "Alerts"), for a security officer's device — `chancery alerts` and the web
// app's Security screen: list, acknowledge, escalate, clear; each answer checked field by field — it is network data.
import { DecodeError } from '../errors.ts';
import { parseAlertId } from '../log/events.ts';
import type { Session } from './session.ts';

export interface ListedAlert {
  readonly id: string;
  readonly user: string;
  readonly rule: string;
  readonly severity: string;
  readonly action: string;
  readonly evidence: readonly number[];
  readonly raisedIndex: number;
  readonly raisedAt: number;
  readonly state: string;
  readonly acknowledgedBy: string | null;
  readonly clearanceRequestedBy: string | null;
}

/** What clearing answered: cleared (and the user unfrozen), or recorded while a second officer is awaited. */
export interface ClearOutcome {
  readonly alert: ListedAlert;
  readonly unfrozen: boolean;
}

const MAX_ALERTS = 10_000;

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError('encoding.malformed', `the node's ${what} is not an object`);
  return value as Record<string, unknown>; // an object: its fields are each checked below
}

export function alertOf(value: unknown): ListedAlert {
  const o = record(value, 'alert');
  const str = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || v.length > 200) throw new DecodeError('encoding.malformed', `the node's alert has no ${k}`);
    return v;
  };
  const optStr = (k: string): string | null => (o[k] === null || o[k] === undefined ? null : str(k));
  const num = (k: string): number => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new DecodeError('encoding.malformed', `the node's alert has no ${k}`);
    return v;
  };
  const evidence = o.evidence;
  if (!Array.isArray(evidence) || evidence.length > 64 || !evidence.every((n): n is number => Number.isSafeInteger(n) && (n as number) >= 0)) {
    throw new DecodeError('encoding.malformed', "the node's alert has no evidence list");
  }
  return {
    id: str('id'),
    user: str('user'),
    rule: str('rule'),
    severity: str('severity'),
    action: str('action'),
    evidence,
    raisedIndex: num('raisedIndex'),
    raisedAt: num('raisedAt'),
    state: str('state'),
    acknowledgedBy: optStr('acknowledgedBy'),
    clearanceRequestedBy: optStr('clearanceRequestedBy'),
  };
}

// An id goes into a path: only the node's own shape passes.
function idPath(id: string): string {
  return `/api/v1/alerts/${parseAlertId(id)}`;
}

/** Open and acknowledged alerts, oldest first (security officers); with `all`, cleared ones too. */
export async function listAlerts(s: Session, options: { all?: boolean } = {}): Promise<ListedAlert[]> {
  const list = record(await s.http.get('/api/v1/alerts', options.all ? { state: 'all' } : {}), 'alert list').alerts;
  if (!Array.isArray(list) || list.length > MAX_ALERTS) throw new DecodeError('encoding.malformed', "the node's alert list is not a list");
  return list.map(alertOf);
}

export async function acknowledgeAlert(s: Session, id: string): Promise<ListedAlert> {
  return alertOf(record(await s.http.post(`${idPath(id)}/acknowledge`, {}), 'answer').alert);
}

/** Clears an alert; a browser device must have stepped up just before. A freeze needs two different officers. */
export async function clearAlert(s: Session, id: string): Promise<ClearOutcome> {
  const body = record(await s.http.post(`${idPath(id)}/clear`, {}), 'answer');
  return { alert: alertOf(body.alert), unfrozen: body.unfrozen === true };
}

/** What an officer may escalate an alert to: its action is raised, never lowered (the node answers 409). */
export const EscalationActions = ['step_up', 'freeze'] as const;
export type EscalationAction = (typeof EscalationActions)[number];

/** What escalating answered: the alert as it now stands, and whether this escalation froze the user. */
export interface EscalateOutcome {
  readonly alert: ListedAlert;
  readonly froze: boolean;
}

/**
 * Escalates an alert to `action` (a browser device must have stepped up just before). `reason`, an officer's note,
 * stays out of the audit log; the node keeps it to 500 characters.
 */
export async function escalateAlert(s: Session, id: string, action: EscalationAction, reason?: string): Promise<EscalateOutcome> {
  const body = record(await s.http.post(`${idPath(id)}/escalate`, reason === undefined ? { action } : { action, reason }), 'answer');
  return { alert: alertOf(body.alert), froze: body.froze === true };
}
