// An officer's endorsement of another officer's appointment: DESIGN.md "Keys, trust and the ghost-device defence" asks
// two officers to appoint a security officer, so besides the organisation root's signature an officer certificate
// needs two of these (docs/decisions/012-two-officers-appoint.md). Appointments are long-lived, so the endorsement
// is hybrid: the endorser's Ed25519 device key and their ML-DSA-65 officer key, both named in their own certificate.
import type { UserId } from '../cable/types.ts';
import { parseUserId } from '../cable/ids.ts';
import { signHybrid, verifyHybrid, type HybridPublicKey, type HybridSecretKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { DecodeError, VerificationError } from '../errors.ts';
import type { CborMap, Fields } from '../encoding/fields.ts';
import { HYBRID_SIGNATURE_CBOR_BYTES, hybridSignatureFromFields, hybridSignatureToCbor } from './hybrid-fields.ts';
import { Labels } from './labels.ts';
import { RECORD_VERSION, bytesToVerify, checkedBody, decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';

/** SHA-256: the length of the certificate hash an endorsement names. */
export const ENDORSED_CERTIFICATE_HASH_LENGTH = 32;

/**
 * - `certificate`: SHA-256 of the endorsed officer certificate as the root signed it (`officerCertificateHash`:
 *   body and root signature, without endorsements), so it endorses exactly one appointment — its officer, scope,
 *   keys and window.
 * - `endorser`: the officer who endorses; their certificate's hybrid key signs.
 * - `endorsedAt`: when (the endorser's clock): a record for the audit trail. Validity is checked at the verifier's
 *   time, as everywhere in src/keys (docs/keys.md "Not yet enforced": times from the log).
 */
export interface OfficerEndorsement {
  readonly certificate: Uint8Array;
  readonly endorser: UserId;
  readonly endorsedAt: UnixMillis;
  readonly signature: HybridSignature;
}

export type OfficerEndorsementBody = Omit<OfficerEndorsement, 'signature'>;

/** Required keys of an endorsement's CBOR map, signature and version included (for embedding in a certificate). */
export const OFFICER_ENDORSEMENT_KEYS = ['v', 'certificate', 'endorser', 'endorsedAt', 'sig'] as const;

const spec: RecordSpec<OfficerEndorsementBody> = {
  what: 'officer-endorsement',
  label: Labels.officerEndorsement,
  maxBytes: 512 + HYBRID_SIGNATURE_CBOR_BYTES,
  required: ['certificate', 'endorser', 'endorsedAt'],
  optional: [],
  toCbor: (b) => ({ certificate: b.certificate, endorser: b.endorser, endorsedAt: b.endorsedAt }),
  fromFields: (f) => ({
    certificate: f.bytes('certificate', ENDORSED_CERTIFICATE_HASH_LENGTH),
    endorser: f.id('endorser', parseUserId),
    endorsedAt: f.uint('endorsedAt'),
  }),
};

/** The largest encoded endorsement accepted, signature included. */
export const OFFICER_ENDORSEMENT_MAX_BYTES = spec.maxBytes;

/**
 * Endorses an appointment with the endorsing officer's hybrid secret (`officerSigningKey` of their device seed).
 *
 * @example
 * ```ts
 * const e = await signOfficerEndorsement(p, { certificate: officerCertificateHash(p, cert), endorser: me, endorsedAt: Date.now() }, mine.secret);
 * ```
 */
export async function signOfficerEndorsement(p: CryptoProvider, body: OfficerEndorsementBody, officerSecret: HybridSecretKey): Promise<OfficerEndorsement> {
  const checked = checkedBody(spec, body);
  return { ...checked.body, signature: await signHybrid(p, officerSecret, checked.message) };
}

/** Canonical CBOR of one endorsement on its own. */
export function encodeOfficerEndorsement(e: OfficerEndorsement): Uint8Array {
  return encodeSigned(spec, e, hybridSignatureToCbor(e.signature));
}

/** Parses one endorsement on its own; checks shape and canonical form, not the signature. */
export function decodeOfficerEndorsement(bytes: Uint8Array): OfficerEndorsement {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: hybridSignatureFromFields(sig, 'sig') };
}

/** The endorsement as a CBOR map (version and signature included), for a record that carries it inline. */
export function officerEndorsementToCbor(e: OfficerEndorsement): CborMap {
  checkedBody(spec, e);
  return { v: RECORD_VERSION, ...spec.toCbor(e), sig: hybridSignatureToCbor(e.signature) };
}

/** Reads an endorsement carried inline (a map with exactly `OFFICER_ENDORSEMENT_KEYS`). */
export function officerEndorsementFromFields(f: Fields): OfficerEndorsement {
  if (!f.is('v', RECORD_VERSION)) throw new DecodeError('encoding.unsupported_version', 'officer-endorsement: unsupported version');
  return { ...spec.fromFields(f), signature: hybridSignatureFromFields(f, 'sig') };
}

/**
 * Checks the endorsement's hybrid signature under `endorserKey` (both halves must verify): `verify.bad_signature`.
 * Who the endorser is, and whether they may endorse, is `verifyOfficerAppointment`'s business.
 */
export async function verifyOfficerEndorsement(p: CryptoProvider, e: OfficerEndorsement, endorserKey: HybridPublicKey): Promise<void> {
  if (!(await verifyHybrid(p, endorserKey, bytesToVerify(spec, e), e.signature))) {
    throw new VerificationError('verify.bad_signature', 'officer-endorsement: signature does not verify');
  }
}
