// A security officer's certificate, signed by the organisation root: who the officer is, the node they act for, and
// their keys. Officers certify office epochs, close them, approve devices and issue key grants (DESIGN.md "Keys,
// trust and the ghost-device defence"). Appointing an officer takes two officers besides the root: the record carries
// their endorsements beside the root's signature, and `verifyOfficerAppointment` (officer-appointment.ts) checks them;
// only a founding certificate stands on the root's word alone (docs/decisions/012-two-officers-appoint.md).
import type { NodeName, UserId } from '../cable/types.ts';
import { parseNodeName, parseUserId } from '../cable/ids.ts';
import { signHybrid, verifyHybrid, type HybridPublicKey, type HybridSecretKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { DecodeError, VerificationError } from '../errors.ts';
import type { CborMap, Fields } from '../encoding/fields.ts';
import { HYBRID_PUBLIC_CBOR_BYTES, HYBRID_SIGNATURE_CBOR_BYTES, hybridPublicFromFields, hybridPublicToCbor, hybridSignatureFromFields, hybridSignatureToCbor } from './hybrid-fields.ts';
import { Labels } from './labels.ts';
import { OFFICER_ENDORSEMENT_KEYS, OFFICER_ENDORSEMENT_MAX_BYTES, officerEndorsementFromFields, officerEndorsementToCbor, type OfficerEndorsement } from './officer-endorsement.ts';
import { parseOrgId, type OrgId, type PinnedRoot } from './organisation-root.ts';
import { bytesToVerify, checkedBody, decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import { checkValidAt, type UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

/** Most endorsements a certificate carries: an appointment needs two distinct officers, and no more are kept. */
export const MAX_OFFICER_ENDORSEMENTS = 2;

/**
 * - `signingKey.ed25519`: the Ed25519 key of the officer's device; it signs epochs, closures, device approvals and
 *   grants. `signingKey.mlDsa65`: the officer's ML-DSA-65 key for long-lived records (endorsing appointments).
 * - `scope`: the node whose offices and users this officer may act for.
 * - `founding`: present (and `true`) only on the certificate of one of a node's first officers, whom the root
 *   appoints alone; the node accepts one only while it has fewer than two officers. Signed by the root.
 * - `endorsements`: other officers' endorsements of this certificate (`officerCertificateHash`), carried beside the
 *   root's signature and not covered by it (they are made after it); absent, never empty, when there are none.
 */
export interface OfficerCertificate {
  readonly org: OrgId;
  readonly user: UserId;
  readonly scope: NodeName;
  readonly signingKey: HybridPublicKey;
  readonly validFrom: UnixMillis;
  readonly validUntil: UnixMillis;
  readonly founding?: true;
  readonly signature: HybridSignature;
  readonly endorsements?: readonly OfficerEndorsement[];
}

/** What the root signs. */
export type OfficerCertificateBody = Omit<OfficerCertificate, 'signature' | 'endorsements'>;

/** An officer certificate that chains to a pinned root and was valid at the verifier's `at`. */
export type VerifiedOfficer = Verified<OfficerCertificate>;

/**
 * Checks an officer certificate against the caller's pinned root and time, as `verifyOfficerCertificate` does; chain
 * checks take one so that a verifier may reuse its own recent verification of the very same certificate.
 */
export type OfficerVerifier = (cert: OfficerCertificate) => Promise<VerifiedOfficer>;

const spec: RecordSpec<OfficerCertificateBody> = {
  what: 'officer-certificate',
  label: Labels.officerCertificate,
  maxBytes: 2048 + HYBRID_PUBLIC_CBOR_BYTES + HYBRID_SIGNATURE_CBOR_BYTES + MAX_OFFICER_ENDORSEMENTS * OFFICER_ENDORSEMENT_MAX_BYTES,
  required: ['org', 'user', 'scope', 'signingKey', 'validFrom', 'validUntil'],
  optional: ['founding'],
  toCbor: (b) => ({
    org: b.org,
    user: b.user,
    scope: b.scope,
    signingKey: hybridPublicToCbor(b.signingKey),
    validFrom: b.validFrom,
    validUntil: b.validUntil,
    ...(b.founding === undefined ? {} : { founding: b.founding }),
  }),
  fromFields: (f) => ({
    org: f.id('org', parseOrgId),
    user: f.id('user', parseUserId),
    scope: f.id('scope', parseNodeName),
    signingKey: hybridPublicFromFields(f, 'signingKey'),
    validFrom: f.uint('validFrom'),
    validUntil: f.uint('validUntil'),
    ...(f.has('founding') ? { founding: foundingFrom(f) } : {}),
  }),
};

/** The largest encoded certificate accepted: root signature and the most endorsements included. */
export const OFFICER_CERTIFICATE_MAX_BYTES = spec.maxBytes;

// One encoding per meaning: a certificate that is not founding has no `founding` field, never `false`.
function foundingFrom(f: Fields): true {
  if (!f.bool('founding')) throw new DecodeError('encoding.malformed', 'officer-certificate: founding is absent or true, never false');
  return true;
}

function endorsementsToCbor(cert: OfficerCertificate): CborMap {
  const list = cert.endorsements ?? [];
  if (list.length > MAX_OFFICER_ENDORSEMENTS) throw new RangeError(`officer-certificate: at most ${MAX_OFFICER_ENDORSEMENTS} endorsements`);
  return list.length === 0 ? {} : { endorsements: list.map(officerEndorsementToCbor) };
}

function endorsementsFrom(f: Fields): { readonly endorsements?: readonly OfficerEndorsement[] } {
  if (!f.has('endorsements')) return {};
  const list = f.mapList('endorsements', MAX_OFFICER_ENDORSEMENTS, OFFICER_ENDORSEMENT_KEYS, officerEndorsementFromFields);
  if (list.length === 0) throw new DecodeError('encoding.malformed', 'officer-certificate: endorsements are absent, never empty');
  return { endorsements: list };
}

/**
 * Appoints an officer with the root's secret key (offline).
 *
 * @example
 * ```ts
 * const cert = await signOfficerCertificate(p, { org, user, scope: node, signingKey, validFrom, validUntil }, rootKey.secret);
 * ```
 */
export async function signOfficerCertificate(p: CryptoProvider, body: OfficerCertificateBody, rootSecret: HybridSecretKey): Promise<OfficerCertificate> {
  const checked = checkedBody(spec, body);
  return { ...checked.body, signature: await signHybrid(p, rootSecret, checked.message) };
}

/** Canonical CBOR of the certificate, with its endorsements (what the node stores and serves). */
export function encodeOfficerCertificate(cert: OfficerCertificate): Uint8Array {
  return encodeSigned(spec, cert, hybridSignatureToCbor(cert.signature), endorsementsToCbor(cert));
}

/** Parses an officer certificate and its endorsements; checks shape and canonical form, no signature. */
export function decodeOfficerCertificate(bytes: Uint8Array): OfficerCertificate {
  const { body, sig } = decodeSigned(spec, bytes, ['endorsements']);
  return { ...body, signature: hybridSignatureFromFields(sig, 'sig'), ...endorsementsFrom(sig) };
}

/**
 * SHA-256 of the certificate as the root signed it — body and root signature, without endorsements: what an
 * endorsement names, so that adding endorsements never changes the appointment they endorse.
 *
 * @example
 * ```ts
 * const hash = officerCertificateHash(p, cert); // 32 bytes
 * ```
 */
export function officerCertificateHash(p: CryptoProvider, cert: OfficerCertificate): Uint8Array {
  return p.sha256(encodeSigned(spec, cert, hybridSignatureToCbor(cert.signature)));
}

/**
 * Verifies an officer certificate against a pinned root at time `at`: same organisation (`verify.untrusted_key`),
 * the root's hybrid signature (`verify.bad_signature`), a validity window containing `at` (`verify.untrusted_key`).
 * The root's part only: whether two officers endorsed the appointment is `verifyOfficerAppointment`'s check.
 *
 * @example
 * ```ts
 * const officer = await verifyOfficerCertificate(p, cert, anchor, Date.now());
 * ```
 */
export async function verifyOfficerCertificate(p: CryptoProvider, cert: OfficerCertificate, root: PinnedRoot, at: UnixMillis): Promise<VerifiedOfficer> {
  if (cert.org !== root.org) throw new VerificationError('verify.untrusted_key', 'officer-certificate: issued for another organisation');
  if (!(await verifyHybrid(p, root.publicKey, bytesToVerify(spec, cert), cert.signature))) {
    throw new VerificationError('verify.bad_signature', 'officer-certificate: root signature does not verify');
  }
  checkValidAt('officer-certificate', cert, at);
  return markVerified(cert);
}
