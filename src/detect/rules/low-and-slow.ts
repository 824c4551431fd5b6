// low_and_slow: reads outside the user's usual offices, tags and levels, accumulated over days with decay, so a few
// a day adds up while an occasional curiosity fades (the EU breach's "small pieces").
import { decayAdd } from '../tally.ts';
import type { Rule } from './rule.ts';

export const lowAndSlow: Rule = ({ event, index, user, config, read }) => {
  if (!read?.warm) return undefined;
  user.drift = decayAdd(user.drift, user.driftAt, event.at, config.driftTau, read.novelty);
  user.driftAt = event.at;
  if (read.novelty <= 0) return undefined;
  user.driftEvidence.push(index);
  if (user.drift >= config.driftHigh) return { rule: 'low_and_slow', severity: 'high', action: 'freeze', evidence: user.driftEvidence.list() };
  if (user.drift >= config.driftMedium) return { rule: 'low_and_slow', severity: 'medium', action: 'step_up', evidence: user.driftEvidence.list() };
  return undefined;
};
