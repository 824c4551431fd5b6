// The detector's compact rows (docs/detection.md "Throughput", fifth step) against what they replaced: the band
// rows give the keyed tally's sums to the last bit, age bands by bit length give log2's bands, and the users'
// index finds exactly the names it was given, forgets them, and never answers for a row made fresh.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesHash } from '../../src/detect/byte-names.ts';
import { AGE_BANDS, ageBand } from '../../src/detect/office-norms.ts';
import { BandRows, TallyRows } from '../../src/detect/tally.ts';
import { UserNames } from '../../src/detect/user-names.ts';
import { USER_NAME_BYTES, UserRows } from '../../src/detect/user-rows.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('BandRows', () => {
  it('gives the same shares as a keyed tally as wide as its domain, bit for bit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.double({ min: 1e-6, max: 1e6, noNaN: true })), { maxLength: 200 }), (adds) => {
        const keyed = new TallyRows(12, 2);
        keyed.reset(1);
        const bands = new BandRows(12);
        bands.lay(new Float64Array(2 * bands.span), bands.span, 0);
        for (const [key, w] of adds) {
          keyed.add(1, key, w);
          bands.add(1, key, w);
        }
        for (let key = 0; key < 12; key++) assert.equal(bands.share(1, key), keyed.share(1, key));
      }),
    );
  });
});

describe('ageBand', () => {
  it('is floor(log2(days)) + 1, capped, for whole and fractional days', () => {
    const byLog = (d: number) => (d < 1 ? 0 : Math.min(AGE_BANDS - 1, Math.floor(Math.log2(d)) + 1));
    for (let d = 0; d <= 5000; d++) for (const x of [d, d + 0.25, d + 0.999]) assert.equal(ageBand(x), byLog(x), String(x));
    for (const x of [0.5, 1023.9, 1024, 2 ** 31, 1e12]) assert.equal(ageBand(x), byLog(x), String(x));
  });
});

describe('UserNames', () => {
  const rows = new UserRows(64);
  const at = (s: string) => ({ buf: bytes(`"user":"${s}",`), from: 8, to: 8 + s.length });

  it('finds the rows of the names it was given, and nothing for other names', () => {
    const names = new UserNames(64, rows);
    const people = Array.from({ length: 40 }, (_, i) => `u-${String(i).padStart(4, '0')}`);
    people.forEach((name, row) => {
      rows.reset(row);
      const { buf, from, to } = at(name);
      names.set(bytesHash(buf, from, to), buf, from, to, row);
    });
    // 40 names in 32 buckets of two ways: a few were pushed out, and those are not found (the string path's).
    let found = 0;
    people.forEach((name, row) => {
      const { buf, from, to } = at(name);
      const got = names.get(bytesHash(buf, from, to), buf, from, to);
      assert.ok(got === row || got === -1, name);
      if (got === row) found++;
    });
    assert.ok(found >= 30, `found ${found} of 40`);
    const stranger = at('u-9999');
    assert.equal(names.get(bytesHash(stranger.buf, stranger.from, stranger.to), stranger.buf, stranger.from, stranger.to), -1);
  });

  it('keeps no name longer than a record holds, and forgets a row taken over', () => {
    const names = new UserNames(64, rows);
    const long = at('x'.repeat(USER_NAME_BYTES + 1));
    rows.reset(3);
    names.set(bytesHash(long.buf, long.from, long.to), long.buf, long.from, long.to, 3);
    assert.equal(names.get(bytesHash(long.buf, long.from, long.to), long.buf, long.from, long.to), -1);

    const kept = at('u-kept');
    const h = bytesHash(kept.buf, kept.from, kept.to);
    rows.reset(4);
    names.set(h, kept.buf, kept.from, kept.to, 4);
    assert.equal(names.get(h, kept.buf, kept.from, kept.to), 4);
    assert.equal(names.likelyRow(h), 4);
    names.forget('u-kept', 4);
    assert.equal(names.get(h, kept.buf, kept.from, kept.to), -1);

    // A record made fresh (another user takes the row) answers for no earlier name, even if the index still points.
    names.set(h, kept.buf, kept.from, kept.to, 4);
    rows.reset(4);
    assert.equal(names.get(h, kept.buf, kept.from, kept.to), -1);
  });
});
