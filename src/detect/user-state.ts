// One user's baseline and running counters, all fixed-size: capped tallies, a ring of recent read times, decayed
// accumulators. Learning happens after the rules have judged an event, so an event never excuses itself.
//
// The numbers live in rows of typed arrays shared by all users (UserRows), the UserState's accessors reading its
// row: at 10,000 users the state is far larger than the caches, and a number field of an object is a separate
// heap box in V8, so each one touched was a cache miss of its own (docs/detection.md "Throughput").
import { RuleNames } from './alert.ts';
import { SourceRows } from './source-rows.ts';
import { EvidenceRing, Tally, TallyRows } from './tally.ts';
import { SWEEP_RING } from './sweep.ts';

/** Ring of recent read times: enough to count reads in the bulk window up to well past any threshold. */
export const RECENT_READS = 128;

// A user's row of UserRows.state: the hour-of-day histogram (24), then the counters, the hottest first.
const F_events = 24;
const F_reads = 25;
const F_lastAt = 26;
const F_hoursTotal = 27;
const F_recentNext = 28;
const F_recentCount = 29;
const F_home = 30;
const F_homeWeight = 31;
const F_peak5 = 32;
const F_bucket5 = 33;
const F_bucket5Count = 34;
const F_day = 35;
const F_dayCount = 36;
const F_dayEwma = 37;
const F_days = 38;
const F_dayNovel = 39;
const F_driftReads = 40;
const F_oldReads = 41;
const F_drift = 42;
const F_driftAt = 43;
const F_phished = 44;
const F_phishedAt = 45;
const F_offHours = 46;
const F_offHoursAt = 47;
const F_old = 48;
const F_oldAt = 49;
const STATE = 50;
/** Records UserRows reserves at most before it grows by doubling (about 160 MB of address space). */
const MAX_RESERVED = 1 << 15;

/** The detector's tables of every user, one row each (tally.ts TallyRows), laid in one record per user. */
export class UserRows {
  readonly origins = new TallyRows(16, 64);
  readonly memberships = new TallyRows(4, 64);
  readonly tags = new TallyRows(32, 64);
  readonly levels = new TallyRows(5, 64);
  readonly ages = new TallyRows(12, 64);
  readonly devices = new SourceRows();
  readonly networks = new SourceRows();
  /**
   * Every user's state, one record of RECORD doubles each: the hours and counters (STATE), the tallies, the
   * devices and networks (with their names' bytes), the sweep's ring (sweep.ts), then the ring of recent reads (RECENT_READS pairs: the time,
   * and the event index + 1, negative when the read was unusual). One record rather than a row in each of a dozen
   * arrays: at 10,000 users every row was a cache miss and a TLB miss of its own, and a record's parts are a few
   * pages at most (docs/detection.md "Throughput", fourth step).
   */
  state = new Float64Array(0);
  /** Where the sweep's ring (sweep.ts) and the ring of recent reads start in a record, and the record's size
   * (doubles). */
  readonly sweepOff: number;
  readonly recentOff: number;
  readonly record: number;

  /** `users`: the records to make room for at once (the detector's maxUsers, capped): the memory is the system's
   * zero pages until a record is used, and growing by doubling copied the whole state each time. */
  constructor(users = 64) {
    let off = STATE;
    for (const t of [this.origins, this.memberships, this.tags, this.levels, this.ages]) off += t.span;
    off += 2 * SourceRows.SPAN;
    this.sweepOff = off;
    off += 2 + 2 * SWEEP_RING;
    this.recentOff = off;
    // Whole cache lines (8 doubles) a record.
    this.record = Math.ceil((off + RECENT_READS * 2) / 8) * 8;
    this.state = new Float64Array(Math.max(1, Math.min(users, MAX_RESERVED)) * this.record);
    this.lay();
  }

  /** Lays every table in `state`'s records. */
  private lay(): void {
    let off = STATE;
    for (const t of [this.origins, this.memberships, this.tags, this.levels, this.ages]) {
      t.lay(this.state, this.record, off);
      off += t.span;
    }
    this.devices.lay(this.state, this.record, off);
    this.networks.lay(this.state, this.record, off + SourceRows.SPAN);
  }

