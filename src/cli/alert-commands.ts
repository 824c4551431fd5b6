// `chancery alerts list | ack ID | escalate ID --to ACTION | clear ID`: a security officer's device handling the detector's alerts (issue 7;
// docs/node.md "Alerts"). Each command is one call of the node's alerts API; a freeze needs `clear` from two
// different officers, and the first one is told that a second is awaited.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseAlertId } from '../log/events.ts';
import type { AlertId } from '../log/event-types.ts';
import { acknowledgeAlert, clearAlert, escalateAlert, EscalationActions, listAlerts, type EscalationAction, type ListedAlert } from '../client/alerts.ts';
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
    deviceCommand(alerts, 'escalate', "raise an alert's action: step_up (the user's next read needs a passkey step-up) or freeze (two officers must clear it)")
      .argument('<id>', 'the alert id', parseId)
      .addOption(new Option('--to <action>', 'the action to raise it to').choices(EscalationActions).makeOptionMandatory())
      .option('--reason <text>', 'your note on why (not in the audit log; up to 500 characters)')
      .action((id: AlertId, f: DeviceOptions & { to: EscalationAction; reason?: string }) =>
        withSession(f, async (s) => {
          print(f, await escalateAlert(s, id, f.to, f.reason), (r) => `alert ${r.alert.id} escalated to ${r.alert.action}${r.froze ? `; ${r.alert.user} is frozen` : ''}`);
        }),
      ),
    ['chancery alerts escalate a-20260302-0007 --to freeze --key data/keys/ines.moreau.key', 'chancery alerts escalate a-20260302-0007 --to step_up --reason "new network, confirm with the user" --key data/keys/ines.moreau.key'],
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
