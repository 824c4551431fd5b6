// Sealing and opening end to end, and the attacks the envelope design closes (DESIGN.md "The envelope").
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Classification, NodeName, OfficeCode } from '../../src/cable/types.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { sealCable, addSignature } from '../../src/envelope/seal.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { openCable, openReleaseShares } from '../../src/envelope/open.ts';
import { decodeEnvelope, encodeEnvelope } from '../../src/envelope/codec.ts';
import type { Envelope } from '../../src/envelope/types.ts';
import { buildNetwork, officeOf, sampleCable, sealInputsFor, type TestNetwork } from '../support/network.ts';

const OFFICES = ['EEAS.DEL.WASHINGTON', 'EEAS.HQ.AMERICAS', 'MFA.CY.AMERICAS', 'MFA.FR.DAOI'];
const NODE: Record<string, string> = {
  'EEAS.DEL.WASHINGTON': 'EEAS',
  'EEAS.HQ.AMERICAS': 'EEAS',
  'MFA.CY.AMERICAS': 'MFA.CY',
  'MFA.FR.DAOI': 'MFA.FR',
};
let net: TestNetwork;

before(async () => {
  net = await buildNetwork(p, OFFICES, (code) => NODE[code]!);
});

async function seal(level: Classification, body?: string) {
  const cable = sampleCable('EEAS.DEL.WASHINGTON', ['EEAS.HQ.AMERICAS', 'MFA.CY.AMERICAS'], ['MFA.FR.DAOI'], level, body);
  const { recipients, releaseServices } = sealInputsFor(net, cable);
  const sealed = await sealCable(p, { cable, recipients, releaseServices, signers: net.signers });
  return { cable, sealed };
}

async function openAs(envelope: Envelope, office: string, level: Classification) {
  const verified = await verifyEnvelope(p, envelope, net.resolveSigner);
  let releaseShare: Uint8Array | undefined;
  if (envelope.header.release.length > 0) {
    const node = NODE[office]! as NodeName;
    const shares = await openReleaseShares(p, verified, node, net.releaseKeys.get(node)!.secretKey);
    releaseShare = shares.get(office as OfficeCode);
  }
  const secretKey = officeOf(net, office).keys.get(level)!.secretKey;
  return openCable(p, verified, { office: office as OfficeCode, epoch: 1, secretKey, ...(releaseShare ? { releaseShare } : {}) });
}

describe('seal and open', () => {
  for (const level of ['UNCLASSIFIED', 'LIMITED', 'SECRET'] as const) {
    it(`every addressed office, the originator included, opens a ${level} cable to the exact text`, async () => {
      const { cable, sealed } = await seal(level);
      const parsed = decodeEnvelope(sealed.bytes);
      assert.deepEqual(encodeEnvelope(parsed), sealed.bytes);
      for (const office of OFFICES) assert.deepEqual(await openAs(parsed, office, level), cable);
    });
  }

  it('pads to a bucket: bodies of 100 and 700 bytes give ciphertexts of the same size', async () => {
    const a = await seal('LIMITED', 'x'.repeat(100));
    const b = await seal('LIMITED', 'y'.repeat(700));
    assert.equal(a.sealed.envelope.content.length, b.sealed.envelope.content.length);
  });

  it('a LIMITED cable does not open without the release share, nor with a wrong one', async () => {
    const { sealed } = await seal('LIMITED');
    const verified = await verifyEnvelope(p, sealed.envelope, net.resolveSigner);
    const secretKey = officeOf(net, 'MFA.CY.AMERICAS').keys.get('LIMITED')!.secretKey;
    const office = 'MFA.CY.AMERICAS' as OfficeCode;
    await assert.rejects(() => openCable(p, verified, { office, epoch: 1, secretKey }), { code: 'open.share_required' });
    await assert.rejects(() => openCable(p, verified, { office, epoch: 1, secretKey, releaseShare: new Uint8Array(32) }), {
      code: 'open.failed',
    });
    // Another office's share does not fit either: shares are fresh per office.
    const shares = await openReleaseShares(p, verified, 'EEAS' as NodeName, net.releaseKeys.get('EEAS' as NodeName)!.secretKey);
    const wrongShare = shares.get('EEAS.HQ.AMERICAS' as OfficeCode)!;
    await assert.rejects(() => openCable(p, verified, { office, epoch: 1, secretKey, releaseShare: wrongShare }), { code: 'open.failed' });
  });

  it('a release service holds the shares of its own offices only, and its key alone opens nothing', async () => {
    const { sealed } = await seal('LIMITED');
    const verified = await verifyEnvelope(p, sealed.envelope, net.resolveSigner);
    const eeas = await openReleaseShares(p, verified, 'EEAS' as NodeName, net.releaseKeys.get('EEAS' as NodeName)!.secretKey);
    assert.deepEqual([...eeas.keys()].sort(), ['EEAS.DEL.WASHINGTON', 'EEAS.HQ.AMERICAS']);
    await assert.rejects(
      () => openReleaseShares(p, verified, 'EEAS' as NodeName, net.releaseKeys.get('MFA.CY' as NodeName)!.secretKey),
      { code: 'open.failed' },
    );
  });

  it('an office key of another office, level or epoch does not open', async () => {
    const { sealed } = await seal('UNCLASSIFIED');
    const verified = await verifyEnvelope(p, sealed.envelope, net.resolveSigner);
    const office = 'MFA.CY.AMERICAS' as OfficeCode;
    const otherOffice = officeOf(net, 'MFA.FR.DAOI').keys.get('UNCLASSIFIED')!.secretKey;
    const otherLevel = officeOf(net, 'MFA.CY.AMERICAS').keys.get('LIMITED')!.secretKey;
    const right = officeOf(net, 'MFA.CY.AMERICAS').keys.get('UNCLASSIFIED')!.secretKey;
    await assert.rejects(() => openCable(p, verified, { office, epoch: 1, secretKey: otherOffice }), { code: 'open.failed' });
    await assert.rejects(() => openCable(p, verified, { office, epoch: 1, secretKey: otherLevel }), { code: 'open.failed' });
    await assert.rejects(() => openCable(p, verified, { office, epoch: 2, secretKey: right }), { code: 'open.failed' });
    await assert.rejects(() => openCable(p, verified, { office: 'MFA.DE.X' as OfficeCode, epoch: 1, secretKey: right }), {
      code: 'open.not_addressed',
    });
  });
});

