// Every key record's canonical CBOR: round-trips (fast-check), canonical-only decoding, and refusal of unknown or
// missing fields, wrong lengths, another version and oversized input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concatBytes } from '../../src/bytes.ts';
import { Classifications, type DeviceId, type UserId } from '../../src/cable/types.ts';
import { parseDeviceId, parseNodeName } from '../../src/cable/ids.ts';
import { CableLimits } from '../../src/cable/limits.ts';
import { decodeCanonical, encodeCanonical, type CborValue } from '../../src/encoding/canonical-cbor.ts';
import { DecodeError, VerificationError } from '../../src/errors.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { ClosureReasons, decodeEpochClosure, encodeEpochClosure, type EpochClosure } from '../../src/keys/epoch-closure.ts';
import { decodeDeviceRecord, encodeDeviceRecord, signDeviceRecord, verifyDeviceRecord, type DeviceRecord } from '../../src/keys/device-record.ts';
import { decodeKeyGrant, encodeKeyGrant, type KeyGrant } from '../../src/keys/key-grant.ts';
import { decodeNodeCertificate, encodeNodeCertificate, type NodeCertificate } from '../../src/keys/node-certificate.ts';
import { decodeOfficeEpoch, encodeOfficeEpoch, type OfficeEpoch } from '../../src/keys/office-epoch.ts';
import { decodeOfficerCertificate, encodeOfficerCertificate, type OfficerCertificate } from '../../src/keys/officer-certificate.ts';
import { decodeOrganisationRoot, encodeOrganisationRoot, parseOrgId, type OrganisationRoot } from '../../src/keys/organisation-root.ts';
import { arbOfficeCode, arbUserId } from '../cable/arbitraries.ts';
import { seed, world } from './fixtures.ts';

// fast-check may build null-prototype objects; decoded records have Object.prototype, and deepEqual compares it.
function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
// Ids through the cable model's own parsers, as the decoders now read them (no casts to branded types).
const officeId = arbOfficeCode;
const userId = arbUserId;
const deviceId = arbUserId.map((u) => parseDeviceId(u));
const nodeId = arbOfficeCode.filter((c) => c.length <= CableLimits.nodeNameMaxChars).map((c) => parseNodeName(c));
const orgId = nodeId.map((n) => parseOrgId(n));
const time = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const level = fc.constantFrom(...Classifications);
const hybridPublic = rec({ ed25519: bytes(32), mlDsa65: bytes(1952) });
const hybridSig = rec({ ed25519: bytes(64), mlDsa65: bytes(3309) });

const rootArb: fc.Arbitrary<OrganisationRoot> = rec({ org: orgId, publicKey: hybridPublic, createdAt: time, signature: hybridSig });
const nodeArb: fc.Arbitrary<NodeCertificate> = fc.record(
  {
    node: nodeId, org: orgId, signingKey: hybridPublic, releaseKey: bytes(1216),
    url: fc.stringMatching(/^[!-~]{1,64}$/), validFrom: time, validUntil: time, serial: fc.nat(), signature: hybridSig,
  },
  { requiredKeys: ['node', 'org', 'signingKey', 'releaseKey', 'validFrom', 'validUntil', 'serial', 'signature'], noNullPrototype: true },
);
const officerArb: fc.Arbitrary<OfficerCertificate> = rec({
  org: orgId, user: userId, scope: nodeId, signingKey: hybridPublic, validFrom: time, validUntil: time, signature: hybridSig,
});
const deviceArb: fc.Arbitrary<DeviceRecord> = rec({
  user: userId, device: deviceId, node: nodeId, signingKey: bytes(32), encryptionKey: bytes(1216), createdAt: time,
  approval: fc.oneof(
    rec({ kind: fc.constant('officer' as const), officer: userId }),
    rec({ kind: fc.constant('officer' as const), officer: userId, device: deviceId }),
    rec({ kind: fc.constant('device' as const), device: deviceId }),
  ),
  signature: bytes(64),
});
const epochArb: fc.Arbitrary<OfficeEpoch> = rec({
  office: officeId, node: nodeId, level, epoch: fc.nat(), publicKey: bytes(1216), openedAt: time, certifiedBy: userId, signature: bytes(64),
});
const closureArb: fc.Arbitrary<EpochClosure> = rec({
  office: officeId, node: nodeId, level, epoch: fc.nat(), closedAt: time, reason: fc.constantFrom(...ClosureReasons), closedBy: userId, signature: bytes(64),
});
const grantArb: fc.Arbitrary<KeyGrant> = fc
  .record({
    office: officeId, level, epoch: fc.nat(), keyHash: bytes(32), user: userId, device: deviceId,
    enc: bytes(1120), cipherText: bytes(48), issuedAt: time,
    issuer: fc.oneof(
      rec({ kind: fc.constant('officer' as const), officers: fc.uniqueArray(userId, { minLength: 1, maxLength: 2 }) }),
      rec({ kind: fc.constant('device' as const), device: deviceId }),
    ),
  })
  .chain((body) => fc.array(bytes(64), { minLength: body.issuer.kind === 'officer' ? body.issuer.officers.length : 1, maxLength: body.issuer.kind === 'officer' ? body.issuer.officers.length : 1 }).map((signatures) => ({ ...body, signatures })));

