// phished_pattern: the score that combines signals no single rule trusts alone: unusual reading from a recently new
// device or network, weighed more at the user's off-hours. The phished-account shape of the EU breach.
import { decayAdd } from '../tally.ts';
import type { Rule } from './rule.ts';

export const phishedPattern: Rule = ({ event, index, user, config, read }) => {
  if (!read?.newSource || read.novelty <= 0) return undefined;
  const weight = read.novelty * (read.offHours ? 1.5 : 1);
  user.phished = decayAdd(user.phished, user.phishedAt, event.at, config.driftTau, weight);
  user.phishedAt = event.at;
  user.phishedEvidence.push(index);
  if (user.phished >= config.phishedHigh) return { rule: 'phished_pattern', severity: 'high', action: 'freeze', evidence: user.phishedEvidence.list() };
  if (user.phished >= config.phishedMedium) return { rule: 'phished_pattern', severity: 'medium', action: 'step_up', evidence: user.phishedEvidence.list() };
  return undefined;
};
