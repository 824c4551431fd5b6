// Public key material: device records, office epochs and key grants, kept as the encoded records they arrived as.
import type { Classification, DeviceId, OfficeCode, UserId } from '../../cable/types.ts';
import { isDeviceId, isOfficeCode, isUserId } from '../../cable/ids.ts';
import { equalBytes } from '../../bytes.ts';
import { StoreError } from '../../errors.ts';
import type { DeviceRevocationRow, DeviceRow, DeviceStatus, EpochRow, GrantRow } from '../store.ts';
import type { Row, Sql } from './sql.ts';
import { blob, branded, bytesArg, classification, classificationArg, int, intArg, oneOf, optBlob } from './columns.ts';

const DeviceStatuses: readonly DeviceStatus[] = ['pending', 'approved', 'revoked'];

// ---- devices -------------------------------------------------------------------------------------------------

const DEVICE_COLUMNS = 'user, device, status, signing_key, encryption_key, record, created_at';

function deviceRow(row: Row): DeviceRow {
  return {
    user: branded(row, 'user', isUserId),
    device: branded(row, 'device', isDeviceId),
    status: oneOf(row, 'status', DeviceStatuses),
    signingKey: blob(row, 'signing_key'),
    encryptionKey: blob(row, 'encryption_key'),
    record: blob(row, 'record'),
    createdAt: int(row, 'created_at'),
  };
}

/** Inserts or replaces a device by (user, device): enrollment stores it pending, approval and revocation update it. */
export function putDevice(sql: Sql, d: DeviceRow): void {
  if (!DeviceStatuses.includes(d.status)) throw new RangeError('store: device status is not a status');
  sql.run(
    `INSERT INTO devices (${DEVICE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user, device) DO UPDATE SET status = excluded.status, signing_key = excluded.signing_key,
       encryption_key = excluded.encryption_key, record = excluded.record, created_at = excluded.created_at`,
    d.user,
    d.device,
    d.status,
    bytesArg(d.signingKey, 'signingKey'),
    bytesArg(d.encryptionKey, 'encryptionKey'),
    bytesArg(d.record, 'record'),
    intArg(d.createdAt, 'createdAt'),
  );
}

export function getDevice(sql: Sql, user: UserId, device: DeviceId): DeviceRow | null {
  const row = sql.get(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE user = ? AND device = ?`, user, device);
  return row === undefined ? null : deviceRow(row);
}

/** A user's devices, oldest first. */
export function listDevices(sql: Sql, user: UserId): DeviceRow[] {
  return sql.all(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE user = ? ORDER BY created_at, device`, user).map(deviceRow);
}

// ---- device revocations --------------------------------------------------------------------------------------

const REVOCATION_COLUMNS = 'user, device, record, revoked_at';

function revocationRow(row: Row): DeviceRevocationRow {
  return {
    user: branded(row, 'user', isUserId),
    device: branded(row, 'device', isDeviceId),
    record: blob(row, 'record'),
    revokedAt: int(row, 'revoked_at'),
  };
}

/**
 * Revokes a device: its status and its revocation record change together. Never undone nor replaced (clients and the
 * log hold the first record, so a second could only be used to move `revokedAt`): the same record again does
 * nothing, another is `store.conflict`. A device already revoked without a record (by an operator) takes this one.
 */
export function revokeDevice(sql: Sql, r: DeviceRevocationRow): void {
  const record = bytesArg(r.record, 'record');
  const revokedAt = intArg(r.revokedAt, 'revokedAt');
  const device = getDevice(sql, r.user, r.device);
  if (device === null) throw new StoreError('store.not_found', `store: no device ${r.user}/${r.device}`);
  const stored = getDeviceRevocation(sql, r.user, r.device);
  if (stored !== null) {
    if (equalBytes(stored.record, record) && stored.revokedAt === revokedAt) return;
    throw new StoreError('store.conflict', `store: ${r.user}/${r.device} is already revoked by another record`);
  }
  if (device.status === 'pending') throw new StoreError('store.conflict', `store: ${r.user}/${r.device} is pending: nothing to revoke`);
  sql.run("UPDATE devices SET status = 'revoked' WHERE user = ? AND device = ?", r.user, r.device);
  sql.run(`INSERT INTO device_revocations (${REVOCATION_COLUMNS}) VALUES (?, ?, ?, ?)`, r.user, r.device, record, revokedAt);
}

export function getDeviceRevocation(sql: Sql, user: UserId, device: DeviceId): DeviceRevocationRow | null {
  const row = sql.get(`SELECT ${REVOCATION_COLUMNS} FROM device_revocations WHERE user = ? AND device = ?`, user, device);
  return row === undefined ? null : revocationRow(row);
}

