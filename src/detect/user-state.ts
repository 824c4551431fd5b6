// One user's baseline and running counters, all fixed-size: capped tallies, a ring of recent read times, decayed
// accumulators. Learning happens after the rules have judged an event, so an event never excuses itself.
import { RuleNames } from './alert.ts';
import { EvidenceRing, Tally } from './tally.ts';

/** Ring of recent read times: enough to count reads in the bulk window up to well past any threshold. */
export const RECENT_READS = 128;
const MAX_SOURCES = 8;

/** A device or network (/24) the user has used, with when it was first seen. */
export class Sources {
  readonly names: string[] = [];
  readonly firstSeen: number[] = [];
  readonly lastSeen: number[] = [];
  /** Whether the source appeared after the user had a history (a user's very first device is not "new"). */
  readonly judged: boolean[] = [];
  readonly reads: number[] = [];

  // The detector asks for the same name twice per event (judging it, then learning it), and indexOf compares the
  // strings' contents: the last answer is kept, keyed by the string itself, until the list changes.
  private lastName: string | undefined;
  private lastIndex = -1;

  find(name: string): number {
    if (name === this.lastName) return this.lastIndex;
    this.lastName = name;
    return (this.lastIndex = this.names.indexOf(name));
  }

  /** Records a use (a read when `isRead`). Past the cap the least recently used source is dropped. */
  see(name: string, at: number, judged: boolean, isRead: boolean): void {
    const i = this.find(name);
    if (i >= 0) {
      this.lastSeen[i] = at;
      if (isRead) this.reads[i]!++;
      return;
    }
    this.lastName = undefined;
    if (this.names.length >= MAX_SOURCES) {
      let lru = 0;
      for (let j = 1; j < this.names.length; j++) if (this.lastSeen[j]! < this.lastSeen[lru]!) lru = j;
      this.names.splice(lru, 1);
      this.firstSeen.splice(lru, 1);
      this.lastSeen.splice(lru, 1);
      this.judged.splice(lru, 1);
      this.reads.splice(lru, 1);
    }
    this.names.push(name);
    this.firstSeen.push(at);
    this.lastSeen.push(at);
    this.judged.push(judged);
    this.reads.push(isRead ? 1 : 0);
  }
}

export class UserState {
  /** Events and reads learned, and when the user was last active. */
  events = 0;
  reads = 0;
  lastAt = Number.NEGATIVE_INFINITY;
  /** Originating offices of the cables read (the cable id's first part): the user's interests. */
  readonly origins = new Tally(16);
  /** Offices the user opens cables through (the trace's `office`, a membership): their home among them. */
  readonly memberships = new Tally(4);
  readonly tags = new Tally(32);
  readonly levels = new Tally(5);
  readonly ages = new Tally(12);
  readonly hours = new Float64Array(24);
  hoursTotal = 0;
  readonly devices = new Sources();
  readonly networks = new Sources();
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
