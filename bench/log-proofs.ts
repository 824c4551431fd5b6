// bench/log.ts, proofs: inclusion and consistency proofs from the SQLite store at 1M and 10M entries.
import { rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { treeRoot, verifyConsistency, verifyInclusion } from '../src/log/proofs.ts';
import { leafHash } from '../src/log/merkle.ts';
import type { AuditLog } from '../src/node/audit-log.ts';
import { logHashes, type Store } from '../src/store/store.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { seededRandom } from '../test/support/concurrency.ts';
import { percentile, round } from './stats.ts';
import { FILL_BYTES_PER_ENTRY, FILL_CALL, FILL_CALLS_PER_TX, PROOF_SAMPLES, PROOF_WARMUP, auditLogOver, dbBytes, label, p, say, sizesToMeasure } from './log-shared.ts';

// --- proofs --------------------------------------------------------------------------------------------------

/** A 16-byte synthetic leaf: not a decodable entry (the store never decodes), distinct per index. */
function syntheticLeaf(i: number): Uint8Array {
  const leaf = new Uint8Array(16);
  leaf.set([0x73, 0x79, 0x6e, 0x3a]); // "syn:"
  new DataView(leaf.buffer).setFloat64(8, i);
  return leaf;
}

/** Fills the store to `target` entries through `appendLogEntries`, FILL_CALL leaves per call, in big transactions. */
function fill(store: Store, target: number): number {
  let size = store.transaction((tx) => tx.logSize());
  const at = Date.now();
  const start = performance.now();
  const from = size;
  while (size < target) {
    store.transaction((tx) => {
      for (let k = 0; k < FILL_CALLS_PER_TX && size < target; k++) {
        const n = Math.min(FILL_CALL, target - size);
        size = tx.appendLogEntries(Array.from({ length: n }, (_, j) => ({ leaf: syntheticLeaf(size + j) })), at, p).size;
      }
    });
    // stats.progress prints at exact tenths, which steps of FILL_CALL · FILL_CALLS_PER_TX entries rarely hit.
    const tenth = Math.max(1, Math.floor((target - from) / 10));
    if (Math.floor((size - from) / tenth) !== Math.floor((size - from - FILL_CALL * FILL_CALLS_PER_TX) / tenth) || size === target) {
      say(`filling the proof store to ${label(target)}: ${size - from}/${target - from}, ${round((size - from) / ((performance.now() - start) / 1000), 0)} entries/s`);
    }
  }
  return (performance.now() - start) / 1000;
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

const msFigures = (samples: readonly number[]) => ({ p50: round(percentile(samples, 0.5), 4), p99: round(percentile(samples, 0.99), 4), max: round(Math.max(...samples), 4) });

/** Inclusion and consistency proofs at the store's current size: random indices and random size pairs. */
function measureProofs(store: Store, log: AuditLog, size: number, seed: number): Record<string, unknown> {
  const random = seededRandom(seed);
  const below = (n: number) => Math.floor(random() * n);
  const inclusionMs: number[] = [];
  const inclusionHashes: number[] = [];
  const consistencyMs: number[] = [];
  const consistencyHashes: number[] = [];
  const root = store.transaction((tx) => treeRoot(p, logHashes(tx), size));
  for (let k = 0; k < PROOF_WARMUP + PROOF_SAMPLES; k++) {
    const index = below(size);
    const [proof, ms] = timed(() => log.inclusionProof(index, size));
    const size1 = 1 + below(size - 1);
    const size2 = size1 + 1 + below(size - size1);
    const [consistency, cms] = timed(() => log.consistencyProof(size1, size2));
    if (k < PROOF_WARMUP) continue;
    inclusionMs.push(ms);
    inclusionHashes.push(proof.length);
    consistencyMs.push(cms);
    consistencyHashes.push(consistency.length);
    // Every 50th pair is checked, outside the timing: a fast wrong proof would be worth nothing.
    if (k % 50 === 0) {
      const leaf = store.transaction((tx) => tx.logEntry(index))!.leaf;
      verifyInclusion(p, { leafIndex: index, treeSize: size, leafHash: leafHash(p, leaf), root, proof });
      const [root1, root2] = store.transaction((tx) => [treeRoot(p, logHashes(tx), size1), treeRoot(p, logHashes(tx), size2)]);
      verifyConsistency(p, { size1, size2, root1, root2, proof: consistency });
    }
  }
  const bound = Math.ceil(Math.log2(size)) * 32;
  return {
    inclusion_ms: msFigures(inclusionMs),
    consistency_ms: msFigures(consistencyMs),
    bytes: {
      inclusion_p50: percentile(inclusionHashes, 0.5) * 32,
      inclusion_max: Math.max(...inclusionHashes) * 32,
      consistency_p50: percentile(consistencyHashes, 0.5) * 32,
      consistency_max: Math.max(...consistencyHashes) * 32,
      ceil_log2_n_x32: bound,
      inclusion_within_bound: Math.max(...inclusionHashes) * 32 <= bound,
    },
  };
}

export async function benchProofs(dir: string): Promise<Record<string, unknown>> {
  const sizes = sizesToMeasure();
  const largest = sizes[sizes.length - 1]!;
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const needed = largest * FILL_BYTES_PER_ENTRY;
  say(`proof store: ${sizes.map(label).join(', ')} entries; needs ≈ ${(needed / 2 ** 30).toFixed(1)} GiB, ${(free / 2 ** 30).toFixed(1)} GiB free in ${dir}`);
  const fitting = sizes.filter((s) => s * FILL_BYTES_PER_ENTRY * 2 < free);
  const skipped = sizes.filter((s) => !fitting.includes(s));
  const path = join(dir, 'proofs.sqlite');
  const store = openSqliteStore(path);
  const inclusion: Record<string, unknown> = {};
  const consistency: Record<string, unknown> = {};
  const bytes: Record<string, unknown> = {};
  const stores: Record<string, unknown> = {};
  try {
    const log = await auditLogOver(store);
    let built = 0;
    for (const [k, size] of fitting.entries()) {
      const seconds = fill(store, size);
      built += seconds;
      say(`proofs at ${label(size)}: ${PROOF_SAMPLES} inclusion and ${PROOF_SAMPLES} consistency proofs`);
      const m = measureProofs(store, log, size, 7 + k);
      inclusion[label(size)] = m.inclusion_ms;
      consistency[label(size)] = m.consistency_ms;
      bytes[label(size)] = m.bytes;
      stores[label(size)] = { fill_seconds_total: round(built, 1), fill_entries_per_s: round(size / built, 0), db_bytes: dbBytes(path) };
    }
  } finally {
    store.close();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  }
  return {
    inclusion_proof_ms: inclusion,
    consistency_proof_ms: consistency,
    proof_bytes: bytes,
    proof_store: {
      ...stores,
      built_with: `16-byte synthetic leaves through Store.appendLogEntries (the node's append path: leaf and subtree hashes stored as rows), ${FILL_CALL} per call, ${FILL_CALL * FILL_CALLS_PER_TX} per transaction, SQLite WAL synchronous=FULL; proofs through AuditLog.inclusionProof / consistencyProof (the log routes' calls), ${PROOF_SAMPLES} samples each after ${PROOF_WARMUP} warm-up, uniform random index and size pairs 0 < size1 < size2 ≤ n; every 50th proof verified`,
      ...(skipped.length > 0 ? { skipped: skipped.map(label), skipped_reason: `not enough free disk (${(free / 2 ** 30).toFixed(1)} GiB)` } : {}),
    },
  };
}

