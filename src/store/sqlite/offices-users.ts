// The roster: offices, users, their memberships and officer certificates (the subjects policy decides about).
import type { OfficeCode, UserId } from '../../cable/types.ts';
import { isNodeName, isOfficeCode, isUserId } from '../../cable/ids.ts';
import type { Membership } from '../../policy/subjects.ts';
import { Roles } from '../../policy/subjects.ts';
import type { OfficeRow, UserRow } from '../store.ts';
import type { Row, Sql } from './sql.ts';
import {
  blob,
  bool,
  boolArg,
  branded,
  bytesArg,
  classification,
  classificationArg,
  corrupt,
  oneOf,
  optClassification,
  strings,
  stringsArg,
  text,
} from './columns.ts';

// ---- offices -------------------------------------------------------------------------------------------------

const OFFICE_COLUMNS = 'code, node, name, ceiling, communities';

function officeRow(row: Row): OfficeRow {
  return {
    code: branded(row, 'code', isOfficeCode),
    node: branded(row, 'node', isNodeName),
    name: text(row, 'name'),
    ceiling: classification(row, 'ceiling'),
    communities: strings(row, 'communities'),
  };
}

/** Inserts or replaces an office by code (an upsert, not INSERT OR REPLACE, so rows that refer to it survive). */
export function putOffice(sql: Sql, office: OfficeRow): void {
  sql.run(
    `INSERT INTO offices (${OFFICE_COLUMNS}) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET node = excluded.node, name = excluded.name, ceiling = excluded.ceiling,
       communities = excluded.communities`,
    office.code,
    office.node,
    office.name,
    classificationArg(office.ceiling, 'ceiling'),
    stringsArg(office.communities, 'communities'),
  );
}

export function getOffice(sql: Sql, code: OfficeCode): OfficeRow | null {
  const row = sql.get(`SELECT ${OFFICE_COLUMNS} FROM offices WHERE code = ?`, code);
  return row === undefined ? null : officeRow(row);
}

/** Every office, by code. */
export function listOffices(sql: Sql): OfficeRow[] {
  return sql.all(`SELECT ${OFFICE_COLUMNS} FROM offices ORDER BY code`).map(officeRow);
}

// ---- users ---------------------------------------------------------------------------------------------------

const USER_COLUMNS = 'id, name, clearance, nationality, organisations, caveats, active, frozen';

function userRow(row: Row): UserRow {
  return {
    id: branded(row, 'id', isUserId),
    name: text(row, 'name'),
    clearance: classification(row, 'clearance'),
    nationality: text(row, 'nationality'),
    organisations: strings(row, 'organisations'),
    caveats: strings(row, 'caveats'),
    active: bool(row, 'active'),
    frozen: bool(row, 'frozen'),
  };
}

/** Inserts or replaces a user by id. */
export function putUser(sql: Sql, user: UserRow): void {
  sql.run(
    `INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, clearance = excluded.clearance,
       nationality = excluded.nationality, organisations = excluded.organisations, caveats = excluded.caveats,
       active = excluded.active, frozen = excluded.frozen`,
    user.id,
    user.name,
    classificationArg(user.clearance, 'clearance'),
    user.nationality,
    stringsArg(user.organisations, 'organisations'),
    stringsArg(user.caveats, 'caveats'),
    boolArg(user.active),
    boolArg(user.frozen),
  );
}

export function getUser(sql: Sql, id: UserId): UserRow | null {
  const row = sql.get(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, id);
  return row === undefined ? null : userRow(row);
}

/** Every user, by id. */
export function listUsers(sql: Sql): UserRow[] {
  return sql.all(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`).map(userRow);
}

// ---- memberships ---------------------------------------------------------------------------------------------

function membership(row: Row): Membership {
  const office = branded(row, 'office', isOfficeCode);
  const role = oneOf(row, 'role', Roles);
  const ceiling = optClassification(row, 'release_ceiling');
  // The schema's CHECK ties a ceiling to the releasing-officer role; anything else is a broken invariant.
  if (role === 'releasing-officer') {
    if (ceiling === null) throw corrupt('release_ceiling');
    return { office, role, releaseCeiling: ceiling };
  }
  if (ceiling !== null) throw corrupt('release_ceiling');
  return { office, role };
}

/**
 * Replaces all of a user's memberships. One entry per (office, role): a second releasing-officer entry for the
 * same office would make its release ceiling ambiguous, so duplicates are refused rather than merged.
 */
export function setMemberships(sql: Sql, user: UserId, memberships: readonly Membership[]): void {
  const seen = new Set<string>();
  for (const m of memberships) {
    if (!Roles.includes(m.role)) throw new RangeError('store: membership role is not a role');
    const key = `${m.office}\u0000${m.role}`;
    if (seen.has(key)) throw new RangeError(`store: duplicate membership ${m.role} of ${m.office}`);
    seen.add(key);
  }
  sql.run('DELETE FROM memberships WHERE user = ?', user);
  for (const m of memberships) {
    const ceiling = m.role === 'releasing-officer' ? classificationArg(m.releaseCeiling, 'releaseCeiling') : null;
    sql.run('INSERT INTO memberships (user, office, role, release_ceiling) VALUES (?, ?, ?, ?)', user, m.office, m.role, ceiling);
  }
}

/** A user's memberships, by office then role (Roles order: member, releasing-officer, security-officer). */
export function getMemberships(sql: Sql, user: UserId): Membership[] {
  return sql
    .all('SELECT office, role, release_ceiling FROM memberships WHERE user = ? ORDER BY office, role', user)
    .map(membership);
}

/** Everyone holding a role in an office, by user then role. */
export function listMembers(sql: Sql, office: OfficeCode): { user: UserId; membership: Membership }[] {
  return sql
    .all('SELECT user, office, role, release_ceiling FROM memberships WHERE office = ? ORDER BY user, role', office)
    .map((row) => ({ user: branded(row, 'user', isUserId), membership: membership(row) }));
}

// ---- officer certificates ------------------------------------------------------------------------------------

/** Stores (or replaces) the encoded officer certificate of a user. */
export function putOfficerCertificate(sql: Sql, user: UserId, record: Uint8Array): void {
  sql.run(
    `INSERT INTO officer_certificates (user, record) VALUES (?, ?)
     ON CONFLICT (user) DO UPDATE SET record = excluded.record`,
    user,
    bytesArg(record, 'record'),
  );
}

export function getOfficerCertificate(sql: Sql, user: UserId): Uint8Array | null {
  const row = sql.get('SELECT record FROM officer_certificates WHERE user = ?', user);
  return row === undefined ? null : blob(row, 'record');
}

/** Every officer certificate, by user (the node checks officer signatures against these). */
export function listOfficerCertificates(sql: Sql): Uint8Array[] {
  return sql.all('SELECT record FROM officer_certificates ORDER BY user').map((row) => blob(row, 'record'));
}
