// old_archive: cables long archived, in an age band the office's readers hardly ever open and this user neither.
import { ageBand } from '../office-norms.ts';
import { decayFactor } from '../tally.ts';
import type { Rule } from './rule.ts';

/** The office's histogram needs this many (decayed) reads before "hardly ever" means anything. */
const OFFICE_SEEN = 100;
const USER_RARE = 0.02;

export const oldArchive: Rule = ({ event, index, user, config, read }) => {
  if (!read) return undefined;
  const age = event.ageDays;
  const decay = decayFactor(user.oldAt, event.at, config.oldTau);
  const oldReads = user.oldReads * decay + 1;
  const old = user.old * decay;
  user.oldReads = oldReads;
  user.old = old;
  user.oldAt = event.at;
  if (!read.cableOffice || age === undefined || age < config.oldAgeDays) return undefined;
  const band = ageBand(age);
  const office = read.cableOffice;
  if (office.agesSeen(read.inflation) < OFFICE_SEEN || office.ageShare(band) >= config.oldRareShare || user.rows.ages.share(user.row, band) >= USER_RARE) return undefined;
  user.old += 1;
  user.oldEvidence.push(index);
  // Everyone opens an old cable now and then: medium takes many, and a real share of the user's reading.
  const medium = user.old >= config.oldMedium && user.old >= config.oldShareMedium * user.oldReads;
  return { rule: 'old_archive', severity: medium ? 'medium' : 'low', action: 'alert', evidence: user.oldEvidence.list() };
};