interface Codec {
  readonly name: string;
  readonly arb: fc.Arbitrary<unknown>;
  readonly encode: (r: never) => Uint8Array;
  readonly decode: (b: Uint8Array) => unknown;
}
const codecs: Codec[] = [
  { name: 'organisation-root', arb: rootArb, encode: encodeOrganisationRoot, decode: decodeOrganisationRoot },
  { name: 'node-certificate', arb: nodeArb, encode: encodeNodeCertificate, decode: decodeNodeCertificate },
  { name: 'officer-certificate', arb: officerArb, encode: encodeOfficerCertificate, decode: decodeOfficerCertificate },
  { name: 'device-record', arb: deviceArb, encode: encodeDeviceRecord, decode: decodeDeviceRecord },
  { name: 'office-epoch', arb: epochArb, encode: encodeOfficeEpoch, decode: decodeOfficeEpoch },
  { name: 'epoch-closure', arb: closureArb, encode: encodeEpochClosure, decode: decodeEpochClosure },
  { name: 'key-grant', arb: grantArb, encode: encodeKeyGrant, decode: decodeKeyGrant },
];

type Map = Record<string, CborValue>;
const asMap = (b: Uint8Array): Map => decodeCanonical(b, 1 << 20) as Map;

function refuses(decode: (b: Uint8Array) => unknown, b: Uint8Array, ...codes: string[]): void {
  assert.throws(() => decode(b), (e: unknown) => e instanceof DecodeError && codes.includes(e.code));
}

