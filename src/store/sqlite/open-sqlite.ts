// Opens the node's SQLite store (docs/node.md "Store"): pragmas for durability, migrations, and transactions that
// hand out a StoreTx bound to one BEGIN IMMEDIATE … COMMIT.
import Database from 'better-sqlite3';
import { InternalError, StoreError } from '../../errors.ts';
import type { Store, StoreTx } from '../store.ts';
import { checkSchema, migrate } from './migrations.ts';
import { Sql, storeFailure } from './sql.ts';
import * as alerts from './alerts.ts';
import * as auditLog from './audit-log.ts';
import * as cables from './cables.ts';
import * as canaries from './canaries.ts';
import * as devicesKeys from './devices-keys.ts';
import * as drafts from './drafts.ts';
import * as federation from './federation.ts';
import * as peerDirectory from './peer-directory.ts';
import { webAuthTx } from './web-auth.ts';
import { webReleaseTx } from './web-releases.ts';
import { draftReturnTx } from './draft-returns.ts';
import { inbox } from './inbox.ts';
import { rememberNonce } from './nonces.ts';
import * as roster from './offices-users.ts';

export interface SqliteStoreOptions {
  /** Open an existing, fully migrated database for reading only (tools, backups); writes fail. */
  readonly readonly?: boolean;
  /** How long to wait for another connection's write lock before failing, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

function isThenable(value: unknown): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && 'then' in value;
}

/** The StoreTx of one transaction: every method refuses to run once `live()` is false. */
function transactionView(sql: Sql, live: () => boolean): StoreTx {
  const s = (): Sql => {
    // A tx kept past its transaction would write in autocommit mode, outside the request's atomicity.
    if (!live()) throw new InternalError('store: a StoreTx was used after its transaction ended');
    return sql;
  };
  return {
    putOffice: (office) => roster.putOffice(s(), office),
    getOffice: (code) => roster.getOffice(s(), code),
    listOffices: () => roster.listOffices(s()),
    putUser: (user) => roster.putUser(s(), user),
    getUser: (id) => roster.getUser(s(), id),
    listUsers: () => roster.listUsers(s()),
    setMemberships: (user, memberships) => roster.setMemberships(s(), user, memberships),
    getMemberships: (user) => roster.getMemberships(s(), user),
    listMembers: (office) => roster.listMembers(s(), office),
    putOfficerCertificate: (user, record) => roster.putOfficerCertificate(s(), user, record),
    getOfficerCertificate: (user) => roster.getOfficerCertificate(s(), user),
    listOfficerCertificates: () => roster.listOfficerCertificates(s()),
    putDevice: (device) => devicesKeys.putDevice(s(), device),
    getDevice: (user, device) => devicesKeys.getDevice(s(), user, device),
    listDevices: (user) => devicesKeys.listDevices(s(), user),
    revokeDevice: (revocation) => devicesKeys.revokeDevice(s(), revocation),
    getDeviceRevocation: (user, device) => devicesKeys.getDeviceRevocation(s(), user, device),
    listDeviceRevocations: (user) => devicesKeys.listDeviceRevocations(s(), user),
    putEpoch: (epoch) => devicesKeys.putEpoch(s(), epoch),
    getEpoch: (office, level, epoch) => devicesKeys.getEpoch(s(), office, level, epoch),
    currentEpoch: (office, level) => devicesKeys.currentEpoch(s(), office, level),
    listEpochs: (office) => devicesKeys.listEpochs(s(), office),
    putGrant: (grant) => devicesKeys.putGrant(s(), grant),
    listGrants: (user, device) => devicesKeys.listGrants(s(), user, device),
    putDraft: (draft) => drafts.putDraft(s(), draft),
    getDraft: (id) => drafts.getDraft(s(), id),
    listDrafts: (office) => drafts.listDrafts(s(), office),
    putCable: (cable, localOffices, acceptedAt) => cables.putCable(s(), cable, localOffices, acceptedAt),
    getCable: (id) => cables.getCable(s(), id),
    countCables: () => cables.countCables(s()),
    inbox: (query) => inbox(s(), query),
    markRead: (user, cable, at) => cables.markRead(s(), user, cable, at),
    rememberNonce: (keyId, nonce, expiresAt, now) => rememberNonce(s(), keyId, nonce, expiresAt, now),
    appendLogEntries: (entries, at, p) => auditLog.appendLogEntries(s(), entries, at, p),
    logSize: () => auditLog.logSize(s()),
    logEntry: (index) => auditLog.logEntry(s(), index),
    logEntries: (from, count) => auditLog.logEntries(s(), from, count),
    logSubtreeHash: (level, index) => auditLog.logSubtreeHash(s(), level, index),
    eraseLogDetails: (index) => auditLog.eraseLogDetails(s(), index),
    logIndexOfKeyRecord: (recordHash) => auditLog.logIndexOfKeyRecord(s(), recordHash),
    putCheckpoint: (checkpoint) => auditLog.putCheckpoint(s(), checkpoint),
    latestCheckpoint: () => auditLog.latestCheckpoint(s()),
    checkpointAt: (size) => auditLog.checkpointAt(s(), size),
    recordShareRelease: (index, user, at) => auditLog.recordShareRelease(s(), index, user, at),
    countShareReleases: (user, since) => auditLog.countShareReleases(s(), user, since),
    putAlert: (alert) => alerts.putAlert(s(), alert),
    getAlert: (id) => alerts.getAlert(s(), id),
    findAlert: (user, rule, triggerIndex) => alerts.findAlert(s(), user, rule, triggerIndex),
    listAlerts: (states) => alerts.listAlerts(s(), states),
    listOpenAlertsOf: (user, action) => alerts.listOpenAlertsOf(s(), user, action),
    countAlerts: () => alerts.countAlerts(s()),
    setAlertState: (id, state, by) => alerts.setAlertState(s(), id, state, by),
    setAlertAction: (id, action) => alerts.setAlertAction(s(), id, action),
    putClearanceRequest: (request) => alerts.putClearanceRequest(s(), request),
    getClearanceRequest: (alert) => alerts.getClearanceRequest(s(), alert),
    deleteClearanceRequest: (alert) => alerts.deleteClearanceRequest(s(), alert),
    markCanary: (canary) => canaries.markCanary(s(), canary),
    isCanary: (cable) => canaries.isCanary(s(), cable),
    getCanary: (cable) => canaries.getCanary(s(), cable),
    listCanaries: () => canaries.listCanaries(s()),
    putPeer: (peer) => federation.putPeer(s(), peer),
    getPeer: (node) => federation.getPeer(s(), node),
    listPeers: (includeRemoved = false) => federation.listPeers(s(), includeRemoved),
    removePeer: (node, at) => federation.removePeer(s(), node, at),
    setPeerOffices: (peer, list) => federation.setPeerOffices(s(), peer, list),
    getPeerOffice: (code) => federation.getPeerOffice(s(), code),
    listPeerOffices: (peer) => federation.listPeerOffices(s(), peer),
    enqueue: (peer, seq, list, at) => federation.enqueue(s(), peer, seq, list, at),
    dueOutbox: (peer, now, limit) => federation.dueOutbox(s(), peer, now, limit),
    nextDueAt: (peer) => federation.nextDueAt(s(), peer),
    markDelivered: (peer, seq, receipt, at) => federation.markDelivered(s(), peer, seq, receipt, at),
    markAttemptFailed: (peer, seq, error, next, at) => federation.markAttemptFailed(s(), peer, seq, error, next, at),
    markConflict: (peer, seq, error, at) => federation.markConflict(s(), peer, seq, error, at),
    outboxSummary: () => federation.outboxSummary(s()),
    outboxOfCable: (cable) => federation.outboxOfCable(s(), cable),
    putPeerCheckpoint: (c) => federation.putPeerCheckpoint(s(), c),
    peerCheckpointAt: (peer, size) => federation.peerCheckpointAt(s(), peer, size),
    latestPeerCheckpoint: (peer) => federation.latestPeerCheckpoint(s(), peer),
    putPeerDirectory: (row) => peerDirectory.putPeerDirectory(s(), row),
    getPeerDirectory: (peer, path) => peerDirectory.getPeerDirectory(s(), peer, path),
    ...webAuthTx(s),
    ...webReleaseTx(s),
    ...draftReturnTx(s),
  };
}

function connect(path: string, readonly: boolean, busyTimeoutMs: number): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
  } catch (error) {
    throw new StoreError('file.missing', 'store: cannot open the database file', { cause: error });
  }
  try {
    // busy_timeout first, so the journal-mode switch below also waits for another process's lock.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('foreign_keys = ON');
    if (readonly) {
      checkSchema(db, true);
    } else {
      // WAL: readers never block the writer. FULL: the WAL is synced at every commit, so a cable the node has
      // acknowledged survives a power loss (NORMAL would only survive a crash of the process).
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db);
    }
  } catch (error) {
    db.close();
    throw storeFailure(error);
  }
  return db;
}

