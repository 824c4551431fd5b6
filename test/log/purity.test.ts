// src/log is pure core (DESIGN.md "Architecture"; STYLE.md habit 3): it runs in the browser, so it imports no
// `node:` module and nothing of an edge, only the byte helpers, the errors, the crypto seam, itself, and for its
// entries the other core it describes: canonical CBOR and its decoder, the cable model's ids and limits, and the
// policy's subjects (memberships).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const DIR = new URL('../../src/log/', import.meta.url);
const ALLOWED =
  /^(\.\/[a-z-]+\.ts|\.\.\/bytes\.ts|\.\.\/errors\.ts|\.\.\/crypto\/(provider|hybrid-signature)\.ts|\.\.\/encoding\/(canonical-cbor|fields)\.ts|\.\.\/cable\/(ids|types|limits)\.ts|\.\.\/policy\/subjects\.ts)$/;

describe('src/log', () => {
  it('imports only the core it needs', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 6, 'the scan is not vacuous');
    const offending = files.flatMap((file) => {
      const text = readFileSync(new URL(file, DIR), 'utf8');
      const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
      assert.ok(specifiers.length > 0, `${file} imports something`);
      return specifiers.filter((s) => !ALLOWED.test(s)).map((s) => `${file} → ${s}`);
    });
    assert.deepEqual(offending, []);
  });
});