describe('key record codecs', () => {
  for (const c of codecs) {
    const enc = c.encode as (r: unknown) => Uint8Array;
    it(`${c.name}: decode(encode(r)) = r and encode(decode(b)) = b`, () => {
      fc.assert(
        fc.property(c.arb, (r) => {
          const b = enc(r);
          const back = c.decode(b);
          assert.deepEqual(back, r);
          assert.deepEqual(enc(back), b);
        }),
        { numRuns: 40 },
      );
    });

    it(`${c.name}: refuses non-canonical, unknown, missing, mis-sized, versioned and oversized input`, () => {
      const sample = fc.sample(c.arb, { numRuns: 1, seed: 42 })[0];
      const b = enc(sample);
      const m = asMap(b);
      // Same value, non-canonical bytes: map keys in reverse order, and a map header in a longer form than needed
      // (which strict decoding already refuses as malformed).
      const entries = Object.entries(m).reverse().flatMap(([k, v]) => [encodeCanonical(k), encodeCanonical(v)]);
      refuses(c.decode, concatBytes(b.subarray(0, 1), ...entries), 'encoding.not_canonical');
      refuses(c.decode, concatBytes(Uint8Array.of(0xb8, b[0]! & 0x1f), b.subarray(1)), 'encoding.not_canonical', 'encoding.malformed');
      refuses(c.decode, Uint8Array.of(...b, 0x00), 'encoding.malformed');
      refuses(c.decode, encodeCanonical({ ...m, extra: 1 }), 'encoding.malformed');
      refuses(c.decode, encodeCanonical({ ...m, v: 2 }), 'encoding.unsupported_version');
      for (const key of Object.keys(m)) {
        const rest = Object.fromEntries(Object.entries(m).filter(([k]) => k !== key));
        refuses(c.decode, encodeCanonical(rest), key === 'v' ? 'encoding.unsupported_version' : 'encoding.malformed');
        const value = m[key];
        if (value instanceof Uint8Array) {
          refuses(c.decode, encodeCanonical({ ...m, [key]: value.subarray(1) }), 'encoding.malformed');
          refuses(c.decode, encodeCanonical({ ...m, [key]: Uint8Array.of(...value, 0) }), 'encoding.malformed');
        }
        if (typeof value === 'number') {
          refuses(c.decode, encodeCanonical({ ...m, [key]: -1 }), key === 'v' ? 'encoding.unsupported_version' : 'encoding.malformed');
          refuses(c.decode, encodeCanonical({ ...m, [key]: String(value) }), key === 'v' ? 'encoding.unsupported_version' : 'encoding.malformed');
        }
        if (typeof value === 'string') {
          refuses(c.decode, encodeCanonical({ ...m, [key]: `${value} x` }), 'encoding.malformed');
          refuses(c.decode, encodeCanonical({ ...m, [key]: '' }), 'encoding.malformed');
        }
      }
      refuses(c.decode, new Uint8Array(64 * 1024), 'encoding.too_large');
    });
  }

  it('records with the longest identifiers and URL stay under their size caps', () => {
    let n = 0;
    // The longest id each field's grammar allows (src/cable/limits.ts), numbered so that lists stay distinct.
    const numbered = (first: string, filler: string, length: number): string => `${first}${filler.repeat(length - 5)}${String(n++).padStart(4, '0')}`;
    const longestId = (key: string, value: string): string => {
      if (key === 'url') return 'u'.repeat(2048);
      if (key === 'office') return numbered('O', 'F', CableLimits.officeCodeMaxChars);
      if (['node', 'org', 'scope'].includes(key)) return numbered('N', 'D', CableLimits.nodeNameMaxChars);
      if (['level', 'reason', 'kind'].includes(key)) return value;
      return numbered('u', 'i', CableLimits.userIdMaxChars); // user, device, officer(s), closedBy, certifiedBy
    };
    const longest = (key: string, value: unknown): unknown => {
      if (typeof value === 'string') return longestId(key, value);
      if (Array.isArray(value)) return value.map((v: unknown) => longest(key, v));
      if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, longest(k, v)]));
      }
      return value;
    };
    for (const c of codecs) {
      const sample = fc.sample(c.arb, { numRuns: 1, seed: 11 })[0];
      const big = longest('', sample);
      const enc = c.encode as (r: unknown) => Uint8Array;
      assert.deepEqual(c.decode(enc(big)), big, c.name);
    }
  });

  it('key-grant: refuses repeated officers and a signature count that does not match the issuers', () => {
    const sample = fc.sample(grantArb, { numRuns: 1, seed: 7 })[0]!;
    const m = asMap(encodeKeyGrant(sample));
    const sig = new Uint8Array(64);
    refuses(decodeKeyGrant, encodeCanonical({ ...m, issuer: { kind: 'officer', officers: ['olga', 'olga'] }, sig: [sig, sig] }), 'encoding.malformed');
    refuses(decodeKeyGrant, encodeCanonical({ ...m, issuer: { kind: 'officer', officers: ['olga', 'otto'] }, sig: [sig] }), 'encoding.malformed');
    refuses(decodeKeyGrant, encodeCanonical({ ...m, issuer: { kind: 'officer', officers: ['a', 'b', 'c'] }, sig: [sig, sig, sig] }), 'encoding.malformed');
    refuses(decodeKeyGrant, encodeCanonical({ ...m, issuer: { kind: 'device', device: 'd-1', officers: ['a'] }, sig: [sig] }), 'encoding.malformed');
    refuses(decodeKeyGrant, encodeCanonical({ ...m, issuer: { kind: 'root', device: 'd-1' }, sig: [sig] }), 'encoding.malformed');
  });

  it('device-record: refuses an approval of the wrong shape', () => {
    const sample = fc.sample(deviceArb, { numRuns: 1, seed: 3 })[0]!;
    const m = asMap(encodeDeviceRecord(sample));
    refuses(decodeDeviceRecord, encodeCanonical({ ...m, approval: { kind: 'officer', device: 'd-1' } }), 'encoding.malformed');
    refuses(decodeDeviceRecord, encodeCanonical({ ...m, approval: { kind: 'device', officer: 'o', device: 'd' } }), 'encoding.malformed');
    refuses(decodeDeviceRecord, encodeCanonical({ ...m, approval: { kind: 'officer', officer: 'o', user: 'd' } }), 'encoding.malformed');
    refuses(decodeDeviceRecord, encodeCanonical({ ...m, approval: 'officer' }), 'encoding.malformed');
  });

  it('reads every id with the cable grammar of its kind, and never echoes the refused value', () => {
    // Refused as malformed, naming the field, never the value.
    const refusesId = (decode: (b: Uint8Array) => unknown, b: Uint8Array, bad: string, field: string): void => {
      assert.throws(() => decode(b), (e: unknown) => e instanceof DecodeError && e.code === 'encoding.malformed' && e.message.includes(field) && !e.message.includes(bad));
    };
    const device = asMap(encodeDeviceRecord(fc.sample(deviceArb, { numRuns: 1, seed: 5 })[0]!));
    // Printable ASCII passed the old 1–128-character check; none of these is a user, device or node id.
    refusesId(decodeDeviceRecord, encodeCanonical({ ...device, user: 'ANNA!' }), 'ANNA!', ': user ');
    refusesId(decodeDeviceRecord, encodeCanonical({ ...device, device: 'D-ANNA-1' }), 'D-ANNA-1', ': device ');
    refusesId(decodeDeviceRecord, encodeCanonical({ ...device, node: 'mfa.cy' }), 'mfa.cy', ': node ');
    refusesId(decodeDeviceRecord, encodeCanonical({ ...device, node: `MFA.${'X'.repeat(29)}` }), 'XXXX', ': node ');
    refusesId(decodeDeviceRecord, encodeCanonical({ ...device, approval: { kind: 'officer', officer: 'Olga' } }), 'Olga', '.approval: officer ');
    const root = asMap(encodeOrganisationRoot(fc.sample(rootArb, { numRuns: 1, seed: 5 })[0]!));
    refusesId(decodeOrganisationRoot, encodeCanonical({ ...root, org: 'mfa.cy' }), 'mfa.cy', ': org ');
    const epoch = asMap(encodeOfficeEpoch(fc.sample(epochArb, { numRuns: 1, seed: 5 })[0]!));
    refusesId(decodeOfficeEpoch, encodeCanonical({ ...epoch, office: 'MFA.CY.' }), 'MFA.CY.', ': office ');
    const grant = asMap(encodeKeyGrant(fc.sample(grantArb, { numRuns: 1, seed: 5 })[0]!));
    const sig = new Uint8Array(64);
    refusesId(decodeKeyGrant, encodeCanonical({ ...grant, issuer: { kind: 'officer', officers: ['olga', 'otto@mfa'] }, sig: [sig, sig] }), 'otto@mfa', '.issuer: officers ');
  });

  it('real records round-trip, and a body that would not decode is never signed', async () => {
    const w = await world(nodeProvider);
    assert.deepEqual(decodeOrganisationRoot(encodeOrganisationRoot(w.root)), w.root);
    assert.deepEqual(decodeNodeCertificate(encodeNodeCertificate(w.nodeCert)), w.nodeCert);
    assert.deepEqual(decodeOfficerCertificate(encodeOfficerCertificate(w.olga.cert)), w.olga.cert);
    assert.deepEqual(decodeDeviceRecord(encodeDeviceRecord(w.annaPhone.record)), w.annaPhone.record);
    assert.deepEqual(decodeOfficeEpoch(encodeOfficeEpoch(w.epoch)), w.epoch);
    const { signature, ...body } = w.annaLaptop.record;
    assert.equal(signature.length, 64);
    await assert.rejects(signDeviceRecord(nodeProvider, { ...body, user: 'anna schmidt' as UserId }, seed(1)), RangeError);
    await assert.rejects(signDeviceRecord(nodeProvider, { ...body, user: 'ANNA!' as UserId }, seed(1)), RangeError);
    await assert.rejects(signDeviceRecord(nodeProvider, { ...body, encryptionKey: new Uint8Array(32) }, seed(1)), RangeError);
    await assert.rejects(signDeviceRecord(nodeProvider, { ...body, createdAt: 1.5 }, seed(1)), RangeError);
    // A record built in memory that would not decode is refused by its verifier, not signed-over.
    await assert.rejects(
      verifyDeviceRecord(nodeProvider, { ...w.annaPhone.record, device: 'd anna' as DeviceId }, w.annaLaptop.record.signingKey),
      (e: unknown) => e instanceof VerificationError && e.code === 'verify.record_invalid',
    );
    // Extra properties of the input never reach the record.
    const signed = await signDeviceRecord(nodeProvider, { ...body, extra: 'x' } as typeof body, seed(1));
    assert.equal('extra' in signed, false);
  });
});
