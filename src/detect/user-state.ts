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
  /** Hour-of-day activity (24 a row) and the ring of recent reads (RECENT_READS a row): times, indices, unusual. */
  hours = new Float64Array(0);
  recent = new Float64Array(0);
  recentIndex = new Int32Array(0);
  recentNovel = new Uint8Array(0);

  /** Makes `row` of the hours and the ring exist and zero; grows by doubling. */
  reset(row: number): void {
    if (row * 24 >= this.hours.length) {
      const rows = Math.max(row + 1, (this.hours.length / 24) * 2, 64);
      const grow = <A extends Int32Array | Float64Array | Uint8Array>(old: A, fresh: A): A => (fresh.set(old), fresh);
      this.hours = grow(this.hours, new Float64Array(rows * 24));
      this.recent = grow(this.recent, new Float64Array(rows * RECENT_READS));
      this.recentIndex = grow(this.recentIndex, new Int32Array(rows * RECENT_READS));
      this.recentNovel = grow(this.recentNovel, new Uint8Array(rows * RECENT_READS));
    }
    this.hours.fill(0, row * 24, row * 24 + 24);
    this.recent.fill(0, row * RECENT_READS, (row + 1) * RECENT_READS);
    this.recentIndex.fill(0, row * RECENT_READS, (row + 1) * RECENT_READS);
    this.recentNovel.fill(0, row * RECENT_READS, (row + 1) * RECENT_READS);
  }
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
    /** The shared tables (the detector's hot path reads them with `row` rather than through the Tally views). */
    readonly rows = new UserRows(),
  ) {
    rows.reset(row);
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
  /** Total of the hour-of-day weights (the hours are the user's row of UserRows.hours). */
  hoursTotal = 0;
  /** The ring of recent reads, for the sliding bulk window (the user's row of UserRows.recent*): the next slot. */
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
    const { recent, recentNovel } = this.rows;
    const base = this.row * RECENT_READS;
    for (let k = 1; k <= this.recentCount; k++) {
      const i = base + ((this.recentNext - k + RECENT_READS) % RECENT_READS);
      if (recent[i]! < since) break;
      n++;
      novel += recentNovel[i]!;
    }
    return n + novel * 65536;
  }

  /** Indices of the reads at or after `since`, oldest first, at most `max` (the newest ones). */
  readIndicesSince(since: number, max: number): number[] {
    const out: number[] = [];
    const { recent, recentIndex } = this.rows;
    const base = this.row * RECENT_READS;
    for (let k = 1; k <= this.recentCount && out.length < max; k++) {
      const i = base + ((this.recentNext - k + RECENT_READS) % RECENT_READS);
      if (recent[i]! < since) break;
      out.push(recentIndex[i]!);
    }
    return out.reverse();
  }

  /** The user's hour-of-day share for `hour`, smoothed with its neighbours (people start a little early or late). */
  hourShare(hour: number): number {
    if (this.hoursTotal <= 0) return 0;
    const h = this.rows.hours;
    const base = this.row * 24;
    return (h[base + ((hour + 23) % 24)]! + 2 * h[base + hour]! + h[base + ((hour + 1) % 24)]!) / (4 * this.hoursTotal);
  }

  learnHour(hour: number, w: number): void {
    const h = this.rows.hours;
    h[this.row * 24 + hour] = h[this.row * 24 + hour]! + w;
    this.hoursTotal += w;
  }

  /** Appends a read to the ring of recent reads. */
  learnRecent(at: number, index: number, novel: boolean): void {
    const slot = this.row * RECENT_READS + this.recentNext;
    this.rows.recent[slot] = at;
    this.rows.recentIndex[slot] = index;
    this.rows.recentNovel[slot] = novel ? 1 : 0;
    this.recentNext = (this.recentNext + 1) % RECENT_READS;
    if (this.recentCount < RECENT_READS) this.recentCount++;
  }

  /** The office the user reads through most (-1 before any read): their home office, whose norms judge them while
   * they warm up. Kept as reads are learnt: inflated weights only grow, so the heaviest office stays heaviest until
   * another outgrows it. */
  home = -1;
  homeWeight = 0;

  learnOffice(office: number, inflated: number): void {
    const w = this.rows.memberships.add(this.row, office, inflated);
    if (w > this.homeWeight || office === this.home) {
      this.home = office;
      this.homeWeight = w;
    }
  }
}
