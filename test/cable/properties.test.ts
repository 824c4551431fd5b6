// Property tests of the model and its encoding over generated valid cables: every generated cable validates,
// encoding is a bijection onto its image (decode∘encode = id, encode∘decode = id on encodings), and no single-byte
// change to an encoding can yield a second encoding of any value.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DecodeError, ValidationError } from '../../src/errors.ts';
import { decodeProtectedPart, decodeRoutingHeader, encodeProtectedPart, encodeRoutingHeader } from '../../src/cable/codec.ts';
import { validateCable } from '../../src/cable/validate.ts';
import { toHex, utf8 } from '../../src/bytes.ts';
import { arbCable, arbProtectedPart, arbRoutingHeader } from './arbitraries.ts';
import { sampleCable } from './fixtures.ts';

/** A position in an encoding and a different byte to put there. */
const arbMutation = fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) });

function mutate(bytes: Uint8Array, m: { at: number; xor: number }): Uint8Array {
  const out = bytes.slice();
  const i = m.at % out.length;
  out[i] = out[i]! ^ m.xor;
  return out;
}

/**
 * A mutated encoding either fails with one of the two documented errors, or decodes to a different value whose
 * encoding is exactly the mutated bytes (so it is that value's one canonical encoding, not a second spelling).
 */
function checkMutation<T>(original: T, bytes: Uint8Array, decode: (b: Uint8Array) => T, encode: (v: T) => Uint8Array): void {
  let decoded: T;
  try {
    decoded = decode(bytes);
  } catch (e) {
    assert.ok(e instanceof DecodeError || e instanceof ValidationError, `unexpected ${String(e)}`);
    return;
  }
  assert.notDeepStrictEqual(decoded, original);
  assert.deepEqual(encode(decoded), bytes);
}

describe('generated cables', () => {
  it('are valid', () => {
    fc.assert(fc.property(arbCable, (cable) => assert.deepEqual(validateCable(cable), [])));
  });
});

describe('routing header encoding', () => {
  it('decode(encode(h)) deep-equals h, and encode(decode(b)) is b', () => {
    fc.assert(
      fc.property(arbRoutingHeader, (h) => {
        const bytes = encodeRoutingHeader(h);
        const decoded = decodeRoutingHeader(bytes);
        assert.deepStrictEqual(decoded, h);
        assert.deepEqual(encodeRoutingHeader(decoded), bytes);
      }),
    );
  });

  it('a changed byte that still decodes gives another value with exactly those bytes', () => {
    const bytes = encodeRoutingHeader(sampleCable.header);
    const at = toHex(bytes).indexOf(toHex(utf8('PREL'))) / 2;
    const changed = bytes.slice();
    changed[at] = 'Q'.charCodeAt(0);
    assert.deepEqual(decodeRoutingHeader(changed).tags, ['QREL', 'ETRD', 'US']);
    checkMutation(sampleCable.header, changed, decodeRoutingHeader, encodeRoutingHeader);
  });

  it('a single changed byte never gives a second encoding', () => {
    fc.assert(
      fc.property(arbRoutingHeader, arbMutation, (h, m) => {
        checkMutation(h, mutate(encodeRoutingHeader(h), m), decodeRoutingHeader, encodeRoutingHeader);
      }),
      { numRuns: 500 },
    );
  });
});

describe('protected part encoding', () => {
  it('decode(encode(p)) deep-equals p, and encode(decode(b)) is b', () => {
    fc.assert(
      fc.property(arbProtectedPart, (p) => {
        const bytes = encodeProtectedPart(p);
        const decoded = decodeProtectedPart(bytes);
        assert.deepStrictEqual(decoded, p);
        assert.deepEqual(encodeProtectedPart(decoded), bytes);
      }),
    );
  });

  it('a single changed byte never gives a second encoding', () => {
    fc.assert(
      fc.property(arbProtectedPart, arbMutation, (p, m) => {
        checkMutation(p, mutate(encodeProtectedPart(p), m), decodeProtectedPart, encodeProtectedPart);
      }),
      { numRuns: 500 },
    );
  });
});

describe('whole cables', () => {
  it('survive encoding both parts', () => {
    fc.assert(
      fc.property(arbCable, (cable) => {
        const header = decodeRoutingHeader(encodeRoutingHeader(cable.header));
        const content = decodeProtectedPart(encodeProtectedPart(cable.content));
        assert.deepStrictEqual({ header, content }, cable);
      }),
    );
  });
});
