// phished_pattern: the score that combines signals no single rule trusts alone: unusual reading from a recently new
// device or network, weighed more at the user's off-hours. The phished-account shape of the EU breach.
import { decayAdd } from '../tally.ts';
import type { Rule } from './rule.ts';

export const phishedPattern: Rule = ({ event, index, user, config, read }) => {
  // Only reads outside both the user's offices and their topics count: a traveller reads their own portfolio.
  if (!read?.newSource || read.novelty < 1.5) return undefined;
  // A new device on a new network is the intruder's shape; one of them alone is often a new laptop or a hotel.
  const weight = read.novelty * (read.newDevice && read.newNetwork ? 1.5 : 0.6) * (read.offHours ? 1.5 : 1);
  user.phished = decayAdd(user.phished, user.phishedAt, event.at, config.driftTau, weight);
  user.phishedAt = event.at;
  user.phishedEvidence.push(index);
  if (user.phished >= config.phishedHigh) return { rule: 'phished_pattern', severity: 'high', action: 'freeze', evidence: user.phishedEvidence.list() };
  if (user.phished >= config.phishedMedium) return { rule: 'phished_pattern', severity: 'medium', action: 'step_up', evidence: user.phishedEvidence.list() };
  return undefined;
};
