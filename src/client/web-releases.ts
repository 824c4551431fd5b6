// Publishing a web release from a security officer's device (docs/web-integrity.md): the build's manifest.json is
// hashed exactly as served, the organisation root signs that hash (offline key file), and the node stores and logs
// the signed record. The browser's service worker then runs that build and nothing else.
import { equalBytes, toBase64, toHex } from '../bytes.ts';
import { VerificationError } from '../errors.ts';
import { rootFingerprint } from '../keys/organisation-root.ts';
import { encodeWebRelease, signWebRelease } from '../keys/web-release.ts';
import type { RootKey } from './root-key.ts';
import type { Session } from './session.ts';
import { fieldsOf } from './wire.ts';

export interface PublishedWebRelease {
  readonly manifestHash: string;
  readonly version: string;
  readonly logIndex: number;
  /** The node held this exact record already: nothing was stored or logged again. */
  readonly duplicate: boolean;
}

/** `0.1.0+3f9a0c1d2e4b`: the package version and the manifest hash's first 12 hex digits. */
export function webReleaseVersion(packageVersion: string, manifestHash: Uint8Array): string {
  return `${packageVersion}+${toHex(manifestHash).slice(0, 12)}`;
}

/**
 * Signs the manifest (its exact bytes) with the organisation root (`root`, which must be the root this device
 * pinned) and publishes it. The caller wipes `root`.
 */
export async function publishWebRelease(s: Session, root: RootKey, manifest: Uint8Array, packageVersion: string): Promise<PublishedWebRelease> {
  if (!equalBytes(rootFingerprint(s.p, root.root), s.node.root.fingerprint)) {
    throw new VerificationError('verify.untrusted_key', `the root key given is of ${root.org} (${toHex(rootFingerprint(s.p, root.root))}), not the root ${s.node.fingerprint} this device pinned for node ${s.node.name}`);
  }
  const manifestHash = s.p.sha256(manifest);
  const release = await signWebRelease(s.p, { org: root.org, version: webReleaseVersion(packageVersion, manifestHash), manifestHash, issuedAt: s.now() }, root.secret);
  const answer = await s.http.post('/api/v1/web/releases', { record: toBase64(encodeWebRelease(release)) });
  const f = fieldsOf('web release', answer, ['manifestHash', 'version', 'logIndex', 'duplicate']);
  const published = { manifestHash: f.token('manifestHash', 64), version: f.token('version', 64), logIndex: f.uint('logIndex'), duplicate: f.bool('duplicate') };
  if (published.manifestHash !== toHex(manifestHash)) throw new VerificationError('verify.manifest_mismatch', 'the node answered for another manifest');
  return published;
}
