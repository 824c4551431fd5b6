// Revoking a device, and judging a device in the light of its user's revocations (docs/keys.md "Device revocation").
// A user revokes a lost device from another of their devices; a security officer revokes any device of the node.
// Readers then refuse the revoked device as a signer from its revocation on, while the devices it approved before
// then keep verifying. The node serves the revocations with the device listing; each is checked to the pinned root.
import type { Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { parseDeviceId, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { toBase64, toHex } from '../bytes.ts';
import { VerificationError } from '../errors.ts';
import type { DeviceChainInput, VerifiedDevice } from '../keys/device-chain.ts';
import { decodeDeviceRecord, type DeviceRecord } from '../keys/device-record.ts';
import {
  decodeDeviceRevocation, encodeDeviceRevocation, isRevokedAt, signDeviceRevocation, verifyDeviceChainAsOfRevocations, verifyRevocationChain,
  type DeviceRevocation, type RevokedBy,
} from '../keys/device-revocation.ts';
import { encodeOfficerCertificate, verifyOfficerCertificate, type OfficerCertificate, type OfficerVerifier, type VerifiedOfficer } from '../keys/officer-certificate.ts';
import type { UnixMillis } from '../keys/validity.ts';
import type { Session } from './session.ts';
import { base64Of, fieldsOf, listIn, valueIn, type Fields } from './wire.ts';

/** Finds an officer's certificate as the node serves it (key-directory.ts `officerCertificate`, passed in). */
export type OfficerCertificateSource = (user: UserId) => Promise<OfficerCertificate>;

/** What `revokeDevice` did; `heldEpochs` are the epochs whose keys the device held: officers should close them. */
export interface RevocationResult {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly by: RevokedBy;
  readonly revokedAt: UnixMillis;
  /** True when the node already held this very record (a retry): nothing changed. */
  readonly duplicate: boolean;
  readonly heldEpochs: readonly { readonly office: OfficeCode; readonly level: Classification; readonly epoch: number }[];
}

/**
 * Revokes `user`'s `device` now, signed by this session's device: as the user's own device when `user` is this
 * device's user (a device may revoke itself), else as a security officer of the node. The node refuses anyone else.
 *
 * @example
 * ```ts
 * const { heldEpochs } = await revokeDevice(phoneSession, 'anna.schmidt', 'd-anna-1');
 * ```
 */
export async function revokeDevice(s: Session, user: UserId, device: DeviceId): Promise<RevocationResult> {
  const by: RevokedBy = s.keys.user === user ? { kind: 'device', device: s.keys.device } : { kind: 'officer', officer: s.keys.user };
  const revocation = await signDeviceRevocation(s.p, { user, device, node: s.node.name, revokedAt: s.now(), by }, s.keys.signingSeed);
  const body = await s.http.post('/api/v1/device-revocations', { record: toBase64(encodeDeviceRevocation(revocation)) });
  const f = fieldsOf('revocation answer', body, ['revocation', 'duplicate', 'heldEpochs']);
  const heldEpochs = f.mapList('heldEpochs', 100_000, ['office', 'level', 'epoch'], (e) => ({
    office: e.id('office', parseOfficeCode), level: e.oneOf('level', Classifications), epoch: e.uint('epoch'),
  }));
  return { user, device, by, revokedAt: revocation.revokedAt, duplicate: f.bool('duplicate'), heldEpochs };
}

/** A user's devices as listed, with the revocations the node holds for them (decoded, not yet verified). */
export interface DeviceListingWithRevocations {
  /** The records of approved and revoked devices (pending ones have none). */
  readonly records: readonly { readonly status: 'approved' | 'revoked'; readonly record: DeviceRecord }[];
  readonly revocations: readonly DeviceRevocation[];
  /** Officers' own approved devices that approved these records as their officer (`approvers`; may be empty). */
  readonly approvers: readonly DeviceRecord[];
}

const LISTED_KEYS = ['user', 'device', 'status', 'record'] as const;

/** Only the keys this module reads, each checked: the listing's other fields are key-directory.ts's to parse. */
function listedDevice(item: unknown): Fields {
  const picked: Record<string, unknown> = {};
  for (const key of LISTED_KEYS) {
    const value = valueIn('device', item, key);
    if (value !== undefined) picked[key] = value;
  }
  return fieldsOf('device', picked, [...LISTED_KEYS]);
}

/**
 * Fetches `GET /api/v1/devices/{user}`: every device record and every revocation, each checked to name `user` (and
 * the revocation to agree with the device and time it is listed under); `verify.untrusted_key` when it does not.
 */
export async function listDevicesWithRevocations(s: Session, user: UserId): Promise<DeviceListingWithRevocations> {
  const body = await s.http.get(`/api/v1/devices/${encodeURIComponent(user)}`);
  const records = listIn('devices', body, 'devices', 1000).flatMap((item) => {
    const f = listedDevice(item);
    const status = f.oneOf('status', ['pending', 'approved', 'revoked'] as const);
    if (f.id('user', parseUserId) !== user) throw new VerificationError('verify.untrusted_key', 'the node listed a device of another user');
    if (status === 'pending') return [];
    const record = decodeDeviceRecord(base64Of(f, 'record', 8192));
    if (record.user !== user || record.device !== f.id('device', parseDeviceId)) throw new VerificationError('verify.untrusted_key', 'the node listed a device record under another name');
    return [{ status, record }];
  });
  // A node that predates revocations lists none.
  const listed = valueIn('devices', body, 'revocations') === undefined ? [] : listIn('devices', body, 'revocations', 1000);
  const revocations = listed.map((item) => {
    const f = fieldsOf('revocation', item, ['user', 'device', 'revokedAt', 'record']);
    const revocation = decodeDeviceRevocation(base64Of(f, 'record', 2048));
    if (revocation.user !== user || revocation.user !== f.id('user', parseUserId) || revocation.device !== f.id('device', parseDeviceId) || revocation.revokedAt !== f.uint('revokedAt')) {
      throw new VerificationError('verify.untrusted_key', 'the node listed a revocation under another name or time');
    }
    return revocation;
  });
  // A node that predates approvals by officers' devices lists no approvers.
  const approvers = valueIn('devices', body, 'approvers') === undefined ? [] : listIn('devices', body, 'approvers', 1000).map((item) => {
    const f = listedDevice(item);
    const record = decodeDeviceRecord(base64Of(f, 'record', 8192));
    if (f.oneOf('status', ['pending', 'approved', 'revoked'] as const) !== 'approved' || record.user !== f.id('user', parseUserId) || record.device !== f.id('device', parseDeviceId)) {
      throw new VerificationError('verify.untrusted_key', 'the node listed an approving device that is not approved, or under another name');
    }
    return record;
  });
  return { records, revocations, approvers };
}

/** A device's chain to the root, and its revocation if it has one (verified to the root as well). */
export interface DeviceStanding {
  readonly verified: VerifiedDevice;
  readonly revocation: DeviceRevocation | null;
}

/**
 * Officer certificates verified once per (exact certificate bytes, time) within one call: several chains of one user
 * usually end at the same officer, and each check costs an ML-DSA-65 verification.
 */
function officerVerifierFor(s: Session): (at: UnixMillis) => OfficerVerifier {
  const seen = new Map<string, Promise<VerifiedOfficer>>();
  return (at) => (cert) => {
    const key = `${toHex(s.p.sha256(encodeOfficerCertificate(cert)))}@${at}`;
    let verified = seen.get(key);
    if (!verified) seen.set(key, (verified = verifyOfficerCertificate(s.p, cert, s.node.root, at)));
    return verified;
  };
}

/** The certificates of the officers named in `listing` (approvals, revocations) and not among `known` already. */
async function officersNamed(listing: DeviceListingWithRevocations, source: OfficerCertificateSource, known: readonly OfficerCertificate[] = []): Promise<OfficerCertificate[]> {
  const names = new Set<UserId>();
  for (const record of [...listing.records.map((d) => d.record), ...listing.approvers]) if (record.approval.kind === 'officer') names.add(record.approval.officer);
  for (const r of listing.revocations) if (r.by.kind === 'officer') names.add(r.by.officer);
  for (const c of known) names.delete(c.user);
  return [...known, ...(await Promise.all([...names].map(source)))];
}

/**
 * Every listed revocation, verified to the root at its own `revokedAt` against the listed records (a revocation only
 * takes trust away, so the listing is source enough for the revoked and revoking records). One that does not verify
 * is an error, not skipped: the node served a revocation nobody entitled signed.
 */
async function verifiedRevocations(s: Session, listing: DeviceListingWithRevocations, officers: readonly OfficerCertificate[], verifyOfficer: (at: UnixMillis) => OfficerVerifier): Promise<DeviceRevocation[]> {
  const all = listing.records.map((d) => d.record);
  for (const revocation of listing.revocations) {
    const revoked = all.find((r) => r.device === revocation.device && r.node === revocation.node);
    if (!revoked) throw new VerificationError('verify.untrusted_key', `the node listed a revocation of ${revocation.user}/${revocation.device}, a device it does not list`);
    await verifyRevocationChain(s.p, { revocation, device: revoked, devices: all, officerDevices: listing.approvers, officers, root: s.node.root, at: revocation.revokedAt, verifyOfficer: verifyOfficer(revocation.revokedAt) });
  }
  return [...listing.revocations];
}

/** Of `devices`, those that may approve: a device listed as revoked without a revocation is revoked from the start. */
function candidatesOf(listing: DeviceListingWithRevocations, devices: readonly DeviceRecord[]): DeviceRecord[] {
  const revokedUnrecorded = listing.records
    .filter((d) => d.status === 'revoked' && !listing.revocations.some((r) => r.device === d.record.device))
    .map((d) => d.record.device);
  return devices.filter((r) => !revokedUnrecorded.includes(r.device));
}

/**
 * `verifyDeviceChain` as of the user's revocations, for a caller that has vetted its own candidate records (for
 * key-directory.ts's `verifyDevice`, records on the log — revoked devices' included): fetches and verifies the user's
 * revocations, then refuses `input.device` if revoked at `input.at` and any approval on its chain made at or after
 * its approver's revocation (`verifyDeviceChainAsOfRevocations`). Officers named by revocations are fetched.
 *
 * @example
 * ```ts
 * return verifyChainAsOfRevocations(s, { device: record, devices: records, officers, root: s.node.root, at: s.now() }, (u) => officerCertificate(s, u));
 * ```
 */
export async function verifyChainAsOfRevocations(s: Session, input: DeviceChainInput, officerCertificate: OfficerCertificateSource): Promise<VerifiedDevice> {
  const listing = await listDevicesWithRevocations(s, input.device.user);
  const officers = await officersNamed({ records: [], revocations: listing.revocations, approvers: [] }, officerCertificate, input.officers);
  const verifyOfficer = officerVerifierFor(s);
  const revocations = await verifiedRevocations(s, listing, officers, verifyOfficer);
  return verifyDeviceChainAsOfRevocations(s.p, { ...input, devices: candidatesOf(listing, input.devices), officers, revocations, verifyOfficer: input.verifyOfficer ?? verifyOfficer(input.at) });
}

/**
 * `device`'s chain to the pinned root, checked as of its user's revocations: the candidates are the user's approved
 * devices and those revoked by a revocation that verifies (each checked to the root at its own `revokedAt`); a
 * revoked device's approvals count only for records made before its revocation. Whether `device` itself is revoked
 * at a given time is then `isStandingRevokedAt` (a reader asks at a cable's DTG). A revocation that does not verify
 * is an error, not skipped.
 *
 * @example
 * ```ts
 * const standing = await deviceStanding(s, 'anna.schmidt', 'd-anna-2', (u) => officerCertificate(s, u));
 * ```
 */
export async function deviceStanding(s: Session, user: UserId, device: DeviceId, officerCertificate: OfficerCertificateSource): Promise<DeviceStanding> {
  const listing = await listDevicesWithRevocations(s, user);
  const officers = await officersNamed(listing, officerCertificate);
  const verifyOfficer = officerVerifierFor(s);
  const revocations = await verifiedRevocations(s, listing, officers, verifyOfficer);
  const candidates = candidatesOf(listing, listing.records.map((d) => d.record));
  const record = candidates.find((r) => r.device === device);
  if (!record) throw new VerificationError('verify.untrusted_key', `${user}/${device} is not an approved device`);
  // Every approval on the way must predate its approver's revocation; `device`'s own revocation is judged per use.
  const now = s.now();
  const others = revocations.filter((r) => r.device !== device);
  const verified = await verifyDeviceChainAsOfRevocations(s.p, { device: record, devices: candidates, officerDevices: listing.approvers, revocations: others, officers, root: s.node.root, at: now, verifyOfficer: verifyOfficer(now) });
  return { verified, revocation: revocations.find((r) => r.device === device) ?? null };
}

/** Whether the standing's device is revoked at `at` (from its `revokedAt` on). */
export function isStandingRevokedAt(standing: DeviceStanding, at: UnixMillis): boolean {
  return standing.revocation !== null && isRevokedAt([standing.revocation], standing.verified.record, at);
}

/**
 * A device valid at `at` (default now): `deviceStanding`, refused with `verify.untrusted_key` when revoked by then.
 * What key-directory.ts's `verifiedDevice` should use (a signer, a grant's recipient, a re-sealing holder).
 *
 * @example
 * ```ts
 * const signer = await verifyDeviceStanding(s, drafter, device, (u) => officerCertificate(s, u));
 * ```
 */
export async function verifyDeviceStanding(s: Session, user: UserId, device: DeviceId, officerCertificate: OfficerCertificateSource, at: UnixMillis = s.now()): Promise<VerifiedDevice> {
  const standing = await deviceStanding(s, user, device, officerCertificate);
  if (isStandingRevokedAt(standing, at)) {
    throw new VerificationError('verify.untrusted_key', `${user}/${device} is revoked since ${new Date(standing.revocation?.revokedAt ?? 0).toISOString()}`);
  }
  return standing.verified;
}
