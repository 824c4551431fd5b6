// The audit log in a store file: it survives closing and reopening (and appends continue from the stored frontier),
// a version-1 database gains the log tables on opening, the log tables refuse every change but the erasure, and a
// 100k-entry append in durable batches is timed (the rate is reported, not asserted: machines differ).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { concatBytes, utf8 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { ChanceryError } from '../../src/errors.ts';
import { Frontier, leafHash } from '../../src/log/merkle.ts';
import { MemoryTree } from '../../src/log/memory-tree.ts';
import { consistencyProof, inclusionProof, treeRoot, verifyConsistency, verifyInclusion } from '../../src/log/proofs.ts';
import { openSqliteStore, SchemaVersion } from '../../src/store/sqlite/index.ts';
import { Migrations } from '../../src/store/sqlite/migrations.ts';
import { logHashes, type LogEntryInput, type Store } from '../../src/store/store.ts';
import { entry } from '../log/fixtures.ts';
import { encodeLogEntry } from '../../src/log/events.ts';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { AMERICAS, office, tempDir } from './fixtures.ts';

const input = (i: number): LogEntryInput =>
  i % 3 === 0 ? { leaf: entry(i), details: utf8(`2001:db8::${i.toString(16)}`), salt: entry(i + 2 ** 40) } : { leaf: entry(i) };

function appendBoth(store: Store, tree: MemoryTree, from: number, count: number): void {
  const entries = Array.from({ length: count }, (_, k) => input(from + k));
  store.transaction((tx) => tx.appendLogEntries(entries, 5000 + from, p));
  for (const e of entries) tree.append(leafHash(p, e.leaf));
}

function assertRoots(store: Store, tree: MemoryTree): void {
  store.transaction((tx) => {
    assert.equal(tx.logSize(), tree.size);
    for (let size = 0; size <= tree.size; size++) assert.deepEqual(treeRoot(p, logHashes(tx), size), tree.rootAt(size));
  });
}

describe('audit log store: on disk', () => {
  it('keeps entries, erasures, node hashes and checkpoints across reopening, and appends on from there', () => {
    const path = join(tempDir(), 'node.sqlite');
    const tree = new MemoryTree(p);
    const first = openSqliteStore(path);
    appendBoth(first, tree, 0, 7);
    appendBoth(first, tree, 7, 30);
    const checkpoint = { size: 37, root: tree.root(), note: 'chancery.example/log\n37\n…\n', signedAt: 9 };
    first.transaction((tx) => {
      tx.eraseLogDetails(3);
      tx.putCheckpoint(checkpoint);
    });
    const saved = first.transaction((tx) => tx.logEntries(0, 100));
    first.close();

    const again = openSqliteStore(path);
    again.transaction((tx) => {
      assert.deepEqual(tx.logEntries(0, 100), saved);
      assert.equal(tx.logEntry(3)?.details, null);
      assert.deepEqual(tx.latestCheckpoint(), checkpoint);
    });
    assertRoots(again, tree);
    // 37 = 32 + 4 + 1: the next append merges with the stored level-0 and level-2 frontier hashes.
    appendBoth(again, tree, 37, 28);
    assertRoots(again, tree);
    again.close();

    const reader = openSqliteStore(path, { readonly: true });
    reader.transaction((tx) => {
      const proof = inclusionProof(p, logHashes(tx), 40, 65);
      verifyInclusion(p, { leafIndex: 40, treeSize: 65, leafHash: tree.subtreeHash(0, 40), proof, root: tree.root() });
    });
    assert.throws(() => reader.transaction((tx) => tx.appendLogEntries([input(65)], 1, p)), ChanceryError);
    reader.close();
  });

  it('adds the log tables to a version-1 database on opening, keeping its rows', () => {
    const path = join(tempDir(), 'node.sqlite');
    const db = new Database(path);
    db.exec(Migrations[0]!.sql);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO offices VALUES (?, 'MFA.CY', 'americas', 4, '[]')").run(AMERICAS);
    db.close();
    const store = openSqliteStore(path);
    assert.equal(store.transaction((tx) => tx.getOffice(AMERICAS))?.code, office(AMERICAS).code);
    const tree = new MemoryTree(p);
    appendBoth(store, tree, 0, 3);
    assertRoots(store, tree);
    store.close();
    const raw = new Database(path);
    assert.equal(raw.pragma('user_version', { simple: true }), SchemaVersion);
    raw.close();
  });

  it('indexes each logged key record by its hash, on append and for a version-3 database on opening', () => {
    const path = join(tempDir(), 'node.sqlite');
    const leaf = (i: number, recordHash: Uint8Array) =>
      encodeLogEntry({ kind: 'device.approved', at: 1000 + i, node: 'EEAS' as NodeName, user: 'ana.silva' as UserId, device: `d-ana-${i}` as DeviceId, recordHash, approver: { kind: 'officer', officer: 'ines.moreau' as UserId } });
    const hashes = [1, 2, 3].map((i) => p.sha256(utf8(`record ${i}`)));
    // A log written before version 4: entries that name no key record, then back to version 3 without the index.
    const old = openSqliteStore(path);
    old.transaction((tx) => tx.appendLogEntries([{ leaf: entry(0) }, ...hashes.map((h, i) => ({ leaf: leaf(i, h) }))], 1, p));
    old.close();
    const db = new Database(path);
    db.exec('DROP TRIGGER draft_returns_cleared; DROP TABLE draft_return_notes; DROP TABLE draft_returns; DROP TABLE log_key_records; DROP TABLE device_revocations; DROP TABLE alert_clearances; DROP TABLE alerts; DROP TABLE canaries; DROP TABLE peer_directory; DROP TABLE outbox; DROP TABLE peer_checkpoints; DROP TABLE peer_offices; DROP TABLE peers; DROP TABLE web_credentials; DROP TABLE enrollment_codes; DROP TABLE web_sessions; DROP TABLE web_releases'); // and what later versions added
    db.pragma('user_version = 3');
    db.close();
    const store = openSqliteStore(path);
    store.transaction((tx) => {
      assert.deepEqual(hashes.map((h) => tx.logIndexOfKeyRecord(h)), [1, 2, 3]);
      assert.equal(tx.logIndexOfKeyRecord(p.sha256(utf8('never logged'))), null);
      const later = p.sha256(utf8('record 4'));
      tx.appendLogEntries([{ leaf: entry(4) }, { leaf: leaf(4, later), keyRecord: later }, { leaf: leaf(5, hashes[0]!), keyRecord: hashes[0]! }], 2, p);
      assert.equal(tx.logIndexOfKeyRecord(later), 5);
      assert.equal(tx.logIndexOfKeyRecord(hashes[0]!), 1, 'the first entry naming a record keeps it');
      assert.throws(() => tx.appendLogEntries([{ leaf: entry(9), keyRecord: new Uint8Array(31) }], 3, p), RangeError);
    });
    store.close();
  });

  it('refuses, in SQL too, any change to log rows but erasing details', () => {
    const path = join(tempDir(), 'node.sqlite');
    const store = openSqliteStore(path);
    store.transaction((tx) => {
      const { root } = tx.appendLogEntries([input(0), input(1), input(2), input(3)], 1, p);
      tx.putCheckpoint({ size: 4, root, note: 'n', signedAt: 1 });
    });
    store.close();
    const db = new Database(path);
    const refused = [
      'DELETE FROM log_entries WHERE idx = 3',
      'UPDATE log_entries SET leaf = x\'00\' WHERE idx = 1',
      'UPDATE log_entries SET leaf_hash = (SELECT leaf_hash FROM log_entries WHERE idx = 2) WHERE idx = 1',
      'UPDATE log_entries SET idx = 9 WHERE idx = 3',
      'UPDATE log_entries SET appended_at = 2 WHERE idx = 0',
      'UPDATE log_entries SET details = x\'00\' WHERE idx = 0',
      'DELETE FROM log_nodes',
      'UPDATE log_nodes SET hash = zeroblob(32)',
      'DELETE FROM log_checkpoints',
      'UPDATE log_checkpoints SET note = \'x\'',
    ];
    for (const sql of refused) assert.throws(() => db.exec(sql), /append-only/, sql);
    assert.throws(() => db.exec("INSERT INTO log_entries VALUES (4, x'00', zeroblob(32), x'01', NULL, 1)"), /CHECK/);
    assert.throws(() => db.exec("INSERT INTO log_nodes VALUES (1, 9, x'00')"), /CHECK/);
    db.exec('UPDATE log_entries SET details = NULL, salt = NULL WHERE idx = 0');
    db.close();
  });
});

