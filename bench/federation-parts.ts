// Helpers of the federation benchmark (bench/federation.ts): what a receiving node stored, read straight from its
// SQLite file (read-only, a new connection per look, so a restart of the node never finds it held), and a paced
// sender that offers cables at a fixed rate with a bound on those in flight.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CableId, OfficeCode } from '../src/cable/types.ts';
import type { CableFactory, SentCable, TrafficCable } from '../test/federation/factory.ts';
import type { HarnessNode } from '../test/federation/harness.ts';
import { percentile, round } from './stats.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Cables from `from` stored at `node`: id → accepted_at (the receiver's clock, ms). */
export function storedFrom(node: HarnessNode, from: OfficeCode): Map<CableId, number> {
  const db = new Database(join(node.dataDir, 'node.sqlite'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.prepare('SELECT id, accepted_at AS at FROM cables WHERE from_office = ?').all(from) as { id: CableId; at: number }[];
    return new Map(rows.map((r) => [r.id, r.at]));
  } finally {
    db.close();
  }
}

/** How many of `ids` are stored at `node` (from `from`). */
export function storedCount(node: HarnessNode, from: OfficeCode, ids: ReadonlySet<CableId>): number {
  let n = 0;
  for (const id of storedFrom(node, from).keys()) if (ids.has(id)) n++;
  return n;
}

/**
 * Polls until every one of `ids` is stored at each of `nodes`; the wall time (ms, performance.now()) when the first
 * and the last arrived at the slowest node, as seen by polls every `pollMs`.
 */
export async function waitStored(nodes: readonly HarnessNode[], from: OfficeCode, ids: ReadonlySet<CableId>, timeoutMs: number, pollMs = 100): Promise<{ first: number; last: number; stored: number }> {
  const until = performance.now() + timeoutMs;
  let first = 0;
  let lastReport = 0;
  for (;;) {
    const counts = nodes.map((n) => storedCount(n, from, ids));
    const now = performance.now();
    if (first === 0 && counts.some((c) => c > 0)) first = now;
    const min = Math.min(...counts);
    if (min >= ids.size) return { first, last: now, stored: min };
    if (now > until) return { first, last: Number.NaN, stored: min };
    if (now - lastReport > 5000) {
      say(`  stored ${counts.join(' / ')} of ${ids.size}`);
      lastReport = now;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export interface PacedResult {
  readonly sent: SentCable[];
  readonly errors: string[];
  readonly seconds: number;
  /** Cables not started on schedule because `maxInFlight` were already in flight. */
  readonly lateStarts: number;
}

/**
 * Offers `make(i)` at `ratePerSecond` for `seconds` through the factory; at most `maxInFlight` cables in flight (a
 * start waits for a free slot rather than pile up thousands of requests when the node is slower than the offer, and
 * no cable starts after the window).
 */
export async function paced(factory: CableFactory, ratePerSecond: number, seconds: number, maxInFlight: number, make: (i: number) => TrafficCable): Promise<PacedResult> {
  const total = Math.round(ratePerSecond * seconds);
  const interval = 1000 / ratePerSecond;
  const sent: SentCable[] = [];
  const errors: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let lateStarts = 0;
  const start = performance.now();
  // The offer ends with its window: a node slower than the offer gets fewer cables, not a longer phase.
  for (let i = 0; i < total && performance.now() - start < seconds * 1000; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight.size >= maxInFlight) {
      lateStarts++;
      await Promise.race(inFlight);
    }
    const job: Promise<void> = factory.sendOne(make(i)).then(
      (c) => void sent.push(c),
      (e: unknown) => void errors.push(e instanceof Error ? e.message : String(e)),
    ).finally(() => inFlight.delete(job));
    inFlight.add(job);
  }
  await Promise.all(inFlight);
  return { sent, errors, seconds: (performance.now() - start) / 1000, lateStarts };
}

/** p50, p99, max (ms) of `samples`, keyed `<prefix>_p50_ms` …; nulls when there are none. */
export function latencies(prefix: string, samples: readonly number[]): Record<string, number | null> {
  const has = samples.length > 0;
  return {
    [`${prefix}_p50_ms`]: has ? round(percentile(samples, 0.5), 1) : null,
    [`${prefix}_p99_ms`]: has ? round(percentile(samples, 0.99), 1) : null,
    [`${prefix}_max_ms`]: has ? round(Math.max(...samples), 1) : null,
  };
}

/** Each sent cable's delivery latency: stored at the receiver (its accepted_at) minus the origin's acknowledgement. */
export function deliveryLatencies(sent: readonly SentCable[], stored: ReadonlyMap<CableId, number>): { latencies: number[]; missing: number } {
  const out: number[] = [];
  let missing = 0;
  for (const c of sent) {
    const at = stored.get(c.id);
    if (at === undefined) missing++;
    else out.push(at - c.sentAt);
  }
  return { latencies: out, missing };
}
