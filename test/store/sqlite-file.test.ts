// The SQLite store on disk: migrations once and idempotent, refusal of files it must not use, read-only opening,
// a schema with no plaintext in it, an inbox served by index seeks, and a commit that survives SIGKILL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ChanceryError, StoreError } from '../../src/errors.ts';
import { openSqliteStore, SchemaVersion } from '../../src/store/sqlite/index.ts';
import { ApplicationId } from '../../src/store/sqlite/migrations.ts';
import { INBOX_PAGE_SQL } from '../../src/store/sqlite/inbox.ts';
import { AMERICAS, ANNA, cable, office, tempDir, user } from './fixtures.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const isStoreError = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;

function raw(path: string): Database.Database {
  return new Database(path);
}

describe('SQLite store: files and migrations', () => {
  it('migrates a new file once, in WAL mode, and reopens it without migrating again', () => {
    const path = join(tempDir(), 'node.sqlite');
    const first = openSqliteStore(path);
    first.transaction((tx) => tx.putOffice(office(AMERICAS)));
    first.close();
    const db = raw(path);
    assert.equal(db.pragma('user_version', { simple: true }), SchemaVersion);
    assert.equal(db.pragma('application_id', { simple: true }), ApplicationId);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
    for (let i = 0; i < 2; i++) {
      const again = openSqliteStore(path);
      assert.deepEqual(again.transaction((tx) => tx.listOffices()), [office(AMERICAS)]);
      again.close();
    }
  });

  it('refuses a schema newer than this release', () => {
    const path = join(tempDir(), 'node.sqlite');
    openSqliteStore(path).close();
    const db = raw(path);
    db.pragma(`user_version = ${SchemaVersion + 1}`);
    db.close();
    assert.throws(() => openSqliteStore(path), isStoreError('encoding.unsupported_version'));
  });

  it('refuses another application\'s database and a file that is not SQLite', () => {
    const dir = tempDir();
    const other = join(dir, 'other.sqlite');
    const db = raw(other);
    db.exec('CREATE TABLE t (x)');
    db.pragma('user_version = 1');
    db.close();
    assert.throws(() => openSqliteStore(other), isStoreError('file.malformed'));
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'these are not the pages you are looking for '.repeat(200));
    assert.throws(() => openSqliteStore(text), isStoreError('file.malformed'));
  });

  it('opens read-only: reads work, writes fail, a missing or unmigrated file is refused', () => {
    const dir = tempDir();
    const path = join(dir, 'node.sqlite');
    const store = openSqliteStore(path);
    store.transaction((tx) => tx.putOffice(office(AMERICAS)));
    const reader = openSqliteStore(path, { readonly: true });
    assert.equal(reader.transaction((tx) => tx.getOffice(AMERICAS))?.code, AMERICAS);
    assert.throws(() => reader.transaction((tx) => tx.putUser(user(ANNA))), ChanceryError);
    reader.close();
    store.close();
    assert.throws(() => openSqliteStore(join(dir, 'missing.sqlite'), { readonly: true }), isStoreError('file.missing'));
    raw(join(dir, 'empty.sqlite')).close();
    assert.throws(() => openSqliteStore(join(dir, 'empty.sqlite'), { readonly: true }), isStoreError('encoding.unsupported_version'));
  });

  it('has no column that could hold a cable\'s plaintext or a private key', () => {
    const path = join(tempDir(), 'node.sqlite');
    openSqliteStore(path).close();
    const db = raw(path);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all();
    const columns = tables.flatMap((t) => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t)).map(String);
    db.close();
    assert.ok(columns.includes('envelope'));
    for (const name of columns) assert.doesNotMatch(name, /subject|body|attachment|plain|private|secret|seed|passphrase/i);
  });

  it('serves an inbox page by seeking the deliveries key, with no sort', () => {
    const path = join(tempDir(), 'node.sqlite');
    openSqliteStore(path).close();
    const db = raw(path);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${INBOX_PAGE_SQL}`)
      .all(ANNA, AMERICAS, 0, 100, 10)
      .map((row) => String((row as { detail: unknown }).detail))
      .join('\n');
    db.close();
    assert.match(plan, /SEARCH d USING PRIMARY KEY \(office=\? AND precedence=\? AND seq<\?\)/);
    assert.doesNotMatch(plan, /TEMP B-TREE/);
  });
});

describe('SQLite store: durability', () => {
  it('keeps a committed cable when the writing process is killed right after the commit', () => {
    const path = join(tempDir(), 'node.sqlite');
    const setup = openSqliteStore(path);
    setup.transaction((tx) => tx.putOffice(office(AMERICAS)));
    setup.close();
    const script = `
      import { openSqliteStore } from ${JSON.stringify(join(ROOT, 'src/store/sqlite/index.ts'))};
      import { cable, AMERICAS } from ${JSON.stringify(join(ROOT, 'test/store/fixtures.ts'))};
      const store = openSqliteStore(${JSON.stringify(path)});
      store.transaction((tx) => tx.putCable(cable(7), [AMERICAS], 1234));
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    const store = openSqliteStore(path);
    const got = store.transaction((tx) => tx.getCable(cable(7).id));
    store.close();
    assert.deepEqual(got, { ...cable(7), seq: 1, acceptedAt: 1234 });
  });
});
