// A security officer's certificate, signed by the organisation root: who the officer is, the node they act for, and
// their keys. Officers certify office epochs, close them, approve devices and issue key grants (DESIGN.md "Keys,
// trust and the ghost-device defence"). Appointing an officer for CONFIDENTIAL and above will take two officers'
// countersignatures; today the root's signature alone appoints (docs/keys.md "Not yet enforced").
import type { NodeName, UserId } from '../cable/types.ts';
import { parseNodeName, parseUserId } from '../cable/ids.ts';
import { signHybrid, verifyHybrid, type HybridPublicKey, type HybridSecretKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { VerificationError } from '../errors.ts';
import { HYBRID_PUBLIC_CBOR_BYTES, HYBRID_SIGNATURE_CBOR_BYTES, hybridPublicFromFields, hybridPublicToCbor, hybridSignatureFromFields, hybridSignatureToCbor } from './hybrid-fields.ts';
import { Labels } from './labels.ts';
import { parseOrgId, type OrgId, type PinnedRoot } from './organisation-root.ts';
import { bytesToVerify, checkedBody, decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import { checkValidAt, type UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

/**
 * - `signingKey.ed25519`: the Ed25519 key of the officer's device; it signs epochs, closures, device approvals and
 *   grants. `signingKey.mlDsa65`: the officer's ML-DSA-65 key for long-lived records (countersigning appointments).
 * - `scope`: the node whose offices and users this officer may act for.
 */
export interface OfficerCertificate {
  readonly org: OrgId;
  readonly user: UserId;
  readonly scope: NodeName;
  readonly signingKey: HybridPublicKey;
  readonly validFrom: UnixMillis;
  readonly validUntil: UnixMillis;
  readonly signature: HybridSignature;
}

export type OfficerCertificateBody = Omit<OfficerCertificate, 'signature'>;

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
  maxBytes: 2048 + HYBRID_PUBLIC_CBOR_BYTES + HYBRID_SIGNATURE_CBOR_BYTES,
  required: ['org', 'user', 'scope', 'signingKey', 'validFrom', 'validUntil'],
  optional: [],
  toCbor: (b) => ({
    org: b.org,
    user: b.user,
    scope: b.scope,
    signingKey: hybridPublicToCbor(b.signingKey),
    validFrom: b.validFrom,
    validUntil: b.validUntil,
  }),
  fromFields: (f) => ({
    org: f.id('org', parseOrgId),
    user: f.id('user', parseUserId),
    scope: f.id('scope', parseNodeName),
    signingKey: hybridPublicFromFields(f, 'signingKey'),
    validFrom: f.uint('validFrom'),
    validUntil: f.uint('validUntil'),
  }),
};

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

/** Canonical CBOR of the certificate. */
export function encodeOfficerCertificate(cert: OfficerCertificate): Uint8Array {
  return encodeSigned(spec, cert, hybridSignatureToCbor(cert.signature));
}

/** Parses an officer certificate; checks shape and canonical form, not the signature. */
export function decodeOfficerCertificate(bytes: Uint8Array): OfficerCertificate {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: hybridSignatureFromFields(sig, 'sig') };
}

/**
 * Verifies an officer certificate against a pinned root at time `at`: same organisation (`verify.untrusted_key`),
 * the root's hybrid signature (`verify.bad_signature`), a validity window containing `at` (`verify.untrusted_key`).
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
