// The rows of every user's state (docs/detection.md "Throughput", fourth step): one record per user in one shared
// Float64Array, which the UserState accessors (user-state.ts) and the detector's hot path read by the user's row.
import { sameName } from './byte-names.ts';
import { SourceRows } from './source-rows.ts';
import { SWEEP_RING } from './sweep.ts';
import { BandRows, TallyRows } from './tally.ts';
import { Classifications } from '../cable/types.ts';
import { AGE_BANDS } from './office-norms.ts';

/** Ring of recent read times: enough to count reads in the bulk window up to well past any threshold. */
export const RECENT_READS = 128;

// A user's row of UserRows.state: the name, the counters (the hottest first), then the hour-of-day histogram: the
// counters a read touches lie in four cache lines with the name (docs/detection.md "Throughput", fifth step).
/** The user's name as bytes (user-names.ts): its length as an Int32, then up to USER_NAME_BYTES bytes. */
export const F_name = 0;
export const USER_NAME_BYTES = 28;
export const F_events = 4;
export const F_reads = 5;
export const F_lastAt = 6;
export const F_hoursTotal = 7;
export const F_recentNext = 8;
export const F_recentCount = 9;
export const F_home = 10;
export const F_homeWeight = 11;
export const F_bucket5 = 12;
export const F_bucket5Count = 13;
export const F_day = 14;
export const F_dayCount = 15;
export const F_dayEwma = 16;
export const F_days = 17;
export const F_dayNovel = 18;
export const F_peak5 = 19;
export const F_driftReads = 20;
export const F_drift = 21;
export const F_driftAt = 22;
export const F_oldReads = 23;
export const F_old = 24;
export const F_oldAt = 25;
export const F_phished = 26;
export const F_phishedAt = 27;
export const F_offHours = 28;
export const F_offHoursAt = 29;
/** The hour-of-day histogram: 24 doubles. */
export const F_hours = 32;
export const STATE = 56;
/** Records UserRows reserves at most before it grows by doubling (about 160 MB of address space). */
const MAX_RESERVED = 1 << 15;

/** The detector's tables of every user, one row each (tally.ts TallyRows), laid in one record per user. */
export class UserRows {
  readonly origins = new TallyRows(16, 64);
  readonly memberships = new TallyRows(4, 64);
  readonly tags = new TallyRows(32, 64);
  readonly levels = new BandRows(Classifications.length);
  readonly ages = new BandRows(AGE_BANDS);
  readonly devices = new SourceRows();
  readonly networks = new SourceRows();
  /**
   * Every user's state, one record of RECORD doubles each: the name, the counters and the hours (STATE), the tallies, the
   * devices and networks (with their names' bytes), the sweep's ring (sweep.ts), then the ring of recent reads (RECENT_READS pairs: the time,
   * and the event index + 1, negative when the read was unusual). One record rather than a row in each of a dozen
   * arrays: at 10,000 users every row was a cache miss and a TLB miss of its own, and a record's parts are a few
   * pages at most (docs/detection.md "Throughput", fourth step).
   */
  state = new Float64Array(0);
  /** `state` as Int32 words and as bytes, for the names kept in the records. */
  private words = new Int32Array(0);
  private bytes = new Uint8Array(0);
  /** Where the sweep's ring (sweep.ts) and the ring of recent reads start in a record, and the record's size
   * (doubles). */
  readonly sweepOff: number;
  readonly recentOff: number;
  readonly record: number;
  /** Where the tables (tables()) and the sources start in a record. */
  private readonly offsets: number[] = [];
  private readonly devicesOff: number;
  /** Records [0, used) have been in use. */
  private used = 0;
  private readonly networksOff: number;

  /** `users`: the records to make room for at once (the detector's maxUsers, capped): the memory is the system's
   * zero pages until a record is used, and growing by doubling copied the whole state each time. */
  constructor(users = 64) {
    // Each table from a cache line's start (8 doubles), so its size, total and first keys share one line.
    const line = (n: number) => Math.ceil(n / 8) * 8;
    let off = STATE;
    for (const t of this.tables()) {
      this.offsets.push(off);
      off = line(off + t.span);
    }
    this.devicesOff = off;
    this.networksOff = line(off + SourceRows.SPAN);
    this.sweepOff = line(this.networksOff + SourceRows.SPAN);
    this.recentOff = line(this.sweepOff + 2 + 2 * SWEEP_RING);
    this.record = line(this.recentOff + RECENT_READS * 2);
    this.state = new Float64Array(Math.max(1, Math.min(users, MAX_RESERVED)) * this.record);
    this.lay();
  }

  private tables(): (TallyRows | BandRows)[] {
    return [this.origins, this.memberships, this.tags, this.levels, this.ages];
  }

  /** Lays every table in `state`'s records. */
  private lay(): void {
    this.words = new Int32Array(this.state.buffer);
    this.bytes = new Uint8Array(this.state.buffer);
    this.tables().forEach((t, i) => t.lay(this.state, this.record, this.offsets[i]!));
    this.devices.lay(this.state, this.record, this.devicesOff);
    this.networks.lay(this.state, this.record, this.networksOff);
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
      s[b + F_hours + hour]! +
      // the name and the counters: every cache line of them
      s[b]! +
      s[b + 8]! +
      s[b + 16]! +
      s[b + 24]! +
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

  /** Keeps `buf[from, to)` (at most USER_NAME_BYTES) as the name of the user of `row`. */
  keepName(row: number, buf: Uint8Array, from: number, to: number): void {
    const w = (row * this.record + F_name) * 2;
    this.words[w] = to - from;
    this.bytes.set(buf.subarray(from, to), (w + 1) * 4);
  }

  /** Whether `buf[from, to)` is the name kept for `row` (never, for a fresh record: its length is 0). */
  hasName(row: number, buf: Uint8Array, from: number, to: number): boolean {
    const w = (row * this.record + F_name) * 2;
    return this.words[w] === to - from && sameName(this.words, w + 1, buf, from, to);
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
    // Records past every one used so far are still the zeros they were made with: a new user's first touch of
    // its pages is enough.
    if (row < this.used) s.fill(0, b, b + R);
    else this.used = row + 1;
    s[b + F_lastAt] = Number.NEGATIVE_INFINITY;
    s[b + F_home] = -1;
    s[b + F_bucket5] = -1;
    s[b + F_day] = -1;
  }
}
