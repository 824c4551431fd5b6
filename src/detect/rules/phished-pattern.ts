// phished_pattern: the score that combines signals no single rule trusts alone: unusual reading from a recently new
// device on a recently new network, weighed more at the user's off-hours. The phished-account shape of the EU breach.
// An account too new for a history of its own is judged on young sources against its office (young-account.ts).
import { decayAdd } from '../tally.ts';
import type { Rule } from './rule.ts';

export const phishedPattern: Rule = ({ event, index, user, config, read }) => {
  // A new device on a new network is the intruder's shape; one of them alone is a new laptop at the desk or the
  // usual laptop in a hotel, too common to weigh (low_and_slow still sees unusual reading from them). Only reads
  // well outside the user's offices and topics count: a traveller reads their own portfolio.
  if (!read) return undefined;
  let weight = 0;
  if (read.newDevice && read.newNetwork) {
    if (read.novelty < 1.5) return undefined;
    weight = read.novelty * 1.5 * (read.offHours ? 1.5 : 1);
  } else if (read.youngSource) {
    // Until the account's own interests are judged, its office's stand in (and its hours for the owner's).
    const mature = user.reads >= config.interestReads && user.days >= config.matureDays;
    const novelty = mature ? read.novelty : read.officeNovelty;
    const offHours = mature ? read.offHours : read.officeOffHours;
    if (novelty < (offHours ? config.youngOffHoursNovelty : config.youngMinNovelty)) return undefined;
    weight = novelty * 1.5 * (offHours ? 1.5 : 1);
  } else return undefined;
  user.phished = decayAdd(user.phished, user.phishedAt, event.at, config.driftTau, weight);
  user.phishedAt = event.at;
  user.phishedEvidence.push(index);
  if (user.phished >= config.phishedHigh) return { rule: 'phished_pattern', severity: 'high', action: 'freeze', evidence: user.phishedEvidence.list() };
  if (user.phished >= config.phishedMedium) return { rule: 'phished_pattern', severity: 'medium', action: 'step_up', evidence: user.phishedEvidence.list() };
  return undefined;
};