describe('attacks the envelope closes', () => {
  it('a wrap moved to another office fails to open', async () => {
    const { sealed } = await seal('UNCLASSIFIED');
    const e = sealed.envelope;
    // Give MFA.CY's slot the wrap that was made for MFA.FR: MFA.FR's reader cannot use it in MFA.CY's place,
    // and MFA.CY's key cannot open what was sealed to MFA.FR.
    const cy = e.wraps.findIndex((w) => w.office === 'MFA.CY.AMERICAS');
    const fr = e.wraps.findIndex((w) => w.office === 'MFA.FR.DAOI');
    const wraps = e.wraps.map((w, i) => (i === cy ? { ...e.wraps[fr]!, office: w.office } : w));
    await assert.rejects(() => openAs({ ...e, wraps }, 'MFA.CY.AMERICAS', 'UNCLASSIFIED'), { code: 'open.failed' });
  });

  it('a wrap moved to another cable fails to open', async () => {
    const a = await seal('UNCLASSIFIED', 'first cable');
    const b = await seal('UNCLASSIFIED', 'second cable, same id, other text');
    const wraps = b.sealed.envelope.wraps.map((w, i) => (i === 2 ? a.sealed.envelope.wraps[2]! : w));
    await assert.rejects(() => openAs({ ...b.sealed.envelope, wraps }, 'MFA.CY.AMERICAS', 'UNCLASSIFIED'), { code: 'open.failed' });
  });

  it('a changed routing header breaks verification and opening', async () => {
    const { sealed } = await seal('LIMITED');
    const e = sealed.envelope;
    const routing = e.header.routing.slice();
    const at = new TextDecoder().decode(routing).indexOf('IMMEDIATE');
    assert.ok(at > 0);
    routing.set(new TextEncoder().encode('IMMEDIATf'), at); // still decodes as text, no longer a precedence
    await assert.rejects(() => verifyEnvelope(p, { ...e, header: { ...e.header, routing } }, net.resolveSigner));
  });

  it('a flipped ciphertext bit is refused before decryption (digest) and a forged digest fails the signatures', async () => {
    const { sealed } = await seal('UNCLASSIFIED');
    const e = sealed.envelope;
    const content = e.content.slice();
    content[10]! ^= 1;
    await assert.rejects(() => verifyEnvelope(p, { ...e, content }, net.resolveSigner), { code: 'verify.manifest_mismatch' });
  });

  it('a missing, swapped or unknown signer is refused', async () => {
    const { sealed } = await seal('UNCLASSIFIED');
    const e = sealed.envelope;
    await assert.rejects(() => verifyEnvelope(p, { ...e, signatures: e.signatures.slice(0, 1) }, net.resolveSigner), {
      code: 'verify.missing_signature',
    });
    const swapped = e.signatures.map((s) => ({ ...s, signature: e.signatures.find((o) => o.role !== s.role)!.signature }));
    await assert.rejects(() => verifyEnvelope(p, { ...e, signatures: swapped }, net.resolveSigner), { code: 'verify.bad_signature' });
    await assert.rejects(() => verifyEnvelope(p, e, () => new Uint8Array(32)), { code: 'verify.bad_signature' });
  });

  it('the drafter can countersign after the releaser sealed', async () => {
    const cable = sampleCable('EEAS.DEL.WASHINGTON', ['MFA.CY.AMERICAS'], [], 'LIMITED');
    const { recipients, releaseServices } = sealInputsFor(net, cable);
    const releaser = net.signers.find((s) => s.role === 'releaser')!;
    const drafter = net.signers.find((s) => s.role === 'drafter')!;
    const sealed = await sealCable(p, { cable, recipients, releaseServices, signers: [releaser] });
    await assert.rejects(() => verifyEnvelope(p, sealed.envelope, net.resolveSigner), { code: 'verify.missing_signature' });
    const signatures = await addSignature(p, sealed.envelope.headerBytes, sealed.envelope.signatures, drafter);
    const complete = decodeEnvelope(encodeEnvelope({ ...sealed.envelope, signatures }));
    assert.deepEqual(await openAs(complete, 'MFA.CY.AMERICAS', 'LIMITED'), cable);
  });
});

