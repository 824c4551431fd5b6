// `npm run soak -- [--cables N] [--seed S]`: the federation soak of test/federation/soak.ts at the size
// (10,000 cables by default), printing progress on stderr and the report as JSON on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runSoak } from '../test/federation/soak.ts';

const { values } = parseArgs({ options: { cables: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } } });
const cables = Number(values.cables);
const seed = Number(values.seed);
if (!Number.isSafeInteger(cables) || cables < 10 || !Number.isSafeInteger(seed)) {
  process.stderr.write('usage: npm run soak -- [--cables N (≥ 10)] [--seed S]\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'chancery-soak-'));
const started = Date.now();
try {
  const report = await runSoak({ dir, cables, seed, progress: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) });
  process.stdout.write(`${JSON.stringify({ ...report, totalSeconds: (Date.now() - started) / 1000 }, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
