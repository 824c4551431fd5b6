// The `chancery` command as a user runs it: a real process through bin/chancery.js.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;

function chancery(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('chancery CLI', () => {
  it('--help lists the commands with examples', () => {
    const r = chancery('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /cable\s+seal, open and inspect cables/);
    assert.match(r.stdout, /chancery cable demo --level SECRET --json/);
  });

  it('cable demo --json seals once and every office opens the identical text', () => {
    const r = chancery('cable', 'demo', '--json', '--level', 'secret');
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { classification: string; opened: { identical: boolean }[]; manifest: unknown[]; telegram: string };
    assert.equal(result.classification, 'SECRET');
    assert.equal(result.manifest.length, 4);
    assert.deepEqual(result.opened.map((o) => o.identical), [true, true, true, true]);
    assert.match(result.telegram, /^SECRET \/\/ EU ONLY$/m);
  });

  it('cable demo prints the telegram with banners top and bottom', () => {
    const r = chancery('cable', 'demo', '--level', 'UNCLASSIFIED');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'UNCLASSIFIED');
    assert.match(r.stdout, /^1\. Summary:/m);
    assert.match(r.stdout, /text identical/);
    assert.doesNotMatch(r.stdout, /TEXT DIFFERS/);
  });

  it('a bad option is a usage error (exit 2) with a clear message', () => {
    const r = chancery('cable', 'demo', '--level', 'TOPSECRET');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /expected one of UNCLASSIFIED, LIMITED, RESTRICTED, CONFIDENTIAL, SECRET/);
    assert.equal(chancery('no-such-command').status, 2);
  });
});
