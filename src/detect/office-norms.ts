// What is normal for an office: how fast its readers read (judging users still warming up) and how old the cables
// of that office usually are when opened (judging reads deep in the archive). Fixed size per office.

/** Age bands: 0 for under a day, then one per doubling of days, the last for ~3 years and more. */
export const AGE_BANDS = 12;
export function ageBand(days: number): number {
  if (days < 1) return 0;
  return Math.min(AGE_BANDS - 1, Math.floor(Math.log2(days)) + 1);
}

export class OfficeNorm {
  /** Opened cables of this office by age band, inflated weights (tally.ts). */
  readonly ages = new Float64Array(AGE_BANDS);
  agesTotal = 0;
  /** The largest 5-minute count among this office's (home) readers, decayed. */
  peak5 = 0;
  peak5At = 0;

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

export class OfficeNorms {
  private readonly norms = new Map<number, OfficeNorm>();

  get(office: number): OfficeNorm {
    let n = this.norms.get(office);
    if (!n) {
      n = new OfficeNorm();
      this.norms.set(office, n);
    }
    return n;
  }

  peek(office: number): OfficeNorm | undefined {
    return this.norms.get(office);
  }

  get size(): number {
    return this.norms.size;
  }
}
