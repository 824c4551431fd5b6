// The bounded cache with a time to live behind the node's trust cache: entries expire a fixed time after they were
// stored (use does not extend it), and a full cache evicts the least recently used entry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedTtlCache } from '../../src/node/bounded-cache.ts';

describe('BoundedTtlCache', () => {
  it('serves an entry until its time to live from storing has passed, however often it is used', () => {
    const cache = new BoundedTtlCache<string, number>(4, 1000);
    cache.set('a', 1, 10_000);
    assert.equal(cache.get('a', 10_000), 1);
    assert.equal(cache.get('a', 10_999), 1);
    assert.equal(cache.get('a', 11_000), undefined, 'expired: 1000 ms after it was stored');
    assert.equal(cache.size, 0, 'an expired entry is dropped when met');
    cache.set('a', 2, 11_000);
    assert.equal(cache.get('a', 11_500), 2, 'stored again, served again');
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new BoundedTtlCache<string, number>(3, 60_000);
    for (const [i, key] of ['a', 'b', 'c'].entries()) cache.set(key, i, 0);
    assert.equal(cache.get('a', 1), 0); // a is now the most recently used: b goes first
    cache.set('d', 3, 2);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => cache.get(k, 3)), [0, undefined, 2, 3]);
    assert.equal(cache.size, 3);
    cache.set('c', 9, 4); // replacing an entry does not evict another
    assert.deepEqual(['a', 'c', 'd'].map((k) => cache.get(k, 5)), [0, 9, 3]);
  });

  it('forgets entries on demand', () => {
    const cache = new BoundedTtlCache<string, { user: string }>(8, 60_000);
    cache.set('1', { user: 'anna' }, 0);
    cache.set('2', { user: 'bob' }, 0);
    cache.set('3', { user: 'anna' }, 0);
    cache.deleteWhere((_key, v) => v.user === 'anna');
    assert.deepEqual(['1', '2', '3'].map((k) => cache.get(k, 1)?.user), [undefined, 'bob', undefined]);
    cache.delete('2');
    assert.equal(cache.size, 0);
  });

  it('refuses a size or time to live that makes no sense', () => {
    assert.throws(() => new BoundedTtlCache(0, 1000), RangeError);
    assert.throws(() => new BoundedTtlCache(1.5, 1000), RangeError);
    assert.throws(() => new BoundedTtlCache(8, -1), RangeError);
  });
});
