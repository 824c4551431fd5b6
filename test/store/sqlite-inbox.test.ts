// The inbox order (FLASH → ROUTINE, newest first, then office) and its keyset pages: every line exactly once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Precedences } from '../../src/cable/types.ts';
import type { OfficeCode, Precedence } from '../../src/cable/types.ts';
import { DecodeError } from '../../src/errors.ts';
import type { InboxEntry, Store } from '../../src/store/store.ts';
import { StoreLimits } from '../../src/store/store.ts';
import { AMERICAS, ANNA, ASIA, EUROPE, cable, rosterStore } from './fixtures.ts';

const OFFICES = [AMERICAS, ASIA, EUROPE] as const;

interface Line {
  readonly seq: number;
  readonly office: OfficeCode;
  readonly precedence: Precedence;
}

/** Stores cables delivered as given (every office is an addressee) and returns the expected inbox lines. */
function fill(store: Store, cables: readonly { precedence: Precedence; deliveries: readonly OfficeCode[] }[]): Line[] {
  const lines: Line[] = [];
  store.transaction((tx) => {
    cables.forEach((c, i) => {
      const { seq } = tx.putCable(cable(i + 1, c.precedence, [AMERICAS, ASIA]), c.deliveries, i);
      for (const office of new Set(c.deliveries)) lines.push({ seq, office, precedence: c.precedence });
    });
  });
  return lines;
}

/** The model of the order, written independently of the store: a plain sort. */
function expected(lines: readonly Line[], offices: readonly OfficeCode[]): string[] {
  return lines
    .filter((l) => offices.includes(l.office))
    .sort(
      (a, b) =>
        Precedences.indexOf(a.precedence) - Precedences.indexOf(b.precedence) ||
        b.seq - a.seq ||
        (a.office < b.office ? -1 : a.office > b.office ? 1 : 0),
    )
    .map((l) => `${l.seq}@${l.office}`);
}

/** Reads every page and returns the lines in the order served, with the page sizes. */
function readAll(store: Store, offices: readonly OfficeCode[], limit: number): { lines: string[]; pages: number[]; entries: InboxEntry[] } {
  const lines: string[] = [];
  const pages: number[] = [];
  const entries: InboxEntry[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = store.transaction((tx) => tx.inbox({ user: ANNA, offices, limit, ...(after === undefined ? {} : { after }) }));
    pages.push(page.entries.length);
    for (const e of page.entries) {
      lines.push(`${e.seq}@${e.office}`);
      entries.push(e);
    }
    if (page.next === null) return { lines, pages, entries };
    after = page.next;
  }
  throw new Error('pagination did not end');
}

