// Whether an officer certificate appoints its officer (DESIGN.md "Keys, trust and the ghost-device defence":
// appointing a security officer takes two officers). The root's signature is necessary, not sufficient: the
// certificate must also carry the endorsements of two other officers of the same node, each valid at the verifier's
// time — unless the root marked it founding, the bootstrap of a node's first officers
// (docs/decisions/012-two-officers-appoint.md).
import type { UserId } from '../cable/types.ts';
import { equalBytes } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { InternalError, VerificationError } from '../errors.ts';
import { verifyOfficerEndorsement, type OfficerEndorsement } from './officer-endorsement.ts';
import {
  officerCertificateHash, verifyOfficerCertificate, type OfficerCertificate, type OfficerVerifier, type VerifiedOfficer,
} from './officer-certificate.ts';
import type { PinnedRoot } from './organisation-root.ts';
import type { UnixMillis } from './validity.ts';
import { markVerified } from './verified.ts';

/** Distinct officers, other than the appointee, who must endorse an appointment that is not founding. */
export const ENDORSEMENTS_REQUIRED = 2;

/**
 * A node accepts a founding certificate only while fewer than this many of its officers hold a certificate valid
 * then: below two officers, two endorsements cannot exist.
 */
export const FOUNDING_OFFICERS = 2;

declare const appointedBrand: unique symbol;

/** An officer certificate whose appointment verified: the root's signature and founding mark or two endorsements. */
export type AppointedOfficer = VerifiedOfficer & { readonly [appointedBrand]: true };

export interface OfficerAppointmentInput {
  readonly cert: OfficerCertificate;
  /**
   * Candidate certificates of the endorsing officers, e.g. every officer certificate the node holds; only those of
   * the officers the endorsements name, at the appointee's node, are used. Each must verify at `at` (root signature,
   * window) — they need not themselves be endorsed (docs/keys.md "Officer endorsement").
   */
  readonly endorsers: readonly OfficerCertificate[];
  readonly root: PinnedRoot;
  /** The verifier's time: the appointee's and each endorser's certificate must be valid then. */
  readonly at: UnixMillis;
  /** Checks a certificate against `root` at `at`; default `verifyOfficerCertificate` (see `DeviceChainInput`). */
  readonly verifyOfficer?: OfficerVerifier;
}

/**
 * Verifies an officer's appointment: the certificate against the root (`verifyOfficerCertificate`), then either
 * its founding mark (and no endorsements: `verify.record_invalid`) or two endorsements of exactly this certificate
 * (`officerCertificateHash`; another: `verify.record_invalid`) by two distinct officers who are not the appointee,
 * each holding a certificate for the same organisation and node that verifies at `at` and whose hybrid key signed.
 * Too few endorsements: `verify.missing_signature`; an endorser who is the appointee, named twice, unknown, of another
 * node, or whose certificate does not verify (expired, say): `verify.untrusted_key`; a bad signature:
 * `verify.bad_signature`.
 *
 * @example
 * ```ts
 * const officer = await verifyOfficerAppointment(p, { cert, endorsers: allOfficerCerts, root: anchor, at: Date.now() });
 * ```
 */
export async function verifyOfficerAppointment(p: CryptoProvider, input: OfficerAppointmentInput): Promise<AppointedOfficer> {
  const { cert } = input;
  const verify = input.verifyOfficer ?? ((c: OfficerCertificate) => verifyOfficerCertificate(p, c, input.root, input.at));
  const verified = await verify(cert);
  const endorsements = cert.endorsements ?? [];
  if (cert.founding) {
    if (endorsements.length > 0) throw new VerificationError('verify.record_invalid', 'officer-certificate: a founding certificate carries no endorsements');
    return appointed(verified);
  }
  if (endorsements.length < ENDORSEMENTS_REQUIRED) {
    throw new VerificationError(
      'verify.missing_signature',
      `officer-certificate: appointing ${cert.user} takes the endorsements of ${ENDORSEMENTS_REQUIRED} officers besides the root's signature; it has ${endorsements.length}`,
    );
  }
  const hash = officerCertificateHash(p, cert);
  const seen = new Set<UserId>();
  for (const e of endorsements) {
    if (!equalBytes(e.certificate, hash)) throw new VerificationError('verify.record_invalid', 'officer-endorsement: endorses another certificate');
    if (e.endorser === cert.user) throw new VerificationError('verify.untrusted_key', `officer-endorsement: ${cert.user} cannot endorse their own appointment`);
    if (seen.has(e.endorser)) throw new VerificationError('verify.untrusted_key', `officer-endorsement: ${e.endorser} endorsed twice; two distinct officers must`);
    seen.add(e.endorser);
    await checkEndorsement(p, input, verify, e);
  }
  return appointed(verified);
}

async function checkEndorsement(p: CryptoProvider, input: OfficerAppointmentInput, verify: OfficerVerifier, e: OfficerEndorsement): Promise<void> {
  const named = input.endorsers.filter((c) => c.user === e.endorser);
  if (named.length === 0) throw new VerificationError('verify.untrusted_key', `officer-endorsement: ${e.endorser} is not a security officer`);
  const candidates = named.filter((c) => c.scope === input.cert.scope && c.org === input.cert.org);
  if (candidates.length === 0) throw new VerificationError('verify.untrusted_key', `officer-endorsement: ${e.endorser} is not a security officer of ${input.cert.scope}`);
  // An officer may hold several certificates (renewal): the endorsement stands if one of them verifies and signed it.
  let failure: VerificationError | undefined;
  for (const candidate of candidates) {
    try {
      const endorser = await verify(candidate);
      await verifyOfficerEndorsement(p, e, endorser.signingKey);
      return;
    } catch (cause) {
      if (!(cause instanceof VerificationError)) throw cause;
      failure = new VerificationError(cause.code, `endorsement by ${e.endorser}: ${cause.message}`, { cause });
    }
  }
  throw failure ?? new InternalError('no endorser candidate was tried');
}

function appointed(officer: VerifiedOfficer): AppointedOfficer {
  // The brand exists only in the type system; every check precedes this call (as in verified.ts).
  return markVerified(officer) as AppointedOfficer;
}

/**
 * Whether a node may still accept a founding certificate: fewer than `FOUNDING_OFFICERS` distinct officers among
 * `officers` (the node's stored certificates, each verified when stored) hold a certificate of `scope` valid at `at`.
 *
 * @example
 * ```ts
 * if (!foundingAllowed(stored, node, Date.now())) refuse();
 * ```
 */
export function foundingAllowed(officers: readonly OfficerCertificate[], scope: OfficerCertificate['scope'], at: UnixMillis): boolean {
  const valid = new Set(officers.filter((c) => c.scope === scope && c.validFrom <= at && at <= c.validUntil).map((c) => c.user));
  return valid.size < FOUNDING_OFFICERS;
}
