// Raising one detector alert at the node (issue 7 "Alerts and actions are audit-log entries"): the alert's row, its
// `alert.raised` entry and, for a freeze, the user's frozen flag with its `user.frozen` entry, in one logged write,
// so the freeze exists exactly when its record does. Idempotent over replays of the log: an alert already stored
// for the same user, rule and judged entry is not raised again.
import type { Alert } from '../../detect/alert.ts';
import { parseUserId } from '../../cable/ids.ts';
import { parseAlertId } from '../../log/events.ts';
import type { AlertId } from '../../log/event-types.ts';
import type { AlertRow } from '../../store/store.ts';
import { loggedWrite } from '../logged-write.ts';
import type { NodeContext } from '../node-context.ts';

/** `a-YYYYMMDD-NNNN`: the day the alert is about, then the node's running count (never reused: rows stay). */
export function alertIdFor(at: number, ordinal: number): AlertId {
  const day = new Date(at).toISOString().slice(0, 10).replaceAll('-', '');
  return parseAlertId(`a-${day}-${String(ordinal).padStart(4, '0')}`);
}

/** What raising did: the stored row, whether it is new, and whether this alert froze the user. */
export interface Raised {
  readonly row: AlertRow;
  readonly fresh: boolean;
  readonly froze: boolean;
}

/**
 * Stores and logs `alert`, raised by judging the entry at `triggerIndex`; for action `freeze`, freezes the user
 * (unless already frozen). Returns null for a user this node does not know (a trace of another node's users).
 */
export async function raiseAlert(node: NodeContext, alert: Alert, triggerIndex: number): Promise<Raised | null> {
  const user = parseUserId(alert.user);
  return loggedWrite(node, { now: node.now(), client: null }, (tx, record): Raised | null => {
    const known = tx.findAlert(user, alert.rule, triggerIndex);
    if (known) return { row: known, fresh: false, froze: false };
    const stored = tx.getUser(user);
    if (!stored) return null;
    const id = alertIdFor(alert.at, tx.countAlerts() + 1);
    const fields = { alert: id, user, rule: alert.rule, severity: alert.severity, action: alert.action };
    const raised = record([{ kind: 'alert.raised', ...fields }]);
    const row: AlertRow = {
      ...fields,
      id,
      evidence: alert.evidence,
      triggerIndex,
      raisedIndex: raised.first,
      raisedAt: node.now(),
      state: 'open',
      acknowledgedBy: null,
    };
    tx.putAlert(row);
    const froze = alert.action === 'freeze' && !stored.frozen;
    if (froze) {
      tx.putUser({ ...stored, frozen: true });
      record([{ kind: 'user.frozen', user, reason: { kind: 'alert', alert: id } }]);
    }
    return { row, fresh: true, froze };
  });
}
