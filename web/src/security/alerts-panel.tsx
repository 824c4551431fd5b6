// Alerts: what the detector raised, open or acknowledged, with the log indices of its evidence. Acknowledge says an
// officer is on it; Clear needs a fresh passkey step-up, and a freeze a second, different officer's clear too.
import { useState } from 'preact/hooks';
import { useApp } from '../device-context.ts';
import { useTask } from '../components/use-task.ts';
import { acknowledgeAlert, clearAlert, listAlerts, type ListedAlert } from '../../../src/client/alerts.ts';
import { useLoad, utc } from './use-load.ts';

function stateOf(a: ListedAlert): string {
  if (a.clearanceRequestedBy) return `${a.state}; clearance asked by ${a.clearanceRequestedBy}, a second officer must clear`;
  return a.acknowledgedBy ? `${a.state} by ${a.acknowledgedBy}` : a.state;
}

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
  const error = ack.error ?? clear.error;
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
