// What the log benchmark's parts share (bench/log.ts): the node name, flags, helpers and sizes.
import { statSync } from 'node:fs';
import type { NodeName } from '../src/cable/types.ts';
import { nodeProvider } from '../src/crypto/node-provider.ts';
import { generateHybridSigningKey } from '../src/crypto/hybrid-signature.ts';
import { signCheckpoint } from '../src/log/checkpoint.ts';
import { AuditLog } from '../src/node/audit-log.ts';
import { logOrigin } from '../src/node/log-key.ts';
import { type Store } from '../src/store/store.ts';
import { percentile } from './stats.ts';

export const p = nodeProvider;
export const CHANCERY_BIN = new URL('../bin/chancery.js', import.meta.url).pathname;
export const NODE = 'MFA.CY' as NodeName;
export const APPENDS = Number(process.env.BENCH_LOG_APPENDS ?? 100_000);
export const APPEND_WARMUP = 5_000;
/** The group commit's own cap (src/node/commit-batcher.ts): this many writers fill one commit. */
export const IN_FLIGHT = 256;
export const DEFAULT_SIZES = [1_000_000, 10_000_000];
export const PROOF_SAMPLES = 2_000;
export const PROOF_WARMUP = 200;
/** Synthetic leaves per appendLogEntries call, and calls per transaction, when filling the proof store. */
export const FILL_CALL = 4_096;
export const FILL_CALLS_PER_TX = 64;
/** Disk a synthetic entry takes (leaf row, about one subtree-hash row, b-tree pages, WAL): measured ≈ 190 B. */
export const FILL_BYTES_PER_ENTRY = 250;
export const TARGET_RATIO = 0.25;

export const say = (line: string) => process.stderr.write(`${line}\n`);

/** `--name value` or `--name=value` from the command line (after `npm run bench -- log`). */
export function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}

export function sizesToMeasure(): number[] {
  const given = flag('sizes');
  if (given === undefined) return DEFAULT_SIZES;
  const sizes = given.split(',').map(Number);
  if (sizes.some((s) => !Number.isSafeInteger(s) || s < 2)) throw new RangeError(`--sizes takes integers ≥ 2, comma-separated, not "${given}"`);
  return [...sizes].sort((a, b) => a - b);
}

export const label = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n % 1000 === 0 ? `${n / 1000}k` : String(n));

export function dbBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(`${path}${suffix}`).size;
    } catch {
      // no WAL file at the moment
    }
  }
  return total;
}

export async function auditLogOver(store: Store): Promise<AuditLog> {
  const key = await generateHybridSigningKey(p);
  return new AuditLog(p, store, NODE, { key, identity: { origin: logOrigin(NODE), publicKey: key.public } });
}

/** Milliseconds one checkpoint signing takes (Ed25519 + ML-DSA-65, the log key's two halves), p50 of 20. */
export async function checkpointSigningMs(): Promise<number> {
  const key = await generateHybridSigningKey(p);
  const samples: number[] = [];
  for (let size = 1; size <= 20; size++) {
    const start = performance.now();
    await signCheckpoint(p, { origin: logOrigin(NODE), size, root: p.randomBytes(32), extensions: [] }, key);
    samples.push(performance.now() - start);
  }
  return percentile(samples, 0.5);
}

