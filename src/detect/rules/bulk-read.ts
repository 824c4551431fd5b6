// bulk_read: reading far faster than the user and their office normally do (the 251,287-cable download). Freezes
// before 50 cables beyond the norm (issue 7 target): the margin above the norm is capped at bulkMarginCap.
import type { Rule } from './rule.ts';

export const bulkRead: Rule = ({ event, index, user, config, read }) => {
  if (!read) return undefined;
  // Every read enters the sweep window, whichever branch below decides.
  const sweep = read.sweeps.isSweepRead(event.ageDays, read.cableOffice, read.inflation, config.oldRareShare, config.sweepMinAgeDays);
  const win = read.sweeps.observe(user, event.at, read.origin, sweep, config.sweepWindow);
  // A user still warming up has no norm of their own: their office's stands in.
  const norm = Math.max(config.bulkDefaultNorm, read.warm ? user.peak5 : (read.homeOffice?.peakAt(event.at, config.profileTau) ?? 0));
  const margin = Math.min(config.bulkMarginCap, Math.max(config.bulkMargin, norm / 2));
  if (read.count5 > norm + margin) {
    return { rule: 'bulk_read', severity: 'high', action: 'freeze', evidence: user.readIndicesSince(event.at - config.bulkWindow, 64).concat(index) };
  }
  // Fast but not that fast, and mostly outside the user's interests: a careful downloader, not a colleague catching up.
  if (read.count5 >= Math.max(config.bulkNovelMin, norm) && read.novel5 >= config.bulkNovelShare * read.count5) {
    return { rule: 'bulk_read', severity: 'high', action: 'freeze', evidence: user.readIndicesSince(event.at - config.bulkWindow, 64).concat(index) };
  }
  // Any office, any age, at any pace: cables older than the office's readers open, of several offices, most of what
  // the user reads right now. Needs no history of the user's own, so it also sees a slow download by someone new.
  if (win.sweeps >= config.sweepReads && win.origins >= config.sweepOrigins && win.sweeps >= config.sweepShare * win.reads) {
    return { rule: 'bulk_read', severity: 'high', action: 'freeze', evidence: user.readIndicesSince(event.at - config.sweepWindow, 64).concat(index) };
  }
  // A slower bulk: a whole day far above the user's days, much of it outside their interests (a colleague back
  // from leave reads as much, but of their own portfolio).
  const sameDay = Math.floor(event.at / config.day) === user.day;
  const today = sameDay ? user.dayCount + 1 : 1;
  const novel = (sameDay ? user.dayNovel : 0) + (read.novelty > 0 ? 1 : 0);
  if (user.days >= config.dailyWarmDays && today > config.dailyFactor * user.dayEwma + config.dailyFloor && novel >= config.dailyNovelShare * today) {
    return { rule: 'bulk_read', severity: 'medium', action: 'step_up', evidence: user.readIndicesSince(event.at - config.hour, 32).concat(index) };
  }
  return undefined;
};
