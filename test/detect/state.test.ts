// The detector's memory stays bounded however many users and symbols stream through it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Detector } from '../../src/detect/detector.ts';
import { Tally } from '../../src/detect/tally.ts';
import { T0, MINUTE } from './scenario.ts';

describe('bounded state', () => {
  it('forgets the least recently active users past maxUsers and caps interned symbols', () => {
    const d = new Detector({ maxUsers: 1000, maxSymbols: 500 });
    for (let i = 0; i < 5000; i++) {
      d.push({ at: T0 + i * MINUTE, kind: 'read', user: `u-${i}`, cable: `C/${i}`, office: `O.${i}`, tags: [`T${i}`] }, i);
    }
    const s = d.stats();
    assert.equal(s.users, 1000);
    assert.equal(s.usersForgotten, 4000);
    assert.equal(s.symbols, 500);
    assert.ok(s.offices <= 500);
  });

  it('a tally keeps its capacity and evicts the lightest key', () => {
    const t = new Tally(3);
    t.add(1, 5);
    t.add(2, 1);
    t.add(3, 3);
    t.add(4, 2);
    assert.equal(t.size, 3);
    assert.equal(t.weight(2), 0);
    assert.equal(t.weight(4), 2);
    assert.equal(t.total, 10);
  });
});
