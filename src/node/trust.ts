// The node's view of trust: its pinned organisation root, and the chains of officers, devices and epochs it checks
// before storing or using a record. Reads rows in one store transaction, then verifies outside it (signature checks
// are asynchronous; SQLite transactions are not).
import type { DeviceId, UserId } from '../cable/types.ts';
import { VerificationError } from '../errors.ts';
import { decodeDeviceRecord, type DeviceRecord } from '../keys/device-record.ts';
import { verifyDeviceChain, type VerifiedDevice } from '../keys/device-chain.ts';
import { verifyEpochChain, type VerifiedEpoch } from '../keys/epoch-chain.ts';
import { decodeOfficeEpoch } from '../keys/office-epoch.ts';
import { decodeOfficerCertificate, verifyOfficerCertificate, type OfficerCertificate, type VerifiedOfficer } from '../keys/officer-certificate.ts';
import { decodeOrganisationRoot, pinRoot, rootFingerprint, type PinnedRoot } from '../keys/organisation-root.ts';
import type { EpochRow, StoreTx } from '../store/store.ts';
import type { NodeContext } from './node-context.ts';

const roots = new WeakMap<NodeContext, Promise<PinnedRoot>>();

/** The node's own organisation root, verified once (it is the node's configuration, pinned at init). */
export function pinnedRoot(node: NodeContext): Promise<PinnedRoot> {
  let root = roots.get(node);
  if (!root) {
    const decoded = decodeOrganisationRoot(node.identity.root);
    root = pinRoot(node.p, decoded, rootFingerprint(node.p, decoded));
    roots.set(node, root);
  }
  return root;
}

/** Every officer certificate the node holds, decoded. */
export function officerCertificates(tx: StoreTx): OfficerCertificate[] {
  return tx.listOfficerCertificates().map((bytes) => decodeOfficerCertificate(bytes));
}

/** The caller's officer certificate, verified against the root now; throws `request.forbidden` if none. */
export async function verifiedOfficerOf(node: NodeContext, user: UserId): Promise<VerifiedOfficer> {
  const bytes = node.store.transaction((tx) => tx.getOfficerCertificate(user));
  if (!bytes) throw new VerificationError('verify.untrusted_key', `${user} is not a security officer of this node`);
  return verifyOfficerCertificate(node.p, decodeOfficerCertificate(bytes), await pinnedRoot(node), node.now());
}

function approvedRecords(tx: StoreTx, user: UserId): DeviceRecord[] {
  return tx.listDevices(user).filter((d) => d.status === 'approved').map((d) => decodeDeviceRecord(d.record));
}

/**
 * An approved device whose approval chain reaches the root; `verify.untrusted_key` otherwise. Not an AuthError:
 * besides authentication (which maps it to `auth.*`), it checks third parties — a grant's recipient, a cable's
 * signers — where the caller's own credentials are fine and a 401 would be a lie.
 */
export async function verifiedDevice(node: NodeContext, user: UserId, device: DeviceId): Promise<VerifiedDevice> {
  const { records, officers } = node.store.transaction((tx) => ({ records: approvedRecords(tx, user), officers: officerCertificates(tx) }));
  const record = records.find((r) => r.device === device);
  if (!record) throw new VerificationError('verify.untrusted_key', 'no such approved device');
  return verifyDeviceChain(node.p, { device: record, devices: records, officers, root: await pinnedRoot(node), at: node.now() });
}

/** An epoch row's record, chained to the root through its certifying officer. */
export async function verifiedEpoch(node: NodeContext, row: EpochRow): Promise<VerifiedEpoch> {
  const epoch = decodeOfficeEpoch(row.record);
  const certBytes = node.store.transaction((tx) => tx.getOfficerCertificate(epoch.certifiedBy));
  if (!certBytes) throw new VerificationError('verify.untrusted_key', `epoch certified by ${epoch.certifiedBy}, who is not an officer here`);
  return verifyEpochChain(node.p, { epoch, officerCert: decodeOfficerCertificate(certBytes), root: await pinnedRoot(node), at: node.now() });
}
