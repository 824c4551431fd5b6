// The SQLite schema of a node and the versioned steps that build it (docs/node.md "Store"), applied by `migrate`.
//
// Schema, version 6 (version 5: all but alerts and alert_clearances; version 1: everything but the log_ tables, share_releases, log_key_records and
// device_revocations; version 2: all but share_releases, log_key_records and device_revocations; version 3: all but
// log_key_records and device_revocations; version 4: all but device_revocations). Every table is STRICT, so a column
// holds only its declared type.
//
//   offices(code PK, node, name, ceiling, communities)          the directory: local and remote offices
//   users(id PK, name, clearance, nationality, organisations, caveats, active, frozen)
//   memberships(user → users, office → offices, role, release_ceiling)     PK (user, office, role)
//   officer_certificates(user PK → users, record)
//   devices(user → users, device, status, signing_key, encryption_key, record, created_at)   PK (user, device)
//   epochs(office → offices, level, epoch, key_hash, record, closure)        PK (office, level, epoch)
//   grants(user, device → devices, office, level, epoch → epochs, record)   PK (all five)
//   drafts(id PK, from_office → offices, level, drafter → users, status, sealed_draft, released_envelope,
//          releaser → users, created_at, updated_at)
//   cables(seq PK AUTOINCREMENT, id UNIQUE, dtg, precedence, classification, caveats, releasable_to, from_office,
//          to_offices, info_offices, tags, drafter, releaser, envelope, envelope_hash, accepted_at)
//   deliveries(office → offices, precedence, seq → cables)   PK (office, precedence, seq): the inbox index itself
//   reads(user → users, seq → cables, read_at)              PK (user, seq)
//   nonces(key_id, nonce, expires_at)                        PK (key_id, nonce), index on expires_at
//   log_entries(idx PK, leaf, leaf_hash, details, salt, appended_at)   the audit log, one row per leaf, idx 0, 1, 2…
//   log_nodes(level, idx, hash)                             PK (level, idx): every complete subtree, level ≥ 1
//   log_checkpoints(size PK, root, note, signed_at)          signed tree heads as served
//   share_releases(idx PK → log_entries, user, released_at)  index on (user, released_at): the release service's
//                                                            per-user rate, counted from the log's own entries
//   log_key_records(record_hash PK, idx → log_entries)  the entry that logged each key record, by its hash
//   device_revocations(user, device → devices, record, revoked_at)   PK (user, device); from version 5
//   alerts(id PK, user → users, rule, severity, action, evidence, trigger_idx, raised_idx → log_entries,
//          raised_at, state, acknowledged_by)   UNIQUE (user, rule, trigger_idx); from version 6
//   alert_clearances(alert PK → alerts, officer, requested_at)   a freeze's first clearing officer; from version 6
//
// Conventions, and why:
// - No column holds plaintext. A cable's subject, body, references and attachments exist only inside `envelope`
//   (and a draft's inside `sealed_draft`), both ciphertext; the clear columns are the routing header, which is
//   metadata on purpose (src/cable/types.ts). No column holds a private key: devices keep theirs.
// - Precedence and classification are stored as ranks (columns.ts: FLASH=0 … ROUTINE=3, UNCLASSIFIED=0 …
//   SECRET=4), so the inbox sorts on an index and levels compare in SQL.
// - Lists (communities, organisations, caveats, releasable_to, to, info, tags) are JSON arrays of strings in TEXT columns: they
//   are read whole and never queried into. Addressing that is queried (which local office holds which cable)
//   lives in `deliveries`, one row per (office, cable), whose key is exactly the inbox order.
// - `cables.seq` is AUTOINCREMENT so a sequence number is never reused, even after a delete: it is the node's
//   acceptance order, and inbox cursors point at it.
// - Cables and their `from`, `drafter`, `releaser` may belong to other nodes, so they carry no foreign keys;
//   rows that only make sense for this node's own offices and users do.
// - Timestamps are integers in whatever unit the node uses (milliseconds since the epoch by convention).
// - The audit log (docs/log.md "What the node will store") keeps the RFC 9162 tree as rows: the leaf hashes in
//   log_entries (level 0) and the hash of every complete subtree above in log_nodes, about one per leaf, so any
//   proof, past root or frontier is O(log n) key lookups. `idx` is dense from 0: the append code assigns
//   size, size + 1, … in the writing transaction. A leaf holds personal details only as a salted commitment; the
//   details and salt sit beside it and erasing them (both, to NULL) changes no hash.
// - Log rows are append-only by trigger: no DELETE, no UPDATE but the erasure. That guards against a bug of our own,
//   not an attacker (who can drop a trigger): tampering is caught by the tree and the signed checkpoints.
import type Database from 'better-sqlite3';
import { StoreError } from '../../errors.ts';
import { fillLogKeyRecords } from './fill-key-records.ts';
import { V8 } from './schema-federation.ts';
import { V9 } from './schema-peer-directory.ts';
import { V10_WEB_AUTH, V10_WEB_RELEASES } from './schema-web.ts';
import { V11_DRAFT_RETURNS } from './schema-draft-returns.ts';

