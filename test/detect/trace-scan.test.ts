// The trace scanner (the fast path for lines in the documented key order) against the strict JSON path: on random
// valid lines they give the same event, and on malformed or unusual lines the scanner declines so that
// parseTraceLine refuses exactly what the strict path refuses, with the same message.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Classifications } from '../../src/cable/types.ts';
import { parseTraceLine, parseTraceLineStrict, scanTraceLine, TraceEventKinds } from '../../src/detect/trace.ts';

const KEYS = ['t', 'kind', 'user', 'device', 'ip', 'cable', 'office', 'level', 'tags', 'age_days', 'canary'] as const;

/** Mostly plain field text, sometimes with characters that need escapes, non-ASCII, or at the length limits. */
const text = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9.\-/]{1,24}$/) },
  { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 198, max: 202 }).map((n) => 'x'.repeat(n)) },
);

const time = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1969, 11, 31), max: Date.UTC(2100, 0, 1) }),
    frac: fc.constantFrom('', '.5', '.25', '.125', '.'),
  })
  .map(({ ms, frac }) => new Date(ms - (ms % 1000)).toISOString().replace('.000Z', `${frac}Z`));

/** A record in the documented key order, each field present or not; values mostly valid, sometimes not. */
const record = fc.record(
  {
    t: fc.oneof({ weight: 8, arbitrary: time }, { weight: 1, arbitrary: fc.constantFrom('2026-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-03-02 09:14:07Z', 5) }),
    kind: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TraceEventKinds) }, { weight: 1, arbitrary: fc.constantFrom('download', 'Read', '', 1) }),
    user: text,
    device: text,
    ip: text,
    cable: text,
    office: text,
    level: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...Classifications) }, { weight: 1, arbitrary: fc.constantFrom('TOPSECRET', '', null) }),
    tags: fc.oneof({ weight: 8, arbitrary: fc.array(text, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom([], 'PREL', [3], Array(33).fill('A')) }),
    age_days: fc.oneof({ weight: 8, arbitrary: fc.nat({ max: 1_000_001 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 1e7, -0, '3') }),
    canary: fc.oneof({ weight: 8, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('no', 0, null) }),
  },
  { requiredKeys: [] },
);

/** Both parsers on one line: the same event, or the same refusal. */
function agree(line: string): void {
  let strict: unknown;
  try {
    strict = parseTraceLineStrict(line, 9);
  } catch (e) {
    assert.equal(scanTraceLine(line), undefined, `the scanner accepted a line the strict path refuses: ${line}`);
    assert.throws(() => parseTraceLine(line, 9), (f: unknown) => f instanceof Error && f.message === (e as Error).message);
    return;
  }
  const scanned = scanTraceLine(line);
  if (scanned !== undefined) assert.deepEqual(scanned, strict);
  assert.deepEqual(parseTraceLine(line, 9), strict);
}

describe('scanTraceLine agrees with the strict path', () => {
  it('on valid lines in the documented order it takes the line and gives the same event', () => {
    const valid = fc.record({
      t: time.filter((t) => t >= '1970' && !t.endsWith('.Z')),
      kind: fc.constantFrom(...TraceEventKinds),
      user: fc.stringMatching(/^[A-Za-z0-9.\-/ ]{1,30}$/),
      cable: fc.stringMatching(/^[A-Z.]{1,20}\/2026\/[0-9]{6}$/),
      office: fc.stringMatching(/^[A-Z.]{1,20}$/),
      level: fc.constantFrom(...Classifications),
      tags: fc.array(fc.stringMatching(/^[A-Z]{1,6}$/), { maxLength: 32 }),
      age_days: fc.nat({ max: 1_000_000 }),
      canary: fc.boolean(),
    });
    fc.assert(
      fc.property(valid, (r) => {
        const line = JSON.stringify(r);
        const scanned = scanTraceLine(line);
        assert.notEqual(scanned, undefined, line);
        assert.deepEqual(scanned, parseTraceLineStrict(line, 1));
      }),
      { numRuns: 2000 },
    );
  });

  it('on random records (some fields absent, some values wrong) they agree', () => {
    fc.assert(fc.property(record, (r) => agree(JSON.stringify(r))), { numRuns: 3000 });
  });

  it('on records with keys reordered, repeated or unknown, and with whitespace, they agree', () => {
    const shuffled = fc.tuple(record, fc.array(fc.constantFrom(...KEYS, 'extra', '__proto__'), { maxLength: 14 }), fc.constantFrom('', ' ', '\t', '\n')).map(([r, keys, ws]) => {
      const values = r as Record<string, unknown>;
      const parts = keys.map((k) => `${JSON.stringify(k)}:${ws}${JSON.stringify(values[k] ?? 'v')}`);
      return `{${ws}${parts.join(`,${ws}`)}}`;
    });
    fc.assert(fc.property(shuffled, agree), { numRuns: 3000 });
  });

  it('on valid lines with one character inserted, deleted or replaced, they agree', () => {
    const valid = record.map((r) => ({ ...r, t: '2026-03-02T09:14:07Z', kind: 'read', user: 'u-1', cable: 'C/1', office: 'O' }));
    const mutated = fc.tuple(valid, fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom('"', '\\', ',', ':', '}', ']', '[', '{', ' ', '0', '-', 'e', '.', 'x', '\u0001', '\u00e9')).map(([r, at, op, c]) => {
      const line = JSON.stringify(r);
      const i = at % (line.length + 1);
      if (op === 'insert') return line.slice(0, i) + c + line.slice(i);
      if (op === 'delete') return line.slice(0, i) + line.slice(i + 1);
      return line.slice(0, i) + c + line.slice(i + 1);
    });
    fc.assert(fc.property(mutated, agree), { numRuns: 5000 });
  });

  it('declines what only the strict path may judge: escapes, leading zeros, trailing text, over-long lines', () => {
    const base = '{"t":"2026-03-02T09:14:07Z","kind":"read","user":"u-1","cable":"C/1","office":"O","age_days":3}';
    for (const line of [
      base.replace('"u-1"', '"u\\u002d1"'),
      base.replace('"age_days":3', '"age_days":03'),
      base.replace('"age_days":3', '"age_days":3.0'),
      base.replace('"age_days":3', '"age_days":3e0'),
      `${base} `,
      `${base}x`,
      base.replace('"C/1"', `"${'c'.repeat(4100)}"`),
    ]) {
      assert.equal(scanTraceLine(line), undefined, line);
      agree(line);
    }
  });
});
