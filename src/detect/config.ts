// The detector's thresholds in one place (docs/detection.md "Rules"), tuned on simulator seeds and measured on
// fresh ones. Times are milliseconds.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DetectorConfig = {
  /** Users kept; past it the least recently seen is forgotten (bounded memory with 10,000+ users). */
  maxUsers: 20_000,
  /** Distinct offices and tags interned; past it they share ids by hash. */
  maxSymbols: 65_536,
  /** How long a baseline remembers: interests, hours, devices decay with this scale. */
  profileTau: 30 * DAY,
  /** Reads a user needs before being judged against their own baseline rather than their office's. */
  warmReads: 40,
  /** Days with reads before a user's interests are a baseline: "unusual" means nothing in someone's first week. */
  matureDays: 7,
  /** ... and reads: a light reader's interests show in fewer reads than their rates do. */
  interestReads: 20,
  /** A share below this is "not the user's usual" office, tag or level. */
  unusualShare: 0.03,
  /** The sliding window of the bulk rule, and the floor and cap of reads beyond the norm before freezing. */
  bulkWindow: 5 * MINUTE,
  bulkMargin: 20,
  bulkMarginCap: 45,
  /** A burst of at least this many reads in the window (and the norm), this share of them unusual, freezes too. */
  bulkNovelMin: 12,
  bulkNovelShare: 0.6,
  /** Norm for a new user whose office has no norm yet: reads in 5 minutes a person plausibly does. */
  bulkDefaultNorm: 15,
  /** A sweep (sweep.ts): this many reads in the window of cables older than the office's readers open, of at least
   * sweepOrigins offices and sweepShare of the user's reads in the window, freezes whatever the rate. */
  sweepWindow: 10 * MINUTE,
  /** ... cables at least this old (a month: beyond any catching up after leave) in an age band the office's
   * readers open under oldRareShare of the time. */
  sweepMinAgeDays: 30,
  sweepReads: 5,
  sweepOrigins: 3,
  sweepShare: 0.5,
  /** Daily reads beyond this multiple of the user's daily EWMA (plus the floor) are a slower bulk: medium. */
  dailyFactor: 4,
  dailyFloor: 150,
  dailyWarmDays: 5,
  dailyNovelShare: 0.3,
  /** low_and_slow: decay of the drift score, and the levels at which it is medium and high. */
  driftTau: 4 * DAY,
  driftMedium: 12,
  driftHigh: 20,
  /** The least novelty (novelty.ts) a read needs to add to the drift. */
  driftMinNovelty: 1.5,
  /** ... and the share of the user's (decayed) reads that must be unusual for medium and for high. */
  driftShareMedium: 0.2,
  driftShareHigh: 0.25,
  /** Weight at which an unusual read enters the baseline. */
  novelLearning: 0.3,
  /** A device or network is "new" this long after its first use. */
  newSourceSpan: 14 * DAY,
  /** phished_pattern: unusual reads from a new source (decayed with driftTau) for medium and high. */
  phishedMedium: 4.5,
  phishedHigh: 7,
  /** phished_pattern on a young account (young-account.ts): judged while the account has fewer reads than this, once
   * the office it reads through has seen this many (decayed) reads. */
  youngReads: 150,
  youngOfficeReads: 1000,
  /** ... for a device and a network taken up at least this long after the account's first. */
  youngGap: 2 * DAY,
  /** ... from a network under this share of the office's reads, */
  youngOfficeNetworkShare: 0.01,
  /** ... and the least novelty a young account's read needs to count, anytime and at the office's off-hours. */
  youngMinNovelty: 2,
  youngOffHoursNovelty: 1.5,
  /** off_hours: an hour whose smoothed share of the user's activity is below this is off-hours for them. */
  offHoursShare: 0.01,
  offHoursWarmEvents: 150,
  offHoursTau: 6 * HOUR,
  offHoursMedium: 8,
  /** old_archive: cables older than this, in an age band the office's readers open less than oldRareShare. */
  oldAgeDays: 365,
  oldRareShare: 0.01,
  oldTau: 7 * DAY,
  oldMedium: 6,
  oldShareMedium: 0.15,
  /** dormant_wakeup: silence this long, after at least warmReads of history. */
  dormantSpan: 60 * DAY,
  /** Alerts of the same rule on the same user within this window are one alert, unless more severe. */
  dedupeWindow: 12 * HOUR,
  /** Warm users' offices norms learn from closed 5-minute buckets. */
  day: DAY,
  hour: HOUR,
} as const;
export type DetectorSettings = { -readonly [K in keyof typeof DetectorConfig]: number };
