// The shape every signed key record shares: a body (with version `v`) whose labelled canonical encoding is what the
// signatures cover, and the encoded record = that body map plus a `sig` field. Each record file supplies a spec.
import { encodeCanonical, type CborValue } from '../encoding/canonical-cbor.ts';
import { DecodeError, VerificationError } from '../errors.ts';
import { Fields, decodeVersioned, type CborMap } from '../encoding/fields.ts';
import { labelledMessage, type Label } from './labels.ts';

/** The one version of every key record today; a record with another `v` is refused, not guessed at. */
export const RECORD_VERSION = 1;

/** How one record type maps between its typed body and CBOR. */
export interface RecordSpec<B> {
  /** Kebab-case name used in error messages, e.g. `node-certificate`. */
  readonly what: string;
  readonly label: Label;
  /** Cap on the whole encoded record, signatures included. */
  readonly maxBytes: number;
  /** Body keys other than `v` that must be present. */
  readonly required: readonly string[];
  /** Body keys that may be absent. */
  readonly optional: readonly string[];
  toCbor(body: B): CborMap;
  fromFields(fields: Fields): B;
}

function bodyMap<B>(spec: RecordSpec<B>, body: B): CborMap {
  return { v: RECORD_VERSION, ...spec.toCbor(body) };
}

/**
 * Checks a body built by a signer exactly as a decoder would check it off the wire (so nothing unparseable is ever
 * signed) and returns a clean copy of it (no extra properties, no shared buffers) with the bytes its signatures
 * cover. A bad body is the caller's bug: a RangeError.
 */
export function checkedBody<B>(spec: RecordSpec<B>, body: B): { readonly body: B; readonly message: Uint8Array } {
  const map = bodyMap(spec, body);
  let clean: B;
  try {
    clean = spec.fromFields(Fields.of(spec.what, map, ['v', ...spec.required], spec.optional));
  } catch (cause) {
    if (cause instanceof DecodeError) throw new RangeError(cause.message, { cause });
    throw cause;
  }
  return { body: clean, message: labelledMessage(spec.label, map) };
}

/** The bytes a record's signatures cover: `label ‖ 0x00 ‖ canonical CBOR of the body`. */
export function signedBytes<B>(spec: RecordSpec<B>, body: B): Uint8Array {
  return checkedBody(spec, body).message;
}

/**
 * The bytes a verifier checks signatures against. A record built in memory that would not decode is refused as
 * `verify.record_invalid` (records from `decodeX` always pass this).
 */
export function bytesToVerify<B>(spec: RecordSpec<B>, body: B): Uint8Array {
  try {
    return signedBytes(spec, body);
  } catch (cause) {
    if (cause instanceof RangeError) throw new VerificationError('verify.record_invalid', cause.message, { cause });
    throw cause;
  }
}

/** The canonical encoding of the body alone (version included, signatures not): what fingerprints hash. */
export function encodeBody<B>(spec: RecordSpec<B>, body: B): Uint8Array {
  signedBytes(spec, body);
  return encodeCanonical(bodyMap(spec, body));
}

/**
 * Encodes body + signature(s) canonically; refuses a record over the cap. `unsigned` adds fields that the body's
 * signatures do not cover but the record carries beside them (an officer certificate's endorsements, signed by others).
 */
export function encodeSigned<B>(spec: RecordSpec<B>, body: B, sig: CborValue, unsigned: CborMap = {}): Uint8Array {
  signedBytes(spec, body);
  const bytes = encodeCanonical({ ...unsigned, ...bodyMap(spec, body), sig });
  if (bytes.length > spec.maxBytes) throw new RangeError(`${spec.what}: encoding exceeds ${spec.maxBytes} bytes`);
  return bytes;
}

/**
 * Decodes a record's body and hands back its `sig` field — and any of the optional `unsignedKeys` beside it — for the
 * record to parse.
 */
export function decodeSigned<B>(spec: RecordSpec<B>, bytes: Uint8Array, unsignedKeys: readonly string[] = []): { readonly body: B; readonly sig: Fields } {
  const fields = decodeVersioned(bytes, spec.maxBytes, spec.what, RECORD_VERSION, ['v', 'sig', ...spec.required], [...spec.optional, ...unsignedKeys]);
  return { body: spec.fromFields(fields), sig: fields };
}
