// Small helpers for tests and benchmarks that drive a node with many requests: a bounded pool of workers and a
// seeded random generator (a failing crash run is replayed with the seed it printed).

export { seededRandom } from '../../src/seeded-random.ts';

/** Runs `fn` over `items` with at most `width` calls in flight; stops taking new items once `stop()` is true. */
export async function pool<T>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<void>, stop: () => boolean = () => false): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const index = next++;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}


/** Lets pending I/O callbacks run: after a long synchronous stretch (sealing), the HTTP client must first see the
 * keep-alive sockets the server closed meanwhile, or it reuses one and the request fails with "other side closed". */
export function settle(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A Fisher–Yates shuffle of a copy of `items`, driven by `random` (so a seed reproduces the order). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