/**
 * One step of the schema: applied once, in its own transaction, and never edited after release. `fill` runs after
 * `sql` in the same transaction, for rows SQL alone cannot derive (decoding stored leaves).
 */
export interface Migration {
  readonly version: number;
  readonly sql: string;
  readonly fill?: (db: Database.Database) => void;
}

/** 'CHNC': marks the file as a Chancery store, so a node refuses to adopt some other SQLite database. */
export const ApplicationId = 0x43484e43;

const ranks = (column: string, max: number): string => `${column} INTEGER NOT NULL CHECK (${column} BETWEEN 0 AND ${max})`;
const flag = (column: string): string => `${column} INTEGER NOT NULL CHECK (${column} IN (0, 1))`;

const V1 = `
CREATE TABLE offices (
  code TEXT PRIMARY KEY,
  node TEXT NOT NULL,
  name TEXT NOT NULL,
  ${ranks('ceiling', 4)},
  communities TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  ${ranks('clearance', 4)},
  nationality TEXT NOT NULL,
  organisations TEXT NOT NULL,
  caveats TEXT NOT NULL,
  ${flag('active')},
  ${flag('frozen')}
) STRICT;

CREATE TABLE memberships (
  user TEXT NOT NULL REFERENCES users (id),
  office TEXT NOT NULL REFERENCES offices (code),
  role TEXT NOT NULL CHECK (role IN ('member', 'releasing-officer', 'security-officer')),
  release_ceiling INTEGER CHECK (release_ceiling BETWEEN 0 AND 4),
  PRIMARY KEY (user, office, role),
  CHECK ((role = 'releasing-officer') = (release_ceiling IS NOT NULL))
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_by_office ON memberships (office);

CREATE TABLE officer_certificates (
  user TEXT PRIMARY KEY REFERENCES users (id),
  record BLOB NOT NULL
) STRICT;

CREATE TABLE devices (
  user TEXT NOT NULL REFERENCES users (id),
  device TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'revoked')),
  signing_key BLOB NOT NULL,
  encryption_key BLOB NOT NULL,
  record BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user, device)
) STRICT;

CREATE TABLE epochs (
  office TEXT NOT NULL REFERENCES offices (code),
  ${ranks('level', 4)},
  epoch INTEGER NOT NULL CHECK (epoch >= 0),
  key_hash BLOB NOT NULL,
  record BLOB NOT NULL,
  closure BLOB,
  PRIMARY KEY (office, level, epoch)
) STRICT;

CREATE TABLE grants (
  user TEXT NOT NULL,
  device TEXT NOT NULL,
  office TEXT NOT NULL,
  level INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  record BLOB NOT NULL,
  PRIMARY KEY (user, device, office, level, epoch),
  FOREIGN KEY (user, device) REFERENCES devices (user, device),
  FOREIGN KEY (office, level, epoch) REFERENCES epochs (office, level, epoch)
) STRICT;
CREATE INDEX grants_by_epoch ON grants (office, level, epoch);

CREATE TABLE drafts (
  id TEXT PRIMARY KEY,
  from_office TEXT NOT NULL REFERENCES offices (code),
  ${ranks('level', 4)},
  drafter TEXT NOT NULL REFERENCES users (id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'released', 'sent')),
  sealed_draft BLOB NOT NULL,
  released_envelope BLOB,
  releaser TEXT REFERENCES users (id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((status = 'draft') = (released_envelope IS NULL)),
  CHECK ((released_envelope IS NULL) = (releaser IS NULL))
) STRICT;
CREATE INDEX drafts_by_office ON drafts (from_office, updated_at);

CREATE TABLE cables (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  dtg TEXT NOT NULL,
  ${ranks('precedence', 3)},
  ${ranks('classification', 4)},
  caveats TEXT NOT NULL,
  releasable_to TEXT NOT NULL,
  from_office TEXT NOT NULL,
  to_offices TEXT NOT NULL,
  info_offices TEXT NOT NULL,
  tags TEXT NOT NULL,
  drafter TEXT NOT NULL,
  releaser TEXT NOT NULL,
  envelope BLOB NOT NULL,
  envelope_hash BLOB NOT NULL,
  accepted_at INTEGER NOT NULL
) STRICT;

-- precedence is copied from the cable so that the key alone serves an inbox page: one index seek per
-- (office, precedence), newest first, with no sort.
CREATE TABLE deliveries (
  office TEXT NOT NULL REFERENCES offices (code),
  ${ranks('precedence', 3)},
  seq INTEGER NOT NULL REFERENCES cables (seq),
  PRIMARY KEY (office, precedence, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX deliveries_by_cable ON deliveries (seq);

CREATE TABLE reads (
  user TEXT NOT NULL REFERENCES users (id),
  seq INTEGER NOT NULL REFERENCES cables (seq),
  read_at INTEGER NOT NULL,
  PRIMARY KEY (user, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX reads_by_cable ON reads (seq);

CREATE TABLE nonces (
  key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, nonce)
) STRICT, WITHOUT ROWID;
CREATE INDEX nonces_by_expiry ON nonces (expires_at);

PRAGMA application_id = ${ApplicationId};
`;

