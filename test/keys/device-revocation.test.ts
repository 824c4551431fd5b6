// Device revocation records (src/keys/device-revocation.ts): canonical round trip, strict decoding, signatures that
// break on any change, the chain of the revoker to the pinned root (an officer of the node, or a device of the same
// user, never another user's), and what a revocation does to the device and to the devices it approved.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concatBytes } from '../../src/bytes.ts';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { parseDeviceId } from '../../src/cable/ids.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { decodeCanonical, encodeCanonical, type CborValue } from '../../src/encoding/canonical-cbor.ts';
import { DecodeError, VerificationError } from '../../src/errors.ts';
import { verifyDeviceChain } from '../../src/keys/device-chain.ts';
import {
  checkRevocations, decodeDeviceRevocation, encodeDeviceRevocation, isRevokedAt, signDeviceRevocation, verifyDeviceChainAsOfRevocations, verifyDeviceRevocation, verifyRevocationChain,
  type DeviceRevocation, type DeviceRevocationBody, type RevocationChainInput,
} from '../../src/keys/device-revocation.ts';
import { arbUserId } from '../cable/arbitraries.ts';
import { AT, DAY, NODE, T0, flipped, makeDevice, makeOfficerCert, seed, world, type Device, type World } from './fixtures.ts';

async function refused(run: Promise<unknown>, code: string, what?: string): Promise<void> {
  await assert.rejects(run, (e: unknown) => e instanceof VerificationError && e.code === code, what);
}

function refusesDecode(b: Uint8Array, ...codes: string[]): void {
  assert.throws(() => decodeDeviceRevocation(b), (e: unknown) => e instanceof DecodeError && codes.includes(e.code));
}

function body(target: Device, by: DeviceRevocationBody['by'], revokedAt = AT): DeviceRevocationBody {
  return { user: target.record.user, device: target.record.device, node: target.record.node, revokedAt, by };
}

function chainInput(w: World, revocation: DeviceRevocation, target: Device, extra: Partial<RevocationChainInput> = {}): RevocationChainInput {
  return {
    revocation,
    device: target.record,
    devices: [w.annaLaptop.record, w.annaPhone.record, w.bobDesktop.record],
    officers: [w.olga.cert, w.otto.cert],
    root: w.anchor,
    at: AT,
    ...extra,
  };
}

describe('device revocation: record', () => {
  it('round-trips canonically and verifies under the revoker key only', async () => {
    const w = await world(p);
    const revocation = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'device', device: w.annaPhone.record.device }), w.annaPhone.signingSeed);
    const bytes = encodeDeviceRevocation(revocation);
    assert.deepEqual(decodeDeviceRevocation(bytes), revocation);
    assert.deepEqual(encodeDeviceRevocation(decodeDeviceRevocation(bytes)), bytes);
    await verifyDeviceRevocation(p, revocation, w.annaPhone.record.signingKey);
    await refused(verifyDeviceRevocation(p, revocation, w.annaLaptop.record.signingKey), 'verify.bad_signature', 'another key');
  });

  it('round-trips any well-formed record (fast-check)', () => {
    const device = arbUserId.map((u) => parseDeviceId(u));
    const arb = fc.record({
      user: arbUserId, device, node: fc.constant(NODE), revokedAt: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
      by: fc.oneof(fc.record({ kind: fc.constant('officer' as const), officer: arbUserId }, { noNullPrototype: true }), fc.record({ kind: fc.constant('device' as const), device }, { noNullPrototype: true })),
      signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    }, { noNullPrototype: true });
    fc.assert(fc.property(arb, (r) => {
      const b = encodeDeviceRevocation(r);
      assert.deepEqual(decodeDeviceRevocation(b), r);
      assert.deepEqual(encodeDeviceRevocation(decodeDeviceRevocation(b)), b);
    }), { numRuns: 50 });
  });

  it('any change to the signed fields or the signature breaks it', async () => {
    const w = await world(p);
    const revocation = await signDeviceRevocation(p, body(w.annaPhone, { kind: 'officer', officer: w.olga.user }), w.olga.seed);
    const key = w.olga.cert.signingKey.ed25519;
    await verifyDeviceRevocation(p, revocation, key);
    const changes: Partial<DeviceRevocation>[] = [
      { revokedAt: revocation.revokedAt + 1 },
      { device: 'd-anna-1' as DeviceId },
      { user: 'bob' as UserId },
      { node: 'EEAS' as NodeName },
      { by: { kind: 'officer', officer: w.otto.user } },
      { signature: flipped(revocation.signature) },
    ];
    for (const change of changes) await refused(verifyDeviceRevocation(p, { ...revocation, ...change }, key), 'verify.bad_signature', JSON.stringify(Object.keys(change)));
  });

  it('decodes strictly: canonical form, exact keys, version, shape of `by`, size cap', async () => {
    const w = await world(p);
    const bytes = encodeDeviceRevocation(await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: w.olga.user }), w.olga.seed));
    const m = decodeCanonical(bytes, 4096) as Record<string, CborValue>;
    const entries = Object.entries(m).reverse().flatMap(([k, v]) => [encodeCanonical(k), encodeCanonical(v)]);
    refusesDecode(concatBytes(bytes.subarray(0, 1), ...entries), 'encoding.not_canonical');
    refusesDecode(Uint8Array.of(...bytes, 0), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, extra: 1 }), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, v: 2 }), 'encoding.unsupported_version');
    for (const key of Object.keys(m)) {
      const rest = Object.fromEntries(Object.entries(m).filter(([k]) => k !== key));
      refusesDecode(encodeCanonical(rest), key === 'v' ? 'encoding.unsupported_version' : 'encoding.malformed');
    }
    refusesDecode(encodeCanonical({ ...m, revokedAt: -1 }), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, revokedAt: '1' }), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, user: 'ANNA!' }), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, sig: new Uint8Array(63) }), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, by: { kind: 'officer', device: 'd-1' } }), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, by: { kind: 'officer', officer: 'olga', device: 'd-1' } }), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, by: { kind: 'root' } }), 'encoding.malformed');
    refusesDecode(encodeCanonical({ ...m, by: 'olga' }), 'encoding.malformed');
    refusesDecode(new Uint8Array(2048), 'encoding.too_large');
  });

  it('stays under its size cap with the longest identifiers', () => {
    const longest = (c: string, n: number) => c.repeat(n);
    const r: DeviceRevocation = {
      user: longest('u', 64) as UserId, device: longest('d', 64) as DeviceId, node: longest('N', 32) as NodeName, revokedAt: Number.MAX_SAFE_INTEGER,
      by: { kind: 'officer', officer: longest('o', 64) as UserId }, signature: new Uint8Array(64),
    };
    assert.deepEqual(decodeDeviceRevocation(encodeDeviceRevocation(r)), r);
  });

  it('refuses to sign a body that would not decode', async () => {
    const w = await world(p);
    await assert.rejects(signDeviceRevocation(p, { ...body(w.annaLaptop, { kind: 'device', device: 'd-anna-2' as DeviceId }), revokedAt: -5 }, w.annaPhone.signingSeed), RangeError);
    await assert.rejects(signDeviceRevocation(p, { ...body(w.annaLaptop, { kind: 'device', device: 'd-anna-2' as DeviceId }), user: 'A B' as UserId }, w.annaPhone.signingSeed), RangeError);
  });
});

