// An open-loop load: requests start on a fixed schedule whether or not earlier ones have answered, and each
// latency is counted from its scheduled start. A closed loop (send, wait, send) slows down with the server and so
// hides its queueing delay ("coordinated omission"); a reader's device does not wait for another's answer.

export interface OpenLoopResult {
  /** Milliseconds from each request's scheduled start to its answer, for the requests that succeeded. */
  readonly latencies: number[];
  readonly errors: string[];
  /** How late the generator itself started requests, at worst (ms): large values mean the client was the limit. */
  readonly maxStartLagMs: number;
}

/** Starts `call(i)` at `ratePerSecond` for `seconds`, then waits for every answer. */
export async function openLoop(ratePerSecond: number, seconds: number, call: (i: number) => Promise<unknown>): Promise<OpenLoopResult> {
  const total = Math.round(ratePerSecond * seconds);
  const interval = 1000 / ratePerSecond;
  const latencies: number[] = [];
  const errors: string[] = [];
  const pending: Promise<void>[] = [];
  let maxStartLagMs = 0;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const scheduled = start + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    maxStartLagMs = Math.max(maxStartLagMs, performance.now() - scheduled);
    pending.push(
      call(i).then(
        () => void latencies.push(performance.now() - scheduled),
        (error: unknown) => void errors.push(error instanceof Error ? error.message : String(error)),
      ),
    );
  }
  await Promise.all(pending);
  return { latencies, errors, maxStartLagMs };
}
