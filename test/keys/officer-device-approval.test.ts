// An officer approving from one of their own devices (a browser: docs/decisions/019-browser-device-passkey-prf.md):
// valid only while the officer is certified for the node and that device's own chain stands — and refused when the
// device is not passed as a candidate (revoked, pending, unlogged), is not the officer's, loops or is too deep.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { decodeCanonical } from '../../src/encoding/canonical-cbor.ts';
import { VerificationError } from '../../src/errors.ts';
import { verifyDeviceChain, type DeviceChainInput } from '../../src/keys/device-chain.ts';
import { decodeDeviceRecord, encodeDeviceRecord } from '../../src/keys/device-record.ts';
import { verifyRevocationChain, signDeviceRevocation } from '../../src/keys/device-revocation.ts';
import { AT, NODE, T0, YEAR, makeDevice, seed, world, type Device, type World } from './fixtures.ts';

async function refused(run: Promise<unknown>, code: string, what: string): Promise<void> {
  await assert.rejects(run, (e: unknown) => e instanceof VerificationError && e.code === code, what);
}

interface Scene {
  readonly w: World;
  /** Olga's browser, approved by the key her certificate names. */
  readonly olgaWeb: Device;
  /** Olga's phone, approved by her browser (a device of the same user). */
  readonly olgaPhone: Device;
  /** Carla's laptop, approved by Olga from her browser. */
  readonly carla: Device;
  /** Carla's tablet, approved by Olga from her phone. */
  readonly carlaTablet: Device;
}

async function scene(): Promise<Scene> {
  const w = await world(p);
  const olgaWeb = await makeDevice(p, 'olga', 'd-olga-web', 100, { kind: 'officer', officer: w.olga.user }, w.olga.seed);
  const olgaPhone = await makeDevice(p, 'olga', 'd-olga-phone', 102, { kind: 'device', device: olgaWeb.record.device }, olgaWeb.signingSeed);
  const carla = await makeDevice(p, 'carla', 'd-carla-1', 104, { kind: 'officer', officer: w.olga.user, device: olgaWeb.record.device }, olgaWeb.signingSeed);
  const carlaTablet = await makeDevice(p, 'carla', 'd-carla-2', 106, { kind: 'officer', officer: w.olga.user, device: olgaPhone.record.device }, olgaPhone.signingSeed);
  return { w, olgaWeb, olgaPhone, carla, carlaTablet };
}

function input(s: Scene, device: Device, extra: Partial<DeviceChainInput> = {}): DeviceChainInput {
  return {
    device: device.record,
    devices: [s.carla.record, s.carlaTablet.record],
    officerDevices: [s.olgaWeb.record, s.olgaPhone.record],
    officers: [s.w.olga.cert, s.w.otto.cert],
    root: s.w.anchor,
    at: AT,
    ...extra,
  };
}