describe('device revocation: chain to the pinned root', () => {
  it("accepts an officer of the device's node and the user's own other device", async () => {
    const w = await world(p);
    const byOfficer = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: w.olga.user }), w.olga.seed);
    const checked = await verifyRevocationChain(p, chainInput(w, byOfficer, w.annaLaptop));
    assert.equal(checked.revoker.kind, 'officer');
    const byPhone = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'device', device: w.annaPhone.record.device }), w.annaPhone.signingSeed);
    const viaPhone = await verifyRevocationChain(p, chainInput(w, byPhone, w.annaLaptop));
    assert.ok(viaPhone.revoker.kind === 'device' && viaPhone.revoker.device.record.device === w.annaPhone.record.device);
    // Another officer of the same node may revoke too: the scope is the node, not the approver.
    await verifyRevocationChain(p, chainInput(w, await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: w.otto.user }), w.otto.seed), w.annaLaptop));
  });

  it('accepts a device revoking itself', async () => {
    const w = await world(p);
    const self = await signDeviceRevocation(p, body(w.annaPhone, { kind: 'device', device: w.annaPhone.record.device }), w.annaPhone.signingSeed);
    await verifyRevocationChain(p, chainInput(w, self, w.annaPhone, { devices: [w.annaLaptop.record] }));
  });

  it("refuses another user's device as revoker, even when it signed", async () => {
    const w = await world(p);
    const byBob = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'device', device: w.bobDesktop.record.device }), w.bobDesktop.signingSeed);
    await refused(verifyRevocationChain(p, chainInput(w, byBob, w.annaLaptop)), 'verify.untrusted_key');
    const unknown = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'device', device: 'd-anna-9' as DeviceId }), w.annaPhone.signingSeed);
    await refused(verifyRevocationChain(p, chainInput(w, unknown, w.annaLaptop)), 'verify.untrusted_key');
  });

  it('refuses a wrong signer: the named device or officer did not sign', async () => {
    const w = await world(p);
    const forgedDevice = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'device', device: w.annaPhone.record.device }), w.bobDesktop.signingSeed);
    await refused(verifyRevocationChain(p, chainInput(w, forgedDevice, w.annaLaptop)), 'verify.bad_signature');
    const forgedOfficer = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: w.olga.user }), w.otto.seed);
    await refused(verifyRevocationChain(p, chainInput(w, forgedOfficer, w.annaLaptop)), 'verify.bad_signature');
    // A user who is no officer here signing as one.
    const notOfficer = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: 'bob' as UserId }), w.bobDesktop.signingSeed);
    await refused(verifyRevocationChain(p, chainInput(w, notOfficer, w.annaLaptop)), 'verify.untrusted_key');
  });

  it('refuses an officer of another node, an expired officer certificate and a revoker chain that does not reach the root', async () => {
    const w = await world(p);
    const elsewhere = await makeOfficerCert(p, w.rootKey, 'oleg' as UserId, seed(60), { scope: 'EEAS' as NodeName });
    const byOleg = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: 'oleg' as UserId }), seed(60));
    await refused(verifyRevocationChain(p, chainInput(w, byOleg, w.annaLaptop, { officers: [w.olga.cert, elsewhere] })), 'verify.untrusted_key');
    const byOlga = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: w.olga.user }), w.olga.seed);
    await refused(verifyRevocationChain(p, chainInput(w, byOlga, w.annaLaptop, { at: T0 + 400 * DAY })), 'verify.untrusted_key', 'expired');
    // The phone's chain runs through the laptop; without the laptop's record it reaches nothing.
    const byPhone = await signDeviceRevocation(p, body(w.bobDesktop, { kind: 'device', device: w.annaPhone.record.device }), w.annaPhone.signingSeed);
    await refused(verifyRevocationChain(p, chainInput(w, byPhone, w.bobDesktop)), 'verify.untrusted_key', 'of another user');
    const ghost = await makeDevice(p, 'anna', 'd-anna-7', 70, { kind: 'device', device: 'd-anna-8' as DeviceId }, seed(72));
    const byGhost = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'device', device: ghost.record.device }), ghost.signingSeed);
    await refused(verifyRevocationChain(p, chainInput(w, byGhost, w.annaLaptop, { devices: [w.annaLaptop.record, ghost.record] })), 'verify.untrusted_key', 'no chain');
  });

  it('refuses a revocation checked against another device than the one it names', async () => {
    const w = await world(p);
    const revocation = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: w.olga.user }), w.olga.seed);
    await refused(verifyRevocationChain(p, chainInput(w, revocation, w.annaPhone)), 'verify.record_invalid');
  });
});

