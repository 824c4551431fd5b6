// The detector is core (DESIGN.md "Architecture"; STYLE.md habit 3): it runs in the node's log stream as well as
// over files, so only the file edge (trace-file.ts, and replay.ts over it with its V8 settings, replay-engine.ts)
// touches `node:` modules, and nothing imports an edge of Chancery (store, node, client, cli, web).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const DIR = new URL('../../src/detect/', import.meta.url);
const FILE_EDGE = new Set(['trace-file.ts', 'replay.ts', 'replay-engine.ts']);
const EDGES = /^\.\.\/(\.\.\/)?(store|node|client|cli|web)\//;

function specifiers(path: URL): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
}

describe('src/detect', () => {
  it('keeps node: modules at the file edge and imports no edge of Chancery', () => {
    const files = [
      ...readdirSync(DIR).filter((f) => f.endsWith('.ts')),
      ...readdirSync(new URL('rules/', DIR)).filter((f) => f.endsWith('.ts')).map((f) => `rules/${f}`),
    ];
    assert.ok(files.length >= 15, 'the scan is not vacuous');
    const offending = files.flatMap((file) =>
      specifiers(new URL(file, DIR))
        .filter((s) => (s.startsWith('node:') && !FILE_EDGE.has(file)) || EDGES.test(s) || s.includes('/simulate/'))
        .map((s) => `${file} → ${s}`),
    );
    assert.deepEqual(offending, []);
  });
});
