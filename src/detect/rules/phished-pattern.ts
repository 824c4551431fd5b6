// phished_pattern: the score that combines signals no single rule trusts alone: unusual reading from a recently new
// device on a recently new network, weighed more at the user's off-hours. The phished-account shape of the EU breach.
import { decayAdd } from '../tally.ts';
import type { Rule } from './rule.ts';

export const phishedPattern: Rule = ({ event, index, user, config, read }) => {
  // A new device on a new network is the intruder's shape; one of them alone is a new laptop at the desk or the
  // usual laptop in a hotel, too common to weigh (low_and_slow still sees unusual reading from them). Only reads
  // well outside the user's offices and topics count: a traveller reads their own portfolio.
  if (!read?.newDevice || !read.newNetwork || read.novelty < 1.5) return undefined;
  const weight = read.novelty * 1.5 * (read.offHours ? 1.5 : 1);
  user.phished = decayAdd(user.phished, user.phishedAt, event.at, config.driftTau, weight);
  user.phishedAt = event.at;
  user.phishedEvidence.push(index);
  if (user.phished >= config.phishedHigh) return { rule: 'phished_pattern', severity: 'high', action: 'freeze', evidence: user.phishedEvidence.list() };
  if (user.phished >= config.phishedMedium) return { rule: 'phished_pattern', severity: 'medium', action: 'step_up', evidence: user.phishedEvidence.list() };
  return undefined;
};
