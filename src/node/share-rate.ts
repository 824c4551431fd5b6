// The release service's hard per-user rate (issue 4 "No unlogged decryption"; DESIGN.md "Detection": bulk reading is
// prevented, not only detected). Counted from the shares on the record (the store's share_releases rows, one per
// log entry, written in that entry's transaction), so a restart forgets nothing, and checked in the same
// transaction as the append, so concurrent requests of one group commit cannot overrun it together.
import type { UserId } from '../cable/types.ts';
import { RequestError } from '../errors.ts';
import type { StoreTx } from '../store/store.ts';

/** Shares one user may be handed in any sliding minute and any sliding hour (every device of theirs together). */
export interface ShareRate {
  readonly perMinute: number;
  readonly perHour: number;
}

/** Two minutes of steady reading, or six cables an hour on average: far above a diplomat's day, far below a dump. */
export const DEFAULT_SHARE_RATE: ShareRate = { perMinute: 20, perHour: 120 };

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * Throws `request.rate_limited` (429) when `user` was handed `perMinute` shares in the minute before `now`, or
 * `perHour` in the hour before it. Runs before the share's entry is appended, in its transaction.
 *
 * @example
 * ```ts
 * checkShareRate(tx, caller.user, input.now, node.shareRate);
 * ```
 */
export function checkShareRate(tx: StoreTx, user: UserId, now: number, rate: ShareRate): void {
  if (tx.countShareReleases(user, now - MINUTE) >= rate.perMinute) {
    throw new RequestError('request.rate_limited', `at most ${rate.perMinute} release shares a minute: try again in a minute`);
  }
  if (tx.countShareReleases(user, now - HOUR) >= rate.perHour) {
    throw new RequestError('request.rate_limited', `at most ${rate.perHour} release shares an hour: try again later, or ask a security officer`);
  }
}

/** Checks a configured rate: whole numbers of at least one (a rate of zero would be an outage, not a policy). */
export function parseShareRate(perMinute: number, perHour: number): ShareRate {
  for (const [name, n] of [['per minute', perMinute], ['per hour', perHour]] as const) {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`the share rate ${name} must be a whole number of at least 1`);
  }
  return { perMinute, perHour };
}
