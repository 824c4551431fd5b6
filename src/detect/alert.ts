// The detector's output (issue 7 "Alert line format"): which rule fired on which user, how bad, what to do, and the
// evidence as 0-based indices of events in the stream (trace lines in a file; audit-log indices in the node).
import type { AlertAction, AlertSeverity } from '../log/event-types.ts';

/** Every rule's name, as the alert line's `rule` spells it; the index is the rule's slot in per-user dedupe state. */
export const RuleNames = [
  'bulk_read',
  'low_and_slow',
  'new_device_or_network',
  'off_hours',
  'old_archive',
  'dormant_wakeup',
  'canary',
  'phished_pattern',
] as const;
export type RuleName = (typeof RuleNames)[number];

export interface Alert {
  readonly at: number;
  readonly user: string;
  readonly rule: RuleName;
  readonly severity: AlertSeverity;
  readonly action: AlertAction;
  readonly evidence: readonly number[];
}

/** Severity as a number, so "medium or above" and "more severe than" are comparisons. */
export const SeverityRank: Readonly<Record<AlertSeverity, number>> = { low: 1, medium: 2, high: 3 };

/** `at` as the trace's `t` (ISO 8601 UTC to the second). */
export function isoSecond(at: number): string {
  return new Date(at - (at % 1000)).toISOString().replace('.000Z', 'Z');
}

/** The alert as issue 7's alert line (JSON, no newline), keys in the issue's order. */
export function toAlertLine(a: Alert): string {
  return JSON.stringify({ t: isoSecond(a.at), user: a.user, rule: a.rule, severity: a.severity, action: a.action, evidence: a.evidence });
}