describe('sealing refuses', () => {
  it('a closed epoch, a missing or extra office, a wrong level, and an office policy denies', async () => {
    const cable = sampleCable('EEAS.DEL.WASHINGTON', ['MFA.CY.AMERICAS'], [], 'CONFIDENTIAL');
    const { recipients, releaseServices } = sealInputsFor(net, cable);
    const signers = net.signers;
    const closed = recipients.map((r, i) => (i === 1 ? { ...r, open: false } : r));
    await assert.rejects(() => sealCable(p, { cable, recipients: closed, releaseServices, signers }), { code: 'seal.epoch_closed' });
    await assert.rejects(() => sealCable(p, { cable, recipients: recipients.slice(1), releaseServices, signers }), {
      code: 'seal.invalid_input',
    });
    const wrongLevel = recipients.map((r) => ({ ...r, level: 'SECRET' as const }));
    await assert.rejects(() => sealCable(p, { cable, recipients: wrongLevel, releaseServices, signers }), { code: 'seal.invalid_input' });
    const lowCeiling = recipients.map((r, i) => (i === 1 ? { ...r, office: { ...r.office, ceiling: 'RESTRICTED' as const } } : r));
    await assert.rejects(() => sealCable(p, { cable, recipients: lowCeiling, releaseServices, signers }), { code: 'seal.policy_denied' });
    await assert.rejects(() => sealCable(p, { cable, recipients, releaseServices: [], signers }), { code: 'seal.invalid_input' });
  });

  it('an invalid cable, with every problem listed', async () => {
    const good = sampleCable('EEAS.DEL.WASHINGTON', ['MFA.CY.AMERICAS'], [], 'LIMITED');
    const bad = { ...good, header: { ...good.header, to: [], tags: ['not a tag'] } };
    await assert.rejects(
      () => sealCable(p, { cable: bad, recipients: [], releaseServices: [], signers: net.signers }),
      (e: unknown) => (e as { code: string; issues: unknown[] }).code === 'cable.invalid' && (e as { issues: unknown[] }).issues.length >= 2,
    );
  });
});

describe('handling restrictions without a level', () => {
  it('an UNCLASSIFIED cable with releasability is still split: the office key alone does not open it', async () => {
    const base = sampleCable('EEAS.DEL.WASHINGTON', ['MFA.CY.AMERICAS'], [], 'UNCLASSIFIED');
    const cable = { ...base, header: { ...base.header, marking: { ...base.header.marking, releasableTo: ['EU'] } } };
    const { recipients, releaseServices } = sealInputsFor(net, cable);
    const sealed = await sealCable(p, { cable, recipients, releaseServices, signers: net.signers });
    assert.equal(sealed.envelope.releaseWraps.length, 2);
    const verified = await verifyEnvelope(p, sealed.envelope, net.resolveSigner);
    const secretKey = officeOf(net, 'MFA.CY.AMERICAS').keys.get('UNCLASSIFIED')!.secretKey;
    await assert.rejects(() => openCable(p, verified, { office: 'MFA.CY.AMERICAS' as OfficeCode, epoch: 1, secretKey }), {
      code: 'open.share_required',
    });
    assert.deepEqual(await openAs(sealed.envelope, 'MFA.CY.AMERICAS', 'UNCLASSIFIED'), cable);
  });
});

describe('share delivery to a device', () => {
  it('a share sealed to one device opens only there, only for that cable and office', async () => {
    const { sealShareForDevice, openShareOnDevice } = await import('../../src/envelope/share-delivery.ts');
    const { xwingGenerateKeyPair } = await import('../../src/crypto/xwing.ts');
    const device = await xwingGenerateKeyPair(p);
    const other = await xwingGenerateKeyPair(p);
    const share = p.randomBytes(32);
    const to = { cable: 'EEAS.DEL.WASHINGTON/2026/000123', office: 'MFA.CY.AMERICAS', user: 'anna', device: 'd-anna-1' } as unknown as Parameters<typeof sealShareForDevice>[3];
    const sealed = await sealShareForDevice(p, share, device.publicKey, to);
    assert.deepEqual(await openShareOnDevice(p, sealed, device.secretKey, to), share);
    await assert.rejects(() => openShareOnDevice(p, sealed, other.secretKey, to), { code: 'open.failed' });
    await assert.rejects(() => openShareOnDevice(p, sealed, device.secretKey, { ...to, office: 'EEAS.HQ.AMERICAS' } as typeof to), { code: 'open.failed' });
    await assert.rejects(() => openShareOnDevice(p, sealed, device.secretKey, { ...to, device: 'd-anna-2' } as typeof to), { code: 'open.failed' });
  });
});
