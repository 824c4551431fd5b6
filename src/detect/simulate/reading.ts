// Choosing what a person opens: a cable of an office they follow, on a topic of their portfolio, at a level they
// are cleared for, of an age that reflects how soon people react to what arrives.
import type { Classification } from '../../cable/types.ts';
import { SECONDS_PER_DAY } from './calendar.ts';
import type { Random } from './random.ts';
import type { SimEvent } from './trace-event.ts';
import { levelRank, ordinaryCable, type CableView, type Office } from './world.ts';

/** What a reader is after: the offices and tags they want, the highest level they may open. */
export interface Interest {
  readonly offices: readonly (readonly [Office, number])[];
  /** Does a cable's subject tag fit? Tried on a few candidates before settling for one that does not. */
  readonly wantsTag: (tag: string) => boolean;
  readonly clearance: Classification;
  /** Prefer cables at least this level (a reader widening into higher levels); -1 for no preference. */
  readonly minRank?: number;
}

const CANDIDATES = 8;

/**
 * Days between a cable's origin and its reading: mostly 0–3 (sooner for the prompt, whose mean delay is short),
 * now and then weeks, rarely years.
 */
export function reactionDays(r: Random, meanDays: number): number {
  const x = r.float();
  if (x < 0.93) return Math.min(3, Math.floor(r.exponential(meanDays)));
  if (x < 0.985) return r.int(4, 30);
  return r.int(31, 1500);
}

/** A cable matching `interest` as well as a few tries allow, originated `ageDays` before the day of `t`. */
function chooseCable(r: Random, interest: Interest, t: number, ageDays: number): CableView {
  const office = r.weighted(interest.offices);
  const day = t - (t % SECONDS_PER_DAY) - ageDays * SECONDS_PER_DAY;
  const cleared = levelRank(interest.clearance);
  let fallback: CableView | undefined;
  for (let i = 0; i < CANDIDATES * 4; i++) {
    const c = ordinaryCable(office, day, r.int(0, office.cablesPerDay - 1));
    const rank = levelRank(c.level);
    if (rank > cleared) continue; // policy would refuse it: nobody reads above their clearance
    fallback ??= c;
    const fits = interest.wantsTag(c.tags[0] ?? '') && rank >= (interest.minRank ?? -1);
    if (fits || i >= CANDIDATES) return fits ? c : fallback;
  }
  return fallback ?? ordinaryCable(office, day, 0);
}

/**
 * Where a read is made from: the reader, their device and network, and the offices they are a member of. A cable is
 * opened through one of those (the addressee office of the log's read entry): the first, their own, most often.
 */
export interface Seat {
  readonly user: string;
  readonly device: string;
  readonly ip: string;
  readonly memberships: readonly Office[];
}

/** A read event at `t`. */
export function readAt(r: Random, interest: Interest, t: number, seat: Seat, ageDays: number): SimEvent {
  const [own, ...others] = seat.memberships;
  const through = own === undefined || (others.length > 0 && r.chance(0.25)) ? r.pick(others) : own;
  return { t, kind: 'read', user: seat.user, device: seat.device, ip: seat.ip, office: through.code, cable: chooseCable(r, interest, t, ageDays), ageDays };
}

/** `n` instants spread at random over [from, to), in order. */
export function spread(r: Random, n: number, from: number, to: number): number[] {
  const times = Array.from({ length: n }, () => Math.floor(from + r.float() * Math.max(1, to - from)));
  return times.sort((a, b) => a - b);
}
