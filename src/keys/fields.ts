// Small composable decoders for key records (STYLE.md "Parse, don't cast"): every wire value is checked field by
// field — exact key set, byte lengths, integer ranges, identifier alphabet — before it becomes a typed record.
import { decodeCanonical, type CborValue } from '../encoding/canonical-cbor.ts';
import { DecodeError } from '../errors.ts';

/** A CBOR map as records build it before encoding. */
export type CborMap = { readonly [key: string]: CborValue };

/** The one version of every key record today; a record with another `v` is refused, not guessed at. */
export const RECORD_VERSION = 1;

/** Identifiers (org, node, office, user, device ids) are 1–128 printable ASCII characters, no spaces. */
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/** Longer tokens (a node's URL): printable ASCII without spaces, never empty (absent and empty would be two
 * encodings of one thing). */
const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A decoded CBOR map with an exact set of keys, read one typed field at a time. Every failure is a
 * `DecodeError('encoding.malformed')` naming the record and the field, never the value.
 *
 * @example
 * ```ts
 * const f = Fields.of('device-record', value, ['v', 'user'], []);
 * const user = f.id<UserId>('user');
 * ```
 */
export class Fields {
  readonly #what: string;
  readonly #map: Record<string, unknown>;

  private constructor(what: string, map: Record<string, unknown>) {
    this.#what = what;
    this.#map = map;
  }

  /** Checks `value` is a map holding every `required` key, possibly some `optional` ones, and nothing else. */
  static of(what: string, value: unknown, required: readonly string[], optional: readonly string[] = []): Fields {
    if (!isPlainMap(value)) throw new DecodeError('encoding.malformed', `${what}: expected a map`);
    for (const key of Object.keys(value)) {
      if (!required.includes(key) && !optional.includes(key)) throw new DecodeError('encoding.malformed', `${what}: unknown field ${JSON.stringify(key)}`);
    }
    for (const key of required) {
      if (!Object.hasOwn(value, key)) throw new DecodeError('encoding.malformed', `${what}: missing field ${key}`);
    }
    return new Fields(what, value);
  }

  #fail(key: string, problem: string): never {
    throw new DecodeError('encoding.malformed', `${this.#what}: ${key} ${problem}`);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#map, key);
  }

  /** A byte string of exactly `length` bytes, copied so the record never aliases the input buffer. */
  bytes(key: string, length: number): Uint8Array {
    const v = this.#map[key];
    if (!(v instanceof Uint8Array)) this.#fail(key, 'must be a byte string');
    if (v.length !== length) this.#fail(key, `must be ${length} bytes`);
    return v.slice();
  }

  /** A non-negative safe integer (timestamps, epochs, serials). */
  uint(key: string): number {
    const v = this.#map[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.#fail(key, 'must be a non-negative integer');
    return v;
  }

  /** An identifier: 1–128 printable ASCII characters without spaces, returned as the caller's branded type. */
  id<T extends string>(key: string): T {
    const v = this.#map[key];
    if (typeof v !== 'string' || !ID_PATTERN.test(v)) this.#fail(key, 'must be an identifier');
    return v as T; // the brand is the only thing added: the pattern above is the check
  }

  /** 1–`maxLength` printable ASCII characters without spaces. */
  token(key: string, maxLength: number): string {
    const v = this.#map[key];
    if (typeof v !== 'string' || v.length > maxLength || !TOKEN_PATTERN.test(v)) this.#fail(key, `must be 1–${maxLength} printable characters without spaces`);
    return v;
  }

  /** One of a closed set of strings. */
  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.#map[key];
    const found = values.find((allowed) => allowed === v);
    if (found === undefined) this.#fail(key, `must be one of ${values.join(', ')}`);
    return found;
  }

  /** A nested map with its own exact key set. */
  map(key: string, required: readonly string[], optional: readonly string[] = []): Fields {
    return Fields.of(`${this.#what}.${key}`, this.#map[key], required, optional);
  }

  #list(key: string, min: number, max: number): readonly unknown[] {
    const v = this.#map[key];
    if (!Array.isArray(v) || v.length < min || v.length > max) this.#fail(key, `must be a list of ${min}–${max} items`);
    return v as readonly unknown[]; // Array.isArray is the check; the items are checked one by one by the callers
  }

  /** A list of `min`–`max` distinct identifiers. */
  idList<T extends string>(key: string, min: number, max: number): readonly T[] {
    const items = this.#list(key, min, max);
    for (const v of items) if (typeof v !== 'string' || !ID_PATTERN.test(v)) this.#fail(key, 'must hold identifiers');
    if (new Set(items).size !== items.length) this.#fail(key, 'must not repeat an identifier');
    return items as readonly T[]; // checked item by item above
  }

  /** A list of `min`–`max` byte strings of `length` bytes each, copied. */
  bytesList(key: string, length: number, min: number, max: number): readonly Uint8Array[] {
    return this.#list(key, min, max).map((v) => {
      if (!(v instanceof Uint8Array) || v.length !== length) this.#fail(key, `must hold ${length}-byte strings`);
      return v.slice();
    });
  }
}

/**
 * Decodes a canonical CBOR record of at most `maxBytes` with the given key set and checks its version field `v`.
 *
 * @example
 * ```ts
 * const f = decodeRecord(bytes, 4096, 'office-epoch', ['v', 'office', 'sig']);
 * ```
 */
export function decodeRecord(bytes: Uint8Array, maxBytes: number, what: string, required: readonly string[], optional: readonly string[] = []): Fields {
  const value = decodeCanonical(bytes, maxBytes);
  if (isPlainMap(value) && value.v !== RECORD_VERSION) {
    throw new DecodeError('encoding.unsupported_version', `${what}: unsupported version`);
  }
  return Fields.of(what, value, required, optional);
}
