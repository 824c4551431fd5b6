// RFC 8941 Structured Field Values: the parser and serializer the request-signature headers need (Signature-Input,
// Signature, Content-Digest). Header text is attacker-controlled, so parsing is strict, capped and never casts.
import { DecodeError } from '../errors.ts';
import { fromBase64, toBase64 } from '../bytes.ts';

/**
 * A bare item (RFC 8941 §3.3). Decimals are not used by any header Chancery reads, so they are refused rather
 * than carried as floats.
 */
export type BareItem =
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'token'; readonly value: string }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'boolean'; readonly value: boolean };

/** Parameters in the order received (RFC 8941 §3.1.2); a Map keeps insertion order. */
export type Parameters = ReadonlyMap<string, BareItem>;

export interface Item {
  readonly kind: 'item';
  readonly value: BareItem;
  readonly params: Parameters;
}

export interface InnerList {
  readonly kind: 'inner-list';
  readonly items: readonly Item[];
  readonly params: Parameters;
}

/** A dictionary (RFC 8941 §3.2) in member order. */
export type Dictionary = ReadonlyMap<string, Item | InnerList>;

const KEY_FIRST = /[a-z*]/;
const KEY_REST = /[a-z0-9_\-.*]/;
const TOKEN_FIRST = /[A-Za-z*]/;
// tchar (RFC 9110 §5.6.2) plus ":" and "/" (RFC 8941 §3.3.4).
const TOKEN_REST = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const BASE64_CHAR = /[A-Za-z0-9+/=]/;
const MAX_INTEGER_DIGITS = 15; // RFC 8941 §3.3.1: at most 15 digits, so every value is a safe integer.

function fail(what: string): never {
  throw new DecodeError('encoding.malformed', `structured field: ${what}`);
}

