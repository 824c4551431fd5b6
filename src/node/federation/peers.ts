// The node's peers as our root vouches for them: each stored peer's certificate verified against our pinned root,
// the peer's root pinned by it, and the peer's node certificate verified against that root. Verified once per
// stored bytes and reused for a minute (like trust.ts), since every peer request needs the peer's node key.
import type { NodeName } from '../../cable/types.ts';
import { concatBytes, toHex } from '../../bytes.ts';
import { AuthError, VerificationError } from '../../errors.ts';
import { decodeNodeCertificate, verifyNodeCertificate, type NodeCertificate } from '../../keys/node-certificate.ts';
import { decodePeerCertificate, verifyPeerCertificate, type VerifiedPeer } from '../../keys/peer-certificate.ts';
import type { Verified } from '../../keys/verified.ts';
import type { PeerRow } from '../../store/store.ts';
import { BoundedTtlCache } from '../bounded-cache.ts';
import type { NodeContext } from '../node-context.ts';
import { pinnedRoot, TRUST_CACHE_TTL_MS } from '../trust.ts';

/** A peer whose whole chain verified: our root → peer certificate → peer root → peer node certificate. */
export interface TrustedPeer extends VerifiedPeer {
  readonly row: PeerRow;
  readonly node: Verified<NodeCertificate>;
}

const caches = new WeakMap<NodeContext, BoundedTtlCache<string, TrustedPeer>>();

function cacheOf(node: NodeContext): BoundedTtlCache<string, TrustedPeer> {
  let c = caches.get(node);
  if (!c) caches.set(node, (c = new BoundedTtlCache(256, TRUST_CACHE_TTL_MS)));
  return c;
}

/**
 * Verifies a peer's records as they would be stored: our root's certificate, the peer root it pins, and the peer's
 * node certificate, which must name the peer and its organisation. `verify.*` errors say which link failed.
 */
export async function verifyPeerRecords(node: NodeContext, row: Pick<PeerRow, 'node' | 'certificate' | 'root' | 'nodeCertificate'>, at: number): Promise<VerifiedPeer & { readonly node: Verified<NodeCertificate> }> {
  const certificate = decodePeerCertificate(row.certificate);
  if (certificate.peer !== row.node) throw new VerificationError('verify.untrusted_key', `the peer certificate is for ${certificate.peer}, not ${row.node}`);
  const peer = await verifyPeerCertificate(node.p, certificate, await pinnedRoot(node), row.root, at);
  const nodeCertificate = decodeNodeCertificate(row.nodeCertificate);
  if (nodeCertificate.node !== row.node) throw new VerificationError('verify.untrusted_key', `the node certificate is for ${nodeCertificate.node}, not ${row.node}`);
  const verifiedNode = await verifyNodeCertificate(node.p, nodeCertificate, peer.root, at);
  return { ...peer, node: verifiedNode };
}

/**
 * An active peer of this node, verified; `null` when no such peer is stored (or it was removed). A stored peer
 * whose records no longer verify (expired) is an error, not silently ignored.
 */
export async function trustedPeer(node: NodeContext, name: NodeName): Promise<TrustedPeer | null> {
  const row = node.store.transaction((tx) => tx.getPeer(name));
  if (!row || row.removedAt !== null) return null;
  const key = toHex(node.p.sha256(concatBytes(row.certificate, row.root, row.nodeCertificate)));
  const cache = cacheOf(node);
  const now = node.now();
  const hit = cache.get(key, now);
  if (hit) return hit;
  const verified = { ...(await verifyPeerRecords(node, row, now)), row };
  cache.set(key, verified, now);
  return verified;
}

/** The peer's Ed25519 request-signing key, or the AuthError a request from it gets. */
export async function peerRequestKey(node: NodeContext, name: NodeName): Promise<Uint8Array | AuthError> {
  try {
    const peer = await trustedPeer(node, name);
    if (!peer) return new AuthError('auth.unknown_peer', `${name} is not a peer of this node`);
    return peer.node.signingKey.ed25519;
  } catch (cause) {
    return new AuthError('auth.unknown_peer', `the records of peer ${name} do not verify`, { cause });
  }
}