/** A user's revocations, oldest first. */
export function listDeviceRevocations(sql: Sql, user: UserId): DeviceRevocationRow[] {
  return sql.all(`SELECT ${REVOCATION_COLUMNS} FROM device_revocations WHERE user = ? ORDER BY revoked_at, device`, user).map(revocationRow);
}

// ---- epochs --------------------------------------------------------------------------------------------------

const EPOCH_COLUMNS = 'office, level, epoch, key_hash, record, closure';

function epochRow(row: Row): EpochRow {
  return {
    office: branded(row, 'office', isOfficeCode),
    level: classification(row, 'level'),
    epoch: int(row, 'epoch'),
    keyHash: blob(row, 'key_hash'),
    record: blob(row, 'record'),
    closure: optBlob(row, 'closure'),
  };
}

/**
 * Stores an epoch, or closes a stored one. An epoch's key never changes under its number and a closure is never
 * undone or replaced: grants and sealed cables refer to (office, level, epoch), so a second key under the same
 * number would let someone substitute the key addressees encrypt to. Either attempt is `store.conflict`.
 */
export function putEpoch(sql: Sql, e: EpochRow): void {
  const level = classificationArg(e.level, 'level');
  const epoch = intArg(e.epoch, 'epoch');
  if (epoch < 0) throw new RangeError('store: epoch must not be negative');
  const keyHash = bytesArg(e.keyHash, 'keyHash');
  const record = bytesArg(e.record, 'record');
  const closure = e.closure === null ? null : bytesArg(e.closure, 'closure');
  const stored = getEpoch(sql, e.office, e.level, epoch);
  if (stored === null) {
    sql.run(`INSERT INTO epochs (${EPOCH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, e.office, level, epoch, keyHash, record, closure);
    return;
  }
  const where = `epoch ${epoch} of ${e.office} at ${e.level}`;
  if (!equalBytes(stored.keyHash, keyHash) || !equalBytes(stored.record, record)) {
    throw new StoreError('store.conflict', `store: ${where} is already stored with another key`);
  }
  if (stored.closure !== null) {
    if (closure === null || !equalBytes(stored.closure, closure)) {
      throw new StoreError('store.conflict', `store: ${where} is closed; a closure is never undone or replaced`);
    }
    return;
  }
  if (closure !== null) {
    sql.run('UPDATE epochs SET closure = ? WHERE office = ? AND level = ? AND epoch = ?', closure, e.office, level, epoch);
  }
}

export function getEpoch(sql: Sql, office: OfficeCode, level: Classification, epoch: number): EpochRow | null {
  const row = sql.get(
    `SELECT ${EPOCH_COLUMNS} FROM epochs WHERE office = ? AND level = ? AND epoch = ?`,
    office,
    classificationArg(level, 'level'),
    intArg(epoch, 'epoch'),
  );
  return row === undefined ? null : epochRow(row);
}

/** The open epoch (no closure) with the highest number, or null. */
export function currentEpoch(sql: Sql, office: OfficeCode, level: Classification): EpochRow | null {
  const row = sql.get(
    `SELECT ${EPOCH_COLUMNS} FROM epochs WHERE office = ? AND level = ? AND closure IS NULL ORDER BY epoch DESC LIMIT 1`,
    office,
    classificationArg(level, 'level'),
  );
  return row === undefined ? null : epochRow(row);
}

/** An office's epochs, by level (lowest first) then number. */
export function listEpochs(sql: Sql, office: OfficeCode): EpochRow[] {
  return sql.all(`SELECT ${EPOCH_COLUMNS} FROM epochs WHERE office = ? ORDER BY level, epoch`, office).map(epochRow);
}

// ---- grants --------------------------------------------------------------------------------------------------

const GRANT_COLUMNS = 'user, device, office, level, epoch, record';

function grantRow(row: Row): GrantRow {
  return {
    user: branded(row, 'user', isUserId),
    device: branded(row, 'device', isDeviceId),
    office: branded(row, 'office', isOfficeCode),
    level: classification(row, 'level'),
    epoch: int(row, 'epoch'),
    record: blob(row, 'record'),
  };
}

/** Inserts or replaces a grant; its device and epoch must be stored already (else `store.not_found`). */
export function putGrant(sql: Sql, g: GrantRow): void {
  sql.run(
    `INSERT INTO grants (${GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (user, device, office, level, epoch) DO UPDATE SET record = excluded.record`,
    g.user,
    g.device,
    g.office,
    classificationArg(g.level, 'level'),
    intArg(g.epoch, 'epoch'),
    bytesArg(g.record, 'record'),
  );
}

/** A device's grants, by office, level and epoch. */
export function listGrants(sql: Sql, user: UserId, device: DeviceId): GrantRow[] {
  return sql
    .all(`SELECT ${GRANT_COLUMNS} FROM grants WHERE user = ? AND device = ? ORDER BY office, level, epoch`, user, device)
    .map(grantRow);
}
