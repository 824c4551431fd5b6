// Walking records to a pinned root: node certificates, office epochs (and closures) through an officer certificate,
// devices through officers and the same user's devices — and every way such a chain must be refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { VerificationError } from '../../src/errors.ts';
import { verifyDeviceChain, type DeviceChainInput } from '../../src/keys/device-chain.ts';
import { verifyClosureChain, verifyEpochChain } from '../../src/keys/epoch-chain.ts';
import { closes, signEpochClosure } from '../../src/keys/epoch-closure.ts';
import { signNodeCertificate, verifyNodeCertificate } from '../../src/keys/node-certificate.ts';
import { keyHash } from '../../src/keys/office-epoch.ts';
import { pinRoot, rootFingerprint, type OrgId } from '../../src/keys/organisation-root.ts';
import { AT, DAY, NODE, OFFICE, ORG, T0, YEAR, flipped, makeDevice, makeEpoch, makeOfficerCert, makeRoot, seed, world, type Device, type World } from './fixtures.ts';

async function refused(run: Promise<unknown>, code: string, what?: string): Promise<void> {
  await assert.rejects(run, (e: unknown) => e instanceof VerificationError && e.code === code, what);
}

function chainInput(w: World, device: Device, extra: Partial<DeviceChainInput> = {}): DeviceChainInput {
  return {
    device: device.record,
    devices: [w.annaLaptop.record, w.annaPhone.record, w.bobDesktop.record],
    officers: [w.olga.cert, w.otto.cert],
    root: w.anchor,
    at: AT,
    ...extra,
  };
}

describe('organisation root', () => {
  it('pins only the fingerprinted, self-signed root', async () => {
    const w = await world(p);
    assert.equal(w.anchor.fingerprint.length, 32);
    await refused(pinRoot(p, w.root, flipped(rootFingerprint(p, w.root))), 'verify.untrusted_key');
    const forged = { ...w.root, signature: { ...w.root.signature, ed25519: flipped(w.root.signature.ed25519) } };
    await refused(pinRoot(p, forged, rootFingerprint(p, forged)), 'verify.bad_signature');
    // The fingerprint covers the public record, not the signature.
    assert.deepEqual(rootFingerprint(p, forged), rootFingerprint(p, w.root));
  });
});

describe('node certificates', () => {
  it('verifies within its window, and refuses expired, premature, foreign and empty-window certificates', async () => {
    const w = await world(p);
    const node = await verifyNodeCertificate(p, w.nodeCert, w.anchor, AT);
    assert.equal(node.releaseKey.length, 1216);
    await verifyNodeCertificate(p, w.nodeCert, w.anchor, T0);
    await verifyNodeCertificate(p, w.nodeCert, w.anchor, T0 + YEAR);
    await refused(verifyNodeCertificate(p, w.nodeCert, w.anchor, T0 + YEAR + 1), 'verify.untrusted_key', 'expired');
    await refused(verifyNodeCertificate(p, w.nodeCert, w.anchor, T0 - 1), 'verify.untrusted_key', 'not yet valid');
    const other = await makeRoot(p, ORG, 50);
    await refused(verifyNodeCertificate(p, w.nodeCert, other.anchor, AT), 'verify.bad_signature', 'another root of the same name');
    const eeas = await makeRoot(p, 'EEAS' as OrgId, 52);
    await refused(verifyNodeCertificate(p, w.nodeCert, eeas.anchor, AT), 'verify.untrusted_key', 'another organisation');
    const { signature, ...body } = w.nodeCert;
    assert.ok(signature);
    const empty = await signNodeCertificate(p, { ...body, validFrom: AT + 1, validUntil: AT }, w.rootKey.secret);
    await refused(verifyNodeCertificate(p, empty, w.anchor, AT), 'verify.record_invalid', 'empty window');
  });
});

