// dormant_wakeup: an account with a history, silent for months, active again: a leaver's or a forgotten account.
import type { Rule } from './rule.ts';

export const dormantWakeup: Rule = ({ event, index, user, config }) =>
  user.reads >= config.warmReads && event.at - user.lastAt >= config.dormantSpan
    ? { rule: 'dormant_wakeup', severity: 'medium', action: 'step_up', evidence: [index] }
    : undefined;
