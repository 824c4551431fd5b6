// The trace file reader: lines split across its read chunks (even inside a UTF-8 sequence), \r\n endings, blank lines
// that count for line numbers but not for evidence indices, a last line without a newline.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTrace } from '../../src/detect/trace-file.ts';
import type { TraceEvent } from '../../src/detect/trace.ts';
import { DetectError } from '../../src/errors.ts';

const line = (n: number, user = `u-${n}`) => `{"t":"2026-03-02T09:14:07Z","kind":"login","user":"${user}"}`;

async function withFile<T>(text: string, f: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-trace-file-'));
  try {
    const path = join(dir, 'trace.jsonl');
    writeFileSync(path, text);
    return await f(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function events(path: string): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  for await (const batch of readTrace(path)) out.push(...batch);
  return out;
}

describe('readTrace', () => {
  it('reads \\r\\n and \\n lines, skips blank ones, and takes a last line without a newline', async () => {
    const got = await withFile(`${line(1)}\r\n\n  \r\n${line(2)}\n${line(3)}`, events);
    assert.deepEqual(
      got.map((e) => e.user),
      ['u-1', 'u-2', 'u-3'],
    );
  });

  it('keeps lines and multi-byte characters whole across its reads', async () => {
    // ~3.3 MiB of lines made mostly of a 3-byte character, so many read boundaries cut through one.
    const n = 16_000;
    const user = (i: number) => `${'€'.repeat(50)}-${i}`;
    const text = Array.from({ length: n }, (_, i) => line(i, user(i))).join('\n');
    const got = await withFile(text, events);
    assert.equal(got.length, n);
    got.forEach((e, i) => assert.equal(e.user, user(i)));
  });

  it('names the line of a bad trace line, blank lines counted', async () => {
    await assert.rejects(
      withFile(`${line(1)}\n\n{"t":"nope"}\n`, events),
      (e: unknown) => e instanceof DetectError && e.code === 'detect.bad_trace' && e.message.startsWith('trace line 3: '),
    );
  });
});
