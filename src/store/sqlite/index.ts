// The SQLite implementation of the node's Store: the one entry point the node and tools import.
export { openSqliteStore } from './open-sqlite.ts';
export type { SqliteStoreOptions } from './open-sqlite.ts';
export { SchemaVersion } from './migrations.ts';
