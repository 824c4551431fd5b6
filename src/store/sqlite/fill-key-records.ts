// Schema step 4's fill (migrations.ts): the entry that logged each key record, indexed for a log written before the
// index existed. SQL alone cannot derive it: the record's hash is inside the CBOR leaf.
import type Database from 'better-sqlite3';
import { DecodeError } from '../../errors.ts';
import { decodeLogEntry } from '../../log/events.ts';
import { keyRecordHash } from '../../log/key-entries.ts';

/** The hash of the key record a stored leaf logs, or null (also for a leaf that is no entry of this release's kinds). */
function loggedKeyRecord(leaf: Uint8Array): Uint8Array | null {
  try {
    return keyRecordHash(decodeLogEntry(leaf));
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
}

/** Indexes the key records already logged by a node made before V4: one pass over the entries, in index order. */
export function fillLogKeyRecords(db: Database.Database): void {
  const insert = db.prepare('INSERT OR IGNORE INTO log_key_records (record_hash, idx) VALUES (?, ?)');
  // Pages, not one cursor: better-sqlite3 allows no write while a statement is still iterating.
  const page = db.prepare<[number], { idx: number; leaf: Uint8Array }>('SELECT idx, leaf FROM log_entries WHERE idx >= ? ORDER BY idx LIMIT 1000');
  for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]!.idx + 1)) {
    for (const row of rows) {
      const keyRecord = loggedKeyRecord(row.leaf);
      if (keyRecord) insert.run(keyRecord, row.idx);
    }
  }
}
