// The outbox's pure parts: the retry schedule (capped, jittered, never giving up) and the precedence gate the
// receiver verifies pushes through (FLASH overtakes ROUTINE waiting).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Precedence } from '../../src/cable/types.ts';
import { BACKOFF_CAP_MS, retryDelayMs } from '../../src/node/federation/backoff.ts';
import { PriorityGate } from '../../src/node/federation/priority-gate.ts';

describe('retryDelayMs', () => {
  it('doubles from 1 s, stays between half and all of its step, and never exceeds 3 minutes however long the peer is down', () => {
    assert.equal(retryDelayMs(1, 0.999999), 1000);
    assert.equal(retryDelayMs(1, 0), 500);
    assert.equal(retryDelayMs(2, 0.999999), 2000);
    assert.equal(retryDelayMs(5, 0.5), 12_000);
    for (const failures of [9, 10, 20, 1000, 10_000_000]) {
      const low = retryDelayMs(failures, 0);
      const high = retryDelayMs(failures, 0.999999);
      assert.ok(low >= BACKOFF_CAP_MS / 2 && high <= BACKOFF_CAP_MS, `${failures}: ${low}..${high}`);
    }
    // A week down at the cap: at least one probe every 3 minutes, so thousands of probes, never a give-up.
    let t = 0;
    let probes = 0;
    for (let f = 1; t < 7 * 86_400_000; f++, probes++) t += retryDelayMs(f, 0.999999);
    assert.ok(probes > 3000, `${probes} probes in a week`);
  });

  it('refuses nonsense', () => {
    assert.throws(() => retryDelayMs(0, 0.5), RangeError);
    assert.throws(() => retryDelayMs(1, 1), RangeError);
    assert.throws(() => retryDelayMs(1.5, 0.5), RangeError);
  });
});

describe('PriorityGate', () => {
  it('lets a FLASH waiter in before ROUTINE waiters that arrived earlier, and keeps arrival order within a precedence', async () => {
    const gate = new PriorityGate(1);
    const order: string[] = [];
    let release!: () => void;
    const blocker = gate.run('ROUTINE', () => new Promise<void>((r) => (release = r)));
    const job = (name: string, precedence: Precedence) => gate.run(precedence, () => Promise.resolve(void order.push(name)));
    const waiting = [job('r1', 'ROUTINE'), job('r2', 'ROUTINE'), job('p1', 'PRIORITY'), job('f1', 'FLASH'), job('f2', 'FLASH'), job('i1', 'IMMEDIATE')];
    assert.equal(gate.waiting, 6);
    release();
    await Promise.all([blocker, ...waiting]);
    assert.deepEqual(order, ['f1', 'f2', 'i1', 'p1', 'r1', 'r2']);
    assert.equal(gate.waiting, 0);
  });

  it('runs up to its capacity at once and frees a slot when a job fails', async () => {
    const gate = new PriorityGate(2);
    let running = 0;
    let peak = 0;
    const job = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await assert.rejects(gate.run('ROUTINE', () => Promise.reject(new Error('boom'))), /boom/);
    await Promise.all(Array.from({ length: 8 }, () => gate.run('ROUTINE', job)));
    assert.equal(peak, 2);
  });
});
