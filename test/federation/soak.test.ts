// The federation soak at test size (test/federation/soak.ts says what it proves): three real nodes, two sending,
// each node SIGKILLed once mid-run. `npm run soak -- --cables 10000` runs the same at the size.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { runSoak } from './soak.ts';

const CABLES = Number(process.env.CHANCERY_SOAK_CABLES ?? 300);

it(`${CABLES} cables between three nodes, each killed once: every cable at every addressed office exactly once, logs whole and alike`, { timeout: 20 * 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-soak-'));
  try {
    const report = await runSoak({ dir, cables: CABLES, seed: 7, progress: (line) => process.stderr.write(`${line}\n`) });
    assert.equal(report.cables, CABLES);
    assert.equal(report.kills.length, 3);
    assert.ok(report.deliveries >= CABLES, `${report.deliveries} deliveries`);
    assert.ok(report.opened >= 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
