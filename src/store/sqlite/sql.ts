// Prepared statements cached per store, and the one place SQLite's errors become Chancery errors.
import Database from 'better-sqlite3';
import { ChanceryError, InternalError, StoreError } from '../../errors.ts';

/** What a statement parameter may be: the store binds only these. */
export type SqlValue = string | number | bigint | Uint8Array | null;

/** A row as better-sqlite3 returns it, before the column decoders in columns.ts have checked it. */
export type Row = Readonly<Record<string, unknown>>;

/**
 * Maps a failure inside SQLite to the error the rest of Chancery understands: a missing referenced row is
 * `store.not_found`, a duplicate key `store.conflict`; anything else is a broken invariant (the raw error is kept
 * as `cause` for the log, never shown to a user).
 */
export function storeFailure(error: unknown): unknown {
  if (error instanceof ChanceryError || !(error instanceof Database.SqliteError)) return error;
  switch (error.code) {
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new StoreError('store.not_found', 'store: a row this write refers to does not exist', { cause: error });
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return new StoreError('store.conflict', 'store: a row with this key already exists', { cause: error });
    case 'SQLITE_NOTADB':
      return new StoreError('file.malformed', 'store: the file is not a SQLite database', { cause: error });
    default:
      return new InternalError(`store: SQLite failed (${error.code})`, { cause: error });
  }
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null;
}

/** One connection's statements, prepared on first use and kept: the node runs the same few dozen all day. */
export class Sql {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs a write; `changes` says how many rows it touched. */
  run(sql: string, ...params: SqlValue[]): Database.RunResult {
    try {
      return this.#statement(sql).run(...params);
    } catch (error) {
      throw storeFailure(error);
    }
  }

  /** The first row, or undefined. */
  get(sql: string, ...params: SqlValue[]): Row | undefined {
    let row: unknown;
    try {
      row = this.#statement(sql).get(...params);
    } catch (error) {
      throw storeFailure(error);
    }
    if (row === undefined) return undefined;
    if (!isRow(row)) throw new InternalError('store: a query returned a non-row');
    return row;
  }

  /** Every row. */
  all(sql: string, ...params: SqlValue[]): Row[] {
    let rows: unknown[];
    try {
      rows = this.#statement(sql).all(...params);
    } catch (error) {
      throw storeFailure(error);
    }
    return rows.map((row) => {
      if (!isRow(row)) throw new InternalError('store: a query returned a non-row');
      return row;
    });
  }

  /** Forgets the statements (before the connection closes). */
  clear(): void {
    this.#statements.clear();
  }
}