describe('office epoch chains', () => {
  it('verifies an epoch certified by an officer of its node and returns its key hash', async () => {
    const w = await world(p);
    const v = await verifyEpochChain(p, { epoch: w.epoch, officerCert: w.olga.cert, root: w.anchor, at: AT });
    assert.deepEqual(v.keyHash, keyHash(p, w.epoch.publicKey));
    assert.deepEqual(v.keyHash, p.sha256(w.epochKey.publicKey));
    assert.equal(v.officer.user, w.olga.user);
  });

  it('refuses an officer certificate that is expired, from another root or for another organisation', async () => {
    const w = await world(p);
    const input = { epoch: w.epoch, root: w.anchor, at: AT };
    const expired = await makeOfficerCert(p, w.rootKey, w.olga.user, w.olga.seed, { validUntil: AT - 1 });
    await refused(verifyEpochChain(p, { ...input, officerCert: expired }), 'verify.untrusted_key', 'expired');
    const premature = await makeOfficerCert(p, w.rootKey, w.olga.user, w.olga.seed, { validFrom: AT + 1 });
    await refused(verifyEpochChain(p, { ...input, officerCert: premature }), 'verify.untrusted_key', 'not yet valid');
    const otherRoot = await makeRoot(p, ORG, 54);
    const foreign = await makeOfficerCert(p, otherRoot.key, w.olga.user, w.olga.seed);
    await refused(verifyEpochChain(p, { ...input, officerCert: foreign }), 'verify.bad_signature', 'signed by another root');
    const otherOrg = await makeOfficerCert(p, w.rootKey, w.olga.user, w.olga.seed, { org: 'EEAS' as OrgId });
    await refused(verifyEpochChain(p, { ...input, officerCert: otherOrg }), 'verify.untrusted_key', 'for another organisation');
    await refused(verifyEpochChain(p, { ...input, officerCert: w.olga.cert, at: T0 + 2 * YEAR }), 'verify.untrusted_key', 'verified too late');
  });

  it('refuses an epoch certified by someone else, for another node, or with a bad signature', async () => {
    const w = await world(p);
    const input = { root: w.anchor, at: AT };
    await refused(verifyEpochChain(p, { ...input, epoch: w.epoch, officerCert: w.otto.cert }), 'verify.untrusted_key', 'named officer differs');
    const elsewhere = await makeEpoch(p, w.olga, w.epochKey.publicKey, { node: 'EEAS' as NodeName });
    await refused(verifyEpochChain(p, { ...input, epoch: elsewhere, officerCert: w.olga.cert }), 'verify.untrusted_key', 'another node');
    const claimed = await makeEpoch(p, w.otto, w.epochKey.publicKey, { certifiedBy: w.olga.user });
    await refused(verifyEpochChain(p, { ...input, epoch: claimed, officerCert: w.olga.cert }), 'verify.bad_signature', 'signed by another key');
    const scoped = await makeOfficerCert(p, w.rootKey, w.olga.user, w.olga.seed, { scope: 'EEAS' as NodeName });
    await refused(verifyEpochChain(p, { ...input, epoch: w.epoch, officerCert: scoped }), 'verify.untrusted_key', 'officer of another node');
  });

  it('verifies a closure the same way and matches it to its epoch', async () => {
    const w = await world(p);
    const body = { office: OFFICE, node: NODE, level: 'CONFIDENTIAL' as const, epoch: 0, closedAt: AT, reason: 'rotation' as const, closedBy: w.olga.user };
    const closure = await signEpochClosure(p, body, w.olga.seed);
    const v = await verifyClosureChain(p, { closure, officerCert: w.olga.cert, root: w.anchor, at: AT });
    assert.equal(closes(v, w.epoch), true);
    assert.equal(closes({ ...body, epoch: 1 }, w.epoch), false);
    assert.equal(closes({ ...body, level: 'SECRET' }, w.epoch), false);
    await refused(verifyClosureChain(p, { closure, officerCert: w.otto.cert, root: w.anchor, at: AT }), 'verify.untrusted_key');
    const forged = await signEpochClosure(p, body, w.otto.seed);
    await refused(verifyClosureChain(p, { closure: forged, officerCert: w.olga.cert, root: w.anchor, at: AT }), 'verify.bad_signature');
  });
});

