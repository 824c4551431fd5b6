// Hostile Signature-Input, Signature and Content-Digest headers: each refused with the right AuthError, and a
// fast-check fuzz showing that no header text makes verification throw anything but an AuthError.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.ts';
import { parseDictionary } from '../../src/protocol/structured-fields.ts';
import { KEY_ID, harness, outcome, signed, verifyRaw, type Signed } from './fixtures.ts';

const GOOD = await signed();
const INPUT = GOOD.headers['signature-input']!;
const SIG = GOOD.headers.signature!;
const DIGEST = GOOD.headers['content-digest']!;
const PARAMS_AT = INPUT.indexOf(';');

function set(name: string, value: string): Signed {
  return { ...GOOD, headers: { ...GOOD.headers, [name]: value } };
}

const MALFORMED: [string, string, string][] = [
  ['Signature-Input', 'a huge header (5 KiB)', `${INPUT};x="${'a'.repeat(5000)}"`],
  ['Signature-Input', 'garbage', '%%% not a dictionary'],
  ['Signature-Input', 'a megabyte of spaces before text (no quadratic trimming)', `${' '.repeat(1 << 20)}x${' '.repeat(1 << 20)}`],
  ['Signature-Input', 'an empty value', ''],
  ['Signature-Input', 'non-ASCII', INPUT.replace('anna', 'änna')],
  ['Signature-Input', 'a control character', INPUT.replace('anna', 'an\u0000na')],
  ['Signature-Input', 'another label', INPUT.replace('sig1=', 'sig2=')],
  ['Signature-Input', 'two signatures', `${INPUT}, sig2=${INPUT.slice(5)}`],
  ['Signature-Input', 'sig1 twice', `${INPUT}, ${INPUT}`],
  ['Signature-Input', 'a duplicate parameter', `${INPUT};created=1767225600`],
  ['Signature-Input', 'an extra parameter (expires)', `${INPUT};expires=1767229200`],
  ['Signature-Input', 'a missing parameter (nonce)', INPUT.replace(/;nonce="[^"]*"/, '')],
  ['Signature-Input', 'a missing parameter (created)', INPUT.replace(/;created=\d+/, '')],
  ['Signature-Input', 'created as a string', INPUT.replace(/created=(\d+)/, 'created="$1"')],
  ['Signature-Input', 'a negative created', INPUT.replace(/created=(\d+)/, 'created=-1')],
  ['Signature-Input', 'a decimal created', INPUT.replace(/created=(\d+)/, 'created=$1.5')],
  ['Signature-Input', 'a 15-byte nonce', INPUT.replace(/nonce="[^"]*"/, 'nonce="AAECAwQFBgcICQoLDA0O"')],
  ['Signature-Input', 'a nonce that is not base64', INPUT.replace(/nonce="[^"]*"/, 'nonce="not base64!"')],
  ['Signature-Input', 'a keyid outside the grammar', INPUT.replace(KEY_ID, 'Anna/d-1')],
  ['Signature-Input', 'a keyid with two slashes', INPUT.replace(KEY_ID, 'anna/d-1/x')],
  ['Signature-Input', 'keyid as a token', INPUT.replace(`"${KEY_ID}"`, 'anna')],
  ['Signature-Input', 'components reordered', INPUT.replace('"@method" "@target-uri"', '"@target-uri" "@method"')],
  ['Signature-Input', 'a component dropped', INPUT.replace(' "content-digest"', '')],
  ['Signature-Input', 'a component added', INPUT.replace('"content-digest"', '"content-digest" "date"')],
  ['Signature-Input', 'a component parameter (;sf)', INPUT.replace('"content-digest"', '"content-digest";sf')],
  ['Signature-Input', '@path instead of @target-uri', INPUT.replace('@target-uri', '@path')],
  ['Signature-Input', 'an item, not an inner list', `sig1="@method"${INPUT.slice(PARAMS_AT)}`],
  ['Signature-Input', 'an unterminated inner list', INPUT.slice(0, PARAMS_AT - 1)],
  ['Signature-Input', 'a trailing comma', `${INPUT},`],
  ['Signature', 'another label', SIG.replace('sig1=', 'sig2=')],
  ['Signature', 'two signatures', `${SIG}, sig2=${SIG.slice(5)}`],
  ['Signature', 'a short signature', 'sig1=:AAAA:'],
  ['Signature', 'a string instead of bytes', SIG.replace(/:/g, '"')],
  ['Signature', 'a parameter on the signature', `${SIG};x=1`],
  ['Signature', 'unpadded base64', SIG.replace('==:', ':')],
  ['Signature', 'a huge header', `sig1=:${'A'.repeat(8000)}:`],
  ['Content-Digest', 'garbage', 'sha-256=deadbeef'],
  ['Content-Digest', 'a huge header', `sha-256=:${'A'.repeat(8000)}:`],
];

const DIGEST_MISMATCH: [string, string][] = [
  ['sha-512 only', 'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:'],
  ['sha-256 beside sha-512', `${DIGEST}, sha-512=:AAAA:`],
  ['an unknown algorithm', 'md5=:AAAA:'],
  ['a short sha-256', 'sha-256=:AAAA:'],
];

describe('hostile request headers', () => {
  for (const [name, what, value] of MALFORMED) {
    it(`${name}: ${what} → auth.malformed_signature`, async () => {
      const { policy, calls } = await harness();
      assert.equal(await outcome(verifyRaw(set(name.toLowerCase(), value), policy)), 'auth.malformed_signature');
      assert.equal(calls.seenNonce, 0);
    });
  }
  for (const [what, value] of DIGEST_MISMATCH) {
    it(`Content-Digest: ${what} → auth.digest_mismatch`, async () => {
      const { policy, calls } = await harness();
      assert.equal(await outcome(verifyRaw(set('content-digest', value), policy)), 'auth.digest_mismatch');
      assert.equal(calls.resolveKey, 0);
    });
  }

  it('a hostile method or URL from the transport is refused as malformed, never thrown raw', async () => {
    const { policy } = await harness();
    assert.equal(await outcome(verifyRaw({ ...GOOD, method: 'PO\nST' }, policy)), 'auth.malformed_signature');
    assert.equal(await outcome(verifyRaw({ ...GOOD, url: 'not a url' }, policy)), 'auth.malformed_signature');
    assert.equal(await outcome(verifyRaw({ ...GOOD, url: '/api/v1/drafts' }, policy)), 'auth.malformed_signature');
  });

  it('fuzz: arbitrary header text yields only AuthErrors (and no nonce recorded)', async () => {
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: fc.constantFrom(...'sig1=():;",?-*@ abc019+/'), maxLength: 200 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('signature-input', 'signature', 'content-digest'), text, async (name, value) => {
        const { policy, calls } = await harness();
        const code = await outcome(verifyRaw(set(name, value), policy));
        assert.ok(code.startsWith('auth.'), code);
        assert.equal(calls.seenNonce, 0);
      }),
      { numRuns: 600 },
    );
  });

  it('fuzz: single-character edits of the genuine headers never throw anything but an AuthError', async () => {
    const edit = fc.record({
      name: fc.constantFrom('signature-input', 'signature', 'content-digest'),
      at: fc.nat(),
      op: fc.constantFrom('insert', 'delete', 'replace'),
      ch: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    });
    await fc.assert(
      fc.asyncProperty(edit, async ({ name, at, op, ch }) => {
        const original = GOOD.headers[name]!;
        const i = at % (original.length + 1);
        const value = original.slice(0, i) + (op === 'delete' ? '' : ch) + original.slice(op === 'insert' ? i : i + 1);
        const { policy } = await harness();
        const code = await outcome(verifyRaw(set(name, value), policy));
        // An edit may land in optional whitespace (RFC 8941 allows it around members and after ";" and "(") and
        // leave the request genuine — the base is rebuilt from the parsed values; any other edit is refused.
        assert.ok(code === 'ok' || code.startsWith('auth.'), code);
        if (code === 'ok') assert.equal(value.replace(/[ \t]/g, ''), original.replace(/[ \t]/g, ''));
      }),
      { numRuns: 1500 },
    );
  });

  it('fuzz: the structured-field parser throws only DecodeError', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab1-=():;",?*@ \t:AZ+/\\'), maxLength: 120 }), (s) => {
        try {
          parseDictionary(s, 4096);
        } catch (e) {
          assert.ok(e instanceof DecodeError, String(e));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
