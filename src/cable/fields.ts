// Readers for untrusted input (decoded CBOR, JSON, a caller's object): each checks one shape and reports what is
// wrong at a path, so validators parse field by field and never cast. STYLE.md "Parse, don't cast".
import { IssueCodes } from './issue-codes.ts';
import type { IssueCode } from './issue-codes.ts';
import { addIssue, fieldPath, indexPath, take } from './issues.ts';
import type { Checked, Issues } from './issues.ts';

/**
 * Reads an object that must have exactly `fields`: each missing field and each unknown field is reported. Only own
 * properties count, so nothing is picked up from a prototype; a field set to `undefined` counts as missing (CBOR,
 * the wire format, cannot carry `undefined`). Returns `undefined` when the value is not a plain object at all.
 */
export function readRecord(
  value: unknown,
  path: string,
  fields: readonly string[],
  out: Issues,
): Readonly<Record<string, unknown>> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    addIssue(out, IssueCodes.fieldType, path, 'must be an object');
    return undefined;
  }
  const record: Record<string, unknown> = {};
  for (const key of fields) {
    const present = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    if (present === undefined) addIssue(out, IssueCodes.fieldMissing, fieldPath(path, key), 'is required');
    else record[key] = present;
  }
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) addIssue(out, IssueCodes.fieldUnknown, fieldPath(path, key), 'is not a field of this structure');
  }
  return record;
}

/**
 * Reads a string. `undefined` means the field was missing and has been reported already by `readRecord`, so it is
 * passed over silently here; the same holds for every reader below.
 */
export function readString(value: unknown, path: string, out: Issues): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  addIssue(out, IssueCodes.fieldType, path, 'must be a string');
  return undefined;
}

/** Reads a byte string (any Uint8Array, Node's Buffer included). */
export function readBytes(value: unknown, path: string, out: Issues): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return value;
  addIssue(out, IssueCodes.fieldType, path, 'must be a Uint8Array');
  return undefined;
}

/** Reads an array without looking at its items. */
export function readArray(value: unknown, path: string, out: Issues): readonly unknown[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value as readonly unknown[];
  addIssue(out, IssueCodes.fieldType, path, 'must be an array');
  return undefined;
}

/**
 * Reads an array and each item with `readItem`, which reports its own problems at the item's path (`to[3]`) and
 * returns `undefined` for a bad item. The result is aligned with the input (a bad item leaves `undefined` at its
 * index) so that checks across items can still name the right index; holes and `undefined` items are reported.
 */
export function readList<T>(
  value: unknown,
  path: string,
  out: Issues,
  readItem: (item: unknown, itemPath: string) => T | undefined,
): readonly (T | undefined)[] | undefined {
  const items = readArray(value, path, out);
  if (items === undefined) return undefined;
  const result: (T | undefined)[] = [];
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    if (raw === undefined) {
      addIssue(out, IssueCodes.fieldType, indexPath(path, i), 'is undefined (lists may not have holes)');
      result.push(undefined);
    } else result.push(readItem(raw, indexPath(path, i)));
  }
  return result;
}

/** Reads `value` with a checker that reports a problem code; `undefined` (already reported as missing) is skipped. */
export function readWith<T>(value: unknown, path: string, out: Issues, check: (value: unknown) => Checked<T>): T | undefined {
  return value === undefined ? undefined : take(check(value), path, out);
}

/** Reports an issue at `path` for a list longer than `max`. */
export function checkCount(list: readonly unknown[] | undefined, max: number, code: IssueCode, path: string, out: Issues): void {
  if (list !== undefined && list.length > max) addIssue(out, code, path, `has ${list.length} items; at most ${max} allowed`);
}

/** Reports every item that repeats an earlier one (by `===`), at the repeat's index. */
export function checkUnique(list: readonly unknown[] | undefined, code: IssueCode, path: string, out: Issues): void {
  if (list === undefined) return;
  const seen = new Set<unknown>();
  list.forEach((item, i) => {
    if (item === undefined) return;
    if (seen.has(item)) addIssue(out, code, indexPath(path, i), 'appears more than once');
    seen.add(item);
  });
}

/**
 * Reports every item not strictly greater than the one before it: a set stored as a strictly ascending list has
 * exactly one encoding. Items are ASCII codes, so `<` on strings is bytewise order.
 */
export function checkAscending(list: readonly (string | undefined)[] | undefined, code: IssueCode, path: string, out: Issues): void {
  if (list === undefined) return;
  for (let i = 1; i < list.length; i++) {
    const previous = list[i - 1];
    const item = list[i];
    if (previous !== undefined && item !== undefined && !(previous < item)) {
      addIssue(out, code, indexPath(path, i), 'must be sorted ascending with no duplicates');
    }
  }
}

/** The items of an aligned list once every item is known to be good. */
export function present<T>(list: readonly (T | undefined)[]): readonly T[] {
  return list.filter((item): item is T => item !== undefined);
}

type Defined<T> = { readonly [K in keyof T]: Exclude<T[K], undefined> };

/** The record if none of its fields is `undefined`, else `undefined`: builds a value from separately read fields. */
export function allDefined<T extends Record<string, unknown>>(fields: T): Defined<T> | undefined {
  for (const value of Object.values(fields)) if (value === undefined) return undefined;
  return fields as Defined<T>; // every field was just checked against undefined
}

/**
 * Runs `parse` and returns its value only if it added no issue: how a validator turns "every problem reported"
 * into "a value, or nothing".
 */
export function cleanly<T>(out: Issues, parse: () => T | undefined): T | undefined {
  const before = out.length;
  const value = parse();
  return out.length === before ? value : undefined;
}

/** An own field of `value` if it is an object, else `undefined`: for checks across structures that may be broken. */
export function ownField(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}