  /**
   * Reads a word of each part of the user's record and returns their sum (the caller keeps it, so the reads stay):
   * at 10,000 users the records are far from the caches, and loads that depend on nothing run in parallel, where
   * the judging and learning that follow would wait for each line's first miss in turn (docs/detection.md
   * "Throughput"). Only a hint: nothing depends on the sum.
   */
  prefetch(row: number, hour: number): number {
    const R = this.record;
    const b = row * R;
    const s = this.state;
    const o = this.origins;
    const m = this.memberships;
    const t = this.tags;
    const l = this.levels;
    const a = this.ages;
    const next = s[b + F_recentNext]!;
    return (
      s[b + hour]! +
      // the counters, a word every 48 bytes: every cache line of them
      s[b + F_events]! +
      s[b + F_events + 6]! +
      s[b + F_events + 12]! +
      s[b + F_events + 18]! +
      s[b + F_events + 24]! +
      s[b + o.off]! +
      s[b + m.off]! +
      s[b + t.off]! +
      s[b + t.off + 8]! +
      s[b + l.off]! +
      s[b + a.off]! +
      this.devices.prefetch(row) +
      this.networks.prefetch(row) +
      s[b + this.sweepOff + 2 + 2 * s[b + this.sweepOff]!]! +
      s[b + this.recentOff + ((next + RECENT_READS - 1) % RECENT_READS) * 2]!
    );
  }

  /** Makes `row`'s record exist and fresh; grows by doubling. */
  reset(row: number): void {
    const R = this.record;
    if ((row + 1) * R > this.state.length) {
      const rows = Math.max(row + 1, (this.state.length / R) * 2, 64);
      const state = new Float64Array(rows * R);
      state.set(this.state);
      this.state = state;
      this.lay();
    }
    const s = this.state;
    const b = row * R;
    s.fill(0, b, b + R);
    s[b + F_lastAt] = Number.NEGATIVE_INFINITY;
    s[b + F_home] = -1;
    s[b + F_bucket5] = -1;
    s[b + F_day] = -1;
  }
}

export class UserState {
  /** Where the user's row starts in rows.state. */
  private readonly base: number;
  constructor(
    readonly name: string,
    /** The user's row in `rows`, taken over from a forgotten user or new. */
    readonly row = 0,
    /** The shared tables (the detector's hot path reads them with `row` rather than through the Tally views). */
    readonly rows = new UserRows(),
  ) {
    rows.reset(row);
    this.base = row * rows.record;
    this.origins = new Tally(16, rows.origins, row);
    this.memberships = new Tally(4, rows.memberships, row);
    this.tags = new Tally(32, rows.tags, row);
    this.levels = new Tally(5, rows.levels, row);
    this.ages = new Tally(12, rows.ages, row);
    rows.devices.reset(row);
    rows.networks.reset(row);
  }

  /** Originating offices of the cables read (the cable id's first part): the user's interests. */
  readonly origins: Tally;
  /** Offices the user opens cables through (the trace's `office`, a membership): their home among them. */
  readonly memberships: Tally;
  readonly tags: Tally;
  readonly levels: Tally;
  readonly ages: Tally;
  readonly driftEvidence = new EvidenceRing(10);
  readonly phishedEvidence = new EvidenceRing(10);
  readonly offHoursEvidence = new EvidenceRing(10);
  readonly oldEvidence = new EvidenceRing(10);
  /** Last alert time and severity per rule (RuleNames order), for dedupe. */
  readonly alertAt = new Float64Array(RuleNames.length).fill(Number.NEGATIVE_INFINITY);
  readonly alertSeverity = new Uint8Array(RuleNames.length);