const V2 = `
CREATE TABLE log_entries (
  idx INTEGER PRIMARY KEY CHECK (idx >= 0),
  leaf BLOB NOT NULL,
  leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
  details BLOB,
  salt BLOB,
  appended_at INTEGER NOT NULL,
  CHECK ((details IS NULL) = (salt IS NULL))
) STRICT;

CREATE TABLE log_nodes (
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 53),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE log_checkpoints (
  size INTEGER PRIMARY KEY CHECK (size >= 0),
  root BLOB NOT NULL CHECK (length(root) = 32),
  note TEXT NOT NULL,
  signed_at INTEGER NOT NULL
) STRICT;

-- Append-only: no DELETE, no UPDATE but erasing details and salt (setting both to NULL).
CREATE TRIGGER log_entries_delete_refused BEFORE DELETE ON log_entries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER log_entries_update_refused BEFORE UPDATE ON log_entries
  WHEN NEW.idx IS NOT OLD.idx OR NEW.leaf IS NOT OLD.leaf OR NEW.leaf_hash IS NOT OLD.leaf_hash
    OR NEW.appended_at IS NOT OLD.appended_at OR NEW.details IS NOT NULL OR NEW.salt IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER log_nodes_delete_refused BEFORE DELETE ON log_nodes BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER log_nodes_update_refused BEFORE UPDATE ON log_nodes BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER log_checkpoints_delete_refused BEFORE DELETE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER log_checkpoints_update_refused BEFORE UPDATE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

// One row per release share handed out, beside the log entry recording it and written in the same transaction, so
// the per-user rate limit survives restarts and counts exactly what is on the record (docs/node.md "No unlogged
// decryption"). It indexes the log; it is not evidence (the leaves are), so it has no append-only triggers.
const V3 = `
CREATE TABLE share_releases (
  idx INTEGER PRIMARY KEY REFERENCES log_entries (idx),
  user TEXT NOT NULL,
  released_at INTEGER NOT NULL
) STRICT;

