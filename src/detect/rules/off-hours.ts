// off_hours: reading at an hour this user is almost never active (their own time zone, learned as a UTC hour
// histogram). One such read is low; a night of them is medium.
import { decayAdd } from '../tally.ts';
import type { Rule } from './rule.ts';

export const offHours: Rule = ({ event, index, user, config, read }) => {
  if (!read?.offHours) return undefined;
  user.offHours = decayAdd(user.offHours, user.offHoursAt, event.at, config.offHoursTau, 1);
  user.offHoursAt = event.at;
  user.offHoursEvidence.push(index);
  const severity = user.offHours >= config.offHoursMedium ? 'medium' : 'low';
  return { rule: 'off_hours', severity, action: 'alert', evidence: user.offHoursEvidence.list() };
};
