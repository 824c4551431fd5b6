// `chancery alerts list | ack ID | clear ID`: a security officer's device handling the detector's alerts (issue 7;
// docs/node.md "Alerts"). Each command is one call of the node's alerts API; a freeze needs `clear` from two
// different officers, and the first one is told that a second is awaited.
import { InvalidArgumentError, type Command } from 'commander';
import { DecodeError } from '../errors.ts';
import { parseAlertId } from '../log/events.ts';
import type { AlertId } from '../log/event-types.ts';
import { deviceCommand, examples, print, table, withSession, type DeviceOptions } from './io.ts';

/** An alert as the node lists it, checked field by field: the answer is network data. */
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

const MAX_ALERTS = 10_000;

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError('encoding.malformed', `the node's ${what} is not an object`);
  return value as Record<string, unknown>; // an object: its fields are each checked below
}

function alertOf(value: unknown): ListedAlert {
  const o = record(value, 'alert');
  const str = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || v.length > 200) throw new DecodeError('encoding.malformed', `the node's alert has no ${k}`);
    return v;
  };
  const optStr = (k: string): string | null => (o[k] === null ? null : str(k));
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

function parseId(value: string): AlertId {
  try {
    return parseAlertId(value);
  } catch {
    throw new InvalidArgumentError('expected an alert id (a-20260302-0007)');
  }
}

const render = (alerts: readonly ListedAlert[]): string =>
  alerts.length === 0
    ? 'no open alerts'
    : table(
        ['ID', 'RAISED', 'USER', 'RULE', 'SEVERITY', 'ACTION', 'STATE', 'EVIDENCE'],
        alerts.map((a) => [
          a.id,
          new Date(a.raisedAt).toISOString().slice(0, 19),
          a.user,
          a.rule,
          a.severity,
          a.action,
          a.clearanceRequestedBy ? `${a.state}, clearance asked by ${a.clearanceRequestedBy}` : a.state,
          a.evidence.join(','),
        ]),
      );

function renderOne(a: ListedAlert, unfrozen = false): string {
  if (a.state === 'cleared') return `alert ${a.id} cleared${unfrozen ? `; ${a.user} is no longer frozen` : ''}`;
  if (a.clearanceRequestedBy) return `alert ${a.id}: clearance recorded for ${a.clearanceRequestedBy}; a second, different security officer must clear it too`;
  return `alert ${a.id} ${a.state}${a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}`;
}

export function registerAlertCommands(program: Command): void {
  const alerts = program.command('alerts').description("the detector's alerts at your node (security officers)");
  examples(
    deviceCommand(alerts, 'list', 'open and acknowledged alerts, with the log indices of their evidence')
      .option('--all', 'cleared alerts too')
      .action((f: DeviceOptions & { all?: boolean }) =>
        withSession(f, async (s) => {
          const body = record(await s.http.get('/api/v1/alerts', f.all ? { state: 'all' } : {}), 'alert list');
          const list = body.alerts;
          if (!Array.isArray(list) || list.length > MAX_ALERTS) throw new DecodeError('encoding.malformed', "the node's alert list is not a list");
          print(f, list.map(alertOf), render);
        }),
      ),
    ['chancery alerts list --key data/keys/ines.moreau.key', 'chancery alerts list --all --json --key data/keys/ines.moreau.key'],
  );
  examples(
    deviceCommand(alerts, 'ack', 'acknowledge an alert: you are on it')
      .argument('<id>', 'the alert id', parseId)
      .action((id: AlertId, f: DeviceOptions) =>
        withSession(f, async (s) => {
          const body = record(await s.http.post(`/api/v1/alerts/${id}/acknowledge`, {}), 'answer');
          print(f, alertOf(body.alert), (a) => renderOne(a));
        }),
      ),
    ['chancery alerts ack a-20260302-0007 --key data/keys/ines.moreau.key'],
  );
  examples(
    deviceCommand(alerts, 'clear', 'clear an alert; a freeze needs this from two different security officers, and the second lifts it')
      .argument('<id>', 'the alert id', parseId)
      .action((id: AlertId, f: DeviceOptions) =>
        withSession(f, async (s) => {
          const body = record(await s.http.post(`/api/v1/alerts/${id}/clear`, {}), 'answer');
          const unfrozen = body.unfrozen === true;
          print(f, { alert: alertOf(body.alert), unfrozen }, (r) => renderOne(r.alert, r.unfrozen));
        }),
      ),
    ['chancery alerts clear a-20260302-0007 --key data/keys/ines.moreau.key', 'chancery alerts clear a-20260302-0007 --key data/keys/piotr.nowak.key'],
  );
}
