// `chancery detect replay|score` as a user runs them, on a small trace file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoSecond } from '../../src/detect/alert.ts';
import { DAY, HOUR, T0, habit, normalDays, read } from './scenario.ts';
import type { TraceEvent } from '../../src/detect/trace.ts';

const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;
const chancery = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });

function line(e: TraceEvent): string {
  const { at, ageDays, ...rest } = e;
  return JSON.stringify({ t: isoSecond(at), ...rest, ...(ageDays === undefined ? {} : { age_days: ageDays }) });
}

describe('chancery detect', () => {
  let dir = '';
  const me = habit(1);
  const canaryAt = T0 + 20 * DAY + 10 * HOUR;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'chancery-detect-'));
    const events = [...normalDays(me, T0, 20, 1), ...normalDays(habit(2), T0, 21, 2), read(me, canaryAt, { canary: true })].sort((a, b) => a.at - b.at);
    writeFileSync(join(dir, 'trace.jsonl'), `${events.map(line).join('\n')}\n`);
    writeFileSync(join(dir, 'labels.jsonl'), `${JSON.stringify({ attack: 'canary', user: me.user, start: isoSecond(canaryAt), end: isoSecond(canaryAt), events: 1 })}\n`);
    writeFileSync(join(dir, 'bad.jsonl'), `${line(read(me, T0))}\n{"t":"2026-03-02T09:14:07Z","kind":"read"}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replay --json prints alert lines', () => {
    const r = chancery('detect', 'replay', join(dir, 'trace.jsonl'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(alerts, [{ t: isoSecond(canaryAt), user: me.user, rule: 'canary', severity: 'high', action: 'freeze', evidence: [alerts[0]!.evidence as number[]][0] }]);
    assert.match(r.stderr, /replayed \d+ events/);
  });

  it('replay prints readable text; a malformed line is an error naming it', () => {
    assert.match(chancery('detect', 'replay', join(dir, 'trace.jsonl')).stdout, /HIGH\s+freeze\s+u-0001\s+canary/);
    const bad = chancery('detect', 'replay', join(dir, 'bad.jsonl'));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /detect\.bad_trace.*trace line 2/);
  });

  it('score --json reports recall and false alerts', () => {
    const r = chancery('detect', 'score', join(dir, 'trace.jsonl'), join(dir, 'labels.jsonl'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { kinds: { canary: { recall: number; medianReads: number } }; falseAlerts: { count: number } };
    assert.equal(report.kinds.canary.recall, 1);
    assert.equal(report.kinds.canary.medianReads, 1);
    assert.equal(report.falseAlerts.count, 0);
    assert.match(chancery('detect', 'score', join(dir, 'trace.jsonl'), join(dir, 'labels.jsonl')).stdout, /canary\s+1\/1/);
  });
});