/** A cursor over ASCII header text (RFC 8941 §4.2). */
class Cursor {
  private pos = 0;
  constructor(private readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  next(): string {
    const c = this.text[this.pos++];
    if (c === undefined) fail('unexpected end of input');
    return c;
  }
  expect(c: string): void {
    if (this.next() !== c) fail(`expected "${c}"`);
  }
  skipSpaces(): void {
    while (this.peek() === ' ') this.pos++;
  }
  skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
}

function parseKey(c: Cursor): string {
  if (!KEY_FIRST.test(c.peek())) fail('a key must start with a lower-case letter or "*"');
  let key = c.next();
  while (KEY_REST.test(c.peek())) key += c.next();
  return key;
}

function parseInteger(c: Cursor): BareItem {
  let sign = 1;
  if (c.peek() === '-') {
    c.next();
    sign = -1;
  }
  let digits = '';
  while (/[0-9]/.test(c.peek())) digits += c.next();
  if (digits === '') fail('an integer needs a digit');
  if (c.peek() === '.') fail('decimals are not accepted here');
  if (digits.length > MAX_INTEGER_DIGITS) fail('integer longer than 15 digits');
  // `+ 0` turns -0 into 0: one value, one spelling when it is serialized again.
  return { kind: 'integer', value: sign * Number(digits) + 0 };
}

// RFC 8941 §4.2.5: only printable ASCII, with "\" escaping exactly '"' and "\".
function parseString(c: Cursor): BareItem {
  c.expect('"');
  let value = '';
  for (;;) {
    const ch = c.next();
    if (ch === '"') return { kind: 'string', value };
    if (ch === '\\') {
      const escaped = c.next();
      if (escaped !== '"' && escaped !== '\\') fail('bad escape in a string');
      value += escaped;
    } else if (ch < ' ' || ch > '~') {
      fail('a string may hold printable ASCII only');
    } else {
      value += ch;
    }
  }
}

function parseToken(c: Cursor): BareItem {
  let value = c.next();
  while (TOKEN_REST.test(c.peek())) value += c.next();
  return { kind: 'token', value };
}

// RFC 8941 §4.2.7 lets a parser be lenient about padding; we are not: only canonical padded base64.
function parseBytes(c: Cursor): BareItem {
  c.expect(':');
  let text = '';
  while (c.peek() !== ':') {
    const ch = c.next();
    if (!BASE64_CHAR.test(ch)) fail('a byte sequence holds base64 only');
    text += ch;
  }
  c.next();
  try {
    return { kind: 'bytes', value: fromBase64(text) };
  } catch {
    return fail('a byte sequence must be canonical padded base64');
  }
}

function parseBoolean(c: Cursor): BareItem {
  c.expect('?');
  const ch = c.next();
  if (ch !== '0' && ch !== '1') fail('a boolean is ?0 or ?1');
  return { kind: 'boolean', value: ch === '1' };
}

function parseBareItem(c: Cursor): BareItem {
  const ch = c.peek();
  if (ch === '-' || /[0-9]/.test(ch)) return parseInteger(c);
  if (ch === '"') return parseString(c);
  if (ch === ':') return parseBytes(c);
  if (ch === '?') return parseBoolean(c);
  if (TOKEN_FIRST.test(ch)) return parseToken(c);
  return fail('not a bare item');
}

// RFC 8941 §4.2.3.2 lets a later duplicate parameter overwrite an earlier one; we refuse duplicates instead, so
// a signer and a verifier can never read one header two ways.
function parseParameters(c: Cursor): Parameters {
  const params = new Map<string, BareItem>();
  while (c.peek() === ';') {
    c.next();
    c.skipSpaces();
    const key = parseKey(c);
    let value: BareItem = { kind: 'boolean', value: true };
    if (c.peek() === '=') {
      c.next();
      value = parseBareItem(c);
    }
    if (params.has(key)) fail(`duplicate parameter "${key}"`);
    params.set(key, value);
  }
  return params;
}

function parseItem(c: Cursor): Item {
  const value = parseBareItem(c);
  return { kind: 'item', value, params: parseParameters(c) };
}

function parseInnerList(c: Cursor): InnerList {
  c.expect('(');
  const items: Item[] = [];
  for (;;) {
    c.skipSpaces();
    if (c.peek() === ')') {
      c.next();
      return { kind: 'inner-list', items, params: parseParameters(c) };
    }
    items.push(parseItem(c));
    const after = c.peek();
    if (after !== ' ' && after !== ')') fail('inner-list items are separated by spaces');
  }
}

/**
 * Parses a Dictionary field value (RFC 8941 §4.2.2). Stricter than the RFC in two ways: duplicate keys and
 * duplicate parameters are refused (the RFC keeps the last). Throws `DecodeError('encoding.malformed')` on
 * anything else that is not a dictionary, `encoding.too_large` above `maxLength` characters.
 *
 * @example
 * parseDictionary('sig1=:AAAA:', 4096).get('sig1'); // { kind: 'item', value: { kind: 'bytes', … }, params: Map {} }
 */
export function parseDictionary(text: string, maxLength: number): Dictionary {
  if (typeof text !== 'string') throw new TypeError('parseDictionary: text must be a string');
  if (text.length > maxLength) throw new DecodeError('encoding.too_large', `structured field longer than ${maxLength}`);
  // RFC 8941 §4.2: the input must be ASCII.
  if (!/^[\x20-\x7e\t]*$/.test(text)) fail('not ASCII');
  const c = new Cursor(text);
  const members = new Map<string, Item | InnerList>();
  c.skipSpaces();
  while (!c.done) {
    const key = parseKey(c);
    let member: Item | InnerList;
    if (c.peek() === '=') {
      c.next();
      member = c.peek() === '(' ? parseInnerList(c) : parseItem(c);
    } else {
      member = { kind: 'item', value: { kind: 'boolean', value: true }, params: parseParameters(c) };
    }
    if (members.has(key)) fail(`duplicate member "${key}"`);
    members.set(key, member);
    c.skipOws();
    if (c.done) break;
    c.expect(',');
    c.skipOws();
    if (c.done) fail('trailing comma');
  }
  return members;
}

/** Serializes a bare item (RFC 8941 §4.1.3). */
export function serializeBareItem(item: BareItem): string {
  switch (item.kind) {
    case 'integer':
      if (!Number.isSafeInteger(item.value) || Math.abs(item.value) > 999_999_999_999_999) throw new RangeError('integer out of range');
      return String(item.value);
    case 'string':
      if (!/^[\x20-\x7e]*$/.test(item.value)) throw new RangeError('a string may hold printable ASCII only');
      return `"${item.value.replace(/[\\"]/g, (m) => `\\${m}`)}"`;
    case 'token':
      if (!/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/.test(item.value)) throw new RangeError('not a token');
      return item.value;
    case 'bytes':
      return `:${toBase64(item.value)}:`;
    case 'boolean':
      return item.value ? '?1' : '?0';
  }
}

/** Serializes parameters in their order (RFC 8941 §4.1.1.2); a `true` boolean value is left implicit. */
export function serializeParameters(params: Parameters): string {
  let out = '';
  for (const [key, value] of params) {
    if (!/^[a-z*][a-z0-9_\-.*]*$/.test(key)) throw new RangeError('not a parameter key');
    out += `;${key}`;
    if (!(value.kind === 'boolean' && value.value)) out += `=${serializeBareItem(value)}`;
  }
  return out;
}

/** Serializes an inner list with its parameters (RFC 8941 §4.1.1.1). */
export function serializeInnerList(list: InnerList): string {
  const items = list.items.map((i) => serializeBareItem(i.value) + serializeParameters(i.params));
  return `(${items.join(' ')})${serializeParameters(list.params)}`;
}
