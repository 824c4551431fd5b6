// The node's view of trust: its pinned organisation root, and the chains of officers, devices and epochs it checks
// before storing or using a record. Reads rows in one store transaction, then verifies outside it (signature checks
// are asynchronous; SQLite transactions are not).
//
// Every signed request checks its device's chain (an ML-DSA-65 verification of the approving officer's certificate
// and an Ed25519 one per record), so verified officer certificates and device chains are reused for a short while,
// keyed by the root's fingerprint and the exact record bytes. On reuse the chain's other records must still be the
// stored ones (a device or approver no longer approved, a replaced officer certificate: verified afresh, and refused
// if it fails) and the officer certificate valid now; every entry is verified in full again after TRUST_CACHE_TTL_MS,
// so whatever a record cannot show bites within a minute. A revoked device is refused at once: only an approved row
// is looked up, and the revoking request drops the user's chains too. What a revoked device approved before its
// revocation stands (src/keys/device-revocation.ts).
import type { DeviceId, UserId } from '../cable/types.ts';
import { concatBytes, equalBytes, toHex } from '../bytes.ts';
import { VerificationError } from '../errors.ts';
import { decodeDeviceRecord, encodeDeviceRecord, type DeviceRecord } from '../keys/device-record.ts';
import type { VerifiedDevice } from '../keys/device-chain.ts';
import { decodeDeviceRevocation, verifyDeviceChainAsOfRevocations } from '../keys/device-revocation.ts';
import { verifyEpochChain, type VerifiedEpoch } from '../keys/epoch-chain.ts';
import { decodeOfficeEpoch } from '../keys/office-epoch.ts';
import {
  decodeOfficerCertificate, encodeOfficerCertificate, verifyOfficerCertificate, type OfficerCertificate, type OfficerVerifier, type VerifiedOfficer,
} from '../keys/officer-certificate.ts';
import { decodeOrganisationRoot, pinRoot, rootFingerprint, type PinnedRoot } from '../keys/organisation-root.ts';
import type { DeviceRow, EpochRow, StoreTx } from '../store/store.ts';
import { BoundedTtlCache } from './bounded-cache.ts';
import type { NodeContext } from './node-context.ts';

/** How long a verified officer certificate or device chain is reused before it is verified in full again. */
export const TRUST_CACHE_TTL_MS = 60_000;
/** Entries per cache (officers, devices) and node: far more than the devices active within a minute at one node. */
export const TRUST_CACHE_MAX_ENTRIES = 4096;

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

/** A verified device chain and the exact bytes it rests on besides the device's own record. */
interface CachedChain {
  readonly user: UserId;
  readonly verified: VerifiedDevice;
  /** The approving devices' records, nearest first. */
  readonly path: readonly Uint8Array[];
  readonly officerCertificate: Uint8Array;
  /** The certificates of the officers whose devices approved on the path (`officersOnPath`). */
  readonly pathOfficerCertificates: readonly Uint8Array[];
}

interface TrustCache {
  readonly officers: BoundedTtlCache<string, VerifiedOfficer>;
  readonly devices: BoundedTtlCache<string, CachedChain>;
}

const caches = new WeakMap<NodeContext, TrustCache>();

function cacheOf(node: NodeContext): TrustCache {
  let cache = caches.get(node);
  if (!cache) {
    cache = { officers: new BoundedTtlCache(TRUST_CACHE_MAX_ENTRIES, TRUST_CACHE_TTL_MS), devices: new BoundedTtlCache(TRUST_CACHE_MAX_ENTRIES, TRUST_CACHE_TTL_MS) };
    caches.set(node, cache);
  }
  return cache;
}

function cacheKey(node: NodeContext, root: PinnedRoot, record: Uint8Array): string {
  return toHex(node.p.sha256(concatBytes(root.fingerprint, record)));
}

function validAt(officer: VerifiedOfficer, at: number): boolean {
  return officer.validFrom <= at && at <= officer.validUntil;
}

