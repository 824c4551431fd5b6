// What a reader (and a node accepting a cable) checks before anything is decrypted (envelope step 5): the routing
// header is valid, the manifest names exactly the addressed offices at the cable's level, wraps and release
// bundles match the manifest, the ciphertext matches its digest, and both roles signed with known device keys.
import type { RoutingHeader } from '../cable/types.ts';
import { decodeRoutingHeader } from '../cable/codec.ts';
import { equalBytes } from '../bytes.ts';
import { VerificationError } from '../errors.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { requiresRelease, Roles, type Role } from './format.ts';
import { signatureMessage, type SignerKeyResolver } from './signatures.ts';
import type { Envelope } from './types.ts';

/** An envelope whose structure and signatures were checked, with its decoded routing header. */
export interface VerifiedEnvelope {
  readonly envelope: Envelope;
  readonly routing: RoutingHeader;
  readonly routingDigest: Uint8Array;
}

function mismatch(message: string): never {
  throw new VerificationError('verify.manifest_mismatch', message);
}

function checkManifest(envelope: Envelope, routing: RoutingHeader): void {
  const { manifest, release } = envelope.header;
  const addressed = [routing.from, ...routing.to, ...routing.info];
  if (manifest.length !== addressed.length) mismatch('manifest does not list exactly the addressed offices');
  manifest.forEach((m, i) => {
    if (m.office !== addressed[i]) mismatch(`manifest entry ${i} is ${m.office}, expected ${addressed[i]}`);
    if (m.level !== routing.marking.classification) mismatch(`manifest entry ${m.office} is for ${m.level}`);
  });
  if (envelope.wraps.length !== manifest.length || envelope.wraps.some((w, i) => w.office !== manifest[i]!.office)) {
    mismatch('wraps do not follow the manifest');
  }
  if (!requiresRelease(routing.marking)) {
    if (release.length !== 0 || envelope.releaseWraps.length !== 0) mismatch('this cable needs no release service and carries no shares');
    return;
  }
  // Every addressed office has its second share at exactly one release service: the one of the node hosting it.
  const seen = new Set<string>();
  const nodes = new Set<string>();
  for (const r of release) {
    if (nodes.has(r.node)) mismatch(`release service ${r.node} listed twice`);
    nodes.add(r.node);
    for (const office of r.offices) {
      const entry = manifest.find((m) => m.office === office);
      if (!entry || entry.node !== r.node || seen.has(office)) mismatch(`release shares of ${office} are misplaced`);
      seen.add(office);
    }
  }
  if (seen.size !== manifest.length) mismatch('an addressed office has no release share');
  if (envelope.releaseWraps.length !== release.length || envelope.releaseWraps.some((w, i) => w.node !== release[i]!.node)) {
    mismatch('release wraps do not follow the release list');
  }
}

async function checkSignatures(
  p: CryptoProvider,
  envelope: Envelope,
  routing: RoutingHeader,
  resolve: SignerKeyResolver,
  roles: readonly Role[],
): Promise<void> {
  for (const role of roles) {
    const sig = envelope.signatures.find((s) => s.role === role);
    if (!sig) throw new VerificationError('verify.missing_signature', `no ${role} signature`);
    const expectedUser = role === 'drafter' ? routing.drafter : routing.releaser;
    if (sig.user !== expectedUser) throw new VerificationError('verify.bad_signature', `${role} signature is not by the header's ${role}`);
    const publicKey = await resolve(sig.user, sig.device, role);
    const ok = await p.ed25519Verify(publicKey, signatureMessage(p, role, envelope.headerBytes), sig.signature);
    if (!ok) throw new VerificationError('verify.bad_signature', `${role} signature does not verify`);
  }
}

/**
 * Checks an envelope completely without any secret: what a node does on accepting a cable and a reader does
 * before opening. Throws `VerificationError` or `ValidationError`; returns the decoded routing header.
 */
export async function verifyEnvelope(
  p: CryptoProvider,
  envelope: Envelope,
  resolveSigner: SignerKeyResolver,
  options: { readonly roles?: readonly Role[] } = {},
): Promise<VerifiedEnvelope> {
  const routing = decodeRoutingHeader(envelope.header.routing);
  checkManifest(envelope, routing);
  if (envelope.content.length !== envelope.header.contentLength || !equalBytes(p.sha256(envelope.content), envelope.header.contentDigest)) {
    throw new VerificationError('verify.manifest_mismatch', 'ciphertext does not match its digest');
  }
  // A released cable needs both roles; a node checking a release before the drafter's countersignature asks
  // for the releaser's alone.
  await checkSignatures(p, envelope, routing, resolveSigner, options.roles ?? Roles);
  return { envelope, routing, routingDigest: p.sha256(envelope.header.routing) };
}