/**
 * Opens (creating and migrating if needed) a node store at `path`; `':memory:'` gives a private in-memory store
 * for tests. Refuses another application's database and a schema newer than this release.
 *
 * @example
 * ```ts
 * const store = openSqliteStore('DATA/node.sqlite');
 * const office = store.transaction((tx) => tx.getOffice(code));
 * store.close();
 * ```
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const readonly = options.readonly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new RangeError('store: busyTimeoutMs must be a non-negative integer');
  const db = connect(path, readonly, busyTimeoutMs);
  const sql = new Sql(db);

  return {
    transaction<T>(fn: (tx: StoreTx) => T): T {
      let live = true;
      const tx = transactionView(sql, () => live);
      const body = db.transaction((): T => {
        const result = fn(tx);
        // better-sqlite3 would COMMIT as soon as an async fn returns its promise, before the awaited writes.
        if (isThenable(result)) throw new InternalError('store: a transaction function must be synchronous');
        return result;
      });
      try {
        // A read-only connection takes no write lock: a deferred transaction reads one consistent snapshot.
        return readonly ? body.deferred() : body.immediate();
      } catch (error) {
        throw storeFailure(error);
      } finally {
        live = false;
      }
    },
    close(): void {
      sql.clear();
      db.close();
    },
  };
}
