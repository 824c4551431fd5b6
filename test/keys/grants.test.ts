// Key grants through every provider: issued by officers, opened only by the device, epoch and office they name,
// re-sealed only to the same user's devices, and checked against their issuers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OfficeCode, UserId } from '../../src/cable/types.ts';
import { CHANCERY_SUITE, hpkeSeal } from '../../src/crypto/hpke.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { nobleProvider } from '../../src/crypto/noble-provider.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { CryptoError, VerificationError } from '../../src/errors.ts';
import { verifyEpochChain, type VerifiedEpoch } from '../../src/keys/epoch-chain.ts';
import { verifyKeyGrant } from '../../src/keys/grant-chain.ts';
import { grantInfo, issueGrant, openGrant, resealGrant } from '../../src/keys/grant-seal.ts';
import { decodeKeyGrant, encodeKeyGrant, signKeyGrant, type KeyGrant } from '../../src/keys/key-grant.ts';
import type { OfficeEpochBody } from '../../src/keys/office-epoch.ts';
import { AT, makeEpoch, seed, world, type World } from './fixtures.ts';

async function refused(run: Promise<unknown>, code: string, what?: string): Promise<void> {
  await assert.rejects(run, (e: unknown) => (e instanceof VerificationError || e instanceof CryptoError) && e.code === code, what);
}

function officerGrant(p: CryptoProvider, w: World, officers = [w.olga]): Promise<KeyGrant> {
  return issueGrant(p, {
    epochSecret: w.epochKey.secretKey,
    epoch: w.verifiedEpoch,
    recipient: w.laptop,
    officers: officers.map((o) => ({ user: o.user, signingSeed: o.seed })),
    issuedAt: AT,
  });
}

/** The same epoch key certified under another office, level or number: what a moved grant would have to match. */
async function sibling(p: CryptoProvider, w: World, change: Partial<OfficeEpochBody>): Promise<VerifiedEpoch> {
  const epoch = await makeEpoch(p, w.olga, w.epochKey.publicKey, change);
  return verifyEpochChain(p, { epoch, officerCert: w.olga.cert, root: w.anchor, at: AT });
}

