// Benchmark of issue 4 "The verifiable audit log" (docs/benchmarks.md "log"):
// - appends: realistic `cable.read` entries with personal details, appended by concurrent writers through the
//   node's own path (AuditLog.append inside a group commit, src/node/commit-batcher.ts) to a SQLite file store
//   with synchronous=FULL, against the SHA-256 floor of the same appends (their leaf and interior node hashes),
//   measured in the same run with the same provider, interleaved;
// - proofs: inclusion and consistency proofs served from the store's subtree hashes (AuditLog, as the log routes
//   serve them) at 1M and 10M entries (`--sizes` overrides), the store filled with small synthetic leaves through
//   the store's own append path in big transactions;
// - reads: a real node serving LIMITED reads through the release service at 200/s, against the same read without
//   the share in the same run.
// Progress on stderr, JSON on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchAppends } from './log-appends.ts';
import { flag } from './log-shared.ts';
import { benchProofs } from './log-proofs.ts';
import { benchReadsWithRelease } from './log-reads.ts';

export async function benchLog(): Promise<Record<string, unknown>> {
  const parts = (flag('only') ?? 'appends,proofs,reads').split(',');
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-log-'));
  try {
    const result: Record<string, unknown> = {};
    if (parts.includes('appends')) Object.assign(result, await benchAppends(dir));
    if (parts.includes('proofs')) Object.assign(result, await benchProofs(dir));
    if (parts.includes('reads')) Object.assign(result, await benchReadsWithRelease(dir));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
