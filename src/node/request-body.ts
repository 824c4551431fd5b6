// Reading JSON request bodies: an exact key set, typed fields, and byte strings as standard base64 with a cap.
import { fromBase64, toBase64 } from '../bytes.ts';
import { DecodeError } from '../errors.ts';
import { Fields } from '../encoding/fields.ts';

/** The body as a map with exactly `required` (and possibly `optional`) keys. */
export function jsonBody(body: unknown, what: string, required: readonly string[], optional: readonly string[] = []): Fields {
  return Fields.of(what, body, required, optional);
}

/** A base64 field of at most `max` decoded bytes. */
export function base64Field(f: Fields, key: string, max: number): Uint8Array {
  const text = f.token(key, Math.ceil(max / 3) * 4 + 4);
  try {
    return fromBase64(text);
  } catch (cause) {
    throw new DecodeError('encoding.malformed', `${key} must be base64`, { cause });
  }
}

/** Bytes for a JSON response. */
export function b64(bytes: Uint8Array): string {
  return toBase64(bytes);
}
