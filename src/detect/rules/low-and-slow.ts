// low_and_slow: reads outside the user's usual offices, tags and levels, accumulated over days with decay, so a few
// a day adds up while an occasional curiosity fades (the EU breach's "small pieces"). Judged as a share of the user's
// own reading too: a heavy reader's followed-but-rare offices add up to many unusual reads without drifting.
import { decayFactor } from '../tally.ts';
import type { Rule } from './rule.ts';

export const lowAndSlow: Rule = ({ event, index, user, config, read }) => {
  if (!read?.warm) return undefined;
  // A followed office's rare topic is everyday reading; only reads well outside the pattern drift.
  const novelty = read.novelty >= config.driftMinNovelty ? read.novelty : 0;
  const decay = decayFactor(user.driftAt, event.at, config.driftTau);
  user.drift = user.drift * decay + novelty;
  user.driftReads = user.driftReads * decay + 1;
  user.driftAt = event.at;
  if (novelty <= 0) return undefined;
  user.driftEvidence.push(index);
  const share = user.drift / user.driftReads;
  if (user.drift >= config.driftHigh && share >= config.driftShareHigh) return { rule: 'low_and_slow', severity: 'high', action: 'freeze', evidence: user.driftEvidence.list() };
  // A light reader drifts in fewer reads, so a smaller drift counts when it is a larger share of their reading.
  const medium = (user.drift >= config.driftMedium && share >= config.driftShareMedium) || (user.drift >= config.driftMedium / 2 && share >= 2 * config.driftShareMedium);
  if (medium) return { rule: 'low_and_slow', severity: 'medium', action: 'step_up', evidence: user.driftEvidence.list() };
  return undefined;
};
