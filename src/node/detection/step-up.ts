// The detector's `step_up` action made real (issue 7 "require step-up (fresh passkey assertion) before the next
// read"; docs/detection.md "Step-up"): while a user has an open step_up alert, every release share for them needs a
// fresh passkey step-up on the requesting browser's session, taken inside the very write that appends the read, so
// an alert raised between the route's policy check and its append still holds. Taking it satisfies the alert: the
// alert moves to `acknowledged` with the user themselves as the one who acknowledged it, and an `alert.acknowledged`
// entry in their name, committed with the read that followed, and the requirement lifts. A CLI device has no
// passkey: an officer must acknowledge or clear it.
import type { UserId } from '../../cable/types.ts';
import { AuthError } from '../../errors.ts';
import type { AlertId } from '../../log/event-types.ts';
import type { AlertRow, StoreTx } from '../../store/store.ts';
import type { LogEvent } from '../audit-log.ts';
import type { WebSessionRow } from '../../store/web-auth.ts';
import { takeStepUp } from '../web-auth/sessions.ts';

/**
 * The alerts that stand between `user` and their next read: step_up alerts still `open`. An officer's
 * acknowledgement or clearance lifts one, and so does the user's own step-up (which acknowledges it in their name).
 */
export function pendingStepUps(tx: StoreTx, user: UserId): AlertRow[] {
  return tx.listOpenAlertsOf(user, 'step_up');
}

/** Whether `alert` was satisfied by its own user's step-up rather than acknowledged by an officer. */
export function satisfiedByStepUp(alert: AlertRow): boolean {
  return alert.action === 'step_up' && alert.acknowledgedBy === alert.user && alert.state !== 'open';
}

/**
 * In the share's write, before its entry is appended: nothing for a user with no open step_up alert; otherwise
 * takes the browser session's step-up and acknowledges those alerts in the user's name, with one
 * `alert.acknowledged` entry each through `append` (the share's own write, so the write's rollback undoes all of
 * it if the share fails after), returning their ids. `session` is null for a CLI device: refused.
 * `auth.step_up_required` (401) when the step-up is missing, stale or already used.
 */
export function satisfyStepUpForShare(
  tx: StoreTx,
  user: UserId,
  session: WebSessionRow | null,
  now: number,
  append: (events: readonly LogEvent[]) => void,
): readonly AlertId[] {
  const pending = pendingStepUps(tx, user);
  if (pending.length === 0) return [];
  if (session === null) {
    throw new AuthError(
      'auth.step_up_required',
      'a security alert asks you to confirm it is you before your next read: confirm with your passkey in the Chancery web app, or ask a security officer to acknowledge or clear the alert',
    );
  }
  if (!takeStepUp(tx, session.idHash, now)) {
    throw new AuthError('auth.step_up_required', 'a security alert asks you to confirm it is you: confirm with your passkey (step-up), then open it again within 2 minutes');
  }
  for (const alert of pending) tx.setAlertState(alert.id, 'acknowledged', user);
  append(pending.map((a): LogEvent => ({ kind: 'alert.acknowledged', alert: a.id, officer: user })));
  return pending.map((a) => a.id);
}
