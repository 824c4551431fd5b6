// Federation rows (src/store/federation.ts): peers, the offices they host, the outbox and peers' checkpoints.
import type { CableId, NodeName, OfficeCode } from '../../cable/types.ts';
import { isCableId, isNodeName, isOfficeCode } from '../../cable/ids.ts';
import { StoreError } from '../../errors.ts';
import type { OutboxRow, OutboxSummary, PeerCheckpointRow, PeerOfficeRow, PeerRow } from '../federation.ts';
import { OutboxStates } from '../federation.ts';
import type { Row, Sql } from './sql.ts';
import {
  blob, branded, bytesArg, classification, classificationArg, int, intArg, offices, oneOf, optBlob, optInt, optText, precedence, strings, stringsArg, text,
} from './columns.ts';

function peerRow(row: Row): PeerRow {
  return {
    node: branded(row, 'node', isNodeName), org: text(row, 'org'), url: text(row, 'url'), certificate: blob(row, 'certificate'),
    root: blob(row, 'root'), nodeCertificate: blob(row, 'node_certificate'), addedAt: int(row, 'added_at'), removedAt: optInt(row, 'removed_at'),
  };
}

const PEER_COLUMNS = 'node, org, url, certificate, root, node_certificate, added_at, removed_at';

export function putPeer(sql: Sql, p: PeerRow): void {
  sql.run(
    `INSERT INTO peers (${PEER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (node) DO UPDATE SET org = excluded.org, url = excluded.url, certificate = excluded.certificate, root = excluded.root,
       node_certificate = excluded.node_certificate, added_at = excluded.added_at, removed_at = excluded.removed_at`,
    p.node, p.org, p.url, bytesArg(p.certificate, 'certificate'), bytesArg(p.root, 'root'), bytesArg(p.nodeCertificate, 'nodeCertificate'),
    intArg(p.addedAt, 'addedAt'), p.removedAt === null ? null : intArg(p.removedAt, 'removedAt'),
  );
}

export function getPeer(sql: Sql, node: NodeName): PeerRow | null {
  const row = sql.get(`SELECT ${PEER_COLUMNS} FROM peers WHERE node = ?`, node);
  return row === undefined ? null : peerRow(row);
}

export function listPeers(sql: Sql, includeRemoved: boolean): PeerRow[] {
  const where = includeRemoved ? '' : 'WHERE removed_at IS NULL';
  return sql.all(`SELECT ${PEER_COLUMNS} FROM peers ${where} ORDER BY node`).map(peerRow);
}

export function removePeer(sql: Sql, node: NodeName, at: number): void {
  if (sql.run('UPDATE peers SET removed_at = ? WHERE node = ?', intArg(at, 'at'), node).changes === 0) throw new StoreError('store.not_found', 'store: no such peer');
}

function peerOfficeRow(row: Row): PeerOfficeRow {
  return {
    code: branded(row, 'code', isOfficeCode), peer: branded(row, 'peer', isNodeName), name: text(row, 'name'),
    ceiling: classification(row, 'ceiling'), communities: strings(row, 'communities'), syncedAt: int(row, 'synced_at'),
  };
}

export function setPeerOffices(sql: Sql, peer: NodeName, list: readonly PeerOfficeRow[]): void {
  sql.run('DELETE FROM peer_offices WHERE peer = ?', peer);
  for (const o of list) {
    if (o.peer !== peer) throw new RangeError('store: an office of another peer');
    sql.run(
      'INSERT INTO peer_offices (code, peer, name, ceiling, communities, synced_at) VALUES (?, ?, ?, ?, ?, ?)',
      o.code, peer, o.name, classificationArg(o.ceiling, 'ceiling'), stringsArg(o.communities, 'communities'), intArg(o.syncedAt, 'syncedAt'),
    );
  }
}

export function getPeerOffice(sql: Sql, code: OfficeCode): PeerOfficeRow | null {
  const row = sql.get('SELECT code, peer, name, ceiling, communities, synced_at FROM peer_offices WHERE code = ?', code);
  return row === undefined ? null : peerOfficeRow(row);
}

export function listPeerOffices(sql: Sql, peer?: NodeName): PeerOfficeRow[] {
  const rows = peer === undefined
    ? sql.all('SELECT code, peer, name, ceiling, communities, synced_at FROM peer_offices ORDER BY code')
    : sql.all('SELECT code, peer, name, ceiling, communities, synced_at FROM peer_offices WHERE peer = ? ORDER BY code', peer);
  return rows.map(peerOfficeRow);
}

const OUTBOX_COLUMNS = `o.peer, o.seq, c.id, o.precedence, o.offices, o.enqueued_at, o.attempts, o.next_attempt_at, o.last_attempt_at, o.last_error,
  o.state, o.delivered_at, o.receipt`;

function outboxRow(row: Row): OutboxRow {
  return {
    peer: branded(row, 'peer', isNodeName), seq: int(row, 'seq'), cable: branded(row, 'id', isCableId), precedence: precedence(row, 'precedence'),
    offices: offices(row, 'offices'), enqueuedAt: int(row, 'enqueued_at'), attempts: int(row, 'attempts'), nextAttemptAt: int(row, 'next_attempt_at'),
    lastAttemptAt: optInt(row, 'last_attempt_at'), lastError: optText(row, 'last_error'), state: oneOf(row, 'state', OutboxStates),
    deliveredAt: optInt(row, 'delivered_at'), receipt: optBlob(row, 'receipt'),
  };
}

