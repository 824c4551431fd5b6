// Alerts: what the detector raised, open or acknowledged, with the log indices of its evidence. Acknowledge says an
// officer is on it; Escalate raises the alert's action (step-up, then freeze; never lower) and Clear ends it, each
// after a fresh passkey step-up; a freeze needs a second, different officer's clear too.
import { useState } from 'preact/hooks';
import { useApp } from '../device-context.ts';
import { useTask } from '../components/use-task.ts';
import { acknowledgeAlert, clearAlert, escalateAlert, EscalationActions, listAlerts, type EscalationAction, type ListedAlert } from '../../../src/client/alerts.ts';
import { useLoad, utc } from './use-load.ts';

function stateOf(a: ListedAlert): string {
  if (a.clearanceRequestedBy) return `${a.state}; clearance asked by ${a.clearanceRequestedBy}, a second officer must clear`;
  // An escalation to step-up reopens an acknowledged alert: "open by" would misread.
  return a.acknowledgedBy && a.state !== 'open' ? `${a.state} by ${a.acknowledgedBy}` : a.state;
}

const ESCALATION_LABELS: Readonly<Record<EscalationAction, string>> = { step_up: 'Require step-up', freeze: 'Freeze user' };
const ACTION_RANK: readonly string[] = ['alert', ...EscalationActions];

/** The actions above `current`: an escalation never lowers an alert's action. */
const escalationsAbove = (current: string): EscalationAction[] => EscalationActions.filter((a) => ACTION_RANK.indexOf(a) > ACTION_RANK.indexOf(current));

function AlertRow({ alert, onChanged }: { readonly alert: ListedAlert; readonly onChanged: (message: string) => void }) {
  const app = useApp();
  const { session } = app.device;
  const ack = useTask(async () => {
    const a = await acknowledgeAlert(session, alert.id);
    onChanged(`Alert ${a.id} acknowledged.`);
  });
  const clear = useTask(async () => {
    await app.device.stepUp();
    const { alert: a, unfrozen } = await clearAlert(session, alert.id);
    if (a.state === 'cleared') onChanged(`Alert ${a.id} cleared${unfrozen ? `; ${a.user} is no longer frozen` : ''}.`);
    else onChanged(`Clearance of alert ${a.id} recorded: a second, different security officer must clear it too.`);
  });
  const higher = escalationsAbove(alert.action);
  const [target, setTarget] = useState<EscalationAction | null>(higher[0] ?? null);
  const chosen = target !== null && higher.includes(target) ? target : (higher[0] ?? null);
  const escalate = useTask(async () => {
    if (chosen === null) return;
    await app.device.stepUp();
    const { alert: a, froze } = await escalateAlert(session, alert.id, chosen);
    onChanged(`Alert ${a.id} escalated to ${a.action}${froze ? `; ${a.user} is frozen` : ''}.`);
  });
  const error = ack.error ?? escalate.error ?? clear.error;
  return (
    <tr data-testid="alert-row" data-alert={alert.id}>
      <td><code>{alert.id}</code></td>
      <td>{alert.user}</td>
      <td>{alert.rule}</td>
      <td><span class={`severity sev-${alert.severity}`}>{alert.severity}</span></td>
      <td>{alert.action}</td>
      <td>{alert.evidence.join(', ') || '—'}</td>
      <td><time dateTime={new Date(alert.raisedAt).toISOString()}>{utc(alert.raisedAt)}</time></td>
      <td>{stateOf(alert)}</td>
      <td>
        <div class="row-actions">
          <button type="button" class="secondary" disabled={ack.busy || alert.state !== 'open'} aria-label={`Acknowledge alert ${alert.id}`} onClick={() => void ack.run()}>
            Acknowledge
          </button>
          {chosen !== null ? (
            <>
              <select
                aria-label={`Escalate alert ${alert.id} to`}
                value={chosen}
                disabled={escalate.busy}
                onChange={(e) => setTarget(higher.find((a) => a === e.currentTarget.value) ?? null)}
              >
                {higher.map((a) => (
                  <option key={a} value={a}>{ESCALATION_LABELS[a]}</option>
                ))}
              </select>
              <button type="button" class="secondary" disabled={escalate.busy} aria-label={`Escalate alert ${alert.id}`} onClick={() => void escalate.run()}>
                {escalate.busy ? 'Escalating…' : 'Escalate'}
              </button>
            </>
          ) : null}
          <button type="button" class="secondary" disabled={clear.busy} aria-label={`Clear alert ${alert.id}`} onClick={() => void clear.run()}>
            {clear.busy ? 'Clearing…' : 'Clear'}
          </button>
        </div>
        {error ? <p class="error" role="alert">{error}</p> : null}
      </td>
    </tr>
  );
}

export function AlertsPanel() {
  const alerts = useLoad(listAlerts);
  const [message, setMessage] = useState<string | null>(null);
  const changed = (m: string) => {
    setMessage(m);
    alerts.reload();
  };
  return (
    <div>
      <p class="lead">Open and acknowledged alerts, oldest first. Evidence gives the audit log indices (verify them under Audit log).</p>
      {message ? <p class="notice" role="status">{message}</p> : null}
      {alerts.error ? <p class="error" role="alert">{alerts.error}</p> : null}
      {alerts.data === null ? (
        alerts.error ? null : <p aria-busy="true">Loading alerts…</p>
      ) : alerts.data.length === 0 ? (
        <p data-testid="alerts-empty">No open alerts.</p>
      ) : (
        <div class="table-wrap">
          <table class="sec-table">
            <caption class="visually-hidden">Alerts</caption>
            <thead>
              <tr>
                <th scope="col">Alert</th><th scope="col">User</th><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Action</th>
                <th scope="col">Evidence (log indices)</th><th scope="col">Raised</th><th scope="col">State</th><th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.map((a) => (
                <AlertRow key={a.id} alert={a} onChanged={changed} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
