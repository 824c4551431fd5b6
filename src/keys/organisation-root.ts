// The organisation root: the offline hybrid key of a ministry or institution, which certifies its nodes and
// security officers. Peers pin its fingerprint; nothing a node says outranks it (DESIGN.md "Keys, trust and the
// ghost-device defence"). The record is self-signed, proving possession of both private halves.
import { equalBytes } from '../bytes.ts';
import { parseNodeName } from '../cable/ids.ts';
import { signHybrid, verifyHybrid, type HybridPublicKey, type HybridSecretKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { VerificationError } from '../errors.ts';
import { HYBRID_PUBLIC_CBOR_BYTES, HYBRID_SIGNATURE_CBOR_BYTES, hybridPublicFromFields, hybridPublicToCbor, hybridSignatureFromFields, hybridSignatureToCbor } from './hybrid-fields.ts';
import { Labels } from './labels.ts';
import { bytesToVerify, checkedBody, decodeSigned, encodeBody, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

declare const orgBrand: unique symbol;
/** An organisation's code, e.g. `EEAS` or `MFA.CY`. */
export type OrgId = string & { readonly [orgBrand]: 'OrgId' };

/**
 * Parses an organisation id. An organisation names its root node, so its id follows the node-name grammar (dotted
 * upper-case segments, at most 32 chars). Throws ValidationError (`cable.node.format`, `cable.field.type`).
 *
 * @example
 * ```ts
 * const org = parseOrgId('MFA.CY');
 * ```
 */
export function parseOrgId(value: string): OrgId {
  const name: string = parseNodeName(value, 'org');
  return name as OrgId; // the brand is the only thing added: parseNodeName is the check
}

/**
 * The root's public record.
 * - `publicKey`: the hybrid key that signs node and officer certificates.
 * - `signature`: by that same key over the body (proof of possession).
 */
export interface OrganisationRoot {
  readonly org: OrgId;
  readonly publicKey: HybridPublicKey;
  readonly createdAt: UnixMillis;
  readonly signature: HybridSignature;
}

export type OrganisationRootBody = Omit<OrganisationRoot, 'signature'>;

/** A root whose self-signature verified and whose fingerprint equals the one the verifier pinned. */
export type PinnedRoot = Verified<OrganisationRoot & { readonly fingerprint: Uint8Array }>;

const spec: RecordSpec<OrganisationRootBody> = {
  what: 'organisation-root',
  label: Labels.organisationRoot,
  maxBytes: 1024 + HYBRID_PUBLIC_CBOR_BYTES + HYBRID_SIGNATURE_CBOR_BYTES,
  required: ['org', 'key', 'createdAt'],
  optional: [],
  toCbor: (b) => ({ org: b.org, key: hybridPublicToCbor(b.publicKey), createdAt: b.createdAt }),
  fromFields: (f) => ({ org: f.id('org', parseOrgId), publicKey: hybridPublicFromFields(f, 'key'), createdAt: f.uint('createdAt') }),
};

/**
 * Self-signs a root record with the root's own secret key (done once, offline, at the root ceremony).
 *
 * @example
 * ```ts
 * const root = await signOrganisationRoot(p, { org: 'MFA.CY' as OrgId, publicKey: key.public, createdAt: Date.now() }, key.secret);
 * ```
 */
export async function signOrganisationRoot(p: CryptoProvider, body: OrganisationRootBody, secret: HybridSecretKey): Promise<OrganisationRoot> {
  const checked = checkedBody(spec, body);
  return { ...checked.body, signature: await signHybrid(p, secret, checked.message) };
}

/** Canonical CBOR of the whole record (body and self-signature). */
export function encodeOrganisationRoot(root: OrganisationRoot): Uint8Array {
  return encodeSigned(spec, root, hybridSignatureToCbor(root.signature));
}

/** Parses a root record; checks shape and canonical form, not the signature (see `pinRoot`). */
export function decodeOrganisationRoot(bytes: Uint8Array): OrganisationRoot {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: hybridSignatureFromFields(sig, 'sig') };
}

/**
 * SHA-256 of the canonical public record (the body, version included, without the signature): what peers pin and
 * compare out of band. Hex only at the edges.
 *
 * @example
 * ```ts
 * toHex(rootFingerprint(p, root)); // shown at the ceremony, typed into peers' configuration
 * ```
 */
export function rootFingerprint(p: CryptoProvider, root: OrganisationRootBody): Uint8Array {
  return p.sha256(encodeBody(spec, root));
}

/** Throws `verify.bad_signature` unless the root's self-signature verifies. */
export async function verifyOrganisationRoot(p: CryptoProvider, root: OrganisationRoot): Promise<void> {
  if (!(await verifyHybrid(p, root.publicKey, bytesToVerify(spec, root), root.signature))) {
    throw new VerificationError('verify.bad_signature', 'organisation-root: self-signature does not verify');
  }
}

/**
 * Turns a root record into a trust anchor: its fingerprint must equal the pinned one (`verify.untrusted_key`) and
 * its self-signature must verify (`verify.bad_signature`). Every chain check starts from a `PinnedRoot`.
 *
 * @example
 * ```ts
 * const anchor = await pinRoot(p, decodeOrganisationRoot(bytes), fromHex(configuredFingerprint));
 * ```
 */
export async function pinRoot(p: CryptoProvider, root: OrganisationRoot, pinnedFingerprint: Uint8Array): Promise<PinnedRoot> {
  const fingerprint = rootFingerprint(p, root);
  if (!equalBytes(fingerprint, pinnedFingerprint)) throw new VerificationError('verify.untrusted_key', 'organisation-root: fingerprint is not the pinned one');
  await verifyOrganisationRoot(p, root);
  return markVerified({ ...root, fingerprint });
}