/** An officer certificate (its exact bytes) verified against the root now, or as verified within the last minute. */
async function verifiedOfficerCertificate(node: NodeContext, bytes: Uint8Array): Promise<VerifiedOfficer> {
  const root = await pinnedRoot(node);
  const now = node.now();
  const cache = cacheOf(node).officers;
  const key = cacheKey(node, root, bytes);
  const cached = cache.get(key, now);
  if (cached && validAt(cached, now)) return cached;
  const verified = await verifyOfficerCertificate(node.p, decodeOfficerCertificate(bytes), root, now);
  cache.set(key, verified, now);
  return verified;
}

/** For chain checks (`verifyOfficer`): officer certificates verified through the node's cache. */
export function officerVerifier(node: NodeContext): OfficerVerifier {
  return (cert: OfficerCertificate) => verifiedOfficerCertificate(node, encodeOfficerCertificate(cert));
}

/** Every officer certificate the node holds, decoded. */
export function officerCertificates(tx: StoreTx): OfficerCertificate[] {
  return tx.listOfficerCertificates().map((bytes) => decodeOfficerCertificate(bytes));
}

/**
 * Records of the node's officers' own devices that may approve as their officer (`DeviceChainInput.officerDevices`):
 * approved, and on the audit log — an unlogged device vouches for nobody. Officers are few, so all of them.
 */
export function officerDeviceRecords(node: NodeContext, tx: StoreTx): DeviceRecord[] {
  return tx.listOfficerCertificates()
    .flatMap((bytes) => tx.listDevices(decodeOfficerCertificate(bytes).user))
    .filter((d) => d.status === 'approved' && tx.logIndexOfKeyRecord(node.p.sha256(d.record)) !== null)
    .map((d) => decodeDeviceRecord(d.record));
}

/** The caller's officer certificate, verified against the root now; throws `request.forbidden` if none. */
export async function verifiedOfficerOf(node: NodeContext, user: UserId): Promise<VerifiedOfficer> {
  const bytes = node.store.transaction((tx) => tx.getOfficerCertificate(user));
  if (!bytes) throw new VerificationError('verify.untrusted_key', `${user} is not a security officer of this node`);
  return verifiedOfficerCertificate(node, bytes);
}

/**
 * Whether a cached chain still rests on the stored records: its officer's certificate, and each approver approved —
 * or revoked by a stored revocation later than the record it approved (docs/keys.md "Device revocation").
 */
function chainStands(tx: StoreTx, chain: CachedChain, rows: readonly DeviceRow[], revokedAt: ReadonlyMap<DeviceId, number>, now: number): boolean {
  const { officer, record, path, officersOnPath } = chain.verified;
  const certificateStands = (o: VerifiedOfficer, bytes: Uint8Array | undefined): boolean => {
    const certificate = tx.getOfficerCertificate(o.user);
    return validAt(o, now) && certificate !== null && bytes !== undefined && equalBytes(certificate, bytes);
  };
  if (!certificateStands(officer, chain.officerCertificate)) return false;
  if (!officersOnPath.every((o, i) => certificateStands(o, chain.pathOfficerCertificates[i]))) return false;
  let approved = record;
  return path.every((approver, i) => {
    const bytes = chain.path[i] ?? new Uint8Array(0);
    // An officer's device approving as the officer: it must still be approved (officerDeviceRecords).
    if (approver.user !== chain.user) {
      const row = tx.getDevice(approver.user, approver.device);
      approved = approver;
      return row?.status === 'approved' && equalBytes(row.record, bytes);
    }
    const row = rows.find((r) => equalBytes(r.record, bytes));
    const until = revokedAt.get(approver.device);
    const stands = row?.status === 'approved' || (row?.status === 'revoked' && until !== undefined && approved.createdAt < until);
    approved = approver;
    return stands;
  });
}

