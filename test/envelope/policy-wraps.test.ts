// Property: a seal never wraps a cable to an office that policy says may not receive it (DESIGN.md: "nobody ever
// gets a wrap that policy denies"), and refuses the whole cable instead of silently dropping an addressee.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Cable, Classification, OfficeCode } from '../../src/cable/types.ts';
import { Classifications } from '../../src/cable/types.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { mayReceive } from '../../src/policy/receive.ts';
import type { PolicyOffice } from '../../src/policy/subjects.ts';
import { sealCable } from '../../src/envelope/seal.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { SealError } from '../../src/errors.ts';
import { buildNetwork, sampleCable, type TestNetwork } from '../support/network.ts';

const CODES = ['EEAS.DEL.WASHINGTON', 'EEAS.HQ.AMERICAS', 'MFA.CY.AMERICAS', 'MFA.FR.DAOI', 'MFA.DE.USA', 'NATO.IS.PASP'];
const NODES = ['EEAS', 'EEAS', 'MFA.CY', 'MFA.FR', 'MFA.DE', 'NATO'];
const COMMUNITIES = ['EU', 'NATO', 'CY', 'FR', 'DE', 'US'];
let net: TestNetwork;

before(async () => {
  net = await buildNetwork(p, CODES, (_c, i) => NODES[i]!);
});

const arbCase = fc.record({
  level: fc.constantFrom(...Classifications),
  releasableTo: fc.subarray(COMMUNITIES).map((xs) => [...xs].sort()),
  to: fc.subarray(CODES.slice(1), { minLength: 1 }),
  ceilings: fc.array(fc.constantFrom(...Classifications), { minLength: CODES.length, maxLength: CODES.length }),
  communities: fc.array(fc.subarray(COMMUNITIES, { minLength: 1 }), { minLength: CODES.length, maxLength: CODES.length }),
});

function profileOf(i: number, ceilings: readonly Classification[], communities: readonly string[][]): PolicyOffice {
  return { code: CODES[i] as OfficeCode, node: net.offices[i]!.profile.node, ceiling: ceilings[i]!, communities: communities[i]! };
}

describe('policy and wraps', () => {
  it('every wrap goes to an office policy allows; one denied office refuses the whole seal', async (t) => {
    let sealed = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(arbCase, async (c) => {
        const base = sampleCable(CODES[0]!, c.to, [], c.level);
        const cable: Cable = { ...base, header: { ...base.header, marking: { classification: c.level, caveats: [], releasableTo: c.releasableTo } } };
        const addressed = [CODES[0]!, ...c.to];
        const recipients = addressed.map((code) => {
          const i = CODES.indexOf(code);
          return { office: profileOf(i, c.ceilings, c.communities), epoch: 1, level: c.level, publicKey: net.offices[i]!.keys.get(c.level)!.publicKey, open: true };
        });
        const releaseServices = [...net.releaseKeys].map(([node, k]) => ({ node, publicKey: k.publicKey }));
        const denied = recipients.filter((r) => !mayReceive(r.office, cable.header.marking).allowed);
        try {
          const result = await sealCable(p, { cable, recipients, releaseServices, signers: net.signers });
          const verified = await verifyEnvelope(p, result.envelope, net.resolveSigner);
          assert.equal(denied.length, 0, 'sealed although policy denies an addressee');
          for (const m of verified.envelope.header.manifest) {
            const r = recipients.find((x) => x.office.code === m.office)!;
            assert.ok(mayReceive(r.office, cable.header.marking).allowed);
          }
          sealed++;
        } catch (e) {
          assert.ok(e instanceof SealError && e.code === 'seal.policy_denied', `unexpected ${String(e)}`);
          assert.ok(denied.length > 0, 'refused although policy allows every addressee');
          refused++;
        }
      }),
      { numRuns: 80 },
    );
    t.diagnostic(`${sealed} sealed, ${refused} refused by policy`);
    assert.ok(sealed > 0 && refused > 0, 'both outcomes exercised');
  });
});
