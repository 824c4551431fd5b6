// The web app builds reproducibly (issue 6 "Client integrity"): two clean builds into different directories give
// the same files, byte for byte, and each build's manifest.json holds the true SHA-256 of every file beside it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { buildWeb, MANIFEST, type WebManifest } from '../../scripts/build-web.ts';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}

function filesUnder(dir: string): string[] {
  return walk(dir).map((path) => relative(dir, path).split(sep).join('/')).sort();
}

describe('web app build', () => {
  it('two clean builds in different directories give identical bytes, and the manifest hashes every file', async () => {
    const base = mkdtempSync(join(tmpdir(), 'chancery-web-build-'));
    try {
      const [a, b] = [join(base, 'first', 'web'), join(base, 'second', 'out')];
      const manifestA = await buildWeb(a);
      const manifestB = await buildWeb(b);
      const files = filesUnder(a);
      assert.deepEqual(filesUnder(b), files);
      assert.ok(files.includes('index.html') && files.includes(MANIFEST), `unexpected build: ${files.join(', ')}`);
      assert.ok(files.some((f) => /^assets\/.+\.js$/.test(f)) && files.some((f) => /^assets\/.+\.css$/.test(f)), 'a script and a stylesheet');
      for (const file of files) assert.ok(readFileSync(join(a, file)).equals(readFileSync(join(b, file))), `${file} differs between builds`);
      assert.deepEqual(manifestB, manifestA);

      const written = JSON.parse(readFileSync(join(a, MANIFEST), 'utf8')) as WebManifest;
      assert.deepEqual(written, manifestA);
      assert.deepEqual(Object.keys(written.files), files.filter((f) => f !== MANIFEST));
      for (const [file, hash] of Object.entries(written.files)) {
        assert.equal(hash, createHash('sha256').update(readFileSync(join(a, file))).digest('hex'), `manifest hash of ${file}`);
      }
      // No absolute path of the build machine leaks into the output (it would break reproducibility across checkouts).
      for (const file of files) assert.ok(!readFileSync(join(a, file), 'utf8').includes(base), `${file} names the build directory`);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
