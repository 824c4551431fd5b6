// Property: nobody ever gets a key grant that policy denies — and everyone policy allows gets one that opens.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Classifications, type Classification, type UserId } from '../../src/cable/types.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { xwingKeyPairFromSeed } from '../../src/crypto/xwing.ts';
import { mayIssueGrant } from '../../src/policy/grant.ts';
import type { Membership, PolicyOffice, PolicyUser } from '../../src/policy/subjects.ts';
import { issueAuthorisedGrant } from '../../src/keys/grant-authorisation.ts';
import { openGrant } from '../../src/keys/grant-seal.ts';
import { verifyEpochChain, type VerifiedEpoch } from '../../src/keys/epoch-chain.ts';
import { AT, NODE, OFFICE, makeEpoch, seed, world } from './fixtures.ts';

const office: PolicyOffice = { code: OFFICE, node: NODE, ceiling: 'SECRET', communities: ['CY', 'EU'] };

// Biased towards people policy would allow, so both outcomes occur often.
const arbUser = (id: string, usualRole: Membership['role']) =>
  fc.record({
    clearance: fc.constantFrom<Classification>('SECRET', 'SECRET', ...Classifications),
    role: fc.constantFrom<Membership['role'] | 'none'>(usualRole, usualRole, usualRole, 'none', 'member', 'security-officer', 'releasing-officer'),
    frozen: fc.constantFrom(false, false, false, true),
    active: fc.constantFrom(true, true, true, false),
  }).map(({ clearance, role, frozen, active }): PolicyUser => ({
    id: id as UserId,
    clearance,
    nationality: 'CY',
    organisations: ['EU'],
    caveats: [],
    memberships:
      role === 'none' ? [] : role === 'releasing-officer' ? [{ office: OFFICE, role, releaseCeiling: clearance }] : [{ office: OFFICE, role }],
    frozen,
    active,
  }));

describe('grant authorisation', () => {
  it('issues exactly when mayIssueGrant allows, and an issued grant opens for its device', async (t) => {
    const w = await world(p);
    const epochs = new Map<Classification, { verified: VerifiedEpoch; secret: Uint8Array }>();
    for (const [i, level] of Classifications.entries()) {
      const key = await xwingKeyPairFromSeed(p, seed(60 + i));
      const epoch = await makeEpoch(p, w.olga, key.publicKey, { level });
      epochs.set(level, { verified: await verifyEpochChain(p, { epoch, officerCert: w.olga.cert, root: w.anchor, at: AT }), secret: key.secretKey });
    }
    let issued = 0;
    let denied = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Classifications),
        arbUser('anna', 'member'),
        arbUser('olga', 'security-officer'),
        arbUser('otto', 'security-officer'),
        fc.constantFrom<'one' | 'two'>('one', 'two'),
        async (level, anna, olga, otto, howMany) => {
          const { verified, secret } = epochs.get(level)!;
          const policyOfficers = howMany === 'one' ? [olga] : [olga, otto];
          const officers = [{ user: w.olga.user, signingSeed: w.olga.seed }, { user: w.otto.user, signingSeed: w.otto.seed }].slice(0, policyOfficers.length);
          const allowed = mayIssueGrant(policyOfficers, anna, office, level).allowed;
          const input = { epochSecret: secret, epoch: verified, recipient: w.laptop, officers, issuedAt: AT };
          try {
            const grant = await issueAuthorisedGrant(p, input, { officers: policyOfficers, recipient: anna, office });
            assert.ok(allowed, 'granted although policy denies');
            assert.deepEqual(await openGrant(p, grant, verified, w.annaLaptop.encryption.secretKey), secret);
            issued++;
          } catch (e) {
            assert.equal((e as { code?: string }).code, 'policy.denied', String(e));
            assert.ok(!allowed, 'refused although policy allows');
            denied++;
          }
        },
      ),
      { numRuns: 150 },
    );
    t.diagnostic(`${issued} grants issued, ${denied} denied by policy`);
    assert.ok(issued > 0 && denied > 0);
  });

  it('refuses a policy view that describes someone else', async () => {
    const w = await world(p);
    const anna: PolicyUser = {
      id: 'anna' as UserId, clearance: 'SECRET', nationality: 'CY', organisations: ['EU'], caveats: [],
      memberships: [{ office: OFFICE, role: 'member' }], frozen: false, active: true,
    };
    const olga: PolicyUser = { ...anna, id: w.olga.user, memberships: [{ office: OFFICE, role: 'security-officer' }] };
    const otto: PolicyUser = { ...olga, id: w.otto.user };
    const input = { epochSecret: w.epochKey.secretKey, epoch: w.verifiedEpoch, recipient: w.laptop, officers: [{ user: w.olga.user, signingSeed: w.olga.seed }, { user: w.otto.user, signingSeed: w.otto.seed }], issuedAt: AT };
    await assert.rejects(() => issueAuthorisedGrant(p, input, { officers: [olga, otto], recipient: { ...anna, id: 'bob' as UserId }, office }), { code: 'policy.denied' });
    await assert.rejects(() => issueAuthorisedGrant(p, input, { officers: [olga], recipient: anna, office }), { code: 'policy.denied' });
    await assert.rejects(() => issueAuthorisedGrant(p, input, { officers: [olga, otto], recipient: anna, office: { ...office, code: 'MFA.CY.EUROPE' as typeof office.code } }), { code: 'policy.denied' });
    const grant = await issueAuthorisedGrant(p, input, { officers: [olga, otto], recipient: anna, office });
    assert.equal(grant.user, 'anna');
  });
});
