// `chancery alerts list | ack ID | clear ID`: a security officer's device handling the detector's alerts (issue 7;
// docs/node.md "Alerts"). Each command is one call of the node's alerts API; a freeze needs `clear` from two
// different officers, and the first one is told that a second is awaited.
import { InvalidArgumentError, type Command } from 'commander';
import { parseAlertId } from '../log/events.ts';
import type { AlertId } from '../log/event-types.ts';
import { acknowledgeAlert, clearAlert, listAlerts, type ListedAlert } from '../client/alerts.ts';
import { deviceCommand, examples, print, table, withSession, type DeviceOptions } from './io.ts';

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
          print(f, await listAlerts(s, { all: f.all === true }), render);
        }),
      ),
    ['chancery alerts list --key data/keys/ines.moreau.key', 'chancery alerts list --all --json --key data/keys/ines.moreau.key'],
  );
  examples(
    deviceCommand(alerts, 'ack', 'acknowledge an alert: you are on it')
      .argument('<id>', 'the alert id', parseId)
      .action((id: AlertId, f: DeviceOptions) =>
        withSession(f, async (s) => {
          print(f, await acknowledgeAlert(s, id), (a) => renderOne(a));
        }),
      ),
    ['chancery alerts ack a-20260302-0007 --key data/keys/ines.moreau.key'],
  );
  examples(
    deviceCommand(alerts, 'clear', 'clear an alert; a freeze needs this from two different security officers, and the second lifts it')
      .argument('<id>', 'the alert id', parseId)
      .action((id: AlertId, f: DeviceOptions) =>
        withSession(f, async (s) => {
          print(f, await clearAlert(s, id), (r) => renderOne(r.alert, r.unfrozen));
        }),
      ),
    ['chancery alerts clear a-20260302-0007 --key data/keys/ines.moreau.key', 'chancery alerts clear a-20260302-0007 --key data/keys/piotr.nowak.key'],
  );
}
