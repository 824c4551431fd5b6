// The canonical log entry (docs/log.md "Entries"): every kind round-trips, one event has one encoding, and the
// decoder refuses anything else — reordered keys, extra or missing fields, wrong types, unknown kinds, oversize.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concatBytes, toHex } from '../../src/bytes.ts';
import type { CableId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { decodeCanonical, encodeCanonical, type CborValue } from '../../src/encoding/canonical-cbor.ts';
import { DecodeError } from '../../src/errors.ts';
import { LogKinds, MAX_ENTRY_TIME, MAX_LOG_ENTRY_BYTES, decodeLogEntry, encodeLogEntry, type LogEntry } from '../../src/log/events.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { ENTRY_ARBITRARIES, SAMPLE_READ, anyEntry } from './events-fixtures.ts';

type CborMapValue = Record<string, CborValue>;
const asMap = (b: Uint8Array): CborMapValue => decodeCanonical(b, MAX_LOG_ENTRY_BYTES) as CborMapValue;

function refuses(b: Uint8Array, ...codes: string[]): void {
  assert.throws(() => decodeLogEntry(b), (e: unknown) => e instanceof DecodeError && codes.includes(e.code), `expected DecodeError(${codes.join('|')})`);
}

describe('log entries: round trip', () => {
  it('has an arbitrary for every kind', () => {
    assert.deepEqual(Object.keys(ENTRY_ARBITRARIES).sort(), [...LogKinds].sort());
  });

  for (const kind of LogKinds) {
    it(`${kind}: decode(encode(e)) = e and encode(decode(b)) = b`, () => {
      fc.assert(
        fc.property(ENTRY_ARBITRARIES[kind], (e: LogEntry) => {
          const b = encodeLogEntry(e);
          assert.ok(b.length <= MAX_LOG_ENTRY_BYTES);
          const back = decodeLogEntry(b);
          assert.deepEqual(back, e);
          assert.deepEqual(encodeLogEntry(back), b);
          assert.equal(asMap(b).v, 1);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('a decoded entry shares no buffer with its input', () => {
    const b = encodeLogEntry(SAMPLE_READ);
    const e = decodeLogEntry(b);
    b.fill(0);
    assert.deepEqual(e.details, SAMPLE_READ.details);
  });

  it('pins the encoding of the sample read (the leaf data and its RFC 9162 leaf hash)', () => {
    const b = encodeLogEntry(SAMPLE_READ);
    // Keys sorted by encoded length, then bytewise (RFC 8949 §4.2.1): short keys first, `ageDays` and `details` last.
    assert.deepEqual(Object.keys(asMap(b)), ['v', 'at', 'kind', 'node', 'tags', 'user', 'cable', 'level', 'device', 'office', 'ageDays', 'details']);
    assert.equal(toHex(b), EXPECTED_SAMPLE_HEX);
    assert.equal(toHex(leafHash(p, b)), EXPECTED_SAMPLE_LEAF_HASH);
  });

  it('encodes the largest cable.sent (500 offices of 64 characters) within the cap', () => {
    const office = (i: number) => `A${String(i).padStart(3, '0')}.${'B'.repeat(59)}` as OfficeCode;
    const sent: LogEntry = {
      kind: 'cable.sent', at: MAX_ENTRY_TIME, node: 'MFA.CY' as NodeName, details: new Uint8Array(32),
      cable: `${'C'.repeat(64)}/9999/999999` as CableId, from: office(999), to: Array.from({ length: 250 }, (_, i) => office(i)),
      info: Array.from({ length: 250 }, (_, i) => office(i + 250)), precedence: 'FLASH', level: 'SECRET',
      drafter: 'd'.repeat(64) as UserId, releaser: 'r'.repeat(64) as UserId, envelopeHash: new Uint8Array(32),
    };
    const b = encodeLogEntry(sent);
    assert.ok(b.length < MAX_LOG_ENTRY_BYTES * 0.6, `${b.length} bytes`);
    assert.deepEqual(decodeLogEntry(b), sent);
    assert.throws(() => encodeLogEntry({ ...sent, info: [...sent.info, office(500)] }), RangeError);
  });
  it('encodes the largest membership.changed (128 releasing-officer memberships each side) within the cap', () => {
    const office = (i: number) => `A${String(i).padStart(3, '0')}.${'B'.repeat(59)}` as OfficeCode;
    const list = Array.from({ length: 128 }, (_, i) => ({ office: office(i), role: 'releasing-officer', releaseCeiling: 'UNCLASSIFIED' }) as const);
    const changed: LogEntry = {
      kind: 'membership.changed', at: MAX_ENTRY_TIME, node: 'MFA.CY' as NodeName, details: new Uint8Array(32),
      user: 'u'.repeat(64) as UserId, by: 'b'.repeat(64) as UserId, before: list, after: list,
    };
    const b = encodeLogEntry(changed);
    assert.ok(b.length < MAX_LOG_ENTRY_BYTES * 0.6, `${b.length} bytes`);
    assert.throws(() => encodeLogEntry({ ...changed, after: [...list, { office: office(128), role: 'member' }] }), RangeError);
  });
});

describe('log entries: canonical only', () => {
  it('refuses non-canonical bytes, trailing bytes, extra, missing and mistyped fields, for every kind', () => {
    for (const kind of LogKinds) {
      const arbitrary: fc.Arbitrary<LogEntry> = ENTRY_ARBITRARIES[kind];
      const [sample] = fc.sample(arbitrary, { numRuns: 1, seed: 7 });
      assert.ok(sample);
      const b = encodeLogEntry(sample);
      const m = asMap(b);
      const entries = Object.entries(m).reverse().flatMap(([k, v]) => [encodeCanonical(k), encodeCanonical(v)]);
      refuses(concatBytes(b.subarray(0, 1), ...entries), 'encoding.not_canonical');
      refuses(concatBytes(Uint8Array.of(0xb8, b[0]! & 0x1f), b.subarray(1)), 'encoding.not_canonical', 'encoding.malformed');
      refuses(Uint8Array.of(...b, 0x00), 'encoding.malformed');
      refuses(encodeCanonical({ ...m, extra: 1 }), 'encoding.malformed');
      refuses(encodeCanonical({ ...m, details: new Uint8Array(31) }), 'encoding.malformed');
      for (const key of Object.keys(m)) {
        const rest = Object.fromEntries(Object.entries(m).filter(([k]) => k !== key));
        // Some fields are optional: dropping one leaves a valid entry of the same kind.
        if (key !== 'details' && key !== 'ageDays' && key !== 'storedHash') refuses(encodeCanonical(rest), key === 'v' ? 'encoding.unsupported_version' : 'encoding.malformed');
        // No field of any kind is a boolean, so `true` is the wrong type everywhere.
        refuses(encodeCanonical({ ...m, [key]: true }), key === 'v' ? 'encoding.unsupported_version' : 'encoding.malformed');
        const value = m[key];
        if (value instanceof Uint8Array) refuses(encodeCanonical({ ...m, [key]: value.subarray(1) }), 'encoding.malformed');
        if (typeof value === 'string' && key !== 'kind') refuses(encodeCanonical({ ...m, [key]: `${value}/x y` }), 'encoding.malformed');
      }
    }
  });

  it('refuses another version and an unknown kind as unsupported, a non-text kind as malformed', () => {
    const m = asMap(encodeLogEntry(SAMPLE_READ));
    refuses(encodeCanonical({ ...m, v: 2 }), 'encoding.unsupported_version');
    refuses(encodeCanonical({ ...m, kind: 'cable.burnt' }), 'encoding.unsupported_version');
    refuses(encodeCanonical({ ...m, kind: 7 }), 'encoding.malformed');
    refuses(encodeCanonical([1, 2]), 'encoding.malformed');
    refuses(encodeCanonical('cable.read'), 'encoding.malformed');
  });

  it('refuses times outside 0 to the end of year 9999, and bad field values', () => {
    const m = asMap(encodeLogEntry(SAMPLE_READ));
    for (const at of [-1, MAX_ENTRY_TIME + 1, 1.5]) refuses(encodeCanonical({ ...m, at }), 'encoding.malformed', 'encoding.not_canonical');
    refuses(encodeCanonical({ ...m, level: 'TOP SECRET' }), 'encoding.malformed');
    refuses(encodeCanonical({ ...m, tags: ['PREL', 'PREL'] }), 'encoding.malformed');
    refuses(encodeCanonical({ ...m, tags: ['prel'] }), 'encoding.malformed');
    refuses(encodeCanonical({ ...m, cable: 'EEAS.DEL.WASHINGTON/2026/000000' }), 'encoding.malformed');
    refuses(encodeCanonical({ ...m, office: 'mfa.cy' }), 'encoding.malformed');
    refuses(encodeCanonical({ ...m, ageDays: 3_652_426 }), 'encoding.malformed');
  });

  it('refuses a release ceiling on anyone but a releasing officer, and a releasing officer without one', () => {
    const base = { kind: 'membership.changed', at: 0, node: 'MFA.CY' as NodeName, user: 'u1' as UserId, by: 'so' as UserId, before: [] } as const;
    const m = asMap(encodeLogEntry({ ...base, after: [{ office: 'MFA.CY.AMERICAS' as OfficeCode, role: 'member' }] }));
    refuses(encodeCanonical({ ...m, after: [{ office: 'MFA.CY.AMERICAS', role: 'member', releaseCeiling: 'LIMITED' }] }), 'encoding.malformed');
    refuses(encodeCanonical({ ...m, after: [{ office: 'MFA.CY.AMERICAS', role: 'releasing-officer' }] }), 'encoding.malformed');
  });

  it('refuses oversized input before parsing it', () => {
    refuses(new Uint8Array(MAX_LOG_ENTRY_BYTES + 1), 'encoding.too_large');
  });

  it('encodes nothing it would not decode (RangeError, TypeError: the caller’s bug)', () => {
    assert.throws(() => encodeLogEntry({ ...SAMPLE_READ, details: new Uint8Array(31) }), RangeError);
    assert.throws(() => encodeLogEntry({ ...SAMPLE_READ, at: MAX_ENTRY_TIME + 1 }), RangeError);
    assert.throws(() => encodeLogEntry({ ...SAMPLE_READ, user: 'U' as UserId }), RangeError);
    assert.throws(() => encodeLogEntry({ ...SAMPLE_READ, kind: 'cable.burnt' } as unknown as LogEntry), RangeError);
    assert.throws(() => encodeLogEntry(null as unknown as LogEntry), TypeError);
    // Properties an entry does not have are not written (and so cannot smuggle data into a leaf).
    const extra = { ...SAMPLE_READ, ip: '10.20.1.7' } as LogEntry;
    assert.deepEqual(encodeLogEntry(extra), encodeLogEntry(SAMPLE_READ));
  });

  it('never throws anything but DecodeError on arbitrary bytes or mutations of valid entries', () => {
    fc.assert(
      fc.property(anyEntry, fc.nat(), fc.integer({ min: 1, max: 255 }), (e, at, xor) => {
        const b = encodeLogEntry(e);
        const mutated = b.slice();
        mutated[at % b.length]! ^= xor;
        try {
          decodeLogEntry(mutated);
        } catch (err) {
          assert.ok(err instanceof DecodeError, String(err));
        }
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          decodeLogEntry(b);
        } catch (err) {
          assert.ok(err instanceof DecodeError, String(err));
        }
      }),
    );
  });
});

const EXPECTED_SAMPLE_HEX =
  'ac6176016261741b0000019cadd38812646b696e646a6361626c652e72656164646e6f6465664d46412e4359647461677382645052454c6255536475' +
  '73657266752d30303432656361626c65781f454541532e44454c2e57415348494e47544f4e2f323032362f303030313233656c6576656c674c494d' +
  '495445446664657669636568642d303034322d31666f66666963656f4d46412e43592e414d4552494341536761676544617973036764657461696c' +
  '735820d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1';
const EXPECTED_SAMPLE_LEAF_HASH = 'dd4d2a7ca2ff7058b2e4313aa51668b7fb47bdf00fcc087ab0c2b83d8cf4d7b7';
