// A node's certificate, signed by its organisation's root: the node's hybrid signing key, the X-Wing key of its
// release service — the key the envelope wraps every second share s2 to (DESIGN.md "The envelope" step 4) — and its
// audit log's checkpoint key, so a device trusts the log on the root's word, not the node's
// (docs/decisions/013-root-certified-log-key.md).
import type { NodeName } from '../cable/types.ts';
import { parseNodeName } from '../cable/ids.ts';
import { signHybrid, verifyHybrid, type HybridPublicKey, type HybridSecretKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing } from '../crypto/xwing.ts';
import { VerificationError } from '../errors.ts';
import type { Fields } from '../encoding/fields.ts';
import { HYBRID_PUBLIC_CBOR_BYTES, HYBRID_SIGNATURE_CBOR_BYTES, hybridPublicFromFields, hybridPublicToCbor, hybridSignatureFromFields, hybridSignatureToCbor } from './hybrid-fields.ts';
import { Labels } from './labels.ts';
import { parseOrgId, type OrgId, type PinnedRoot } from './organisation-root.ts';
import { bytesToVerify, checkedBody, decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import { checkValidAt, type UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

/** Longest node URL accepted. */
export const MAX_NODE_URL_LENGTH = 2048;
/** Longest log origin accepted (a C2SP note key name: printable, no spaces). */
export const MAX_LOG_ORIGIN_LENGTH = 256;

/**
 * The node's audit log as its root certifies it: the checkpoint origin (`chancery/<node>`, also the Ed25519 note key
 * name) and the hybrid key that signs checkpoints — a key of the log's own, not the node's `signingKey`.
 */
export interface CertifiedLog {
  readonly origin: string;
  readonly publicKey: HybridPublicKey;
}

/**
 * - `signingKey`: signs the node's federation pushes.
 * - `releaseKey`: X-Wing public key (1216 bytes) of the node's release service.
 * - `log`: the audit log's origin and checkpoint key. Absent only in certificates issued before the root certified
 *   log keys; clients refuse such a node (src/client/session.ts).
 * - `url`: where peers reach the node, if it is reachable (1–2048 printable ASCII characters, no spaces; absent,
 *   never empty, when there is none).
 * - `serial`: the root's serial number for this certificate, unique per org (revocation will name it).
 */
export interface NodeCertificate {
  readonly node: NodeName;
  readonly org: OrgId;
  readonly signingKey: HybridPublicKey;
  readonly releaseKey: Uint8Array;
  readonly log?: CertifiedLog;
  readonly url?: string;
  readonly validFrom: UnixMillis;
  readonly validUntil: UnixMillis;
  readonly serial: number;
  readonly signature: HybridSignature;
}

export type NodeCertificateBody = Omit<NodeCertificate, 'signature'>;

const spec: RecordSpec<NodeCertificateBody> = {
  what: 'node-certificate',
  label: Labels.nodeCertificate,
  maxBytes: 2048 + MAX_NODE_URL_LENGTH + MAX_LOG_ORIGIN_LENGTH + 2 * HYBRID_PUBLIC_CBOR_BYTES + XWing.publicKeyLength + HYBRID_SIGNATURE_CBOR_BYTES,
  required: ['node', 'org', 'signingKey', 'releaseKey', 'validFrom', 'validUntil', 'serial'],
  optional: ['url', 'log'],
  toCbor: (b) => ({
    node: b.node,
    org: b.org,
    signingKey: hybridPublicToCbor(b.signingKey),
    releaseKey: b.releaseKey,
    ...(b.log === undefined ? {} : { log: { origin: b.log.origin, publicKey: hybridPublicToCbor(b.log.publicKey) } }),
    ...(b.url === undefined ? {} : { url: b.url }),
    validFrom: b.validFrom,
    validUntil: b.validUntil,
    serial: b.serial,
  }),
  fromFields: (f) => ({
    node: f.id('node', parseNodeName),
    org: f.id('org', parseOrgId),
    signingKey: hybridPublicFromFields(f, 'signingKey'),
    releaseKey: f.bytes('releaseKey', XWing.publicKeyLength),
    ...(f.has('log') ? { log: logFromFields(f) } : {}),
    ...(f.has('url') ? { url: f.token('url', MAX_NODE_URL_LENGTH) } : {}),
    validFrom: f.uint('validFrom'),
    validUntil: f.uint('validUntil'),
    serial: f.uint('serial'),
  }),
};

function logFromFields(f: Fields): CertifiedLog {
  const log = f.map('log', ['origin', 'publicKey']);
  return { origin: log.token('origin', MAX_LOG_ORIGIN_LENGTH), publicKey: hybridPublicFromFields(log, 'publicKey') };
}

/**
 * Issues a node certificate with the root's secret key (offline).
 *
 * @example
 * ```ts
 * const cert = await signNodeCertificate(p, { node, org, signingKey, releaseKey, log, validFrom, validUntil, serial: 1 }, rootKey.secret);
 * ```
 */
export async function signNodeCertificate(p: CryptoProvider, body: NodeCertificateBody, rootSecret: HybridSecretKey): Promise<NodeCertificate> {
  const checked = checkedBody(spec, body);
  return { ...checked.body, signature: await signHybrid(p, rootSecret, checked.message) };
}

/** Canonical CBOR of the certificate. */
export function encodeNodeCertificate(cert: NodeCertificate): Uint8Array {
  return encodeSigned(spec, cert, hybridSignatureToCbor(cert.signature));
}

/** Parses a node certificate; checks shape and canonical form, not the signature. */
export function decodeNodeCertificate(bytes: Uint8Array): NodeCertificate {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: hybridSignatureFromFields(sig, 'sig') };
}

/**
 * Verifies a node certificate against a pinned root at time `at`: same organisation (`verify.untrusted_key`), the
 * root's hybrid signature (`verify.bad_signature`), a validity window containing `at` (`verify.untrusted_key`).
 *
 * @example
 * ```ts
 * const node = await verifyNodeCertificate(p, cert, anchor, Date.now());
 * wrapSecondShareTo(node.releaseKey);
 * ```
 */
export async function verifyNodeCertificate(p: CryptoProvider, cert: NodeCertificate, root: PinnedRoot, at: UnixMillis): Promise<Verified<NodeCertificate>> {
  if (cert.org !== root.org) throw new VerificationError('verify.untrusted_key', 'node-certificate: issued for another organisation');
  if (!(await verifyHybrid(p, root.publicKey, bytesToVerify(spec, cert), cert.signature))) {
    throw new VerificationError('verify.bad_signature', 'node-certificate: root signature does not verify');
  }
  checkValidAt('node-certificate', cert, at);
  return markVerified(cert);
}
