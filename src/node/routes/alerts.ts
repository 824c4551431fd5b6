// Alerts for the node's security officers (issue 7 "security officers … can acknowledge, clear or escalate"): the
// open alerts with their evidence, an acknowledgement, an escalation, and clearing. Acknowledging logs
// `alert.acknowledged`. Escalating raises the alert's action — never lowers it — and applies it in the same logged
// write as its `alert.escalated` entry: a freeze freezes the user exactly as the detector's does (`user.frozen`,
// reason the alert), so clearing it takes two officers; a step_up reopens the alert, so the user's next share needs
// a fresh passkey step-up (detection/step-up.ts). Clearing a freeze takes two different officers: the first request
// waits in the store, the second clears the alert and unfreezes the user in one logged write. An officer who wants to
// freeze a user with no alert still does so through POST /api/v1/users (a `user.frozen` entry by that officer).
import type { UserId } from '../../cable/types.ts';
import { PolicyError, RequestError } from '../../errors.ts';
import { parseAlertId } from '../../log/events.ts';
import { AlertActions, type AlertAction, type AlertId } from '../../log/event-types.ts';
import type { AlertRow, StoreTx } from '../../store/store.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { loggedWrite } from '../logged-write.ts';
import { jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';

/** An alert as the API shows it: the row, and who asked first to clear it when a second officer is awaited. */
function alertView(tx: StoreTx, row: AlertRow): Record<string, unknown> {
  const pending = row.state === 'cleared' ? null : tx.getClearanceRequest(row.id);
  return { ...row, clearanceRequestedBy: pending?.officer ?? null };
}

function alertIdParam(value: string | undefined): AlertId {
  try {
    return parseAlertId(value ?? '');
  } catch {
    throw new RequestError('request.malformed', 'not an alert id');
  }
}

function openAlert(tx: StoreTx, id: AlertId): AlertRow {
  const row = tx.getAlert(id);
  if (!row) throw new RequestError('request.not_found', `no alert ${id}`);
  if (row.state === 'cleared') throw new RequestError('request.conflict', `alert ${id} is already cleared`);
  return row;
}

/** Whether another freeze of `user` is still standing: clearing one alert must not lift a freeze another holds. */
function otherFreeze(tx: StoreTx, user: UserId, except: AlertId): boolean {
  return tx.listAlerts(['open', 'acknowledged']).some((a) => a.user === user && a.action === 'freeze' && a.id !== except);
}

/** An officer's note on an escalation: kept out of the log (free text about a person), and short. */
const REASON_MAX_CHARS = 500;

/** The actions an officer may escalate to, weakest first: escalation only ever moves right. */
const ESCALATIONS = ['step_up', 'freeze'] as const satisfies readonly AlertAction[];
const rank = (action: AlertAction): number => AlertActions.indexOf(action);

export const alertRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/alerts',
    summary: 'Open and acknowledged alerts, oldest first, with the log indices of their evidence (security officers); ?state=all adds cleared ones',
    auth: 'device',
    handle(node, input) {
      const caller = callerOf(input.caller);
      const state = input.query.get('state');
      if (state !== null && state !== 'all') throw new RequestError('request.malformed', 'state must be "all" or absent');
      return node.store.transaction((tx) => {
        requireOfficer(tx, caller);
        const rows = tx.listAlerts(state === 'all' ? ['open', 'acknowledged', 'cleared'] : ['open', 'acknowledged']);
        return { body: { alerts: rows.map((r) => alertView(tx, r)) } };
      });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/alerts/:id/acknowledge',
    summary: 'Acknowledge an alert: a security officer is on it (beside the alert, and alert.acknowledged logged)',
    auth: 'device',
    async handle(node, input) {
      const caller = callerOf(input.caller);
      const id = alertIdParam(input.params.id);
      const body = await loggedWrite(node, input, (tx, record) => {
        requireOfficer(tx, caller);
        openAlert(tx, id);
        tx.setAlertState(id, 'acknowledged', caller.user);
        record([{ kind: 'alert.acknowledged', alert: id, officer: caller.user }]);
        return { alert: alertView(tx, tx.getAlert(id)!) };
      });
      node.log.info({ alert: id, by: caller.user }, 'alert acknowledged');
      return { body };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/alerts/:id/escalate',
    summary:
      "Escalate an alert to {action: 'step_up' | 'freeze', reason?} (security officers): raises its action, never lowers it (409), applies it and logs alert.escalated in one write; a freeze also freezes the user (user.frozen), a step_up reopens the alert. The reason is not logged",
    auth: 'device',
    stepUp: true,
    async handle(node, input) {
      const caller = callerOf(input.caller);
      const id = alertIdParam(input.params.id);
      const f = jsonBody(input.body, 'escalation', ['action'], ['reason']);
      const action = f.oneOf('action', ESCALATIONS);
      const reason = f.has('reason') ? f.text('reason', REASON_MAX_CHARS) : null;
      const froze = await loggedWrite(node, input, (tx, record) => {
        requireOfficer(tx, caller);
        const row = openAlert(tx, id);
        if (rank(action) <= rank(row.action)) {
          throw new RequestError('request.conflict', `alert ${id} already asks for ${row.action}: escalation only raises an alert's action`);
        }
        tx.setAlertAction(id, action);
        record([{ kind: 'alert.escalated', alert: id, officer: caller.user, action }]);
        // A step_up holds only while its alert is open (detection/step-up.ts): an acknowledged one is reopened.
        if (action === 'step_up' && row.state !== 'open') tx.setAlertState(id, 'open', null);
        const user = tx.getUser(row.user);
        const freezes = action === 'freeze' && user !== null && !user.frozen;
        if (freezes) {
          tx.putUser({ ...user, frozen: true });
          record([{ kind: 'user.frozen', user: row.user, reason: { kind: 'alert', alert: id } }]);
        }
        return freezes;
      });
      // The note goes to the node's own log for the officers' follow-up, never to the audit log.
      node.log.warn({ alert: id, by: caller.user, action, froze, ...(reason === null ? {} : { reason }) }, 'alert escalated');
      const body = node.store.transaction((tx) => ({ alert: alertView(tx, tx.getAlert(id)!), froze }));
      return { body };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/alerts/:id/clear',
    summary:
      'Clear an alert (security officers). A freeze needs two different officers: the first request is recorded (202), the second clears it and unfreezes the user, logging alert.cleared and user.unfrozen',
    auth: 'device',
    stepUp: true,
    async handle(node, input) {
      const caller = callerOf(input.caller);
      const id = alertIdParam(input.params.id);
      const outcome = await loggedWrite(node, input, (tx, record) => {
        requireOfficer(tx, caller);
        const row = openAlert(tx, id);
        const fields = { alert: row.id, user: row.user, rule: row.rule, severity: row.severity, action: row.action };
        let by: UserId[] = [caller.user];
        if (row.action === 'freeze') {
          const first = tx.getClearanceRequest(id);
          if (!first) {
            tx.putClearanceRequest({ alert: id, officer: caller.user, requestedAt: input.now });
            return { status: 202, by, unfrozen: false };
          }
          if (first.officer === caller.user) throw new PolicyError('policy.two_officers_required', 'a second, different security officer must clear a freeze');
          by = [first.officer, caller.user];
          tx.deleteClearanceRequest(id);
        }
        record([{ kind: 'alert.cleared', ...fields, by }]);
        tx.setAlertState(id, 'cleared', null);
        const user = tx.getUser(row.user);
        const unfrozen = row.action === 'freeze' && user !== null && user.frozen && !otherFreeze(tx, row.user, id);
        if (unfrozen) {
          tx.putUser({ ...user, frozen: false });
          record([{ kind: 'user.unfrozen', user: row.user, by }]);
        }
        return { status: 200, by, unfrozen };
      });
      node.log.info({ alert: id, by: outcome.by, unfrozen: outcome.unfrozen }, outcome.status === 202 ? 'alert clearance requested' : 'alert cleared');
      const body = node.store.transaction((tx) => ({ alert: alertView(tx, tx.getAlert(id)!), unfrozen: outcome.unfrozen }));
      return { status: outcome.status, body };
    },
  },
];
