// The replay's fast path (trace-bytes.ts, Detector.pushLine) against the string path: the byte scanner takes only
// lines parseTraceLine takes and reads the same event from them; a replay of a file gives the same alerts and the
// same errors as parsing each line and pushing it, with forgetting too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Classifications } from '../../src/cable/types.ts';
import { toAlertLine } from '../../src/detect/alert.ts';
import { Detector } from '../../src/detect/detector.ts';
import { replayTrace } from '../../src/detect/replay.ts';
import { Simulation } from '../../src/detect/simulate/simulation.ts';
import { bytesHash, stringHash } from '../../src/detect/byte-names.ts';
import { originatorOf } from '../../src/detect/novelty.ts';
import { SourceRows } from '../../src/detect/source-rows.ts';
import { networkOf } from '../../src/detect/sources.ts';
import { F_CABLE, F_DEVICE, F_IP, F_OFFICE, F_USER, latin1, ScannedLine } from '../../src/detect/scanned-line.ts';
import { scanTraceBytes } from '../../src/detect/trace-bytes.ts';
import { parseTraceLine, TraceEventKinds } from '../../src/detect/trace.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Both paths on one line: if the byte scanner takes it, parseTraceLine gives the same event. */
function agree(line: string): boolean {
  const out = new ScannedLine();
  // Inside a larger buffer, as in a file: the scanner must not read past its line.
  const buf = bytes(`\n${line}\n{"t":`);
  if (!scanTraceBytes(buf, 1, buf.length - 6, out)) return false;
  const event = parseTraceLine(line, 1);
  assert.deepEqual(out.event(), event, line);
  // What the detector takes from the columns: each field's hash, the cable's origin and the address's network.
  for (const f of [F_USER, F_DEVICE, F_IP, F_CABLE, F_OFFICE]) if (out.has(f)) assert.equal(out.hash[f], bytesHash(buf, out.from[f]!, out.to[f]!));
  for (let i = 0; i < out.tagCount; i++) assert.equal(out.tagHash[i], bytesHash(buf, out.tagFrom[i]!, out.tagTo[i]!));
  if (event.ip !== undefined) {
    assert.equal(latin1(buf, out.from[F_IP]!, out.networkEnd), networkOf(event.ip));
    assert.equal(out.networkHash, stringHash(networkOf(event.ip)));
  }
  if (event.cable !== undefined && event.office !== undefined) {
    const origin = out.originEnd > out.from[F_CABLE]! ? latin1(buf, out.from[F_CABLE]!, out.originEnd) : event.office;
    assert.equal(origin, originatorOf(event));
    if (out.originEnd > out.from[F_CABLE]!) assert.equal(out.originHash, stringHash(origin));
  }
  return true;
}

const field = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9.:\-/ ]{1,24}$/) },
  { weight: 1, arbitrary: fc.string({ minLength: 0, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 198, max: 202 }).map((n) => 'x'.repeat(n)) },
);
const record = fc.record(
  {
    t: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms).toISOString()) },
      { weight: 1, arbitrary: fc.constantFrom('2026-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-03-02T09:14:07.Z', 5) },
    ),
    kind: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TraceEventKinds) }, { weight: 1, arbitrary: fc.constantFrom('download', '', 1) }),
    user: field,
    device: field,
    ip: fc.oneof(field, fc.ipV4(), fc.ipV6(), fc.stringMatching(/^[0-9a-f:.]{1,20}$/)),
    cable: field,
    office: field,
    level: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...Classifications) }, { weight: 1, arbitrary: fc.constantFrom('TOPSECRET', null) }),
    tags: fc.oneof({ weight: 8, arbitrary: fc.array(field, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom([], 'PREL', [3], Array(33).fill('A')) }),
    age_days: fc.oneof({ weight: 8, arbitrary: fc.nat({ max: 1_000_001 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, 1e7, '3') }),
    canary: fc.oneof({ weight: 8, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('no', 0, null) }),
  },
  { requiredKeys: [] },
);

