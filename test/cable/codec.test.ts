// The canonical encoding: fixed vectors, round trips, and refusal of every other encoding of the same value
// (re-ordered keys, duplicate keys, long integer heads, extra fields, other versions) and of oversized input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError, ValidationError } from '../../src/errors.ts';
import { fromHex, toHex } from '../../src/bytes.ts';
import { CableLimits } from '../../src/cable/limits.ts';
import {
  CableFormatVersion,
  decodeProtectedPart,
  decodeRoutingHeader,
  encodeProtectedPart,
  encodeRoutingHeader,
} from '../../src/cable/codec.ts';
import type { ProtectedPart, RoutingHeader } from '../../src/cable/types.ts';
import { assertValidProtectedPart, assertValidRoutingHeader } from '../../src/cable/validate.ts';
import { map, text, texts, uint, write } from './cbor-writer.ts';
import type { Item } from './cbor-writer.ts';
import { sampleCable } from './fixtures.ts';

// Test vectors: the sample routing header, and a small protected part. Another implementation must produce exactly
// these bytes. Keys are sorted by their encoded bytes (shorter keys first), RFC 8949 §4.2.1.
const HEADER_HEX =
  'ab617601626964781f454541532e44454c2e57415348494e47544f4e2f323032362f30303031323362746f8270454541532e48512e414d4552494341536f4d46412e43592e414d4552494341536364746774323032362d31312d32365431343a33303a30305a6466726f6d73454541532e44454c2e57415348494e47544f4e64696e666f826a4d46412e44452e5553416f454541532e44454c2e4f5454415741647461677383645052454c644554524462555367647261667465726c616e6e612e7363686d696474676d61726b696e67a36763617665617473816643525950544f6c72656c65617361626c65546f82624555644e41544f6e636c617373696669636174696f6e6c434f4e464944454e5449414c6872656c656173657266752d303034326a707265636564656e636569494d4d454449415445';
const SMALL_PART: ProtectedPart = assertValidProtectedPart({
  ...sampleCable.content,
  body: 'Hello.\n\nSecond.',
  attachments: [{ name: 'a.txt', mediaType: 'text/plain', data: Uint8Array.of(0x68, 0x69) }],
});
const SMALL_PART_HEX =
  'a561760164626f64796f48656c6c6f2e0a0a5365636f6e642e677375626a656374784044657075747920536563726574617279206f6e20636f6f7264696e6174696e672073616e6374696f6e732072656c69656620e28094206e6578742073746570736a7265666572656e63657382781f454541532e44454c2e57415348494e47544f4e2f323032362f303030313031781c454541532e48512e414d4552494341532f323032362f3030303037376b6174746163686d656e747381a36464617461426869646e616d6565612e747874696d65646961547970656a746578742f706c61696e';

/** The sample header as writer entries, in canonical key order; tests reorder, repeat or replace them. */
function headerEntries(h: RoutingHeader = sampleCable.header): (readonly [string, Item])[] {
  return [
    ['v', uint(1)],
    ['id', text(h.id)],
    ['to', texts(h.to)],
    ['dtg', text(h.dtg)],
    ['from', text(h.from)],
    ['info', texts(h.info)],
    ['tags', texts(h.tags)],
    ['drafter', text(h.drafter)],
    [
      'marking',
      map([
        ['caveats', texts(h.marking.caveats)],
        ['releasableTo', texts(h.marking.releasableTo)],
        ['classification', text(h.marking.classification)],
      ]),
    ],
    ['releaser', text(h.releaser)],
    ['precedence', text(h.precedence)],
  ];
}

function decodeFails(bytes: Uint8Array, code: string): void {
  assert.throws(() => decodeRoutingHeader(bytes), (e: unknown) => e instanceof DecodeError && e.code === code);
}