CREATE INDEX share_releases_by_user ON share_releases (user, released_at);
`;

// The entry that logged each key record, by the hash naming the record (src/log/key-entries.ts), so that a device,
// epoch, officer certificate or grant is served with its entry's inclusion proof in O(log n) (docs/node.md "Key
// transparency"). An index of the log, not evidence: a client checks the entry it is shown against the record.
const V4 = `
CREATE TABLE log_key_records (
  record_hash BLOB PRIMARY KEY CHECK (length(record_hash) = 32),
  idx INTEGER NOT NULL REFERENCES log_entries (idx)
) STRICT, WITHOUT ROWID;
`;

// The signed record that revoked a device (src/keys/device-revocation.ts), one per device, written in the
// transaction that sets the device's status to 'revoked': the node serves it with the device listing, so clients
// learn when the device stopped counting. The record itself is evidence enough (it is signed), hence no triggers.
const V5 = `
CREATE TABLE device_revocations (
  user TEXT NOT NULL,
  device TEXT NOT NULL,
  record BLOB NOT NULL,
  revoked_at INTEGER NOT NULL CHECK (revoked_at >= 0),
  PRIMARY KEY (user, device),
  FOREIGN KEY (user, device) REFERENCES devices (user, device)
) STRICT;
`;

// The detector's alerts as the node raised them (src/node/detection.ts), beside their `alert.raised` entry: the
// evidence (log indices) and the officers' handling are not in the leaf. (user, rule, trigger_idx) is unique, so
// replaying the log at start-up finds an alert it already raised instead of raising it twice. A freeze is cleared
// by two different security officers: the first one's request waits in alert_clearances for the second.
const V6 = `
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users (id),
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
  action TEXT NOT NULL CHECK (action IN ('alert', 'step_up', 'freeze')),
  evidence TEXT NOT NULL,
  trigger_idx INTEGER NOT NULL CHECK (trigger_idx >= 0),
  raised_idx INTEGER NOT NULL REFERENCES log_entries (idx),
  raised_at INTEGER NOT NULL CHECK (raised_at >= 0),
  state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'cleared')),
  acknowledged_by TEXT,
  UNIQUE (user, rule, trigger_idx)
) STRICT;
CREATE INDEX alerts_by_state ON alerts (state, raised_idx);
CREATE TABLE alert_clearances (
  alert TEXT PRIMARY KEY REFERENCES alerts (id),
  officer TEXT NOT NULL,
  requested_at INTEGER NOT NULL CHECK (requested_at >= 0)
) STRICT;
`;

/** Version 7: the cables the security officers marked as canaries (issue 7; src/node/routes/canaries.ts). */
const V7 = `
CREATE TABLE canaries (
  cable TEXT PRIMARY KEY,
  officer TEXT NOT NULL,
  marked_at INTEGER NOT NULL CHECK (marked_at >= 0)
) STRICT;
`;

/** Every schema step in order; `version` is the `PRAGMA user_version` a database has once the step is applied. */
export const Migrations: readonly Migration[] = [
  { version: 1, sql: V1 },
  { version: 2, sql: V2 },
  { version: 3, sql: V3 },
  { version: 4, sql: V4, fill: fillLogKeyRecords },
  { version: 5, sql: V5 },
  { version: 6, sql: V6 },
  { version: 7, sql: V7 },
  { version: 8, sql: V8 },
  { version: 9, sql: V9 },
  { version: 10, sql: V10_WEB_AUTH + V10_WEB_RELEASES },
  { version: 11, sql: V11_DRAFT_RETURNS },
];

/** The schema version this code reads and writes. */
export const SchemaVersion = Migrations.length;

function pragmaInt(db: Database.Database, name: 'user_version' | 'application_id'): number {
  const value: unknown = db.pragma(name, { simple: true });
  if (typeof value !== 'number') throw new StoreError('file.malformed', `store: PRAGMA ${name} is not a number`);
  return value;
}

/**
 * Refuses a database this code cannot use: another application's file, or a schema newer than `SchemaVersion`
 * (written by a later release: reading it could misread rows, writing it could corrupt them).
 * With `exact`, an older schema is refused too (a read-only store cannot migrate).
 */
export function checkSchema(db: Database.Database, exact = false): number {
  const version = pragmaInt(db, 'user_version');
  const application = pragmaInt(db, 'application_id');
  if (application !== ApplicationId && (application !== 0 || version !== 0)) {
    throw new StoreError('file.malformed', 'store: not a Chancery database (application_id differs)');
  }
  if (version > SchemaVersion) {
    throw new StoreError(
      'encoding.unsupported_version',
      `store: database schema version ${version} is newer than this release's ${SchemaVersion}; upgrade Chancery`,
    );
  }
  if (exact && version < SchemaVersion) {
    throw new StoreError(
      'encoding.unsupported_version',
      `store: database schema version ${version} needs migrating to ${SchemaVersion}; open it read-write once`,
    );
  }
  return version;
}

/**
 * Brings the schema up to `SchemaVersion`, one step per IMMEDIATE transaction. The version is re-read under the
 * write lock, so two processes opening one file at once apply each step exactly once.
 */
export function migrate(db: Database.Database): void {
  checkSchema(db);
  for (const step of Migrations) {
    db.transaction(() => {
      const version = checkSchema(db);
      if (version >= step.version) return;
      db.exec(step.sql);
      step.fill?.(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}