export function enqueue(sql: Sql, peer: NodeName, seq: number, list: readonly OfficeCode[], at: number): void {
  sql.run(
    `INSERT INTO outbox (peer, seq, precedence, offices, enqueued_at, next_attempt_at, state)
     SELECT ?, seq, precedence, ?, ?, ?, 'pending' FROM cables WHERE seq = ?
     ON CONFLICT (peer, seq) DO NOTHING`,
    peer, stringsArg(list, 'offices'), intArg(at, 'at'), intArg(at, 'at'), intArg(seq, 'seq'),
  );
}

export function dueOutbox(sql: Sql, peer: NodeName, now: number, limit: number): OutboxRow[] {
  return sql
    .all(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox o JOIN cables c ON c.seq = o.seq
       WHERE o.peer = ? AND o.state = 'pending' AND o.next_attempt_at <= ? ORDER BY o.precedence, o.seq LIMIT ?`,
      peer, intArg(now, 'now'), intArg(limit, 'limit'),
    )
    .map(outboxRow);
}

export function nextDueAt(sql: Sql, peer: NodeName): number | null {
  const row = sql.get("SELECT min(next_attempt_at) AS due FROM outbox WHERE peer = ? AND state = 'pending'", peer);
  return row === undefined ? null : optInt(row, 'due');
}

function changeOne(sql: Sql, statement: string, ...params: (string | number | Uint8Array | null)[]): void {
  if (sql.run(statement, ...params).changes !== 1) throw new StoreError('store.not_found', 'store: no such pending outbox row');
}

export function markDelivered(sql: Sql, peer: NodeName, seq: number, receipt: Uint8Array, at: number): void {
  changeOne(
    sql, "UPDATE outbox SET state = 'delivered', receipt = ?, delivered_at = ?, attempts = attempts + 1, last_attempt_at = ? WHERE peer = ? AND seq = ? AND state = 'pending'",
    bytesArg(receipt, 'receipt'), intArg(at, 'at'), intArg(at, 'at'), peer, intArg(seq, 'seq'),
  );
}

export function markAttemptFailed(sql: Sql, peer: NodeName, seq: number, error: string, nextAttemptAt: number, at: number): void {
  changeOne(
    sql, "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = ?, next_attempt_at = ? WHERE peer = ? AND seq = ? AND state = 'pending'",
    intArg(at, 'at'), error, intArg(nextAttemptAt, 'nextAttemptAt'), peer, intArg(seq, 'seq'),
  );
}

export function markConflict(sql: Sql, peer: NodeName, seq: number, error: string, at: number): void {
  changeOne(
    sql, "UPDATE outbox SET state = 'conflict', attempts = attempts + 1, last_attempt_at = ?, last_error = ? WHERE peer = ? AND seq = ? AND state = 'pending'",
    intArg(at, 'at'), error, peer, intArg(seq, 'seq'),
  );
}

export function outboxSummary(sql: Sql): OutboxSummary[] {
  return sql
    .all(
      `SELECT p.node AS peer,
         (SELECT count(*) FROM outbox o WHERE o.peer = p.node AND o.state = 'pending') AS pending,
         (SELECT count(*) FROM outbox o WHERE o.peer = p.node AND o.state = 'delivered') AS delivered,
         (SELECT count(*) FROM outbox o WHERE o.peer = p.node AND o.state = 'conflict') AS conflicts,
         (SELECT min(enqueued_at) FROM outbox o WHERE o.peer = p.node AND o.state = 'pending') AS oldest,
         (SELECT last_error FROM outbox o WHERE o.peer = p.node AND o.state = 'pending' AND last_error IS NOT NULL ORDER BY last_attempt_at DESC LIMIT 1) AS last_error,
         (SELECT max(last_attempt_at) FROM outbox o WHERE o.peer = p.node AND o.state = 'pending' AND last_error IS NOT NULL) AS last_error_at
       FROM peers p ORDER BY p.node`,
    )
    .map((row) => ({
      peer: branded(row, 'peer', isNodeName), pending: int(row, 'pending'), delivered: int(row, 'delivered'), conflicts: int(row, 'conflicts'),
      oldestPendingAt: optInt(row, 'oldest'), lastError: optText(row, 'last_error'), lastErrorAt: optInt(row, 'last_error_at'),
    }));
}

export function outboxOfCable(sql: Sql, cable: CableId): OutboxRow[] {
  return sql.all(`SELECT ${OUTBOX_COLUMNS} FROM outbox o JOIN cables c ON c.seq = o.seq WHERE c.id = ? ORDER BY o.peer`, cable).map(outboxRow);
}

function checkpointRow(row: Row): PeerCheckpointRow {
  return { peer: branded(row, 'peer', isNodeName), size: int(row, 'size'), root: blob(row, 'root'), note: text(row, 'note'), receivedAt: int(row, 'received_at') };
}

export function putPeerCheckpoint(sql: Sql, c: PeerCheckpointRow): void {
  sql.run(
    'INSERT INTO peer_checkpoints (peer, size, root, note, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (peer, size) DO NOTHING',
    c.peer, intArg(c.size, 'size'), bytesArg(c.root, 'root'), c.note, intArg(c.receivedAt, 'receivedAt'),
  );
}

export function peerCheckpointAt(sql: Sql, peer: NodeName, size: number): PeerCheckpointRow | null {
  const row = sql.get('SELECT peer, size, root, note, received_at FROM peer_checkpoints WHERE peer = ? AND size = ?', peer, intArg(size, 'size'));
  return row === undefined ? null : checkpointRow(row);
}

export function latestPeerCheckpoint(sql: Sql, peer: NodeName): PeerCheckpointRow | null {
  const row = sql.get('SELECT peer, size, root, note, received_at FROM peer_checkpoints WHERE peer = ? ORDER BY size DESC LIMIT 1', peer);
  return row === undefined ? null : checkpointRow(row);
}
