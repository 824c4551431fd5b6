// Deterministic CBOR (RFC 8949 §4.2.1) for everything Chancery signs, hashes or stores: one value, one byte string.
import { decode, encode, rfc8949EncodeOptions } from 'cborg';
import { DecodeError } from '../errors.ts';
import { equalBytes } from '../bytes.ts';

/** A value that canonical CBOR can carry in Chancery: no floats, no undefined, no tags. */
export type CborValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly CborValue[]
  | { readonly [key: string]: CborValue };

/** Encodes a value canonically (shortest integers, map keys sorted bytewise by their encoding). */
export function encodeCanonical(value: CborValue): Uint8Array {
  return encode(value, rfc8949EncodeOptions);
}

/**
 * Decodes bytes that must be canonical: strict decoding with duplicate keys refused, then a re-encode that must
 * reproduce the input byte for byte, so two encodings of one value can never both be accepted.
 */
export function decodeCanonical(bytes: Uint8Array, maxBytes: number): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeCanonical: bytes must be a Uint8Array');
  if (bytes.length > maxBytes) throw new DecodeError('encoding.too_large', `encoded value exceeds ${maxBytes} bytes`);
  let value: unknown;
  try {
    value = decode(bytes, {
      strict: true,
      rejectDuplicateMapKeys: true,
      allowUndefined: false,
      allowInfinity: false,
      allowNaN: false,
      allowIndefinite: false,
      allowBigInt: false,
      useMaps: false,
      tags: [],
    });
  } catch (cause) {
    throw new DecodeError('encoding.malformed', 'not well-formed CBOR', { cause });
  }
  let again: Uint8Array;
  try {
    again = encodeCanonical(value as CborValue);
  } catch (cause) {
    throw new DecodeError('encoding.malformed', 'CBOR value outside the allowed types', { cause });
  }
  if (!equalBytes(again, bytes)) throw new DecodeError('encoding.not_canonical', 'CBOR is not in canonical form');
  return value;
}
