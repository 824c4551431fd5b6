// The keeper's reuse of verified officer certificates, as the web process's trust cache does (src/node/trust.ts):
// each share checks the logged device's chain, whose approving officer's certificate costs an ML-DSA-65
// verification. The very same certificate bytes, verified within a minute, count as verified if valid now.
import { toHex } from '../../bytes.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { encodeOfficerCertificate, verifyOfficerCertificate, type OfficerVerifier, type VerifiedOfficer } from '../../keys/officer-certificate.ts';
import type { PinnedRoot } from '../../keys/organisation-root.ts';
import { BoundedTtlCache } from '../bounded-cache.ts';
import { TRUST_CACHE_MAX_ENTRIES, TRUST_CACHE_TTL_MS } from '../trust.ts';

/**
 * An officer verifier against `root` at `now()` that remembers what it verified.
 *
 * @example
 * ```ts
 * const verifyOfficer = cachedOfficerVerifier(p, root, () => Date.now());
 * ```
 */
export function cachedOfficerVerifier(p: CryptoProvider, root: PinnedRoot, now: () => number): OfficerVerifier {
  const cache = new BoundedTtlCache<string, VerifiedOfficer>(TRUST_CACHE_MAX_ENTRIES, TRUST_CACHE_TTL_MS);
  return async (certificate) => {
    const at = now();
    const key = toHex(p.sha256(encodeOfficerCertificate(certificate)));
    const cached = cache.get(key, at);
    if (cached && cached.validFrom <= at && at <= cached.validUntil) return cached;
    const verified = await verifyOfficerCertificate(p, certificate, root, at);
    cache.set(key, verified, at);
    return verified;
  };
}