describe('scanTraceBytes', () => {
  it('takes plain lines in the documented order and reads the event parseTraceLine reads', () => {
    // In the documented order (JSON.stringify leaves out the absent ones).
    const valid = record.map((r) => ({ t: '2026-03-02T09:14:07Z', kind: 'read', user: 'u-1', device: r.device, ip: r.ip, cable: 'C/1', office: 'O', level: r.level, tags: r.tags, age_days: r.age_days, canary: r.canary }));
    let taken = 0;
    fc.assert(
      fc.property(valid, (r) => {
        if (agree(JSON.stringify(r))) taken++;
      }),
      { numRuns: 2000 },
    );
    assert.ok(taken > 500, `the fast path took ${taken} of 2000 lines`);
  });

  it('on random records, and with one character inserted, deleted or replaced, takes nothing the strict path refuses', () => {
    const mutated = fc.tuple(record, fc.nat(), fc.constantFrom('insert', 'delete', 'replace', 'none'), fc.constantFrom('"', '\\', ',', ':', '}', ']', '0', ' ', '\u0001', '\u00e9', '\r')).map(([r, at, op, c]) => {
      const line = JSON.stringify(r);
      const i = at % (line.length + 1);
      if (op === 'insert') return line.slice(0, i) + c + line.slice(i);
      if (op === 'delete') return line.slice(0, i) + line.slice(i + 1);
      return op === 'replace' ? line.slice(0, i) + c + line.slice(i + 1) : line;
    });
    fc.assert(
      fc.property(mutated, (line) => {
        let strict = true;
        try {
          parseTraceLine(line, 1);
        } catch {
          strict = false;
        }
        if (agree(line)) assert.ok(strict, `the fast path took a line the strict path refuses: ${line}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the time as the strict path does, the date of the line before or not', () => {
    const line = (t: string) => `{"t":"${t}","kind":"login","user":"u-1"}`;
    const valid = '2028-02-29T09:14:07.25Z';
    for (let i = 0; i < valid.length; i++) {
      for (const c of '0123456789-:TZ.x') {
        const t = valid.slice(0, i) + c + valid.slice(i + 1);
        for (const before of [valid, '2026-03-01T00:00:00Z']) {
          assert.ok(agree(line(before)));
          let strict = true;
          try {
            parseTraceLine(line(t), 1);
          } catch {
            strict = false;
          }
          assert.equal(agree(line(t)), strict, t);
        }
      }
    }
  });

  it('leaves non-ASCII text and escapes to the string path', () => {
    for (const line of ['{"t":"2026-03-02T09:14:07Z","kind":"login","user":"u-é"}', '{"t":"2026-03-02T09:14:07Z","kind":"login","user":"u\\u002d1"}']) {
      assert.equal(scanTraceBytes(bytes(line), 0, bytes(line).length, new ScannedLine()), false);
      assert.ok(parseTraceLine(line, 1));
    }
  });
});

describe('SourceRows.findBytes', () => {
  it('finds what find() finds, for short, long and non-ASCII names, before and after the least recently used go', () => {
    const rows = new SourceRows();
    rows.reset(3);
    const names = ['d-1', 'x'.repeat(40), 'dé', '10.0.1', 'a'.repeat(31), 'b'.repeat(32), 'd-2', 'd-3'];
    names.forEach((name, i) => rows.see(3, name, 1000 + i, true, true));
    const check = (all: readonly string[]) => {
      for (const name of all) {
        // One byte a character (the fast path's names are ASCII; 'dé' is kept as a string and compared as one).
        const b = Uint8Array.from(name, (c) => c.charCodeAt(0));
        assert.equal(rows.findBytes(3, bytesHash(b, 0, b.length), b, 0, b.length), rows.find(3, name), name);
      }
    };
    check(names);
    assert.ok(names.every((n) => rows.find(3, n) >= 0));
    rows.see(3, 'd-1', 5000, true, true);
    rows.see(3, 'd-4', 6000, true, true); // drops 'x…', the least recently used, and shifts the rest down
    rows.see(3, 'd-5', 6001, true, true); // drops 'dé'
    assert.equal(rows.find(3, 'x'.repeat(40)), -1);
    assert.equal(rows.find(3, 'dé'), -1);
    check([...names, 'd-4', 'd-5', 'd-6']);
  });
});

describe('replayTrace over the fast path', () => {
  const sim = new Simulation({ users: 40, days: 20, seed: 77, attacks: ['bulk', 'phished', 'canary'], start: Date.UTC(2026, 2, 2) / 1000 });
  const lines = [...sim.trace()].join('').trimEnd().split('\n');

  async function replayed(text: string, maxUsers: number): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'chancery-trace-bytes-'));
    try {
      const file = join(dir, 'trace.jsonl');
      writeFileSync(file, text);
      const out: string[] = [];
      await replayTrace(file, { settings: { maxUsers }, onAlert: (a) => out.push(toAlertLine(a)) });
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  function pushed(ls: readonly string[], maxUsers: number): string[] {
    const d = new Detector({ maxUsers });
    const out: string[] = [];
    ls.forEach((line, i) => {
      for (const a of d.push(parseTraceLine(line, i + 1), i)) out.push(toAlertLine(a));
    });
    return out;
  }

  it('gives the alerts of parsing and pushing each line, forgetting users or not', async () => {
    for (const maxUsers of [20_000, 12]) {
      const expected = pushed(lines, maxUsers);
      assert.ok(expected.length > 10, `${expected.length} alerts`);
      assert.deepEqual(await replayed(`${lines.join('\n')}\n`, maxUsers), expected);
    }
  });

  it('reads CRLF, blank lines, a last line without newline and lines it leaves to the string path alike', async () => {
    // Every third line re-spaced (the string path), a blank line and a CRLF now and then.
    const mixed = lines.map((l, i) => (i % 3 === 0 ? l.replace(/,"/g, ', "') : l) + (i % 7 === 0 ? '\r\n' : '\n') + (i % 11 === 0 ? '\n' : ''));
    assert.deepEqual(await replayed(mixed.join('').trimEnd(), 20_000), pushed(lines, 20_000));
  });

  it('refuses a bad line with the strict path\'s message and line number, blank lines counted', async () => {
    const text = `${lines[0]}\n\n${lines[1]}\n${lines[2]!.replace('"kind":"', '"kind":"x')}\n`;
    await assert.rejects(replayed(text, 20_000), (e: unknown) => e instanceof Error && e.message === 'trace line 4: "kind" is not one of read, login, search, device_enrolled');
  });
});
