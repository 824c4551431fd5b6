// Small decoders for structures that arrive as decoded CBOR: each checks one field's type and size and names the
// path in its error, so wire data becomes a typed value only after it was checked (STYLE.md "Parse, don't cast").
import { DecodeError } from '../errors.ts';

/** A decoded CBOR map whose keys were checked against an allow-list. */
export type Fields = Readonly<Record<string, unknown>>;

function fail(path: string, what: string): never {
  throw new DecodeError('encoding.malformed', `${path}: ${what}`);
}

/** Checks that `value` is a plain map holding exactly the `required` keys (and only `optional` ones besides). */
export function readMap(value: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) fail(path, 'expected a map');
  const map = value as Fields;
  for (const key of required) if (!(key in map)) fail(`${path}.${key}`, 'missing');
  for (const key of Object.keys(map)) if (!required.includes(key) && !optional.includes(key)) fail(`${path}.${key}`, 'unknown field');
  return map;
}

/** A byte string of exactly `length` bytes, or of at most `max` bytes. */
export function readBytes(map: Fields, key: string, path: string, size: { readonly length?: number; readonly max?: number }): Uint8Array {
  const v = map[key];
  if (!(v instanceof Uint8Array)) fail(`${path}.${key}`, 'expected bytes');
  if (size.length !== undefined && v.length !== size.length) fail(`${path}.${key}`, `expected ${size.length} bytes`);
  if (size.max !== undefined && v.length > size.max) fail(`${path}.${key}`, `more than ${size.max} bytes`);
  return v;
}

/** A non-negative safe integer no larger than `max`. */
export function readUint(map: Fields, key: string, path: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = map[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) fail(`${path}.${key}`, 'expected a non-negative integer');
  return v;
}

/** A text string of at most `max` UTF-16 units, optionally matching `pattern`. */
export function readText(map: Fields, key: string, path: string, max: number, pattern?: RegExp): string {
  const v = map[key];
  if (typeof v !== 'string' || v.length > max) fail(`${path}.${key}`, 'expected text');
  if (pattern && !pattern.test(v)) fail(`${path}.${key}`, 'bad format');
  return v;
}

/** One of a closed set of text values. */
export function readOneOf<T extends string>(map: Fields, key: string, path: string, values: readonly T[]): T {
  const v = map[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) fail(`${path}.${key}`, `expected one of ${values.join(', ')}`);
  return v as T;
}

/** A boolean. */
export function readBool(map: Fields, key: string, path: string): boolean {
  const v = map[key];
  if (typeof v !== 'boolean') fail(`${path}.${key}`, 'expected a boolean');
  return v;
}

/** An array of at most `max` items, each decoded by `item`. */
export function readArray<T>(map: Fields, key: string, path: string, max: number, item: (value: unknown, path: string) => T): T[] {
  const v = map[key];
  if (!Array.isArray(v)) fail(`${path}.${key}`, 'expected an array');
  if (v.length > max) fail(`${path}.${key}`, `more than ${max} items`);
  return v.map((x: unknown, i) => item(x, `${path}.${key}[${i}]`));
}
