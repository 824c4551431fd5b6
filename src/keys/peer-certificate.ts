// A peer certificate: our organisation root's signed word that node `peer`, run by organisation `peerOrg` whose root
// has fingerprint `peerRootFingerprint`, is part of our network at `url`. Adding a peer is an admin act of the
// root's holder (docs/federation.md "Peers"), so a node cannot add one on its own, and a device checks every remote
// key it seals to back to the peer's root through this record and its own pinned root.
import type { NodeName } from '../cable/types.ts';
import { parseNodeName } from '../cable/ids.ts';
import { signHybrid, verifyHybrid, type HybridSecretKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { equalBytes } from '../bytes.ts';
import { VerificationError } from '../errors.ts';
import { HYBRID_SIGNATURE_CBOR_BYTES, hybridSignatureFromFields, hybridSignatureToCbor } from './hybrid-fields.ts';
import { Labels } from './labels.ts';
import { MAX_NODE_URL_LENGTH } from './node-certificate.ts';
import { decodeOrganisationRoot, parseOrgId, pinRoot, type OrgId, type PinnedRoot } from './organisation-root.ts';
import { bytesToVerify, checkedBody, decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import { checkValidAt, type UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

/**
 * - `org`: our organisation (whose root signs); `peer`, `peerOrg`: the peer node and its organisation.
 * - `peerRootFingerprint`: SHA-256 of the peer root's public record (organisation-root.ts `rootFingerprint`), compared
 *   out of band when the peer is added; the root record itself travels beside the certificate.
 * - `url`: where our node pushes to the peer.
 */
export interface PeerCertificate {
  readonly org: OrgId;
  readonly peer: NodeName;
  readonly peerOrg: OrgId;
  readonly peerRootFingerprint: Uint8Array;
  readonly url: string;
  readonly validFrom: UnixMillis;
  readonly validUntil: UnixMillis;
  readonly signature: HybridSignature;
}

export type PeerCertificateBody = Omit<PeerCertificate, 'signature'>;

const spec: RecordSpec<PeerCertificateBody> = {
  what: 'peer-certificate',
  label: Labels.peerCertificate,
  maxBytes: 1024 + MAX_NODE_URL_LENGTH + HYBRID_SIGNATURE_CBOR_BYTES,
  required: ['org', 'peer', 'peerOrg', 'peerRootFingerprint', 'url', 'validFrom', 'validUntil'],
  optional: [],
  toCbor: (b) => ({
    org: b.org, peer: b.peer, peerOrg: b.peerOrg, peerRootFingerprint: b.peerRootFingerprint, url: b.url, validFrom: b.validFrom, validUntil: b.validUntil,
  }),
  fromFields: (f) => ({
    org: f.id('org', parseOrgId),
    peer: f.id('peer', parseNodeName),
    peerOrg: f.id('peerOrg', parseOrgId),
    peerRootFingerprint: f.bytes('peerRootFingerprint', 32),
    url: f.token('url', MAX_NODE_URL_LENGTH),
    validFrom: f.uint('validFrom'),
    validUntil: f.uint('validUntil'),
  }),
};

/** Signs a peer certificate with our root's secret key (offline, at `chancery peer add`). */
export async function signPeerCertificate(p: CryptoProvider, body: PeerCertificateBody, rootSecret: HybridSecretKey): Promise<PeerCertificate> {
  const checked = checkedBody(spec, body);
  if (checked.body.validUntil <= checked.body.validFrom) throw new RangeError('peer-certificate: validUntil must be after validFrom');
  return { ...checked.body, signature: await signHybrid(p, rootSecret, checked.message) };
}

export function encodePeerCertificate(cert: PeerCertificate): Uint8Array {
  return encodeSigned(spec, cert, hybridSignatureToCbor(cert.signature));
}

/** Parses a peer certificate; checks shape and canonical form, not the signature. */
export function decodePeerCertificate(bytes: Uint8Array): PeerCertificate {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: hybridSignatureFromFields(sig, 'sig') };
}

/** A peer as our root vouches for it: the certificate and the peer's root, pinned by the certificate's fingerprint. */
export interface VerifiedPeer {
  readonly certificate: Verified<PeerCertificate>;
  readonly root: PinnedRoot;
}

/**
 * Checks a peer certificate against our pinned root at `at` (`verify.untrusted_key` for another organisation's or
 * an expired one, `verify.bad_signature` for a bad signature), then pins the peer's root record (`peerRoot`, encoded)
 * by the certified fingerprint: what every remote key check starts from.
 */
export async function verifyPeerCertificate(p: CryptoProvider, cert: PeerCertificate, ourRoot: PinnedRoot, peerRoot: Uint8Array, at: UnixMillis): Promise<VerifiedPeer> {
  if (cert.org !== ourRoot.org) throw new VerificationError('verify.untrusted_key', 'peer-certificate: signed for another organisation');
  if (!(await verifyHybrid(p, ourRoot.publicKey, bytesToVerify(spec, cert), cert.signature))) {
    throw new VerificationError('verify.bad_signature', 'peer-certificate: root signature does not verify');
  }
  checkValidAt('peer-certificate', cert, at);
  const root = await pinRoot(p, decodeOrganisationRoot(peerRoot), cert.peerRootFingerprint);
  if (root.org !== cert.peerOrg) throw new VerificationError('verify.untrusted_key', 'peer-certificate: the peer root is of another organisation');
  if (equalBytes(root.fingerprint, ourRoot.fingerprint)) throw new VerificationError('verify.untrusted_key', 'peer-certificate: a peer of our own organisation shares our root; pin it as such, not as a peer');
  return { certificate: markVerified(cert), root };
}
