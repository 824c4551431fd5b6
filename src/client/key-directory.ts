// The keys a client relies on, each checked against the organisation root this device pinned: security officers'
// certificates, office epochs (senders seal only to verified, open epochs) and device records (readers accept only
// signatures by devices whose approval chain reaches the root). The node serves these; it cannot forge them.
import type { Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { parseDeviceId, parseUserId } from '../cable/ids.ts';
import { toHex } from '../bytes.ts';
import { RequestError, SealError, VerificationError } from '../errors.ts';
import type { SignerKeyResolver } from '../envelope/signatures.ts';
import { decodeDeviceRecord, type DeviceRecord } from '../keys/device-record.ts';
import type { VerifiedDevice } from '../keys/device-chain.ts';
import { verifyEpochChain, type VerifiedEpoch } from '../keys/epoch-chain.ts';
import { decodeOfficeEpoch, keyHash } from '../keys/office-epoch.ts';
import { decodeOfficerCertificate, type OfficerCertificate, type OfficerVerifier, type VerifiedOfficer } from '../keys/officer-certificate.ts';
import { verifyOfficerAppointment } from '../keys/officer-appointment.ts';
import type { Session } from './session.ts';
import { checkLogged, listingCheckpoint, type ListingCheckpoint } from './key-transparency.ts';
import { verifyChainAsOfRevocations } from './revoke.ts';
import { base64Of, fieldsOf, listIn, valueIn } from './wire.ts';

/**
 * An office epoch whose chain reached the pinned root, whether the node reports it closed, and whether its record
 * is on the audit log (false: a ghost no sender seals to and no reader trusts; `chancery watch` flags it).
 */
export interface EpochState {
  readonly verified: VerifiedEpoch;
  readonly closed: boolean;
  readonly onLog: boolean;
}

function epochName(e: EpochState): string {
  return `epoch ${e.verified.epoch.epoch} of ${e.verified.epoch.office} at ${e.verified.epoch.level}`;
}

function requireOnLog(e: EpochState): VerifiedEpoch {
  if (!e.onLog) throw new VerificationError('verify.not_logged', `${epochName(e)} is not on the audit log: it was not made through the node's API and is not trusted (tell a security officer)`);
  return e.verified;
}

/** A user's device as the node lists it; `record` is the approved, signed record (absent while pending). */
export interface DeviceListing {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly status: 'pending' | 'approved' | 'revoked';
  readonly signingKey: Uint8Array;
  readonly encryptionKey: Uint8Array;
  readonly createdAt: number;
  readonly record: DeviceRecord | null;
  /** Whether the approved record is on the audit log (its entry and inclusion proof verified); false otherwise. */
  readonly onLog: boolean;
}

interface Cache {
  readonly officers: Map<UserId, Promise<OfficerCertificate>>;
  readonly verifiedOfficers: Map<UserId, Promise<VerifiedOfficer>>;
  readonly devices: Map<string, Promise<VerifiedDevice>>;
  /** By the epoch record's bytes: the same bytes verify the same way within a session. */
  readonly epochs: Map<string, Promise<VerifiedEpoch>>;
}

// Per session (one command, or one demo run): each entry costs a round trip or an ML-DSA verification, and a
// session is short enough that a certificate does not expire in the middle of it.
const caches = new WeakMap<Session, Cache>();
function cacheOf(s: Session): Cache {
  let c = caches.get(s);
  if (!c) caches.set(s, (c = { officers: new Map(), verifiedOfficers: new Map(), devices: new Map(), epochs: new Map() }));
  return c;
}

/** `make()` once per key; a failure is not remembered (the next call tries again). */
function memo<K, V>(map: Map<K, Promise<V>>, key: K, make: () => Promise<V>): Promise<V> {
  let value = map.get(key);
  if (!value) {
    value = make();
    void value.catch(() => map.delete(key));
    map.set(key, value);
  }
  return value;
}

/** A security officer's certificate as the node serves it (decoded, not yet verified). */
export function officerCertificate(s: Session, user: UserId): Promise<OfficerCertificate> {
  return memo(cacheOf(s).officers, user, async () => {
    const body = await s.http.get(`/api/v1/officers/${encodeURIComponent(user)}`);
    const bytes = base64Of(fieldsOf('officer', body, ['user', 'certificate', 'checkpoint'], ['logged']), 'certificate', 16 * 1024);
    const c = decodeOfficerCertificate(bytes);
    if (c.user !== user) throw new VerificationError('verify.untrusted_key', 'the node served the certificate of another officer');
    checkLogged(s, await listingCheckpoint(s, body, 'officer'), valueIn('officer', body, 'logged'), { kind: 'officer.appointed', user, recordHash: s.p.sha256(bytes) });
    return c;
  });
}

/** An officer's certificate verified against the pinned root. */
export function verifiedOfficer(s: Session, user: UserId): Promise<VerifiedOfficer> {
  return memo(cacheOf(s).verifiedOfficers, user, async () => appointmentVerifier(s)(await officerCertificate(s, user)));
}

/**
 * Checks an officer certificate as an appointment (docs/decisions/012-two-officers-appoint.md): the root's signature
 * and either its founding mark or the endorsements of two other officers whose certificates the node serves, on the
 * log, and verify now. What every chain this client checks goes through, so one officer cannot appoint another.
 */
export function appointmentVerifier(s: Session): OfficerVerifier {
  return async (cert) => {
    const endorsers = await Promise.all([...new Set((cert.endorsements ?? []).map((e) => e.endorser))].filter((u) => u !== cert.user).map((u) => officerCertificate(s, u)));
    return verifyOfficerAppointment(s.p, { cert, endorsers, root: s.node.root, at: s.now() });
  };
}

/** Every epoch of an office, each verified to the root (an epoch that does not verify is an error, not skipped). */
export async function officeEpochs(s: Session, office: OfficeCode): Promise<EpochState[]> {
  const body = await s.http.get('/api/v1/epochs', { office });
  const items = listIn('epochs', body, 'epochs', 100_000);
  const view = await listingCheckpoint(s, body, 'epochs');
  return Promise.all(
    items.map(async (item) => {
      const f = fieldsOf('epoch', item, ['office', 'level', 'epoch', 'record'], ['closure', 'logged']);
      const bytes = base64Of(f, 'record', 8192);
      const epoch = decodeOfficeEpoch(bytes);
      if (epoch.office !== office || epoch.node !== s.node.name) throw new VerificationError('verify.untrusted_key', `the node served an epoch of another office as ${office}`);
      // Only an epoch on the log may be sealed to (issue 4): one slipped into the node's database is marked, and
      // refused where it would be used; a proof that does not verify is an error at once.
      const logged = valueIn('epoch', item, 'logged');
      const onLog = logged !== null && logged !== undefined;
      if (onLog) checkLogged(s, view, logged, { kind: 'epoch.opened', office, level: epoch.level, epoch: epoch.epoch, keyHash: keyHash(s.p, epoch.publicKey) });
      const verified = await memo(cacheOf(s).epochs, toHex(s.p.sha256(bytes)), async () =>
        verifyEpochChain(s.p, { epoch, officerCert: await officerCertificate(s, epoch.certifiedBy), root: s.node.root, at: s.now(), verifyOfficer: appointmentVerifier(s) }),
      );
      // A closure only ever takes trust away, so one the node reports is honoured without further proof.
      return { verified, closed: f.has('closure'), onLog };
    }),
  );
}

/** Of `epochs`, the open one with the highest number at `level`: the only one a sender may seal to. */
export function newestOpen(epochs: readonly EpochState[], office: OfficeCode, level: Classification): VerifiedEpoch {
  const open = epochs.filter((e) => !e.closed && e.verified.epoch.level === level);
  const newest = open.sort((a, b) => b.verified.epoch.epoch - a.verified.epoch.epoch)[0];
  if (!newest) throw new SealError('seal.epoch_closed', `${office} has no open ${level} key epoch (a security officer opens one: chancery epoch open)`);
  // Not the newest logged one instead: a planted newer epoch is an attack to report, not to route around.
  return requireOnLog(newest);
}

/** The current (newest open) epoch of `office` at `level`. */
export async function currentEpoch(s: Session, office: OfficeCode, level: Classification): Promise<VerifiedEpoch> {
  return newestOpen(await officeEpochs(s, office), office, level);
}

/** One epoch by number (closed ones included: old cables were sealed to them); on the log, or `verify.not_logged`. */
export async function findEpoch(s: Session, office: OfficeCode, level: Classification, epoch: number): Promise<EpochState> {
  const found = (await officeEpochs(s, office)).find((e) => e.verified.epoch.level === level && e.verified.epoch.epoch === epoch);
  if (!found) throw new RequestError('request.not_found', `no epoch ${epoch} of ${office} at ${level}`);
  requireOnLog(found);
  return found;
}

function listedDevice(s: Session, view: ListingCheckpoint, item: unknown, user: UserId | null): DeviceListing {
  const f = fieldsOf('device', item, ['user', 'device', 'status', 'signingKey', 'encryptionKey', 'record', 'createdAt'], ['logged']);
  const status = f.oneOf('status', ['pending', 'approved', 'revoked'] as const);
  // A revoked device keeps its record: devices it approved before its revocation still chain through it.
  const recordBytes = status !== 'pending' ? base64Of(f, 'record', 8192) : null;
  const record = recordBytes ? decodeDeviceRecord(recordBytes) : null;
  const listing = { user: f.id('user', parseUserId), device: f.id('device', parseDeviceId), status, signingKey: base64Of(f, 'signingKey', 32), encryptionKey: base64Of(f, 'encryptionKey', 1216), createdAt: f.uint('createdAt'), record, onLog: false };
  if ((user !== null && listing.user !== user) || (record && (record.user !== listing.user || record.device !== listing.device))) {
    throw new VerificationError('verify.untrusted_key', 'the node listed a device record under another name');
  }
  if (!recordBytes) return listing;
  const logged = valueIn('device', item, 'logged');
  if (logged === undefined || logged === null) return listing;
  checkLogged(s, view, logged, { kind: 'device.approved', user: listing.user, device: listing.device, recordHash: s.p.sha256(recordBytes) });
  return { ...listing, onLog: true };
}

/**
 * A user's devices as listed, and the officers' own devices that approved them as their officer (`approvers`:
 * GET /api/v1/devices/{user} serves both in one answer), each approved record checked against the audit log.
 */
export async function listDevicesAndApprovers(s: Session, user: UserId): Promise<{ readonly devices: DeviceListing[]; readonly approvers: DeviceListing[] }> {
  const body = await s.http.get(`/api/v1/devices/${encodeURIComponent(user)}`);
  const items = listIn('devices', body, 'devices', 1000);
  const view = await listingCheckpoint(s, body, 'devices');
  const devices = items.map((item) => listedDevice(s, view, item, user));
  // A node that predates approvals by officers' devices lists none.
  const approverItems = valueIn('devices', body, 'approvers') === undefined ? [] : listIn('devices', body, 'approvers', 1000);
  const approvers = approverItems.map((item) => listedDevice(s, view, item, null)).filter((d) => d.user !== user);
  return { devices, approvers };
}

/**
 * A user's devices as listed (pending ones only for the user and officers), each approved record checked against
 * the audit log: `onLog` is false for a record the node cannot show on the log (a ghost), and a proof that does not
 * verify is an error (the node lied about the log).
 */
export async function listDevices(s: Session, user: UserId): Promise<DeviceListing[]> {
  return (await listDevicesAndApprovers(s, user)).devices;
}

async function verifyDevice(s: Session, user: UserId, device: DeviceId): Promise<VerifiedDevice> {
  const { devices: listed, approvers } = await listDevicesAndApprovers(s, user);
  if (listed.some((d) => d.device === device && d.status === 'revoked')) {
    // Judged now, not at a cable's DTG: a cable a device signed before its revocation is refused too (safe side).
    throw new VerificationError('verify.untrusted_key', `${user}/${device} is revoked`);
  }
  const ghost = listed.find((d) => d.device === device && d.record && !d.onLog);
  if (ghost) throw new VerificationError('verify.not_logged', `${user}/${device} is not on the audit log: its signatures are not trusted (a ghost device; tell a security officer)`);
  // A chain runs only through records on the log: an unlogged device cannot vouch for another either — an
  // officer's own approving device included (only approved ones are listed as approvers).
  const onLog = (d: DeviceListing): DeviceRecord[] => (d.record && d.onLog ? [d.record] : []);
  const records = listed.flatMap(onLog);
  const officerDevices = approvers.filter((d) => d.status === 'approved').flatMap(onLog);
  const record = records.find((r) => r.device === device);
  if (!record) throw new VerificationError('verify.untrusted_key', `${user}/${device} is not an approved device`);
  const named = [...new Set([...records, ...officerDevices].flatMap((r) => (r.approval.kind === 'officer' ? [r.approval.officer] : [])))];
  const officers = await Promise.all(named.map((o) => officerCertificate(s, o)));
  const chain = { device: record, devices: records, officerDevices, officers, root: s.node.root, at: s.now(), verifyOfficer: appointmentVerifier(s) };
  return verifyChainAsOfRevocations(s, chain, (u) => officerCertificate(s, u));
}

/** A device whose approval chain reaches the pinned root; `verify.untrusted_key` otherwise. */
export function verifiedDevice(s: Session, user: UserId, device: DeviceId): Promise<VerifiedDevice> {
  return memo(cacheOf(s).devices, `${user}/${device}`, () => verifyDevice(s, user, device));
}

/** Resolves cable signers to verified device keys, for `verifyEnvelope`. */
export function signerResolver(s: Session): SignerKeyResolver {
  return async (user, device) => (await verifiedDevice(s, user, device)).record.signingKey;
}

/** Levels from UNCLASSIFIED up to and including `ceiling`. */
export function levelsUpTo(ceiling: Classification): Classification[] {
  return Classifications.slice(0, Classifications.indexOf(ceiling) + 1);
}
