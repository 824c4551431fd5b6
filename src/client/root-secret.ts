// The organisation root's secret in memory, once read from its file (src/client/root-key.ts, Node only): what the
// offline acts that need the root (appointing an officer, certifying a peer) take. Pure: runs in the browser too.
import { wipe } from '../bytes.ts';
import type { HybridSecretKey } from '../crypto/hybrid-signature.ts';
import type { OrganisationRoot, OrgId } from '../keys/organisation-root.ts';

export interface RootKey {
  readonly org: OrgId;
  readonly secret: HybridSecretKey;
  /** The root's public record (its fingerprint is what devices pin). */
  readonly root: OrganisationRoot;
}

export function wipeRootKey(key: RootKey): void {
  wipe(key.secret.ed25519Seed, key.secret.mlDsa65Secret);
}
