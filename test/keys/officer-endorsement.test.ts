// Two officers appoint an officer (docs/decisions/012-two-officers-appoint.md): the endorsement record's codec and
// signatures, the certificate carrying endorsements and its founding mark, and verifyOfficerAppointment's refusals
// — too few, another certificate, the wrong scope, self-endorsement, one officer twice, an expired endorser.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NodeName, UserId } from '../../src/cable/types.ts';
import { hybridSigningKeyFromSeeds } from '../../src/crypto/hybrid-signature.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { decodeCanonical, encodeCanonical, type CborValue } from '../../src/encoding/canonical-cbor.ts';
import { DecodeError, VerificationError, type ErrorCode } from '../../src/errors.ts';
import { ENDORSEMENTS_REQUIRED, foundingAllowed, verifyOfficerAppointment } from '../../src/keys/officer-appointment.ts';
import {
  decodeOfficerCertificate, encodeOfficerCertificate, officerCertificateHash, signOfficerCertificate, verifyOfficerCertificate, type OfficerCertificate, type OfficerCertificateBody,
} from '../../src/keys/officer-certificate.ts';
import {
  decodeOfficerEndorsement, encodeOfficerEndorsement, signOfficerEndorsement, verifyOfficerEndorsement, type OfficerEndorsement,
} from '../../src/keys/officer-endorsement.ts';
import { arbUserId } from '../cable/arbitraries.ts';
import { AT, DAY, NODE, T0, YEAR, flipped, makeOfficerCert, seed, world, type Officer } from './fixtures.ts';

const OSCAR = 'oscar' as UserId;

/** The hybrid secret of a fixture officer (the fixtures derive both halves from one seed). */
async function secretOf(officer: Pick<Officer, 'seed'>) {
  return (await hybridSigningKeyFromSeeds(p, officer.seed, officer.seed)).secret;
}

async function endorse(cert: OfficerCertificate, by: Pick<Officer, 'user' | 'seed'>, at = AT): Promise<OfficerEndorsement> {
  return signOfficerEndorsement(p, { certificate: officerCertificateHash(p, cert), endorser: by.user, endorsedAt: at }, await secretOf(by));
}

