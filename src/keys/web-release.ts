// A web release: the organisation root's signed word that one build of the web app — named by the SHA-256 of its
// manifest.json, which lists the SHA-256 of every file — may run in its members' browsers (issue 6 "Client
// integrity"; docs/web-integrity.md). The root, not the node, is the release authority: a node's online keys can
// serve a bundle but never bless one. Pure core: the service worker verifies these records in the browser.
import { equalBytes } from '../bytes.ts';
import { signHybrid, verifyHybrid, type HybridSecretKey, type HybridSignature } from '../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { VerificationError } from '../errors.ts';
import { HYBRID_SIGNATURE_CBOR_BYTES, hybridSignatureFromFields, hybridSignatureToCbor } from './hybrid-fields.ts';
import { Labels } from './labels.ts';
import { parseOrgId, type OrgId, type PinnedRoot } from './organisation-root.ts';
import { bytesToVerify, checkedBody, decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

/** A release's version text: the package version and a short manifest hash (`0.1.0+3f9a0c1d2e4b`). */
export const WEB_RELEASE_VERSION_MAX = 64;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;

/**
 * - `org`: the organisation whose root signs (org-wide: every node of the organisation may serve the release).
 * - `version`: what people call the release; not checked against anything, shown in refusals and the log.
 * - `manifestHash`: SHA-256 of the exact bytes of the build's manifest.json.
 * - `issuedAt`: when the root signed it.
 */
export interface WebRelease {
  readonly org: OrgId;
  readonly version: string;
  readonly manifestHash: Uint8Array;
  readonly issuedAt: UnixMillis;
  readonly signature: HybridSignature;
}

export type WebReleaseBody = Omit<WebRelease, 'signature'>;

function parseVersion(value: string): string {
  if (!VERSION.test(value)) throw new RangeError('web-release: version must be 1–64 of [0-9A-Za-z.+_-], starting with a letter or digit');
  return value;
}

const spec: RecordSpec<WebReleaseBody> = {
  what: 'web-release',
  label: Labels.webRelease,
  maxBytes: 512 + HYBRID_SIGNATURE_CBOR_BYTES,
  required: ['org', 'version', 'manifestHash', 'issuedAt'],
  optional: [],
  toCbor: (b) => ({ org: b.org, version: b.version, manifestHash: b.manifestHash, issuedAt: b.issuedAt }),
  fromFields: (f) => ({
    org: f.id('org', parseOrgId),
    version: f.id('version', parseVersion),
    manifestHash: f.bytes('manifestHash', 32),
    issuedAt: f.uint('issuedAt'),
  }),
};

/** Signs a web release with the organisation root's secret key (offline, at `chancery web release`). */
export async function signWebRelease(p: CryptoProvider, body: WebReleaseBody, rootSecret: HybridSecretKey): Promise<WebRelease> {
  const checked = checkedBody(spec, body);
  return { ...checked.body, signature: await signHybrid(p, rootSecret, checked.message) };
}

export function encodeWebRelease(release: WebRelease): Uint8Array {
  return encodeSigned(spec, release, hybridSignatureToCbor(release.signature));
}

/** Parses a web release; checks shape and canonical form, not the signature. */
export function decodeWebRelease(bytes: Uint8Array): WebRelease {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: hybridSignatureFromFields(sig, 'sig') };
}

/**
 * Checks a web release against the pinned root: of its organisation (`verify.untrusted_key`), signed by it
 * (`verify.bad_signature`), and — when `manifestHash` is given — for exactly that manifest (`verify.manifest_mismatch`).
 */
export async function verifyWebRelease(p: CryptoProvider, release: WebRelease, root: PinnedRoot, manifestHash?: Uint8Array): Promise<Verified<WebRelease>> {
  if (release.org !== root.org) throw new VerificationError('verify.untrusted_key', 'web-release: signed for another organisation');
  if (!(await verifyHybrid(p, root.publicKey, bytesToVerify(spec, release), release.signature))) {
    throw new VerificationError('verify.bad_signature', 'web-release: root signature does not verify');
  }
  if (manifestHash !== undefined && !equalBytes(release.manifestHash, manifestHash)) {
    throw new VerificationError('verify.manifest_mismatch', 'web-release: signed for another manifest');
  }
  return markVerified(release);
}
