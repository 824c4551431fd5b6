// Dependencies point inward (DESIGN.md "Architecture"): the pure core imports no edge, and the client library —
// which a browser app will run — imports nothing of the node's server code. Regression: the client imported the
// officer's ML-DSA seed derivation from src/node/init.ts; it now lives in src/keys/officer-keys.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const SRC = new URL('../../src/', import.meta.url).pathname;
const CORE = ['bytes.ts', 'errors.ts', 'cable', 'crypto', 'encoding', 'envelope', 'keys', 'policy', 'protocol'];
const EDGES = ['store', 'node', 'client', 'cli', 'demo', 'web', 'detect'];
/** The one client module that runs `chancery node init` itself (a node's first officer sets the node up). */
const CLIENT_MAY_IMPORT_NODE = new Set(['client/bootstrap.ts']);

function filesUnder(path: string): string[] {
  const full = join(SRC, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => filesUnder(join(path, name))).filter((f) => f.endsWith('.ts'));
}

/** The top-level folder (or file) of src/ each import of `file` names: `keys`, `node`, `bytes.ts`… */
function importedAreas(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(SRC, join(SRC, file, '..', s)).split('/')[0]!);
}

describe('module dependencies', () => {
  it('the core imports no edge', () => {
    const offending = CORE.flatMap(filesUnder).flatMap((file) => importedAreas(file).filter((a) => EDGES.includes(a)).map((a) => `${file} → ${a}`));
    assert.deepEqual(offending, []);
  });

  it('the client library imports nothing of the node, the CLI or the demo (but for setting a node up)', () => {
    const offending = filesUnder('client')
      .filter((file) => !CLIENT_MAY_IMPORT_NODE.has(file))
      .flatMap((file) => importedAreas(file).filter((a) => ['node', 'cli', 'demo'].includes(a)).map((a) => `${file} → ${a}`));
    assert.deepEqual(offending, []);
  });

  it('finds imports at all (the scan is not vacuous)', () => {
    assert.ok(importedAreas('client/admin.ts').includes('keys'));
    assert.ok(importedAreas('client/bootstrap.ts').includes('node'));
  });
});
