// The canonical wire encoding of the routing header and the protected part: deterministic CBOR maps (RFC 8949
// §4.2.1) with readable string keys and a format version, so one valid value has exactly one byte string. That
// string is what is signed (the header), encrypted (the protected part) and hashed. Layout in docs/cable.md.
import { DecodeError } from '../errors.ts';
import { decodeCanonical, encodeCanonical } from '../encoding/canonical-cbor.ts';
import type { CborValue } from '../encoding/canonical-cbor.ts';
import type { Attachment, Marking, ProtectedPart, RoutingHeader } from './types.ts';
import { CableLimits } from './limits.ts';
import { assertValidProtectedPart, assertValidRoutingHeader } from './validate.ts';

/**
 * The format version, carried as the key `v` in both maps. A decoder refuses any other value
 * (`encoding.unsupported_version`) rather than guess at a layout it does not know.
 */
export const CableFormatVersion = 1 as const;

/** The map written for a marking: keys are the field names. */
function markingToCbor(m: Marking): CborValue {
  return { classification: m.classification, caveats: m.caveats, releasableTo: m.releasableTo };
}

function attachmentToCbor(a: Attachment): CborValue {
  return { name: a.name, mediaType: a.mediaType, data: a.data };
}

/**
 * Encodes a routing header canonically. Validates first, so nothing invalid is ever signed: throws ValidationError
 * listing every problem.
 *
 * @example
 * const bytes = encodeRoutingHeader(cable.header); // a CBOR map { v: 1, id, dtg, precedence, marking, ... }
 */
export function encodeRoutingHeader(h: RoutingHeader): Uint8Array {
  const valid = assertValidRoutingHeader(h);
  return encodeCanonical({
    v: CableFormatVersion,
    id: valid.id,
    dtg: valid.dtg,
    precedence: valid.precedence,
    marking: markingToCbor(valid.marking),
    from: valid.from,
    to: valid.to,
    info: valid.info,
    tags: valid.tags,
    drafter: valid.drafter,
    releaser: valid.releaser,
  });
}

/**
 * Encodes a protected part canonically. Validates first: throws ValidationError listing every problem.
 *
 * @example
 * const plaintext = encodeProtectedPart(cable.content); // a CBOR map { v: 1, subject, references, body, attachments }
 */
export function encodeProtectedPart(p: ProtectedPart): Uint8Array {
  const valid = assertValidProtectedPart(p);
  return encodeCanonical({
    v: CableFormatVersion,
    subject: valid.subject,
    references: valid.references,
    body: valid.body,
    attachments: valid.attachments.map(attachmentToCbor),
  });
}

/**
 * Decodes canonical CBOR under a size cap and checks the version, returning the other fields for validation.
 * Throws DecodeError: `encoding.too_large`, `encoding.malformed` (not CBOR, or not a map),
 * `encoding.not_canonical`, `encoding.unsupported_version` (`v` absent or not 1).
 */
function decodeVersioned(bytes: Uint8Array, maxBytes: number, what: string): Readonly<Record<string, unknown>> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what}: bytes must be a Uint8Array`);
  // A plain Uint8Array view (no copy) of a Buffer: cborg copies byte strings out of a Uint8Array but returns views
  // into a Buffer, and decoded attachments must not share memory with a plaintext the caller may wipe.
  const plain = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const value = decodeCanonical(plain, maxBytes);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new DecodeError('encoding.malformed', `${what} must be a CBOR map`);
  }
  const { v, ...fields } = value as Record<string, unknown>; // a decoded CBOR map with string keys
  if (v !== CableFormatVersion) {
    throw new DecodeError('encoding.unsupported_version', `${what} format version must be ${CableFormatVersion}`);
  }
  return fields;
}

/**
 * Decodes a routing header: only the canonical encoding of a valid header is accepted. Throws DecodeError
 * (`encoding.*`) for bytes that are not that, or ValidationError (with every problem) for a well-formed map that is
 * not a valid header.
 *
 * @example
 * const header = decodeRoutingHeader(envelope.header.routing);
 */
export function decodeRoutingHeader(bytes: Uint8Array): RoutingHeader {
  return assertValidRoutingHeader(decodeVersioned(bytes, CableLimits.encodedRoutingHeaderMaxBytes, 'routing header'));
}

/**
 * Decodes a protected part: only the canonical encoding of a valid part is accepted. Throws DecodeError or
 * ValidationError as `decodeRoutingHeader` does. Attachment data are fresh arrays that share no memory with
 * `bytes`, so the caller may wipe the plaintext afterwards (checked by test/cable/codec.test.ts).
 *
 * @example
 * const content = decodeProtectedPart(plaintext);
 */
export function decodeProtectedPart(bytes: Uint8Array): ProtectedPart {
  return assertValidProtectedPart(decodeVersioned(bytes, CableLimits.encodedProtectedPartMaxBytes, 'protected part'));
}
