#!/usr/bin/env node
// Lists the test files itself: on Node 20, `node --test` with no file arguments runs nothing and still exits 0,
// and its glob arguments do not expand. Pass paths or substrings to run a subset: `npm test -- envelope`.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}
const filters = process.argv.slice(2);
const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test file matched', filters.join(' '));
  process.exit(1);
}
// System packages the suite needs (Debian chromium for the browser tests): installed once if missing.
const setup = spawnSync('bash', [join(root, 'scripts/setup-system.sh')], { stdio: 'inherit' });
if (setup.status !== 0) console.error('run-tests: scripts/setup-system.sh failed; tests that need chromium will say so');

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
