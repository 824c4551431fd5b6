// Personal details beside the leaf (DESIGN.md "The audit log"; docs/log.md "Entries"): the leaf holds a salted
// commitment that hides them, opens only with the right details and salt, and survives their erasure unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concatBytes, toHex, utf8 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { encodeCanonical } from '../../src/encoding/canonical-cbor.ts';
import { DecodeError } from '../../src/errors.ts';
import { decodeLogEntry, encodeLogEntry } from '../../src/log/events.ts';
import { leafHash } from '../../src/log/merkle.ts';
import {
  DETAILS_LABEL, MAX_DETAILS_BYTES, checkDetails, commitDetails, decodePersonalDetails, encodePersonalDetails, isNetworkAddress,
  type PersonalDetails,
} from '../../src/log/personal-details.ts';
import { toTraceLine } from '../../src/log/trace-line.ts';
import { deterministicProvider } from '../support/deterministic-provider.ts';
import { SAMPLE_READ } from './events-fixtures.ts';

const DETAILS: PersonalDetails = { ip: '10.20.1.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' };

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const ipv6 = fc.ipV6().map((a) => a.toLowerCase());
/** Printable ASCII user agents (the `grapheme-ascii` unit), any valid address. */
const details: fc.Arbitrary<PersonalDetails> = fc
  .record({ ip: fc.oneof(ipv4, ipv6), userAgent: fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme-ascii' }) }, { requiredKeys: [], noNullPrototype: true })
  .filter((d) => d.ip !== undefined || d.userAgent !== undefined);

function refuses(bytes: Uint8Array): void {
  assert.throws(() => decodePersonalDetails(bytes), (e: unknown) => e instanceof DecodeError);
}

describe('personal details: commitment', () => {
  it('is SHA-256(label ‖ 0x00 ‖ salt ‖ canonical details), with a fresh 32-byte salt', () => {
    const { commitment, salt } = commitDetails(p, DETAILS);
    assert.equal(salt.length, 32);
    const expected = p.sha256(concatBytes(utf8(DETAILS_LABEL), Uint8Array.of(0), salt, encodePersonalDetails(DETAILS)));
    assert.equal(toHex(commitment), toHex(expected));
    assert.equal(DETAILS_LABEL, 'chancery/v1 log-personal-details');
  });

  it('hides the details: one set of details under two salts gives two unrelated commitments', () => {
    fc.assert(
      fc.property(details, (d) => {
        const a = commitDetails(p, d);
        const b = commitDetails(p, d);
        assert.notDeepEqual(a.salt, b.salt);
        assert.notDeepEqual(a.commitment, b.commitment);
        assert.ok(checkDetails(p, a.commitment, a.salt, d) && checkDetails(p, b.commitment, b.salt, d));
        assert.ok(!checkDetails(p, a.commitment, b.salt, d));
      }),
      { numRuns: 50 },
    );
    // The salt is the only randomness: the same salt and details give the same commitment.
    const x = commitDetails(deterministicProvider(p, 'details'), DETAILS);
    const y = commitDetails(deterministicProvider(p, 'details'), DETAILS);
    assert.deepEqual(x, y);
  });

  it('opens only with the right details and salt', () => {
    const { commitment, salt } = commitDetails(p, DETAILS);
    assert.ok(checkDetails(p, commitment, salt, DETAILS));
    assert.ok(!checkDetails(p, commitment, salt, { ...DETAILS, ip: '10.20.1.8' }));
    assert.ok(!checkDetails(p, commitment, salt, { ip: '10.20.1.7' }));
    assert.ok(!checkDetails(p, commitment, salt, { ...DETAILS, userAgent: 'curl/8.5.0' }));
    for (let i = 0; i < 32; i++) {
      const bad = salt.slice();
      bad[i]! ^= 1;
      assert.ok(!checkDetails(p, commitment, bad, DETAILS));
    }
    assert.ok(!checkDetails(p, commitment.subarray(1), salt, DETAILS));
    assert.ok(!checkDetails(p, commitment, salt.subarray(1), DETAILS));
    assert.ok(!checkDetails(p, commitment, salt, { ip: 'not an address' }));
    assert.ok(!checkDetails(p, commitment, salt, {}));
  });

  it('keeps the details out of the leaf, which survives their erasure unchanged', () => {
    const { commitment, salt } = commitDetails(p, DETAILS);
    const leaf = encodeLogEntry({ ...SAMPLE_READ, details: commitment });
    const hash = leafHash(p, leaf);
    assert.ok(!Buffer.from(leaf).includes('10.20.1.7') && !Buffer.from(leaf).includes('Mozilla'));
    // Beside the leaf: the salt and the encoded details. Checked while they exist, then erased.
    const stored = { salt, details: encodePersonalDetails(DETAILS) };
    const entry = decodeLogEntry(leaf);
    assert.ok(entry.details && checkDetails(p, entry.details, stored.salt, decodePersonalDetails(stored.details)));
    assert.match(toTraceLine(entry, { ip: DETAILS.ip! }) ?? '', /"ip":"10\.20\.1\.7"/);
    stored.salt.fill(0);
    stored.details.fill(0);
    assert.deepEqual(leafHash(p, leaf), hash);
    assert.deepEqual(decodeLogEntry(leaf), entry);
    assert.doesNotMatch(toTraceLine(entry) ?? '', /"ip"/);
  });
});

describe('personal details: encoding', () => {
  it('round-trips and has one encoding', () => {
    fc.assert(
      fc.property(details, (d) => {
        const b = encodePersonalDetails(d);
        assert.ok(b.length <= MAX_DETAILS_BYTES);
        assert.deepEqual(decodePersonalDetails(b), d);
        assert.deepEqual(encodePersonalDetails(decodePersonalDetails(b)), b);
      }),
    );
  });

  it('refuses empty details, unknown fields, another version, bad addresses and control characters', () => {
    refuses(encodeCanonical({ v: 1 }));
    refuses(encodeCanonical({ v: 1, ip: '10.0.0.1', port: 443 }));
    refuses(encodeCanonical({ v: 2, ip: '10.0.0.1' }));
    refuses(encodeCanonical({ v: 1, ip: '10.0.0.1', userAgent: 'a\nb' }));
    refuses(encodeCanonical({ v: 1, userAgent: 'x'.repeat(513) }));
    for (const ip of ['010.0.0.1', '256.0.0.1', '10.0.0', '2001:DB8::1', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1', '1:2:3:4:5:6:7:8::', '', ' 10.0.0.1']) {
      assert.ok(!isNetworkAddress(ip), ip);
      refuses(encodeCanonical({ v: 1, ip }));
      assert.throws(() => encodePersonalDetails({ ip }), RangeError);
    }
    for (const ip of ['0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8::1', '1:2:3:4:5:6:7:8', '::ffff:10.0.0.1', '1:2:3:4:5:6:1.2.3.4']) assert.ok(isNetworkAddress(ip), ip);
    assert.throws(() => encodePersonalDetails({}), RangeError);
    refuses(new Uint8Array(MAX_DETAILS_BYTES + 1));
  });
});