describe('key grants', () => {
  for (const p of [nodeProvider, nobleProvider]) {
    it(`an officer's grant verifies, survives encoding and opens to the epoch key [${p.name}]`, async () => {
      const w = await world(p);
      const grant = decodeKeyGrant(encodeKeyGrant(await officerGrant(p, w)));
      assert.deepEqual(grant.issuer, { kind: 'officer', officers: [w.olga.user] });
      await verifyKeyGrant(p, { grant, epoch: w.verifiedEpoch, recipient: w.laptop, authority: { kind: 'officer', officers: [w.olga.verified] } });
      const secret = await openGrant(p, grant, w.verifiedEpoch, w.annaLaptop.encryption.secretKey);
      assert.deepEqual(secret, w.epochKey.secretKey);

      const two = await officerGrant(p, w, [w.olga, w.otto]);
      await verifyKeyGrant(p, { grant: two, epoch: w.verifiedEpoch, recipient: w.laptop, authority: { kind: 'officer', officers: [w.olga.verified, w.otto.verified] } });
      await refused(verifyKeyGrant(p, { grant: two, epoch: w.verifiedEpoch, recipient: w.laptop, authority: { kind: 'officer', officers: [w.otto.verified, w.olga.verified] } }), 'verify.untrusted_key', 'officers out of order');
      await refused(verifyKeyGrant(p, { grant: two, epoch: w.verifiedEpoch, recipient: w.laptop, authority: { kind: 'officer', officers: [w.olga.verified] } }), 'verify.untrusted_key', 'one officer missing');
      await refused(verifyKeyGrant(p, { grant, epoch: w.verifiedEpoch, recipient: w.phone, authority: { kind: 'officer', officers: [w.olga.verified] } }), 'verify.record_invalid', 'another recipient');
      await refused(verifyKeyGrant(p, { grant, epoch: w.verifiedEpoch, recipient: w.laptop, authority: { kind: 'device', device: w.phone } }), 'verify.untrusted_key', 'wrong kind of authority');
      await assert.rejects(issueGrant(p, { epochSecret: seed(99), epoch: w.verifiedEpoch, recipient: w.laptop, officers: [{ user: w.olga.user, signingSeed: w.olga.seed }], issuedAt: AT }), RangeError);
    });

    it(`a grant moved to another device, user, office, level or epoch does not open [${p.name}]`, async () => {
      const w = await world(p);
      const grant = await officerGrant(p, w);
      const laptopSecret = w.annaLaptop.encryption.secretKey;
      await refused(openGrant(p, { ...grant, device: w.annaPhone.record.device }, w.verifiedEpoch, laptopSecret), 'crypto.decrypt_failed', 'device, opened by the original');
      await refused(openGrant(p, { ...grant, device: w.annaPhone.record.device }, w.verifiedEpoch, w.annaPhone.encryption.secretKey), 'crypto.decrypt_failed', 'device, opened by the new one');
      await refused(openGrant(p, grant, w.verifiedEpoch, w.bobDesktop.encryption.secretKey), 'crypto.decrypt_failed', 'another device’s key');
      await refused(openGrant(p, { ...grant, user: 'bob' as UserId }, w.verifiedEpoch, laptopSecret), 'crypto.decrypt_failed', 'user');
      // Moving the grant's labels to a sibling epoch with the very same public key still fails: `info` binds them.
      const office = await sibling(p, w, { office: 'MFA.CY.EUROPE' as OfficeCode });
      await refused(openGrant(p, { ...grant, office: office.epoch.office }, office, laptopSecret), 'crypto.decrypt_failed', 'office');
      const level = await sibling(p, w, { level: 'SECRET' });
      await refused(openGrant(p, { ...grant, level: 'SECRET' }, level, laptopSecret), 'crypto.decrypt_failed', 'level');
      const next = await sibling(p, w, { epoch: 1 });
      await refused(openGrant(p, { ...grant, epoch: 1 }, next, laptopSecret), 'crypto.decrypt_failed', 'epoch');
      // Presented for an epoch it does not name at all.
      await refused(openGrant(p, grant, next, laptopSecret), 'verify.record_invalid', 'another epoch');
    });

    it(`a grant holding any key but the epoch's is refused on opening [${p.name}]`, async () => {
      const w = await world(p);
      const grant = await officerGrant(p, w);
      const sealed = await hpkeSeal(p, CHANCERY_SUITE, w.annaLaptop.record.encryptionKey, grantInfo(grant), new Uint8Array(0), seed(98));
      const { signatures, ...body } = grant;
      assert.equal(signatures.length, 1);
      const wrong = await signKeyGrant(p, { ...body, enc: sealed.enc, cipherText: sealed.cipherText }, [w.olga.seed]);
      await refused(openGrant(p, wrong, w.verifiedEpoch, w.annaLaptop.encryption.secretKey), 'verify.untrusted_key');
    });

    it(`a device re-seals only to its own user's devices [${p.name}]`, async () => {
      const w = await world(p);
      const grant = await officerGrant(p, w);
      const holder = { record: w.annaLaptop.record, encryptionSecret: w.annaLaptop.encryption.secretKey, signingSeed: w.annaLaptop.signingSeed };
      const forPhone = await resealGrant(p, { grant, epoch: w.verifiedEpoch, holder, recipient: w.phone, issuedAt: AT });
      assert.deepEqual(forPhone.issuer, { kind: 'device', device: w.annaLaptop.record.device });
      await verifyKeyGrant(p, { grant: forPhone, epoch: w.verifiedEpoch, recipient: w.phone, authority: { kind: 'device', device: w.laptop } });
      assert.deepEqual(await openGrant(p, forPhone, w.verifiedEpoch, w.annaPhone.encryption.secretKey), w.epochKey.secretKey);

      await refused(resealGrant(p, { grant, epoch: w.verifiedEpoch, holder, recipient: w.bob, issuedAt: AT }), 'verify.untrusted_key', 'another user');
      await refused(resealGrant(p, { grant, epoch: w.verifiedEpoch, holder, recipient: w.laptop, issuedAt: AT }), 'verify.untrusted_key', 'itself');
      const phoneHolder = { record: w.annaPhone.record, encryptionSecret: w.annaPhone.encryption.secretKey, signingSeed: w.annaPhone.signingSeed };
      await refused(resealGrant(p, { grant, epoch: w.verifiedEpoch, holder: phoneHolder, recipient: w.laptop, issuedAt: AT }), 'verify.untrusted_key', 'not the holder’s grant');

      // A watcher refuses a re-sealed grant whose issuing device belongs to someone else.
      const bobSeals = await signKeyGrant(p, { ...forPhone, issuer: { kind: 'device', device: w.bobDesktop.record.device } }, [w.bobDesktop.signingSeed]);
      await refused(verifyKeyGrant(p, { grant: bobSeals, epoch: w.verifiedEpoch, recipient: w.phone, authority: { kind: 'device', device: w.bob } }), 'verify.untrusted_key');
      await refused(verifyKeyGrant(p, { grant: forPhone, epoch: w.verifiedEpoch, recipient: w.phone, authority: { kind: 'device', device: w.phone } }), 'verify.untrusted_key', 'issuer named differs');
    });
  }
});
