// The one decoder for structures that arrive as decoded CBOR (key records, envelopes): every wire value is checked
// field by field — exact key set, byte lengths, integer ranges, list sizes, identifiers through the caller's parser —
// before it becomes a typed value (STYLE.md "Parse, don't cast"). Generic: no protocol's fields or versions live here.
import { decodeCanonical, type CborValue } from './canonical-cbor.ts';
import { DecodeError } from '../errors.ts';

/** A CBOR map as encoders build it. */
export type CborMap = { readonly [key: string]: CborValue };

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
 * `DecodeError('encoding.malformed')` naming the structure and the field, never the value (values may be secret or
 * attacker-chosen text, and end up in logs). Byte strings are copied, so a decoded value never aliases its input.
 *
 * @example
 * ```ts
 * const f = Fields.of('device-record', value, ['v', 'user'], []);
 * const user = f.id('user', parseUserId);
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

  #fail(key: string, problem: string, cause?: unknown): never {
    throw new DecodeError('encoding.malformed', `${this.#what}: ${key} ${problem}`, cause === undefined ? undefined : { cause });
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#map, key);
  }

  /**
   * Whether `key` holds exactly `expected` (a number, a text or a list of them). For constants such as a format
   * version or a cipher suite, which callers refuse with their own code (`encoding.unsupported_version`).
   */
  is(key: string, expected: number | string | readonly (number | string)[]): boolean {
    const v = this.#map[key];
    if (typeof expected !== 'object') return v === expected;
    return Array.isArray(v) && v.length === expected.length && v.every((item, i) => item === expected[i]);
  }

  /** A byte string of exactly `length` bytes. */
  bytes(key: string, length: number): Uint8Array {
    const v = this.#map[key];
    if (!(v instanceof Uint8Array)) this.#fail(key, 'must be a byte string');
    if (v.length !== length) this.#fail(key, `must be ${length} bytes`);
    return v.slice();
  }

  /** A byte string of at most `max` bytes (ciphertexts, embedded encodings). */
  bytesUpTo(key: string, max: number): Uint8Array {
    const v = this.#map[key];
    if (!(v instanceof Uint8Array)) this.#fail(key, 'must be a byte string');
    if (v.length > max) this.#fail(key, `must be at most ${max} bytes`);
    return v.slice();
  }

  /** A non-negative safe integer (timestamps, epochs, serials, lengths), at most `max`. */
  uint(key: string, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.#map[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) this.#fail(key, `must be an integer from 0 to ${max}`);
    return v;
  }

  #parseId<T>(key: string, v: unknown, parse: (value: string) => T): T {
    if (typeof v !== 'string') this.#fail(key, 'must be an identifier');
    try {
      return parse(v);
    } catch (cause) {
      // Whatever the parser threw (a ValidationError for the cable ids) becomes this structure's decode error.
      this.#fail(key, 'must be a well-formed identifier', cause);
    }
  }

  /**
   * An identifier, parsed (and branded) by `parse`, which throws for a bad one: the grammar and length of each kind
   * of id live with its parser (src/cable/ids.ts), not here.
   */
  id<T>(key: string, parse: (value: string) => T): T {
    return this.#parseId(key, this.#map[key], parse);
  }

  /** 1–`maxLength` printable ASCII characters without spaces. */
  token(key: string, maxLength: number): string {
    const v = this.#map[key];
    if (typeof v !== 'string' || v.length > maxLength || !TOKEN_PATTERN.test(v)) this.#fail(key, `must be 1–${maxLength} printable characters without spaces`);
    return v;
  }

  /** A display text of 1–`maxLength` characters without control characters (names, labels). */
  text(key: string, maxLength: number): string {
    const v = this.#map[key];
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
    if (typeof v !== 'string' || v.length === 0 || v.length > maxLength || /[\u0000-\u001f\u007f-\u009f]/.test(v)) {
      this.#fail(key, `must be 1–${maxLength} characters of text`);
    }
    return v;
  }

  /** A boolean. */
  bool(key: string): boolean {
    const v = this.#map[key];
    if (typeof v !== 'boolean') this.#fail(key, 'must be true or false');
    return v;
  }

  /** A list of at most `max` distinct strings, each matching `pattern`. */
  codeList(key: string, max: number, pattern: RegExp): readonly string[] {
    const items = this.#list(key, 0, max);
    for (const v of items) if (typeof v !== 'string' || !pattern.test(v)) this.#fail(key, 'must hold well-formed codes');
    if (new Set(items).size !== items.length) this.#fail(key, 'must not repeat a code');
    return items as readonly string[]; // each item checked above
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
    const v: unknown = this.#map[key];
    if (!Array.isArray(v) || v.length < min || v.length > max) this.#fail(key, `must be a list of ${min}–${max} items`);
    return v; // Array.isArray is the check; the items are checked one by one by the callers
  }

  /** A list of at most `max` nested maps, each with the `required` (and possibly `optional`) keys, decoded by `decode`. */
  mapList<T>(key: string, max: number, required: readonly string[], decode: (item: Fields) => T, optional: readonly string[] = []): readonly T[] {
    return this.#list(key, 0, max).map((v, i) => decode(Fields.of(`${this.#what}.${key}[${i}]`, v, required, optional)));
  }

  /** A list of `min`–`max` distinct identifiers, each parsed by `parse` (a repeat is never meaningful: one officer
   * counted twice, one office listed twice). */
  idList<T>(key: string, min: number, max: number, parse: (value: string) => T): readonly T[] {
    const ids = this.#list(key, min, max).map((v) => this.#parseId(key, v, parse));
    if (new Set(ids).size !== ids.length) this.#fail(key, 'must not repeat an identifier');
    return ids;
  }

  /** A list of `min`–`max` byte strings of `length` bytes each. */
  bytesList(key: string, length: number, min: number, max: number): readonly Uint8Array[] {
    return this.#list(key, min, max).map((v) => {
      if (!(v instanceof Uint8Array) || v.length !== length) this.#fail(key, `must hold ${length}-byte strings`);
      return v.slice();
    });
  }
}

/**
 * Decodes one canonical CBOR map of at most `maxBytes` whose field `v` must equal `version`, with the given key
 * set. The version is checked before the key set: another version may have other fields, and its decoder should
 * say "unsupported version" rather than "unknown field".
 *
 * @example
 * ```ts
 * const f = decodeVersioned(bytes, 4096, 'office-epoch', 1, ['v', 'office', 'sig']);
 * ```
 */
export function decodeVersioned(
  bytes: Uint8Array,
  maxBytes: number,
  what: string,
  version: number,
  required: readonly string[],
  optional: readonly string[] = [],
): Fields {
  const value = decodeCanonical(bytes, maxBytes);
  if (isPlainMap(value) && value.v !== version) {
    throw new DecodeError('encoding.unsupported_version', `${what}: unsupported version`);
  }
  return Fields.of(what, value, required, optional);
}
