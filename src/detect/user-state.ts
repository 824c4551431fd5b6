// One user's baseline and running counters, all fixed-size: capped tallies, a ring of recent read times, decayed
// accumulators. Learning happens after the rules have judged an event, so an event never excuses itself.
//
// The numbers live in rows of typed arrays shared by all users (UserRows), the UserState's accessors reading its
// row: at 10,000 users the state is far larger than the caches, and a number field of an object is a separate
// heap box in V8, so each one touched was a cache miss of its own (docs/detection.md "Throughput").
import { RuleNames } from './alert.ts';
import { EvidenceRing } from './tally.ts';
import {
  F_bucket5,
  F_bucket5Count,
  F_day,
  F_dayCount,
  F_dayEwma,
  F_dayNovel,
  F_days,
  F_drift,
  F_driftAt,
  F_driftReads,
  F_events,
  F_hours,
  F_home,
  F_homeWeight,
  F_hoursTotal,
  F_lastAt,
  F_offHours,
  F_offHoursAt,
  F_old,
  F_oldAt,
  F_oldReads,
  F_peak5,
  F_phished,
  F_phishedAt,
  F_reads,
  F_recentCount,
  F_recentNext,
  RECENT_READS,
  UserRows,
} from './user-rows.ts';

export { RECENT_READS, UserRows } from './user-rows.ts';

/** Event indices an accumulating rule keeps as its alert's evidence. */
const EVIDENCE = 10;

export class UserState {
  /** Where the user's row starts in rows.state. */
  private readonly base: number;
  constructor(
    readonly name: string,
    /** The user's row in `rows`, taken over from a forgotten user or new. */
    readonly row = 0,
    /** The shared tables, which the detector reads with `row`. */
    readonly rows = new UserRows(),
  ) {
    rows.reset(row);
    this.base = row * rows.record;
    rows.devices.reset(row);
    rows.networks.reset(row);
  }

  // The evidence rings and the dedupe state are made when first needed: most users never raise anything, and a
  // replay meets thousands of users in its first seconds (a dozen small arrays each was a tenth of that start).
  private drift_: EvidenceRing | undefined;
  private phished_: EvidenceRing | undefined;
  private offHours_: EvidenceRing | undefined;
  private old_: EvidenceRing | undefined;
  private alertAt_: Float64Array | undefined;
  private alertSeverity_: Uint8Array | undefined;

  get driftEvidence(): EvidenceRing {
    return (this.drift_ ??= new EvidenceRing(EVIDENCE));
  }
  get phishedEvidence(): EvidenceRing {
    return (this.phished_ ??= new EvidenceRing(EVIDENCE));
  }
  get offHoursEvidence(): EvidenceRing {
    return (this.offHours_ ??= new EvidenceRing(EVIDENCE));
  }
  get oldEvidence(): EvidenceRing {
    return (this.old_ ??= new EvidenceRing(EVIDENCE));
  }
  /** Last alert time and severity per rule (RuleNames order), for dedupe. */
  get alertAt(): Float64Array {
    return (this.alertAt_ ??= new Float64Array(RuleNames.length).fill(Number.NEGATIVE_INFINITY));
  }
  get alertSeverity(): Uint8Array {
    return (this.alertSeverity_ ??= new Uint8Array(RuleNames.length));
  }

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
  /** Total of the hour-of-day weights (the hours are the 24 doubles at F_hours of the row). */
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
    const hours = base + F_hours;
    return (h[hours + ((hour + 23) % 24)]! + 2 * h[hours + hour]! + h[hours + ((hour + 1) % 24)]!) / (4 * total);
  }

  learnHour(hour: number, w: number): void {
    const h = this.rows.state;
    const base = this.base;
    h[base + F_hours + hour] = h[base + F_hours + hour]! + w;
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