async function refused(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof VerificationError, String(e));
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe('officer endorsements', async () => {
  const w = await world(p);
  const oscarCert = await makeOfficerCert(p, w.rootKey, OSCAR, seed(24));
  const officers = [w.olga.cert, w.otto.cert];
  const appoint = (cert: OfficerCertificate, endorsers = officers, at = AT) => verifyOfficerAppointment(p, { cert, endorsers, root: w.anchor, at });

  it('round-trips an endorsement and signs exactly the labelled body with both halves of the officer key', async () => {
    const e = await endorse(oscarCert, w.olga);
    const bytes = encodeOfficerEndorsement(e);
    assert.deepEqual(decodeOfficerEndorsement(bytes), e);
    await verifyOfficerEndorsement(p, e, w.olga.cert.signingKey);
    await refused(verifyOfficerEndorsement(p, e, w.otto.cert.signingKey), 'verify.bad_signature');
    // Either half alone is not enough: a forged Ed25519 or ML-DSA-65 signature fails the whole.
    await refused(verifyOfficerEndorsement(p, { ...e, signature: { ...e.signature, ed25519: flipped(e.signature.ed25519) } }, w.olga.cert.signingKey), 'verify.bad_signature');
    await refused(verifyOfficerEndorsement(p, { ...e, signature: { ...e.signature, mlDsa65: flipped(e.signature.mlDsa65) } }, w.olga.cert.signingKey), 'verify.bad_signature');
    await refused(verifyOfficerEndorsement(p, { ...e, endorsedAt: e.endorsedAt + 1 }, w.olga.cert.signingKey), 'verify.bad_signature');
  });

  it('round-trips any well-formed endorsement, and refuses another version, unknown fields and a short hash', () => {
    const sig = { ed25519: new Uint8Array(64), mlDsa65: new Uint8Array(3309) };
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), arbUserId, fc.nat({ max: Number.MAX_SAFE_INTEGER }), (certificate, endorser, endorsedAt) => {
        const e: OfficerEndorsement = { certificate, endorser, endorsedAt, signature: sig };
        assert.deepEqual(decodeOfficerEndorsement(encodeOfficerEndorsement(e)), e);
      }),
      { numRuns: 50 },
    );
    const good = decodeCanonical(encodeOfficerEndorsement({ certificate: new Uint8Array(32), endorser: OSCAR, endorsedAt: 1, signature: sig }), 1 << 16) as Record<string, CborValue>;
    const refuses = (m: Record<string, CborValue>, code: ErrorCode) =>
      assert.throws(() => decodeOfficerEndorsement(encodeCanonical(m)), (e: unknown) => e instanceof DecodeError && e.code === code);
    refuses({ ...good, v: 2 }, 'encoding.unsupported_version');
    refuses({ ...good, scope: 'MFA.CY' }, 'encoding.malformed');
    refuses({ ...good, certificate: new Uint8Array(31) }, 'encoding.malformed');
    refuses({ ...good, endorser: 'Oscar' }, 'encoding.malformed');
  });

  it('carries the founding mark under the root signature and the endorsements beside it, without changing the endorsed hash', async () => {
    const founding = await makeOfficerCert(p, w.rootKey, OSCAR, seed(24));
    const marked = await signOfficerCertificate(p, { ...withoutSignature(founding), founding: true }, w.rootKey.secret);
    assert.deepEqual(decodeOfficerCertificate(encodeOfficerCertificate(marked)), marked);
    // The mark is signed: stripping it breaks the root's signature.
    const { org, user, scope, signingKey, validFrom, validUntil } = marked;
    await refused(verifyOfficerCertificate(p, { org, user, scope, signingKey, validFrom, validUntil, signature: marked.signature }, w.anchor, AT), 'verify.bad_signature');

    const endorsed = { ...oscarCert, endorsements: [await endorse(oscarCert, w.olga), await endorse(oscarCert, w.otto)] };
    const bytes = encodeOfficerCertificate(endorsed);
    assert.deepEqual(decodeOfficerCertificate(bytes), endorsed);
    assert.deepEqual(officerCertificateHash(p, endorsed), officerCertificateHash(p, oscarCert));
    await verifyOfficerCertificate(p, decodeOfficerCertificate(bytes), w.anchor, AT); // the root's signature stands
    // One encoding per meaning: `founding: false` and an empty endorsement list are refused, three endorsements too.
    const map = decodeCanonical(bytes, 1 << 20) as Record<string, CborValue>;
    const refuses = (m: Record<string, CborValue>) => assert.throws(() => decodeOfficerCertificate(encodeCanonical(m)), DecodeError);
    refuses({ ...map, founding: false });
    refuses({ ...map, endorsements: [] });
    refuses({ ...map, endorsements: [...(map.endorsements as CborValue[]), (map.endorsements as CborValue[])[0]!] });
    assert.throws(() => encodeOfficerCertificate({ ...endorsed, endorsements: [...endorsed.endorsements, endorsed.endorsements[0]!] }), RangeError);
  });

  it('appoints with the endorsements of two officers of the node, and a founding certificate with none', async () => {
    const endorsed = { ...oscarCert, endorsements: [await endorse(oscarCert, w.olga), await endorse(oscarCert, w.otto)] };
    const appointed = await appoint(endorsed);
    assert.equal(appointed.user, OSCAR);
    const founding = await signOfficerCertificate(p, { ...withoutSignature(oscarCert), founding: true }, w.rootKey.secret);
    assert.equal((await appoint(founding, [])).user, OSCAR);
    await refused(appoint({ ...founding, endorsements: endorsed.endorsements }), 'verify.record_invalid', /founding/);
  });

  it(`refuses fewer than ${ENDORSEMENTS_REQUIRED} endorsements: the root's signature alone appoints no one after founding`, async () => {
    await refused(appoint(oscarCert), 'verify.missing_signature');
    await refused(appoint({ ...oscarCert, endorsements: [await endorse(oscarCert, w.olga)] }), 'verify.missing_signature');
  });

  it('refuses an endorsement of another certificate, or one the endorser did not sign', async () => {
    const other = await makeOfficerCert(p, w.rootKey, OSCAR, seed(24), { validUntil: T0 + 2 * YEAR });
    await refused(appoint({ ...oscarCert, endorsements: [await endorse(other, w.olga), await endorse(oscarCert, w.otto)] }), 'verify.record_invalid');
    const byOlga = await endorse(oscarCert, w.olga);
    const forged = { ...byOlga, endorser: w.otto.user }; // olga's signature, claimed as otto's
    await refused(appoint({ ...oscarCert, endorsements: [byOlga, forged] }), 'verify.bad_signature');
  });

  it('refuses an endorser of another node, one who is no officer, the appointee, and one officer twice', async () => {
    const elsewhere = await makeOfficerCert(p, w.rootKey, 'eve' as UserId, seed(26), { scope: 'MFA.GR' as NodeName });
    const eve = { user: 'eve' as UserId, seed: seed(26) };
    await refused(appoint({ ...oscarCert, endorsements: [await endorse(oscarCert, w.olga), await endorse(oscarCert, eve)] }, [...officers, elsewhere]), 'verify.untrusted_key', /of MFA\.CY/);
    await refused(appoint({ ...oscarCert, endorsements: [await endorse(oscarCert, w.olga), await endorse(oscarCert, eve)] }), 'verify.untrusted_key', /not a security officer/);
    const oscar = { user: OSCAR, seed: seed(24) };
    await refused(appoint({ ...oscarCert, endorsements: [await endorse(oscarCert, w.olga), await endorse(oscarCert, oscar)] }, [...officers, oscarCert]), 'verify.untrusted_key', /own appointment/);
    await refused(appoint({ ...oscarCert, endorsements: [await endorse(oscarCert, w.olga), await endorse(oscarCert, w.olga, AT + 1)] }), 'verify.untrusted_key', /twice/);
  });

  it("refuses an endorser whose certificate has expired, unless a renewed certificate of the same key is among the candidates", async () => {
    const ottoShort = await makeOfficerCert(p, w.rootKey, w.otto.user, w.otto.seed, { validUntil: AT + DAY });
    const endorsed = { ...oscarCert, endorsements: [await endorse(oscarCert, w.olga), await endorse(oscarCert, w.otto)] };
    await appoint(endorsed, [w.olga.cert, ottoShort]);
    await refused(appoint(endorsed, [w.olga.cert, ottoShort], AT + 2 * DAY), 'verify.untrusted_key', /endorsement by otto: officer-certificate: expired/);
    const renewed = await makeOfficerCert(p, w.rootKey, w.otto.user, w.otto.seed, { validFrom: AT, validUntil: AT + YEAR });
    await appoint(endorsed, [w.olga.cert, ottoShort, renewed], AT + 2 * DAY);
  });

  it('lets a node found officers only while it has fewer than two valid ones', () => {
    assert.equal(foundingAllowed([], NODE, AT), true);
    assert.equal(foundingAllowed([w.olga.cert], NODE, AT), true);
    assert.equal(foundingAllowed([w.olga.cert, w.olga.cert], NODE, AT), true, 'one officer counted once');
    assert.equal(foundingAllowed(officers, NODE, AT), false);
    assert.equal(foundingAllowed(officers, NODE, T0 + 2 * YEAR), true, 'both expired');
    assert.equal(foundingAllowed(officers, 'MFA.GR' as NodeName, AT), true, 'officers of another node do not count');
  });
});

/** What the root signed of `cert`: its body, without signature or endorsements. */
function withoutSignature(cert: OfficerCertificate): OfficerCertificateBody {
  const { org, user, scope, signingKey, validFrom, validUntil, founding } = cert;
  return { org, user, scope, signingKey, validFrom, validUntil, ...(founding ? { founding } : {}) };
}
