// The audit log's alert-handling events (issue 7 "security officers … can acknowledge, clear or escalate"): an
// acknowledgement and an escalation, each naming the alert and who acted, never the user's personal details (the
// `alert.raised` entry already names the user). Kept beside event-types.ts, which unions them into LogEntry; the
// CBOR mapping is alert-fields.ts.
import type { UserId } from '../cable/types.ts';
import type { AlertAction, AlertId, EntryHeader } from './event-types.ts';

type Entry<K extends string, F> = EntryHeader & { readonly kind: K } & F;

export const AlertHandlingKinds = ['alert.acknowledged', 'alert.escalated'] as const;

/**
 * `officer` acknowledged `alert`: a security officer is on it, or — for a `step_up` alert — the user themselves took
 * the fresh passkey step-up it asked for (then `officer` is the alert's user). No `user` field: an ordinary device
 * is not shown it (the user's own read entry, in the same write, is).
 */
export type AlertAcknowledged = Entry<'alert.acknowledged', { readonly alert: AlertId; readonly officer: UserId }>;

/**
 * The security officer `officer` raised `alert`'s action to `action` (`step_up` or `freeze`, never lower than
 * before). An officer's note on why is not here: it is free text about a person.
 */
export type AlertEscalated = Entry<'alert.escalated', { readonly alert: AlertId; readonly officer: UserId; readonly action: AlertAction }>;

export type AlertHandlingEntry = AlertAcknowledged | AlertEscalated;
