// The detector's alerts on a fixed simulator trace, line for line: a guard for performance work on the parser, the
// file reader and the per-user state, which must change how fast the detector runs and never what it says.
// The expected lines were recorded from the detector before that work (docs/detection.md "Throughput").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toAlertLine } from '../../src/detect/alert.ts';
import { Detector } from '../../src/detect/detector.ts';
import { replayTrace } from '../../src/detect/replay.ts';
import { Simulation } from '../../src/detect/simulate/simulation.ts';
import { parseTraceLine } from '../../src/detect/trace.ts';

const EXPECTED = readFileSync(new URL('./fixtures/replay-alerts.jsonl', import.meta.url), 'utf8').trimEnd().split('\n');

function trace(): string {
  const sim = new Simulation({ users: 60, days: 28, seed: 20260302, attacks: ['bulk', 'phished', 'widening', 'canary'], start: Date.UTC(2026, 2, 2) / 1000 });
  return [...sim.trace()].join('');
}

describe('replay regression (60 users, 28 days, seed 20260302, every attack)', () => {
  const text = trace();

  it('replaying the file gives exactly the recorded alert lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chancery-replay-regression-'));
    try {
      const file = join(dir, 'trace.jsonl');
      writeFileSync(file, text);
      const lines: string[] = [];
      await replayTrace(file, { onAlert: (a) => lines.push(toAlertLine(a)) });
      assert.deepEqual(lines, EXPECTED);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pushing the parsed lines one by one (as the node does) gives the same lines', () => {
    const detector = new Detector();
    const lines: string[] = [];
    text
      .trimEnd()
      .split('\n')
      .forEach((line, i) => {
        for (const a of detector.push(parseTraceLine(line, i + 1), i)) lines.push(toAlertLine(a));
      });
    assert.deepEqual(lines, EXPECTED);
  });
});
