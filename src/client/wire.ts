// Reading the node's JSON answers (shapes defined in src/node/routes): every field checked and size-capped before
// it becomes a typed value (STYLE.md "Parse, don't cast"). The node is not trusted to send what it should.
import { fromBase64 } from '../bytes.ts';
import { DecodeError } from '../errors.ts';
import { Fields } from '../encoding/fields.ts';

export type { Fields };

function objectOf(what: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError('encoding.malformed', `${what}: expected an object`);
  return value as Record<string, unknown>; // a JSON.parse object: a plain map, checked key by key by Fields
}

/**
 * A JSON object as Fields with an exact key set. Keys whose value is `null` are dropped first, so a nullable key is
 * listed in `optional` and read with `f.has(key) ? … : null`.
 */
export function fieldsOf(what: string, value: unknown, required: readonly string[], optional: readonly string[] = []): Fields {
  const present = Object.fromEntries(Object.entries(objectOf(what, value)).filter(([, v]) => v !== null));
  return Fields.of(what, present, required, optional);
}

/** The raw items of a list field of at most `max` items (each is then decoded by its own `fieldsOf`). */
export function listIn(what: string, value: unknown, key: string, max: number): unknown[] {
  const list = objectOf(what, value)[key];
  if (!Array.isArray(list) || list.length > max) throw new DecodeError('encoding.malformed', `${what}: ${key} must be a list of at most ${max} items`);
  return list as unknown[]; // Array.isArray is the check; items are decoded one by one by the callers
}

/** The raw value of `key` in a JSON object (decoded next by its own `fieldsOf`). */
export function valueIn(what: string, value: unknown, key: string): unknown {
  return objectOf(what, value)[key];
}

/** Standard base64 bytes of at most `max` bytes. */
export function base64Of(f: Fields, key: string, max: number): Uint8Array {
  const text = f.token(key, Math.ceil(max / 3) * 4 + 4);
  try {
    return fromBase64(text);
  } catch (cause) {
    throw new DecodeError('encoding.malformed', `${key} must be base64`, { cause });
  }
}
