// What the node checks of a cable envelope before it stores or releases it: signatures by approved devices whose
// chains reach the root, and a manifest that wraps to the current open epoch of every addressed office and to this
// node's own release service. Federation (issue 5) extends this to offices hosted by peers.
import type { DeviceId, UserId } from '../cable/types.ts';
import { equalBytes } from '../bytes.ts';
import { VerificationError } from '../errors.ts';
import { decodeEnvelope } from '../envelope/codec.ts';
import type { Role } from '../envelope/format.ts';
import { verifyEnvelope, type VerifiedEnvelope } from '../envelope/verify.ts';
import { decodeNodeCertificate } from '../keys/node-certificate.ts';
import type { NodeContext } from './node-context.ts';
import { verifiedDevice } from './trust.ts';

/** Decodes and verifies an envelope for this node; `roles` are the signatures required so far. */
export async function verifyForNode(node: NodeContext, bytes: Uint8Array, roles: readonly Role[]): Promise<VerifiedEnvelope> {
  const envelope = decodeEnvelope(bytes);
  const resolve = async (user: UserId, device: DeviceId) => (await verifiedDevice(node, user, device)).record.signingKey;
  const verified = await verifyEnvelope(node.p, envelope, resolve, { roles });
  checkKeys(node, verified);
  return verified;
}

function checkKeys(node: NodeContext, verified: VerifiedEnvelope): void {
  const { manifest, release } = verified.envelope.header;
  const releaseKey = decodeNodeCertificate(node.identity.certificate).releaseKey;
  node.store.transaction((tx) => {
    for (const m of manifest) {
      if (m.node !== node.identity.node || !tx.getOffice(m.office)) {
        throw new VerificationError('verify.untrusted_key', `office ${m.office} is not hosted at this node (federation is not enabled)`);
      }
      const current = tx.currentEpoch(m.office, m.level);
      if (!current || current.epoch !== m.epoch || !equalBytes(current.keyHash, m.keyHash)) {
        throw new VerificationError('verify.untrusted_key', `${m.office} ${m.level}: not sealed to its current open epoch`);
      }
    }
  });
  for (const r of release) {
    if (r.node !== node.identity.node || !equalBytes(r.keyHash, node.p.sha256(releaseKey))) {
      throw new VerificationError('verify.untrusted_key', `release shares not sealed to this node's release service`);
    }
  }
}
