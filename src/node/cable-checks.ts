// What the node checks of a cable envelope before it stores or releases it: signatures by approved devices whose
// chains reach the right root, and a manifest that wraps to the current open epoch of every addressed office of
// this node and to this node's own release service. A cable sent here may also be addressed to offices of peers
// (docs/federation.md): each must be hosted by an active peer, and its shares wrapped to that peer's certified
// release service. A cable a peer pushes is checked for our offices only; its signers chain to the peer's root.
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import { equalBytes } from '../bytes.ts';
import { VerificationError } from '../errors.ts';
import { decodeEnvelope } from '../envelope/codec.ts';
import type { Role } from '../envelope/format.ts';
import type { SignerKeyResolver } from '../envelope/signatures.ts';
import { verifyEnvelope, type VerifiedEnvelope } from '../envelope/verify.ts';
import { decodeNodeCertificate } from '../keys/node-certificate.ts';
import type { NodeContext } from './node-context.ts';
import { trustedPeer } from './federation/peers.ts';
import { verifiedDevice } from './trust.ts';
import { remoteSignerKey } from './federation/remote-signers.ts';
import type { Envelope } from '../envelope/types.ts';

/**
 * Who the cable comes from: a device of this node (`local`: every addressed office must be ours or an active
 * peer's), or a peer that pushed it (`peer`: its signers are the peer's devices, resolved by `resolve`, and only the
 * entries of our offices are ours to check).
 */
export type CableSource = { readonly kind: 'local' } | { readonly kind: 'peer'; readonly peer: NodeName; readonly resolve: SignerKeyResolver };

const LOCAL: CableSource = { kind: 'local' };

/**
 * Who signed a cable stored here, by the node its originating office is hosted at (the manifest's first entry):
 * our devices for our cables, the peer's devices — chained to the peer's root — for a cable a peer delivered.
 */
export function storedCableSigners(node: NodeContext, envelope: Envelope): SignerKeyResolver {
  const origin = envelope.header.manifest[0]?.node;
  if (origin === undefined || origin === node.identity.node) return async (user, device) => (await verifiedDevice(node, user, device)).record.signingKey;
  return (user, device) => remoteSignerKey(node, origin, user, device);
}

/** Decodes and verifies an envelope for this node; `roles` are the signatures required so far. */
export async function verifyForNode(node: NodeContext, bytes: Uint8Array, roles: readonly Role[], source: CableSource = LOCAL): Promise<VerifiedEnvelope> {
  const envelope = decodeEnvelope(bytes);
  const resolve = source.kind === 'peer' ? source.resolve : async (user: UserId, device: DeviceId) => (await verifiedDevice(node, user, device)).record.signingKey;
  const verified = await verifyEnvelope(node.p, envelope, resolve, { roles });
  checkOwnKeys(node, verified);
  if (source.kind === 'local') await checkPeerKeys(node, verified);
  return verified;
}

function checkOwnKeys(node: NodeContext, verified: VerifiedEnvelope): void {
  const self = node.identity.node;
  const { manifest, release } = verified.envelope.header;
  const releaseKey = decodeNodeCertificate(node.identity.certificate).releaseKey;
  node.store.transaction((tx) => {
    for (const m of manifest.filter((e) => e.node === self)) {
      if (!tx.getOffice(m.office)) throw new VerificationError('verify.untrusted_key', `office ${m.office} is not hosted at this node`);
      const current = tx.currentEpoch(m.office, m.level);
      if (!current || current.epoch !== m.epoch || !equalBytes(current.keyHash, m.keyHash)) {
        throw new VerificationError('verify.untrusted_key', `${m.office} ${m.level}: not sealed to its current open epoch`);
      }
    }
  });
  for (const r of release.filter((e) => e.node === self)) {
    if (!equalBytes(r.keyHash, node.p.sha256(releaseKey))) throw new VerificationError('verify.untrusted_key', `release shares not sealed to this node's release service`);
  }
}

/**
 * Offices of other nodes in a cable sent here: each hosted by an active peer as its directory lists it, and the
 * peer's second shares wrapped to the release key its root certified. (The peer checks the epochs itself when the
 * cable arrives: its current epochs are its to know.)
 */
async function checkPeerKeys(node: NodeContext, verified: VerifiedEnvelope): Promise<void> {
  const self = node.identity.node;
  const { manifest, release } = verified.envelope.header;
  const remote = manifest.filter((m) => m.node !== self);
  if (remote.length === 0 && release.every((r) => r.node === self)) return;
  node.store.transaction((tx) => {
    for (const m of remote) {
      if (tx.getPeerOffice(m.office)?.peer !== m.node || tx.getPeer(m.node)?.removedAt !== null) {
        throw new VerificationError('verify.untrusted_key', `office ${m.office} is not hosted by ${m.node}, or ${m.node} is not a peer of this node`);
      }
    }
  });
  for (const r of release.filter((e) => e.node !== self)) {
    const peer = await trustedPeer(node, r.node);
    if (!peer) throw new VerificationError('verify.untrusted_key', `${r.node} is not a peer of this node`);
    if (!equalBytes(r.keyHash, node.p.sha256(peer.node.releaseKey))) {
      throw new VerificationError('verify.untrusted_key', `release shares for ${r.node} are not sealed to its certified release service`);
    }
  }
}
