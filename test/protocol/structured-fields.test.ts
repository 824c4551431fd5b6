// RFC 8941 dictionaries: the examples of §3.2 and §3.1.1, the strictness we add (duplicates), and a
// serialize → parse round trip over generated inner lists.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.ts';
import { parseDictionary, serializeInnerList, type BareItem, type InnerList, type Item } from '../../src/protocol/structured-fields.ts';

function refused(text: string, code = 'encoding.malformed'): void {
  assert.throws(() => parseDictionary(text, 4096), (e) => e instanceof DecodeError && e.code === code, text);
}

describe('structured-field dictionaries', () => {
  it('parses the RFC 8941 §3.2 examples', () => {
    const d = parseDictionary('en="Applepie", da=:w4ZibGV0w6ZydGU=:', 4096);
    assert.deepEqual(d.get('en'), { kind: 'item', value: { kind: 'string', value: 'Applepie' }, params: new Map() });
    const da = d.get('da');
    assert.ok(da?.kind === 'item' && da.value.kind === 'bytes');
    assert.deepEqual(Buffer.from(da.value.value), Buffer.from('w4ZibGV0w6ZydGU=', 'base64'));
    const flags = parseDictionary('a=?0, b, c;foo=bar', 4096);
    assert.deepEqual(flags.get('b'), { kind: 'item', value: { kind: 'boolean', value: true }, params: new Map() });
    assert.deepEqual(flags.get('c')?.params.get('foo'), { kind: 'token', value: 'bar' });
    const lists = parseDictionary('rating=1, feelings=(joy sadness);x=-5', 4096);
    const feelings = lists.get('feelings');
    assert.ok(feelings?.kind === 'inner-list');
    assert.deepEqual(feelings.items.map((i) => i.value), [{ kind: 'token', value: 'joy' }, { kind: 'token', value: 'sadness' }]);
    assert.equal(serializeInnerList(feelings), '(joy sadness);x=-5');
  });

  it('reads escapes in strings and optional whitespace around members', () => {
    const d = parseDictionary('  a="q\\"uo\\\\te" ,\tb=1  ', 4096);
    assert.deepEqual(d.get('a'), { kind: 'item', value: { kind: 'string', value: 'q"uo\\te' }, params: new Map() });
    assert.equal(d.size, 2);
  });

  it('refuses what RFC 8941 refuses, plus duplicate keys and parameters', () => {
    for (const text of [
      'A=1', // keys are lower-case
      'a=1,', // trailing comma
      'a=1,,b=2',
      'a="unterminated',
      'a="bad \\x escape"',
      'a=:not base64!:',
      'a=:AAA:', // not padded
      'a=:AAB=:', // non-zero padding bits
      'a=?2',
      'a=1234567890123456', // 16 digits
      'a=1.5', // decimals are not used here
      'a=(1 2',
      'a=(1,2)',
      'a=1 b=2',
      'a=1, a=2', // RFC 8941 keeps the last; we refuse
      'a=1;p=1;p=2',
      'a=é',
    ]) {
      refused(text);
    }
    refused(`a="${'x'.repeat(5000)}"`, 'encoding.too_large');
  });

  const bare: fc.Arbitrary<BareItem> = fc.oneof(
    fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }).map((value) => ({ kind: 'integer' as const, value })),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 20 }).map((value) => ({ kind: 'string' as const, value })),
    fc.stringMatching(/^[a-z*][a-z0-9:/]{0,8}$/).map((value) => ({ kind: 'token' as const, value })),
    fc.uint8Array({ maxLength: 20 }).map((value) => ({ kind: 'bytes' as const, value })),
    fc.boolean().map((value) => ({ kind: 'boolean' as const, value })),
  );
  const params = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/), bare), { selector: ([k]) => k, maxLength: 4 }).map((e) => new Map(e));
  const item: fc.Arbitrary<Item> = fc.tuple(bare, params).map(([value, p]) => ({ kind: 'item', value, params: p }));

  it('round trip: a serialized inner list parses back to itself', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 5 }), params, (items, listParams) => {
        const list: InnerList = { kind: 'inner-list', items, params: listParams };
        const text = serializeInnerList(list);
        const parsed = parseDictionary(`k=${text}`, 1 << 16).get('k');
        assert.deepEqual(parsed, list);
      }),
      { numRuns: 500 },
    );
  });
});
