// Column codecs: each value leaves the store checked against its type (parse, don't cast), and each argument is
// checked before it is written. A bad row on disk is a broken invariant (InternalError): only this code writes it.
import { Classifications, Precedences } from '../../cable/types.ts';
import type { Classification, OfficeCode, Precedence } from '../../cable/types.ts';
import { isOfficeCode } from '../../cable/ids.ts';
import { InternalError } from '../../errors.ts';
import type { Row } from './sql.ts';

/** Stored precedence ranks: explicit values, so reordering a list elsewhere can never change what a row means. */
export const PrecedenceRank = { FLASH: 0, IMMEDIATE: 1, PRIORITY: 2, ROUTINE: 3 } as const satisfies Record<Precedence, number>;

/** Stored classification ranks, lowest first as for dominance (DESIGN.md "Words"). */
export const ClassificationRank = {
  UNCLASSIFIED: 0,
  LIMITED: 1,
  RESTRICTED: 2,
  CONFIDENTIAL: 3,
  SECRET: 4,
} as const satisfies Record<Classification, number>;

/** The error for a stored value that fails its check. */
export function corrupt(column: string): InternalError {
  // Names the column only: the value could be anything, and messages never carry stored content.
  return new InternalError(`store: column ${column} holds an unexpected value`);
}

// ---- reading -------------------------------------------------------------------------------------------------

export function text(row: Row, column: string): string {
  const v = row[column];
  if (typeof v !== 'string') throw corrupt(column);
  return v;
}

export function optText(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

export function int(row: Row, column: string): number {
  const v = row[column];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw corrupt(column);
  return v;
}

export function optInt(row: Row, column: string): number | null {
  return row[column] === null ? null : int(row, column);
}

export function bool(row: Row, column: string): boolean {
  const v = int(row, column);
  if (v !== 0 && v !== 1) throw corrupt(column);
  return v === 1;
}

/** A BLOB as a fresh plain Uint8Array: callers keep it, and a Buffer may share memory with a pool. */
export function blob(row: Row, column: string): Uint8Array {
  const v = row[column];
  if (!(v instanceof Uint8Array)) throw corrupt(column);
  return new Uint8Array(v);
}

export function optBlob(row: Row, column: string): Uint8Array | null {
  return row[column] === null ? null : blob(row, column);
}

/** A string that must satisfy one of the id grammars (src/cable/ids.ts). */
export function branded<T>(row: Row, column: string, guard: (value: unknown) => value is T): T {
  const v = row[column];
  if (!guard(v)) throw corrupt(column);
  return v;
}

export function optBranded<T>(row: Row, column: string, guard: (value: unknown) => value is T): T | null {
  return row[column] === null ? null : branded(row, column, guard);
}

export function classification(row: Row, column: string): Classification {
  const rank = int(row, column);
  const found = Classifications.find((c) => ClassificationRank[c] === rank);
  if (found === undefined) throw corrupt(column);
  return found;
}

export function optClassification(row: Row, column: string): Classification | null {
  return row[column] === null ? null : classification(row, column);
}

export function precedence(row: Row, column: string): Precedence {
  const rank = int(row, column);
  const found = Precedences.find((p) => PrecedenceRank[p] === rank);
  if (found === undefined) throw corrupt(column);
  return found;
}

/** A JSON array of strings. */
export function strings(row: Row, column: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(row, column));
  } catch {
    throw corrupt(column);
  }
  if (!Array.isArray(parsed) || !parsed.every((s): s is string => typeof s === 'string')) throw corrupt(column);
  return parsed;
}

/** A JSON array of office codes. */
export function offices(row: Row, column: string): OfficeCode[] {
  const list = strings(row, column);
  if (!list.every(isOfficeCode)) throw corrupt(column);
  return list;
}

/** A string value allowed by a closed list (roles, statuses). */
export function oneOf<T extends string>(row: Row, column: string, allowed: readonly T[]): T {
  const v = text(row, column);
  const found = allowed.find((a) => a === v);
  if (found === undefined) throw corrupt(column);
  return found;
}

// ---- writing -------------------------------------------------------------------------------------------------

/** A timestamp, epoch number or sequence number: a safe integer, never a float SQLite would store as REAL. */
export function intArg(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`store: ${what} must be a safe integer`);
  return value;
}

export function classificationArg(value: Classification, what: string): number {
  if (!Classifications.includes(value)) throw new RangeError(`store: ${what} is not a classification`);
  return ClassificationRank[value];
}

export function precedenceArg(value: Precedence, what: string): number {
  if (!Precedences.includes(value)) throw new RangeError(`store: ${what} is not a precedence`);
  return PrecedenceRank[value];
}

export function boolArg(value: boolean): number {
  return value ? 1 : 0;
}

/** A list of strings as JSON text; anything else is refused before it can reach the disk. */
export function stringsArg(values: readonly string[], what: string): string {
  if (!Array.isArray(values) || !values.every((s) => typeof s === 'string')) {
    throw new TypeError(`store: ${what} must be an array of strings`);
  }
  return JSON.stringify(values);
}

export function bytesArg(value: Uint8Array, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`store: ${what} must be a Uint8Array`);
  return value;
}