describe('vectors', () => {
  it('the sample routing header encodes to the fixed bytes and back', () => {
    assert.equal(toHex(encodeRoutingHeader(sampleCable.header)), HEADER_HEX);
    assert.deepStrictEqual(decodeRoutingHeader(fromHex(HEADER_HEX)), sampleCable.header);
  });

  it('a small protected part encodes to the fixed bytes and back', () => {
    assert.equal(toHex(encodeProtectedPart(SMALL_PART)), SMALL_PART_HEX);
    assert.deepStrictEqual(decodeProtectedPart(fromHex(SMALL_PART_HEX)), SMALL_PART);
  });

  it('the test writer reproduces the canonical header, so the variants below differ only where intended', () => {
    assert.equal(toHex(write(map(headerEntries()))), HEADER_HEX);
    assert.equal(CableFormatVersion, 1);
  });

  it('round-trips the sample protected part with its attachment', () => {
    const bytes = encodeProtectedPart(sampleCable.content);
    assert.deepStrictEqual(decodeProtectedPart(bytes), sampleCable.content);
    assert.deepEqual(encodeProtectedPart(decodeProtectedPart(bytes)), bytes);
  });
});

describe('only the canonical encoding decodes', () => {
  it('refuses map keys out of canonical order', () => {
    decodeFails(write(map(headerEntries().reverse())), 'encoding.not_canonical');
    const swapped = headerEntries();
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    decodeFails(write(map(swapped)), 'encoding.not_canonical');
  });

  it('refuses duplicate keys', () => {
    const entries = headerEntries();
    decodeFails(write(map([entries[0]!, ...entries])), 'encoding.malformed');
  });

  it('refuses integers and lengths not in their shortest form', () => {
    // cborg's strict mode already refuses these while decoding (encoding.malformed); the re-encode comparison would
    // refuse them otherwise (encoding.not_canonical). Either way they never decode.
    const refused = (e: unknown): boolean => e instanceof DecodeError && ['encoding.malformed', 'encoding.not_canonical'].includes(e.code);
    const longVersion = headerEntries();
    longVersion[0] = ['v', { kind: 'uint', value: 1, width: 1 }];
    assert.throws(() => decodeRoutingHeader(write(map(longVersion))), refused);
    const longString = headerEntries();
    longString[3] = ['dtg', { kind: 'text', value: sampleCable.header.dtg, width: 2 }];
    assert.throws(() => decodeRoutingHeader(write(map(longString))), refused);
  });

  it('refuses a float where the version integer belongs', () => {
    const entries = headerEntries();
    entries[0] = ['v', { kind: 'raw', bytes: Uint8Array.of(0xf9, 0x3c, 0x00) }]; // half-precision 1.0
    decodeFails(write(map(entries)), 'encoding.not_canonical');
  });

  it('refuses other versions', () => {
    for (const v of [uint(0), uint(2), text('1')]) {
      const entries = headerEntries();
      entries[0] = ['v', v];
      decodeFails(write(map(entries)), 'encoding.unsupported_version');
    }
    decodeFails(write(map(headerEntries().slice(1))), 'encoding.unsupported_version');
  });

  it('refuses extra fields as a validation error', () => {
    const entries = headerEntries();
    entries.splice(1, 0, ['x', uint(0)]);
    assert.throws(
      () => decodeRoutingHeader(write(map(entries))),
      (e: unknown) =>
        e instanceof ValidationError && e.issues.length === 1 && e.issues[0]!.code === 'cable.field.unknown' && e.issues[0]!.path === 'header.x',
    );
  });

  it('refuses a well-formed map that is not a valid header, with every issue', () => {
    const entries = headerEntries();
    entries[2] = ['to', texts([])];
    entries[6] = ['tags', texts(['prel'])];
    assert.throws(
      () => decodeRoutingHeader(write(map(entries))),
      (e: unknown) => e instanceof ValidationError && e.issues.map((i) => i.code).join() === 'cable.tag.format,cable.to.empty',
    );
    assert.throws(() => decodeRoutingHeader(encodeProtectedPart(SMALL_PART)), ValidationError);
    assert.throws(() => decodeProtectedPart(encodeRoutingHeader(sampleCable.header)), ValidationError);
  });

  it('refuses what is not one canonical map', () => {
    const good = fromHex(HEADER_HEX);
    decodeFails(write(texts(['v'])), 'encoding.malformed');
    decodeFails(write(text('header')), 'encoding.malformed');
    decodeFails(good.subarray(0, good.length - 1), 'encoding.malformed');
    decodeFails(new Uint8Array([...good, 0x00]), 'encoding.malformed');
    decodeFails(new Uint8Array([0xc0, ...good]), 'encoding.malformed'); // a tag
    decodeFails(new Uint8Array([0xbf, ...good.subarray(1), 0xff]), 'encoding.malformed'); // indefinite length
    decodeFails(new Uint8Array(0), 'encoding.malformed');
    assert.throws(() => decodeRoutingHeader([1, 2] as unknown as Uint8Array), TypeError);
  });

  it('refuses input over the size cap before decoding it', () => {
    decodeFails(new Uint8Array(CableLimits.encodedRoutingHeaderMaxBytes + 1), 'encoding.too_large');
    assert.throws(
      () => decodeProtectedPart(new Uint8Array(CableLimits.encodedProtectedPartMaxBytes + 1)),
      (e: unknown) => e instanceof DecodeError && e.code === 'encoding.too_large',
    );
  });
});