describe('audit log store: throughput', () => {
  it('appends 100,000 entries in durable batches of 1,000 (rate in the diagnostics)', (t) => {
    const TOTAL = 100_000;
    const BATCH = 1_000;
    const path = join(tempDir(), 'node.sqlite');
    const store = openSqliteStore(path);
    // Leaves the size of an encoded read event (~128 bytes), a third with details, as in `input`.
    const pad = new Uint8Array(120).fill(0xab);
    const make = (i: number): LogEntryInput => ({ ...input(i), leaf: concatBytes(entry(i), pad) });
    const started = performance.now();
    for (let from = 0; from < TOTAL; from += BATCH) {
      const entries = Array.from({ length: BATCH }, (_, k) => make(from + k));
      store.transaction((tx) => tx.appendLogEntries(entries, from, p));
    }
    const seconds = (performance.now() - started) / 1000;

    const reference = new Frontier(p);
    const hashStarted = performance.now();
    for (let i = 0; i < TOTAL; i++) reference.append(leafHash(p, make(i).leaf));
    const hashSeconds = (performance.now() - hashStarted) / 1000;
    t.diagnostic(
      `appended ${TOTAL} entries in ${TOTAL / BATCH} transactions (WAL, synchronous=FULL): ${seconds.toFixed(2)} s, ` +
        `${Math.round(TOTAL / seconds)} entries/s; the same hashing in memory alone: ${Math.round(TOTAL / hashSeconds)} entries/s`,
    );

    store.transaction((tx) => {
      const source = logHashes(tx);
      assert.equal(tx.logSize(), TOTAL);
      assert.deepEqual(treeRoot(p, source, TOTAL), reference.root());
      const proof = inclusionProof(p, source, 54_321, TOTAL);
      assert.equal(proof.length, 17);
      verifyInclusion(p, { leafIndex: 54_321, treeSize: TOTAL, leafHash: tx.logSubtreeHash(0, 54_321), proof, root: reference.root() });
      const root1 = treeRoot(p, source, 77_777);
      verifyConsistency(p, { size1: 77_777, size2: TOTAL, root1, root2: reference.root(), proof: consistencyProof(p, source, 77_777, TOTAL) });
    });
    store.close();
  });
});