/** A user's device rows that may approve: approved ones, and revoked ones whose revocation is on record. */
function approvers(rows: readonly DeviceRow[], revokedAt: ReadonlyMap<DeviceId, number>): DeviceRow[] {
  return rows.filter((d) => d.status === 'approved' || (d.status === 'revoked' && revokedAt.has(d.device)));
}

/**
 * An approved device whose approval chain reaches the root; `verify.untrusted_key` otherwise. Not an AuthError:
 * besides authentication (which maps it to `auth.*`), it checks third parties — a grant's recipient, a cable's
 * signers — where the caller's own credentials are fine and a 401 would be a lie.
 */
export async function verifiedDevice(node: NodeContext, user: UserId, device: DeviceId): Promise<VerifiedDevice> {
  const root = await pinnedRoot(node);
  const now = node.now();
  const cache = cacheOf(node).devices;
  const read = node.store.transaction((tx) => {
    const rows = tx.listDevices(user);
    // Only an approved device is valid; a revoked one is refused here at once, cached chain or not.
    const row = rows.find((d) => d.device === device && d.status === 'approved');
    if (!row) return null;
    // Only a device whose approval is on the audit log acts (issue 4 key transparency): a record written into the
    // database around the API has no entry, whatever its signatures say.
    if (tx.logIndexOfKeyRecord(node.p.sha256(row.record)) === null) return 'unlogged';
    const revocations = tx.listDeviceRevocations(user);
    const revokedAt = new Map(revocations.map((r) => [r.device, r.revokedAt]));
    const key = cacheKey(node, root, row.record);
    const cached = cache.get(key, now);
    if (cached && chainStands(tx, cached, rows, revokedAt, now)) return { cached: cached.verified };
    return { key, candidates: approvers(rows, revokedAt), revocations, officers: officerCertificates(tx), officerDevices: officerDeviceRecords(node, tx) };
  });
  if (!read) throw new VerificationError('verify.untrusted_key', 'no such approved device');
  if (read === 'unlogged') throw new VerificationError('verify.not_logged', `${user}/${device} is approved in the database but not on the audit log`);
  if ('cached' in read) return read.cached;
  const records = read.candidates.map((d) => decodeDeviceRecord(d.record));
  const record = records.find((r) => r.device === device);
  if (!record) throw new VerificationError('verify.untrusted_key', 'no such approved device');
  const revocations = read.revocations.map((r) => decodeDeviceRevocation(r.record));
  const verified = await verifyDeviceChainAsOfRevocations(node.p, {
    device: record, devices: records, officerDevices: read.officerDevices, revocations, officers: read.officers, root, at: now, verifyOfficer: officerVerifier(node),
  });
  cache.set(read.key, {
    user, verified, path: verified.path.map(encodeDeviceRecord), officerCertificate: encodeOfficerCertificate(verified.officer),
    pathOfficerCertificates: verified.officersOnPath.map(encodeOfficerCertificate),
  }, now);
  return verified;
}

/** Forgets the verified chains of a user's devices: call when one of their device rows changes in this process. */
export function forgetDevices(node: NodeContext, user: UserId): void {
  cacheOf(node).devices.deleteWhere((_key, chain) => chain.user === user);
}

/** An epoch row's record, chained to the root through its certifying officer. */
export async function verifiedEpoch(node: NodeContext, row: EpochRow): Promise<VerifiedEpoch> {
  const epoch = decodeOfficeEpoch(row.record);
  const certBytes = node.store.transaction((tx) => tx.getOfficerCertificate(epoch.certifiedBy));
  if (!certBytes) throw new VerificationError('verify.untrusted_key', `epoch certified by ${epoch.certifiedBy}, who is not an officer here`);
  return verifyEpochChain(node.p, { epoch, officerCert: decodeOfficerCertificate(certBytes), root: await pinnedRoot(node), at: node.now(), verifyOfficer: officerVerifier(node) });
}