  /** Events and reads learned, and when the user was last active. */
  get events(): number {
    return this.rows.state[this.base + F_events]!;
  }
  set events(v: number) {
    this.rows.state[this.base + F_events] = v;
  }
  get reads(): number {
    return this.rows.state[this.base + F_reads]!;
  }
  set reads(v: number) {
    this.rows.state[this.base + F_reads] = v;
  }
  get lastAt(): number {
    return this.rows.state[this.base + F_lastAt]!;
  }
  set lastAt(v: number) {
    this.rows.state[this.base + F_lastAt] = v;
  }
  /** Total of the hour-of-day weights (the hours are the first 24 doubles of the row). */
  get hoursTotal(): number {
    return this.rows.state[this.base + F_hoursTotal]!;
  }
  set hoursTotal(v: number) {
    this.rows.state[this.base + F_hoursTotal] = v;
  }
  /** The ring of recent reads, for the sliding bulk window (the end of the user's record): the next slot. */
  get recentNext(): number {
    return this.rows.state[this.base + F_recentNext]!;
  }
  set recentNext(v: number) {
    this.rows.state[this.base + F_recentNext] = v;
  }
  get recentCount(): number {
    return this.rows.state[this.base + F_recentCount]!;
  }
  set recentCount(v: number) {
    this.rows.state[this.base + F_recentCount] = v;
  }
  /** The office the user reads through most (-1 before any read), and its weight (learnOffice). */
  get home(): number {
    return this.rows.state[this.base + F_home]!;
  }
  set home(v: number) {
    this.rows.state[this.base + F_home] = v;
  }
  get homeWeight(): number {
    return this.rows.state[this.base + F_homeWeight]!;
  }
  set homeWeight(v: number) {
    this.rows.state[this.base + F_homeWeight] = v;
  }
  /** The user's largest plausible 5-minute count (decayed), learned from closed buckets. */
  get peak5(): number {
    return this.rows.state[this.base + F_peak5]!;
  }
  set peak5(v: number) {
    this.rows.state[this.base + F_peak5] = v;
  }
  get bucket5(): number {
    return this.rows.state[this.base + F_bucket5]!;
  }
  set bucket5(v: number) {
    this.rows.state[this.base + F_bucket5] = v;
  }
  get bucket5Count(): number {
    return this.rows.state[this.base + F_bucket5Count]!;
  }
  set bucket5Count(v: number) {
    this.rows.state[this.base + F_bucket5Count] = v;
  }
  /** Reads per day: today's count and the EWMA of past days. */
  get day(): number {
    return this.rows.state[this.base + F_day]!;
  }
  set day(v: number) {
    this.rows.state[this.base + F_day] = v;
  }
  get dayCount(): number {
    return this.rows.state[this.base + F_dayCount]!;
  }
  set dayCount(v: number) {
    this.rows.state[this.base + F_dayCount] = v;
  }
  get dayEwma(): number {
    return this.rows.state[this.base + F_dayEwma]!;
  }
  set dayEwma(v: number) {
    this.rows.state[this.base + F_dayEwma] = v;
  }
  /** Days with reads, and today's reads that were unusual for the user. */
  get days(): number {
    return this.rows.state[this.base + F_days]!;
  }
  set days(v: number) {
    this.rows.state[this.base + F_days] = v;
  }
  get dayNovel(): number {
    return this.rows.state[this.base + F_dayNovel]!;
  }
  set dayNovel(v: number) {
    this.rows.state[this.base + F_dayNovel] = v;
  }
  /** Reads, decayed like the drift and the old-archive accumulators: the denominators of their fractions. */
  get driftReads(): number {
    return this.rows.state[this.base + F_driftReads]!;
  }
  set driftReads(v: number) {
    this.rows.state[this.base + F_driftReads] = v;
  }
  get oldReads(): number {
    return this.rows.state[this.base + F_oldReads]!;
  }
  set oldReads(v: number) {
    this.rows.state[this.base + F_oldReads] = v;
  }
  /** Rule accumulators (decayed); their evidence rings are on the object. */
  get drift(): number {
    return this.rows.state[this.base + F_drift]!;
  }
  set drift(v: number) {
    this.rows.state[this.base + F_drift] = v;
  }
  get driftAt(): number {
    return this.rows.state[this.base + F_driftAt]!;
  }
  set driftAt(v: number) {
    this.rows.state[this.base + F_driftAt] = v;
  }
  get phished(): number {
    return this.rows.state[this.base + F_phished]!;
  }
  set phished(v: number) {
    this.rows.state[this.base + F_phished] = v;
  }
  get phishedAt(): number {
    return this.rows.state[this.base + F_phishedAt]!;
  }
  set phishedAt(v: number) {
    this.rows.state[this.base + F_phishedAt] = v;
  }
  get offHours(): number {
    return this.rows.state[this.base + F_offHours]!;
  }
  set offHours(v: number) {
    this.rows.state[this.base + F_offHours] = v;
  }
  get offHoursAt(): number {
    return this.rows.state[this.base + F_offHoursAt]!;
  }
  set offHoursAt(v: number) {
    this.rows.state[this.base + F_offHoursAt] = v;
  }
  get old(): number {
    return this.rows.state[this.base + F_old]!;
  }
  set old(v: number) {
    this.rows.state[this.base + F_old] = v;
  }
  get oldAt(): number {
    return this.rows.state[this.base + F_oldAt]!;
  }
  set oldAt(v: number) {
    this.rows.state[this.base + F_oldAt] = v;
  }