describe('SQLite store: inbox', () => {
  it('pages 250 cables of mixed precedence 40 at a time, each exactly once, FLASH first and newest first', () => {
    const store = rosterStore();
    const cables = Array.from({ length: 250 }, (_, i) => ({
      precedence: Precedences[(i * 7) % 4] ?? 'ROUTINE',
      deliveries: [AMERICAS],
    }));
    const lines = fill(store, cables);
    const { lines: served, pages, entries } = readAll(store, [AMERICAS], 40);
    assert.deepEqual(pages, [40, 40, 40, 40, 40, 40, 10]);
    assert.deepEqual(served, expected(lines, [AMERICAS]));
    assert.equal(new Set(served).size, 250);
    const first = entries[0];
    assert.ok(first);
    assert.equal(first.precedence, 'FLASH');
    // Exactly the routing fields and the line's own: no envelope bytes ride along in an inbox listing.
    const c = cable(first.seq, 'FLASH', [AMERICAS, ASIA]);
    assert.deepEqual(first, {
      id: c.id, dtg: c.dtg, precedence: 'FLASH', classification: c.classification, caveats: c.caveats, releasableTo: c.releasableTo, from: c.from, to: c.to, info: c.info,
      tags: c.tags, drafter: c.drafter, releaser: c.releaser, office: AMERICAS, seq: first.seq, acceptedAt: first.seq - 1, readAt: null,
    });
  });

  it('lists a cable delivered to two of the user\'s offices once per office, offices in order', () => {
    const store = rosterStore();
    fill(store, [
      { precedence: 'ROUTINE', deliveries: [EUROPE, AMERICAS] },
      { precedence: 'FLASH', deliveries: [EUROPE] },
    ]);
    const page = store.transaction((tx) => tx.inbox({ user: ANNA, offices: [EUROPE, AMERICAS, EUROPE], limit: 10 }));
    assert.deepEqual(page.entries.map((e) => `${e.seq}@${e.office}`), [`2@${EUROPE}`, `1@${AMERICAS}`, `1@${EUROPE}`]);
    assert.equal(page.next, null);
    // Split between the two lines of one cable: the cursor's office tie-break resumes at the second.
    const one = readAll(store, [AMERICAS, EUROPE], 1);
    assert.deepEqual(one.lines, [`2@${EUROPE}`, `1@${AMERICAS}`, `1@${EUROPE}`]);
  });

  it('caps a page at StoreLimits.inboxPageMax and refuses a limit below 1', () => {
    const store = rosterStore();
    fill(store, Array.from({ length: 250 }, () => ({ precedence: 'PRIORITY' as const, deliveries: [AMERICAS] })));
    const page = store.transaction((tx) => tx.inbox({ user: ANNA, offices: [AMERICAS], limit: 1000 }));
    assert.equal(page.entries.length, StoreLimits.inboxPageMax);
    assert.notEqual(page.next, null);
    assert.throws(() => store.transaction((tx) => tx.inbox({ user: ANNA, offices: [AMERICAS], limit: 0 })), RangeError);
    assert.throws(() => store.transaction((tx) => tx.inbox({ user: ANNA, offices: [AMERICAS], limit: 2.5 })), RangeError);
  });

  it('gives an empty page without a cursor for no offices or an empty inbox', () => {
    const store = rosterStore();
    assert.deepEqual(store.transaction((tx) => tx.inbox({ user: ANNA, offices: [], limit: 10 })), { entries: [], next: null });
    assert.deepEqual(store.transaction((tx) => tx.inbox({ user: ANNA, offices: [ASIA], limit: 10 })), { entries: [], next: null });
  });

  it('refuses a malformed cursor rather than restarting the listing', () => {
    const store = rosterStore();
    const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = ['', 'not base64!', 'x'.repeat(300), b64([1]), b64({ p: 4, s: 1, o: AMERICAS }), b64({ p: 0, s: -1, o: AMERICAS }),
      b64({ p: 0, s: 1.5, o: AMERICAS }), b64({ p: 0, s: 1, o: 'lower.case' }), b64({ p: '0', s: 1, o: AMERICAS }), 'bm90IGpzb24'];
    for (const after of bad) {
      assert.throws(
        () => store.transaction((tx) => tx.inbox({ user: ANNA, offices: [AMERICAS], limit: 10, after })),
        (e: unknown) => e instanceof DecodeError && e.code === 'encoding.malformed',
        after,
      );
    }
  });

  it('keeps to the order when cables arrive between pages: nothing repeats, older lines are all still served', () => {
    const store = rosterStore();
    const lines = fill(store, Array.from({ length: 30 }, (_, i) => ({ precedence: Precedences[i % 4] ?? 'ROUTINE', deliveries: [AMERICAS] })));
    const first = store.transaction((tx) => tx.inbox({ user: ANNA, offices: [AMERICAS], limit: 10 }));
    store.transaction((tx) => tx.putCable(cable(31, 'ROUTINE', [AMERICAS]), [AMERICAS], 99));
    let after = first.next ?? undefined;
    const served = first.entries.map((e) => `${e.seq}@${e.office}`);
    while (after !== undefined) {
      const page = store.transaction((tx) => tx.inbox({ user: ANNA, offices: [AMERICAS], limit: 10, ...(after === undefined ? {} : { after }) }));
      served.push(...page.entries.map((e) => `${e.seq}@${e.office}`));
      after = page.next ?? undefined;
    }
    const older = expected(lines, [AMERICAS]);
    assert.equal(new Set(served).size, served.length);
    assert.deepEqual(served.filter((s) => s !== `31@${AMERICAS}`), older);
  });

  it('serves every line exactly once in the model order, for any cables, offices and page size (property)', () => {
    const arbitraryCable = fc.record({
      precedence: fc.constantFrom(...Precedences),
      deliveries: fc.subarray([...OFFICES], { minLength: 1 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryCable, { maxLength: 120 }),
        fc.subarray([...OFFICES]),
        fc.integer({ min: 1, max: 50 }),
        (cables, offices, limit) => {
          const store = rosterStore();
          try {
            const lines = fill(store, cables);
            const { lines: served, pages } = readAll(store, offices, limit);
            assert.deepEqual(served, expected(lines, offices));
            // Every page but the last is full, and the last is never empty unless the whole inbox is.
            assert.ok(pages.slice(0, -1).every((n) => n === limit));
            assert.ok((pages.at(-1) ?? 0) > 0 || served.length === 0);
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
