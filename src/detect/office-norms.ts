// What is normal for an office: how fast its readers read (judging users still warming up), how old the cables
// of that office usually are when opened (judging reads deep in the archive), and which originating offices and
// tags its readers open at which hours (judging the reading of an account too new to have interests of its own,
// young-account.ts). Fixed size per office.
import { Tally } from './tally.ts';

/** Age bands: 0 for under a day, then one per doubling of days, the last for ~3 years and more. */
export const AGE_BANDS = 12;
const LAST_BAND_DAYS = 2 ** (AGE_BANDS - 2);
export function ageBand(days: number): number {
  if (days < 1) return 0;
  // floor(log2(days)) + 1, capped: the bit length of the whole days (powers of two are whole), without a log.
  if (days >= LAST_BAND_DAYS) return AGE_BANDS - 1;
  return 32 - Math.clz32(days);
}

/** Originating offices and tags remembered per office (capped, the lightest replaced). */
export const OFFICE_INTERESTS = 48;
const OFFICE_SAMPLE = 4;

/** Offices given interest tallies (OfficeInterests): a node hosts tens; a trace naming more cannot grow memory. */
export const MAX_INTEREST_OFFICES = 1024;

/**
 * What is opened through one office: originating offices and tags (interned ids), from which networks (the
 * sourceHash of the /24, source-rows.ts), and at which hours (UTC), inflated. About 2.7 KB.
 */
export class OfficeInterests {
  readonly origins = new Tally(OFFICE_INTERESTS);
  readonly tags = new Tally(OFFICE_INTERESTS);
  readonly networks = new Tally(OFFICE_INTERESTS);
  readonly hours = new Float64Array(24);
  hoursTotal = 0;
  /** Reads opened through this office: one in OFFICE_SAMPLE is learnt (below). */
  private reads = 0;

  constructor() {
    // A fraction first, so the field is laid out for doubles from the first object on (see OfficeNorm).
    this.hoursTotal = 0.5;
    this.hoursTotal = 0;
  }

  /**
   * Learns one read opened through this office; `tagIds` holds its `tagCount` interned tags; `network` is the
   * sourceHash of its network (sources.ts), undefined when the address is unknown. An office's readers open
   * hundreds of cables a day, so one read in OFFICE_SAMPLE, weighed that many times, gives the same shares at a
   * fraction of the cost on the detector's hot path (a counter, not chance: replays stay deterministic).
   */
  learnRead(origin: number, tagIds: Int32Array, tagCount: number, network: number | undefined, hour: number, weight: number): void {
    if (this.reads++ % OFFICE_SAMPLE !== 0) return;
    const w = weight * OFFICE_SAMPLE;
    this.origins.add(origin, w);
    if (network !== undefined) this.networks.add(network, w);
    for (let i = 0; i < tagCount; i++) this.tags.add(tagIds[i]!, w / tagCount);
    this.hours[hour] = this.hours[hour]! + w;
    this.hoursTotal += w;
  }

  /** Decayed number of reads opened through this office, at inflation `inf`. */
  readsSeen(inf: number): number {
    return this.hoursTotal / inf;
  }

  /** The smoothed share of the office's reads at this UTC hour (its neighbours count half). */
  hourShare(hour: number): number {
    const h = this.hours;
    return this.hoursTotal > 0 ? (h[(hour + 23) % 24]! + 2 * h[hour]! + h[(hour + 1) % 24]!) / (4 * this.hoursTotal) : 0;
  }
}

export class OfficeNorm {
  /** Opened cables of this office by age band, inflated weights (tally.ts). */
  readonly ages = new Float64Array(AGE_BANDS);
  agesTotal = 0;
  /** The largest 5-minute count among this office's (home) readers, decayed. */
  peak5 = 0;
  peak5At = 0;

  /** What its readers open (young-account.ts); undefined past MAX_INTEREST_OFFICES offices. */
  constructor(readonly interests: OfficeInterests | undefined) {
    // A fraction first: a field that starts as a small integer changes the object's layout the first time it holds
    // a fraction, which undoes the optimised code built on the old one (a cascade of recompiles early in a replay).
    this.agesTotal = 0.5;
    this.agesTotal = 0;
    this.peak5 = 0.5;
    this.peak5 = 0;
    this.peak5At = 0.5;
    this.peak5At = 0;
  }

  /** Decayed number of reads the age histogram has seen, at inflation `inf`. */
  agesSeen(inf: number): number {
    return this.agesTotal / inf;
  }

  ageShare(band: number): number {
    return this.agesTotal > 0 ? this.ages[band]! / this.agesTotal : 0;
  }

  learnPeak(count: number, at: number, tauMs: number): void {
    const decayed = this.peak5 * Math.exp(Math.min(0, this.peak5At - at) / tauMs);
    this.peak5 = Math.max(decayed, count);
    this.peak5At = at;
  }

  /** The peak as of `at`. */
  peakAt(at: number, tauMs: number): number {
    return this.peak5 * Math.exp(Math.min(0, this.peak5At - at) / tauMs);
  }
}

/** Every office's norm by its interned id (ids are small ints, below the detector's maxSymbols): an array, as a
 * Map lookup was a hashed probe on each of a read's four visits. */
export class OfficeNorms {
  private readonly norms: (OfficeNorm | undefined)[] = [];
  private count = 0;

  get(office: number): OfficeNorm {
    let n = this.norms[office];
    if (!n) {
      n = new OfficeNorm(this.count < MAX_INTEREST_OFFICES ? new OfficeInterests() : undefined);
      while (this.norms.length < office) this.norms.push(undefined);
      this.norms[office] = n;
      this.count++;
    }
    return n;
  }

  peek(office: number): OfficeNorm | undefined {
    return this.norms[office];
  }

  get size(): number {
    return this.count;
  }
}
