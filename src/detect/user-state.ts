// One user's baseline and running counters, all fixed-size: capped tallies, a ring of recent read times, decayed
// accumulators. Learning happens after the rules have judged an event, so an event never excuses itself.
import { RuleNames } from './alert.ts';
import { SourceRows } from './source-rows.ts';
import { EvidenceRing, Tally, TallyRows } from './tally.ts';

/** Ring of recent read times: enough to count reads in the bulk window up to well past any threshold. */
export const RECENT_READS = 128;
/** The detector's tables of every user, one row each (tally.ts TallyRows). */
export class UserRows {
  readonly origins = new TallyRows(16, 64);
  readonly memberships = new TallyRows(4, 64);
  readonly tags = new TallyRows(32, 64);
  readonly levels = new TallyRows(5, 64);
  readonly ages = new TallyRows(12, 64);
  readonly devices = new SourceRows();
  readonly networks = new SourceRows();
}

export class UserState {
  /** The detector's activity order, least recent first, as an intrusive list: moving a user to the end is two
   * pointer swaps, where re-inserting into the user Map cost a delete, an append and the Map's compactions. */
  prev: UserState | undefined;
  next: UserState | undefined;
  constructor(
    readonly name: string,
    /** The user's row in `rows`, taken over from a forgotten user or new. */
    readonly row = 0,
    rows = new UserRows(),
  ) {
    this.origins = new Tally(16, rows.origins, row);
    this.memberships = new Tally(4, rows.memberships, row);
    this.tags = new Tally(32, rows.tags, row);
    this.levels = new Tally(5, rows.levels, row);
    this.ages = new Tally(12, rows.ages, row);
    rows.devices.reset(row);
    rows.networks.reset(row);
  }

  /** Events and reads learned, and when the user was last active. */
  events = 0;
  reads = 0;
  lastAt = Number.NEGATIVE_INFINITY;
  /** Originating offices of the cables read (the cable id's first part): the user's interests. */
  readonly origins: Tally;
  /** Offices the user opens cables through (the trace's `office`, a membership): their home among them. */
  readonly memberships: Tally;
  readonly tags: Tally;
  readonly levels: Tally;
  readonly ages: Tally;
  readonly hours = new Float64Array(24);
  hoursTotal = 0;
  /** Read times, a ring, for the sliding bulk window. */
  readonly recent = new Float64Array(RECENT_READS);
  readonly recentIndex = new Int32Array(RECENT_READS);
  /** Whether each recent read was unusual for the user (novelty ≥ 1). */
  readonly recentNovel = new Uint8Array(RECENT_READS);
  recentNext = 0;
  recentCount = 0;
  /** The user's largest plausible 5-minute count (decayed), learned from closed buckets. */
  peak5 = 0;
  bucket5 = -1;
  bucket5Count = 0;
  /** Reads per day: today's count and the EWMA of past days. */
  day = -1;
  dayCount = 0;
  dayEwma = 0;
  /** Days with reads, and today's reads that were unusual for the user. */
  days = 0;
  dayNovel = 0;
  /** Reads, decayed like the drift and the old-archive accumulators: the denominators of their fractions. */
  driftReads = 0;
  oldReads = 0;
  /** Rule accumulators (decayed) and their evidence. */
  drift = 0;
  driftAt = 0;
  readonly driftEvidence = new EvidenceRing(10);
  phished = 0;
  phishedAt = 0;
  readonly phishedEvidence = new EvidenceRing(10);
  offHours = 0;
  offHoursAt = 0;
  readonly offHoursEvidence = new EvidenceRing(10);
  old = 0;
  oldAt = 0;
  readonly oldEvidence = new EvidenceRing(10);
  /** Last alert time and severity per rule (RuleNames order), for dedupe. */
  readonly alertAt = new Float64Array(RuleNames.length).fill(Number.NEGATIVE_INFINITY);
  readonly alertSeverity = new Uint8Array(RuleNames.length);

  /** Reads at or after `since` in the ring, and how many of them were unusual: reads + novel × 65536. */
  readsSince(since: number): number {
    let n = 0;
    let novel = 0;
    for (let k = 1; k <= this.recentCount; k++) {
      const i = (this.recentNext - k + RECENT_READS) % RECENT_READS;
      if (this.recent[i]! < since) break;
      n++;
      novel += this.recentNovel[i]!;
    }
    return n + novel * 65536;
  }

  /** Indices of the reads at or after `since`, oldest first, at most `max` (the newest ones). */
  readIndicesSince(since: number, max: number): number[] {
    const out: number[] = [];
    for (let k = 1; k <= this.recentCount && out.length < max; k++) {
      const i = (this.recentNext - k + RECENT_READS) % RECENT_READS;
      if (this.recent[i]! < since) break;
      out.push(this.recentIndex[i]!);
    }
    return out.reverse();
  }

  /** The user's hour-of-day share for `hour`, smoothed with its neighbours (people start a little early or late). */
  hourShare(hour: number): number {
    if (this.hoursTotal <= 0) return 0;
    const h = this.hours;
    return (h[(hour + 23) % 24]! + 2 * h[hour]! + h[(hour + 1) % 24]!) / (4 * this.hoursTotal);
  }

  /** The office the user reads through most (-1 before any read): their home office, whose norms judge them while
   * they warm up. Kept as reads are learnt: inflated weights only grow, so the heaviest office stays heaviest until
   * another outgrows it. */
  home = -1;
  homeWeight = 0;

  learnOffice(office: number, inflated: number): void {
    const w = this.memberships.add(office, inflated);
    if (w > this.homeWeight || office === this.home) {
      this.home = office;
      this.homeWeight = w;
    }
  }
}