describe('device chains', () => {
  it('verifies a device approved by an officer, and one approved by the same user’s device', async () => {
    const w = await world(p);
    assert.equal(w.laptop.path.length, 0);
    assert.equal(w.laptop.officer.user, w.olga.user);
    assert.deepEqual(w.phone.path.map((d) => d.device), [w.annaLaptop.record.device]);
    assert.equal(w.phone.officer.user, w.olga.user);
  });

  it('refuses a device approved by another user’s device', async () => {
    const w = await world(p);
    const ghost = await makeDevice(p, 'anna', 'd-anna-ghost', 60, { kind: 'device', device: w.bobDesktop.record.device }, w.bobDesktop.signingSeed);
    await refused(verifyDeviceChain(p, chainInput(w, ghost)), 'verify.untrusted_key');
    const unknown = await makeDevice(p, 'anna', 'd-anna-3', 62, { kind: 'device', device: 'd-nowhere' as DeviceId }, w.annaLaptop.signingSeed);
    await refused(verifyDeviceChain(p, chainInput(w, unknown)), 'verify.untrusted_key');
    const otherNode = await makeDevice(p, 'anna', 'd-anna-4', 64, { kind: 'device', device: w.annaLaptop.record.device }, w.annaLaptop.signingSeed, 'EEAS' as NodeName);
    await refused(verifyDeviceChain(p, chainInput(w, otherNode)), 'verify.untrusted_key');
    const wrongKey = await makeDevice(p, 'anna', 'd-anna-5', 66, { kind: 'device', device: w.annaLaptop.record.device }, w.bobDesktop.signingSeed);
    await refused(verifyDeviceChain(p, chainInput(w, wrongKey)), 'verify.bad_signature');
    const twin = { ...w.annaLaptop.record, signingKey: w.bobDesktop.record.signingKey };
    await refused(verifyDeviceChain(p, chainInput(w, w.annaPhone, { devices: [w.annaLaptop.record, twin] })), 'verify.record_invalid', 'ambiguous approver');
  });

  it('refuses officers who are not officers of the device’s node, expired, or not the signer', async () => {
    const w = await world(p);
    const byOtto = await makeDevice(p, 'carla', 'd-carla-1', 70, { kind: 'officer', officer: w.otto.user }, w.olga.seed);
    await refused(verifyDeviceChain(p, chainInput(w, byOtto)), 'verify.bad_signature');
    const byNobody = await makeDevice(p, 'carla', 'd-carla-2', 72, { kind: 'officer', officer: 'nobody' as UserId }, w.olga.seed);
    await refused(verifyDeviceChain(p, chainInput(w, byNobody)), 'verify.untrusted_key');
    const abroad = await makeDevice(p, 'carla', 'd-carla-3', 74, { kind: 'officer', officer: w.olga.user }, w.olga.seed, 'EEAS' as NodeName);
    await refused(verifyDeviceChain(p, chainInput(w, abroad)), 'verify.untrusted_key');
    await refused(verifyDeviceChain(p, chainInput(w, w.annaPhone, { at: T0 + 2 * YEAR })), 'verify.untrusted_key', 'officer expired');
    // A renewed certificate stands in for the expired one.
    const renewed = await makeOfficerCert(p, w.rootKey, w.olga.user, w.olga.seed, { validFrom: T0 + YEAR - DAY, validUntil: T0 + 3 * YEAR });
    const v = await verifyDeviceChain(p, chainInput(w, w.annaPhone, { at: T0 + 2 * YEAR, officers: [w.olga.cert, renewed] }));
    assert.equal(v.officer.validUntil, T0 + 3 * YEAR);
  });

  it('refuses loops and chains deeper than allowed', async () => {
    const w = await world(p);
    // a ← b ← a: each approved by the other, both signatures genuine.
    const a = await makeDevice(p, 'dora', 'd-dora-a', 80, { kind: 'device', device: 'd-dora-b' as DeviceId }, seed(82));
    const b = await makeDevice(p, 'dora', 'd-dora-b', 82, { kind: 'device', device: 'd-dora-a' as DeviceId }, seed(80));
    await refused(verifyDeviceChain(p, chainInput(w, a, { devices: [a.record, b.record] })), 'verify.untrusted_key', 'loop');
    const self = await makeDevice(p, 'dora', 'd-dora-c', 84, { kind: 'device', device: 'd-dora-c' as DeviceId }, seed(84));
    await refused(verifyDeviceChain(p, chainInput(w, self, { devices: [self.record] })), 'verify.untrusted_key', 'self-approved');

    // A line of four devices: officer → d0 → d1 → d2 → d3.
    const line: Device[] = [await makeDevice(p, 'emil', 'd-emil-0', 90, { kind: 'officer', officer: w.olga.user }, w.olga.seed)];
    for (let i = 1; i < 4; i++) {
      const prev = line[i - 1]!;
      line.push(await makeDevice(p, 'emil', `d-emil-${i}`, 90 + 2 * i, { kind: 'device', device: prev.record.device }, prev.signingSeed));
    }
    const devices = line.map((d) => d.record);
    const last = line[3]!;
    assert.equal((await verifyDeviceChain(p, chainInput(w, last, { devices, maxDepth: 3 }))).path.length, 3);
    await refused(verifyDeviceChain(p, chainInput(w, last, { devices, maxDepth: 2 })), 'verify.untrusted_key', 'too deep');
    await assert.rejects(verifyDeviceChain(p, chainInput(w, last, { devices, maxDepth: 33 })), RangeError);
  });
});