describe('device revocation: what it revokes', () => {
  it('revokes the device from revokedAt on, inclusive, and only that device', async () => {
    const w = await world(p);
    const revocation = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'device', device: w.annaPhone.record.device }), w.annaPhone.signingSeed);
    assert.equal(isRevokedAt([revocation], w.annaLaptop.record, AT - 1), false);
    assert.equal(isRevokedAt([revocation], w.annaLaptop.record, AT), true);
    assert.equal(isRevokedAt([revocation], w.annaPhone.record, AT + DAY), false);
    assert.equal(isRevokedAt([revocation], { ...w.annaLaptop.record, node: 'EEAS' as NodeName }, AT), false, 'the same id at another node');
    checkRevocations(w.laptop, [revocation], AT - 1);
    assert.throws(() => checkRevocations(w.laptop, [revocation], AT), (e: unknown) => e instanceof VerificationError && e.code === 'verify.untrusted_key');
  });

  it('keeps the devices a revoked device approved before its revocation, refuses those approved at or after it', async () => {
    const w = await world(p);
    // The phone was approved by the laptop at T0 + 32.
    const laptopRevoked = await signDeviceRevocation(p, body(w.annaLaptop, { kind: 'officer', officer: w.olga.user }), w.olga.seed);
    checkRevocations(w.phone, [laptopRevoked], AT + DAY);
    const early = { ...laptopRevoked, revokedAt: w.annaPhone.record.createdAt };
    assert.throws(() => checkRevocations(w.phone, [early], AT), (e: unknown) => e instanceof VerificationError && e.code === 'verify.untrusted_key');
    // The chain itself still verifies with the revoked laptop among the candidates: only the edge rule refuses.
    const chain = await verifyDeviceChain(p, { device: w.annaPhone.record, devices: [w.annaLaptop.record, w.annaPhone.record], officers: [w.olga.cert], root: w.anchor, at: AT });
    assert.equal(chain.path[0]?.device, w.annaLaptop.record.device);
    const input = { device: w.annaPhone.record, devices: [w.annaLaptop.record, w.annaPhone.record], officers: [w.olga.cert], root: w.anchor, at: AT };
    await verifyDeviceChainAsOfRevocations(p, { ...input, revocations: [laptopRevoked] });
    await refused(verifyDeviceChainAsOfRevocations(p, { ...input, revocations: [early] }), 'verify.untrusted_key', 'approved at the revocation');
    const phoneRevoked = await signDeviceRevocation(p, body(w.annaPhone, { kind: 'device', device: w.annaPhone.record.device }, AT), w.annaPhone.signingSeed);
    await refused(verifyDeviceChainAsOfRevocations(p, { ...input, revocations: [phoneRevoked] }), 'verify.untrusted_key', 'itself revoked');
    await verifyDeviceChainAsOfRevocations(p, { ...input, at: AT - 1, revocations: [phoneRevoked] });
  });
});
