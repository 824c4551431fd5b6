// A sweep: reading "any office, any topic, any age" (the bulk downloader's pattern), as opposed to a colleague's
// reading, which even in a hurry stays on recent cables of a few offices. Judged against what is usual for the
// office, so it needs no history of the user's own: it sees a slow download by someone new to the node, which the
// rate rules (a norm of the user's own) and novelty (the user's interests, judged only after a week) cannot.
//
// Per user a small ring of their last reads (time, originating office, whether the read was a sweep read), in the
// user's record of UserRows (user-state.ts), which is reset when another user takes the row over (the detector
// forgets users past maxUsers), so memory stays bounded.
import type { OfficeNorm } from './office-norms.ts';
import { ageBand } from './office-norms.ts';
import type { UserState } from './user-state.ts';

/** Reads remembered per user: enough to judge a window of a few minutes at the speeds where the rule matters. */
export const SWEEP_RING = 16;
/** An office's age histogram needs this many (decayed) reads before "hardly anyone opens cables this old" holds. */
const OFFICE_SEEN = 100;

/** What the bulk rule needs to know about the reads in the sweep window, this one included. */
export interface SweepWindow {
  /** Reads in the window (at most SWEEP_RING). */
  readonly reads: number;
  /** Sweep reads among them. */
  readonly sweeps: number;
  /** Distinct originating offices among the sweep reads. */
  readonly origins: number;
}

export class SweepRows {
  private readonly scratch = new Float64Array(SWEEP_RING);
  private readonly out = { reads: 0, sweeps: 0, origins: 0 };

  /**
   * Whether the read is a sweep read: its age is one the office's readers almost never open (`rareAgeShare` of the
   * cables opened through the office, by anyone). Not the user's own ages: a newcomer's few reads would learn the
   * download's first cables as their usual within a handful, and an office whose people work in the archive shows
   * it in the office's ages. And at least `minAgeDays` old: past what someone back from leave reaches back to (a
   * trace that starts cold has seen few of those catch-ups, so their ages still look rare to the office).
   */
  isSweepRead(ageDays: number | undefined, office: OfficeNorm | undefined, inflation: number, rareAgeShare: number, minAgeDays: number): boolean {
    if (ageDays === undefined || ageDays < minAgeDays || !office || office.agesSeen(inflation) < OFFICE_SEEN) return false;
    return office.ageShare(ageBand(ageDays)) < rareAgeShare;
  }

  /** Records the read and returns the window of the last `windowMs` (shared object, valid until the next call). */
  observe(user: UserState, at: number, origin: number, sweep: boolean, windowMs: number): SweepWindow {
    // The user's ring: [next, count, (time, ±(origin + 1)) × SWEEP_RING].
    const ring = user.rows.state;
    const head = user.rows.record * user.row + user.rows.sweepOff;
    const base = head + 2;
    const next = ring[head]!;
    ring[base + 2 * next] = at;
    ring[base + 2 * next + 1] = sweep ? -(origin + 1) : origin + 1;
    ring[head] = (next + 1) % SWEEP_RING;
    const count = Math.min(SWEEP_RING, ring[head + 1]! + 1);
    ring[head + 1] = count;
    const out = this.out;
    out.reads = 0;
    out.sweeps = 0;
    out.origins = 0;
    // Only a sweep read can complete a sweep, so the window is counted for those alone (a few in a hundred reads).
    if (!sweep) return out;
    const since = at - windowMs;
    const seen = this.scratch;
    for (let k = 0; k < count; k++) {
      const i = base + 2 * ((next - k + SWEEP_RING) % SWEEP_RING);
      if (ring[i]! < since) break;
      out.reads++;
      const v = ring[i + 1]!;
      if (v >= 0) continue;
      out.sweeps++;
      let j = 0;
      while (j < out.origins && seen[j] !== v) j++;
      if (j === out.origins) seen[out.origins++] = v;
    }
    return out;
  }
}