describe('encoding', () => {
  it('refuses to encode an invalid value', () => {
    assert.throws(() => encodeRoutingHeader({ ...sampleCable.header, to: [] }), ValidationError);
    assert.throws(() => encodeRoutingHeader({ ...sampleCable.header, extra: 1 } as RoutingHeader), ValidationError);
    assert.throws(() => encodeProtectedPart({ ...sampleCable.content, body: 'a\r\n' }), ValidationError);
  });

  it('decodes a Buffer to attachments that share no memory with it', () => {
    const buffer = Buffer.from(encodeProtectedPart(SMALL_PART));
    const part = decodeProtectedPart(buffer);
    buffer.fill(0);
    const data = part.attachments[0]!.data;
    assert.equal(Object.getPrototypeOf(data), Uint8Array.prototype);
    assert.deepEqual([...data], [0x68, 0x69]);
  });
});

describe('size caps fit the largest valid values', () => {
  const MiB = 1024 * 1024;
  const letters = (i: number, width: number): string => {
    let s = '';
    for (let k = 0, n = i; k < width; k++, n = Math.floor(n / 26)) s = String.fromCharCode(65 + (n % 26)) + s;
    return s;
  };

  it('a header with every list full and every code at its longest', () => {
    const office = (i: number): string => `${'A'.repeat(56)}${letters(i, 8)}`;
    const header = assertValidRoutingHeader({
      id: `${office(0)}/2026/999999`,
      dtg: '2026-11-26T14:30:00Z',
      precedence: 'IMMEDIATE',
      marking: {
        classification: 'CONFIDENTIAL',
        caveats: Array.from({ length: 8 }, (_, i) => `${'C'.repeat(24)}${letters(i, 8)}`),
        releasableTo: Array.from({ length: 32 }, (_, i) => letters(i, 8)),
      },
      from: office(0),
      to: Array.from({ length: 250 }, (_, i) => office(i + 1)),
      info: Array.from({ length: 250 }, (_, i) => office(i + 251)),
      tags: Array.from({ length: 32 }, (_, i) => `T${letters(i, 7)}`),
      drafter: 'd'.repeat(64),
      releaser: 'r'.repeat(64),
    });
    const bytes = encodeRoutingHeader(header);
    assert.ok(bytes.length <= CableLimits.encodedRoutingHeaderMaxBytes, `${bytes.length} bytes`);
    assert.deepStrictEqual(decodeRoutingHeader(bytes), header);
  });

  it('a protected part with every limit reached', () => {
    const part = assertValidProtectedPart({
      subject: '😀'.repeat(200),
      references: Array.from({ length: 32 }, (_, i) => `${'R'.repeat(64)}/2026/${String(i + 1).padStart(6, '0')}`),
      body: 'x'.repeat(MiB),
      attachments: Array.from({ length: 20 }, (_, i) => ({
        name: `${letters(i, 1)}${'😀'.repeat(254)}`,
        mediaType: `application/${'x'.repeat(115)}`,
        data: new Uint8Array(i < 2 ? 25 * MiB : 0),
      })),
    });
    const bytes = encodeProtectedPart(part);
    assert.ok(bytes.length <= CableLimits.encodedProtectedPartMaxBytes, `${bytes.length} bytes`);
    assert.equal(decodeProtectedPart(bytes).attachments.length, 20);
  });
});
