// When to try a peer again after a failed push: exponential from 1 s, doubling per consecutive failure, capped at
// 3 minutes, each delay drawn between half and all of its step (jitter, so nodes that lost one peer together do
// not retry in lockstep). The cap is the point: a peer down for a week is probed every few minutes all week and
// gets its queue within minutes of coming back (docs/federation.md "Retries"); nobody is ever dropped.
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 3 * 60_000;

/** The delay before attempt `failures + 1`, given `failures` consecutive failures (≥ 1) and a draw in [0, 1). */
export function retryDelayMs(failures: number, random: number, base = BACKOFF_BASE_MS, cap = BACKOFF_CAP_MS): number {
  if (!Number.isSafeInteger(failures) || failures < 1) throw new RangeError('retryDelayMs: failures must be a positive integer');
  if (!(random >= 0 && random < 1)) throw new RangeError('retryDelayMs: random must be in [0, 1)');
  // 2^(failures-1) overflows nothing below the cap: past 30 doublings the step is the cap anyway.
  const step = Math.min(cap, base * 2 ** Math.min(failures - 1, 30));
  return Math.round(step / 2 + (step / 2) * random);
}