  /** Reads at or after `since` in the ring, and how many of them were unusual: reads + novel × 65536. */
  readsSince(since: number): number {
    let n = 0;
    let novel = 0;
    const recent = this.rows.state;
    const base = this.base + this.rows.recentOff;
    const count = this.recentCount;
    const next = this.recentNext;
    for (let k = 1; k <= count; k++) {
      const i = base + 2 * ((next - k + RECENT_READS) % RECENT_READS);
      if (recent[i]! < since) break;
      n++;
      if (recent[i + 1]! < 0) novel++;
    }
    return n + novel * 65536;
  }

  /** Indices of the reads at or after `since`, oldest first, at most `max` (the newest ones). */
  readIndicesSince(since: number, max: number): number[] {
    const out: number[] = [];
    const recent = this.rows.state;
    const base = this.base + this.rows.recentOff;
    const count = this.recentCount;
    const next = this.recentNext;
    for (let k = 1; k <= count && out.length < max; k++) {
      const i = base + 2 * ((next - k + RECENT_READS) % RECENT_READS);
      if (recent[i]! < since) break;
      out.push(Math.abs(recent[i + 1]!) - 1);
    }
    return out.reverse();
  }

  /** The user's hour-of-day share for `hour`, smoothed with its neighbours (people start a little early or late). */
  hourShare(hour: number): number {
    const h = this.rows.state;
    const base = this.base;
    const total = h[base + F_hoursTotal]!;
    if (total <= 0) return 0;
    return (h[base + ((hour + 23) % 24)]! + 2 * h[base + hour]! + h[base + ((hour + 1) % 24)]!) / (4 * total);
  }

  learnHour(hour: number, w: number): void {
    const h = this.rows.state;
    const base = this.base;
    h[base + hour] = h[base + hour]! + w;
    h[base + F_hoursTotal] = h[base + F_hoursTotal]! + w;
  }

  /** Appends a read to the ring of recent reads. */
  learnRecent(at: number, index: number, novel: boolean): void {
    const next = this.recentNext;
    const slot = this.base + this.rows.recentOff + next * 2;
    const recent = this.rows.state;
    recent[slot] = at;
    recent[slot + 1] = novel ? -(index + 1) : index + 1;
    this.recentNext = (next + 1) % RECENT_READS;
    if (this.recentCount < RECENT_READS) this.recentCount++;
  }

  /** Makes `office` the home office when it is now the heaviest. Kept as reads are learnt: inflated weights only
   * grow, so the heaviest office stays heaviest until another outgrows it. */
  learnOffice(office: number, inflated: number): void {
    const w = this.rows.memberships.add(this.row, office, inflated);
    if (w > this.homeWeight || office === this.home) {
      this.home = office;
      this.homeWeight = w;
    }
  }
}