describe('approvals by an officer’s own device', () => {
  it('verifies a device approved from the officer’s browser, and from a device the browser approved', async () => {
    const s = await scene();
    const v = await verifyDeviceChain(p, input(s, s.carla));
    assert.deepEqual(v.path.map((d) => `${d.user}/${d.device}`), ['olga/d-olga-web']);
    assert.equal(v.officer.user, s.w.olga.user);
    assert.deepEqual(v.officersOnPath.map((o) => o.user), [s.w.olga.user]);
    const t = await verifyDeviceChain(p, input(s, s.carlaTablet));
    assert.deepEqual(t.path.map((d) => d.device), ['d-olga-phone', 'd-olga-web']);
    // An officer's device approved by another officer: the chain ends at that officer.
    const olgaByOtto = await makeDevice(p, 'olga', 'd-olga-spare', 108, { kind: 'officer', officer: s.w.otto.user }, s.w.otto.seed);
    const dan = await makeDevice(p, 'dan', 'd-dan-1', 110, { kind: 'officer', officer: s.w.olga.user, device: olgaByOtto.record.device }, olgaByOtto.signingSeed);
    const d = await verifyDeviceChain(p, input(s, dan, { officerDevices: [olgaByOtto.record] }));
    assert.equal(d.officer.user, s.w.otto.user);
    assert.deepEqual(d.officersOnPath.map((o) => o.user), [s.w.olga.user]);
  });

  it('refuses when the approving device is not a candidate (revoked, pending or unlogged), or is not the officer’s', async () => {
    const s = await scene();
    await refused(verifyDeviceChain(p, input(s, s.carla, { officerDevices: [s.olgaPhone.record] })), 'verify.untrusted_key', 'approving device not passed');
    await refused(verifyDeviceChain(p, input(s, s.carlaTablet, { officerDevices: [s.olgaPhone.record] })), 'verify.untrusted_key', 'its approver not passed');
    const { device, devices, officers, root, at } = input(s, s.carla);
    await refused(verifyDeviceChain(p, { device, devices, officers, root, at }), 'verify.untrusted_key', 'no officer devices at all');
    // Bob's desktop signs as if it were Olga's: it is Bob's, not hers.
    const posing = await makeDevice(p, 'carla', 'd-carla-3', 112, { kind: 'officer', officer: s.w.olga.user, device: s.w.bobDesktop.record.device }, s.w.bobDesktop.signingSeed);
    await refused(verifyDeviceChain(p, input(s, posing, { officerDevices: [s.w.bobDesktop.record] })), 'verify.untrusted_key', 'not the officer’s device');
    // Bob holds no officer certificate: his valid device approves nobody else's as an officer.
    const byBob = await makeDevice(p, 'carla', 'd-carla-4', 114, { kind: 'officer', officer: s.w.bobDesktop.record.user, device: s.w.bobDesktop.record.device }, s.w.bobDesktop.signingSeed);
    await refused(verifyDeviceChain(p, input(s, byBob, { officerDevices: [s.w.bobDesktop.record] })), 'verify.untrusted_key', 'a non-officer’s device');
  });

  it('refuses a wrong signature, a lapsed officer, a loop and a chain too deep', async () => {
    const s = await scene();
    const signedByCertKey = await makeDevice(p, 'carla', 'd-carla-5', 116, { kind: 'officer', officer: s.w.olga.user, device: s.olgaWeb.record.device }, s.w.olga.seed);
    await refused(verifyDeviceChain(p, input(s, signedByCertKey)), 'verify.bad_signature', 'names the browser, signed by another key');
    await refused(verifyDeviceChain(p, input(s, s.carla, { at: T0 + 2 * YEAR })), 'verify.untrusted_key', 'officer certificate expired');
    await refused(verifyDeviceChain(p, input(s, s.carla, { officers: [s.w.otto.cert] })), 'verify.untrusted_key', 'no certificate of the officer');
    // Two of Olga's devices, each approved as officer by the other.
    const a = await makeDevice(p, 'olga', 'd-olga-a', 120, { kind: 'officer', officer: s.w.olga.user, device: 'd-olga-b' as DeviceId }, seed(122));
    const b = await makeDevice(p, 'olga', 'd-olga-b', 122, { kind: 'officer', officer: s.w.olga.user, device: 'd-olga-a' as DeviceId }, seed(120));
    const looped = await makeDevice(p, 'carla', 'd-carla-6', 124, { kind: 'officer', officer: s.w.olga.user, device: a.record.device }, a.signingSeed);
    await refused(verifyDeviceChain(p, input(s, looped, { officerDevices: [a.record, b.record] })), 'verify.untrusted_key', 'loop');
    // carlaTablet ← olgaPhone ← olgaWeb ← certificate: two device hops.
    assert.equal((await verifyDeviceChain(p, input(s, s.carlaTablet, { maxDepth: 2 }))).path.length, 2);
    await refused(verifyDeviceChain(p, input(s, s.carlaTablet, { maxDepth: 1 })), 'verify.untrusted_key', 'too deep');
  });

  it('keeps the bytes of records without `device`, and round-trips those with it', async () => {
    const s = await scene();
    const old = encodeDeviceRecord(s.w.annaLaptop.record);
    const approval = (decodeCanonical(old, 1 << 16) as { approval: Record<string, unknown> }).approval;
    assert.deepEqual(Object.keys(approval).sort(), ['kind', 'officer']);
    assert.deepEqual(encodeDeviceRecord(decodeDeviceRecord(old)), old);
    const withDevice = encodeDeviceRecord(s.carla.record);
    assert.deepEqual(decodeDeviceRecord(withDevice).approval, { kind: 'officer', officer: 'olga', device: 'd-olga-web' });
    assert.deepEqual(encodeDeviceRecord(decodeDeviceRecord(withDevice)), withDevice);
    const names = (bytes: Uint8Array): string[] => Object.keys((decodeCanonical(bytes, 1 << 16) as { approval: Record<string, unknown> }).approval).sort();
    assert.deepEqual(names(withDevice), ['device', 'kind', 'officer']);
  });

  it('lets a device that an officer’s browser approved revoke another of its user’s devices', async () => {
    const s = await scene();
    const revocation = await signDeviceRevocation(p, { user: 'carla' as UserId, device: s.carlaTablet.record.device, node: NODE, revokedAt: AT, by: { kind: 'device', device: s.carla.record.device } }, s.carla.signingSeed);
    const base = { revocation, device: s.carlaTablet.record, devices: [s.carla.record, s.carlaTablet.record], officers: [s.w.olga.cert], root: s.w.anchor, at: AT };
    const v = await verifyRevocationChain(p, { ...base, officerDevices: [s.olgaWeb.record] });
    assert.equal(v.revoker.kind, 'device');
    await refused(verifyRevocationChain(p, base), 'verify.untrusted_key', 'without the officer’s browser');
  });
});
