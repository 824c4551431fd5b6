// Serialization of envelope format v1: a version byte, then one canonical CBOR map. Decoding is strict and
// size-capped, and refuses anything it would not itself have written.
import { Classifications, type Classification, type DeviceId, type NodeName, type OfficeCode, type UserId } from '../cable/types.ts';
import { concatBytes } from '../bytes.ts';
import { DecodeError } from '../errors.ts';
import { decodeCanonical, encodeCanonical, type CborValue } from '../encoding/canonical-cbor.ts';
import { readArray, readBytes, readMap, readOneOf, readText, readUint, type Fields } from '../encoding/fields.ts';
import { XWing } from '../crypto/xwing.ts';
import { ENVELOPE_VERSION, MAX_CONTENT_BYTES, MAX_ENVELOPE_BYTES, MAX_WRAPS, Roles, SUITE } from './format.ts';
import type { CableSignature, Envelope, ManifestEntry, OfficeWrap, ReleaseEntry, ReleaseWrap, SealedHeader } from './types.ts';

// Identifier grammar is validated fully by the cable module; here only shape and size, so junk cannot grow.
const CODE = /^[A-Z][A-Z0-9.-]{0,63}$/;
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_ROUTING_BYTES = 64 * 1024;
const MAX_WRAP_CIPHERTEXT = 32 + 16;
// A release bundle carries one 32-byte share per office plus CBOR framing and the AEAD tag.
const MAX_RELEASE_CIPHERTEXT = MAX_WRAPS * 96 + 64;

function checkVersion(map: Fields, path: string): void {
  if (map.v !== ENVELOPE_VERSION) throw new DecodeError('encoding.unsupported_version', `${path}.v: unsupported version`);
}

/** Canonical bytes of a sealed header. */
export function encodeSealedHeader(h: SealedHeader): Uint8Array {
  return encodeCanonical({
    v: ENVELOPE_VERSION,
    suite: [...SUITE],
    routing: h.routing,
    commitment: h.commitment,
    manifest: h.manifest.map((m) => ({ office: m.office, node: m.node, level: m.level, epoch: m.epoch, keyHash: m.keyHash })),
    release: h.release.map((r) => ({ node: r.node, keyHash: r.keyHash, offices: [...r.offices] })),
    contentLength: h.contentLength,
    contentDigest: h.contentDigest,
  });
}

function decodeManifestEntry(value: unknown, path: string): ManifestEntry {
  const m = readMap(value, path, ['office', 'node', 'level', 'epoch', 'keyHash']);
  return {
    office: readText(m, 'office', path, 64, CODE) as OfficeCode,
    node: readText(m, 'node', path, 32, CODE) as NodeName,
    level: readOneOf<Classification>(m, 'level', path, Classifications),
    epoch: readUint(m, 'epoch', path, 0xffffffff),
    keyHash: readBytes(m, 'keyHash', path, { length: 32 }),
  };
}

function decodeReleaseEntry(value: unknown, path: string): ReleaseEntry {
  const m = readMap(value, path, ['node', 'keyHash', 'offices']);
  return {
    node: readText(m, 'node', path, 32, CODE) as NodeName,
    keyHash: readBytes(m, 'keyHash', path, { length: 32 }),
    offices: readArray(m, 'offices', path, MAX_WRAPS, (v, p) => readText({ v }, 'v', p, 64, CODE) as OfficeCode),
  };
}

/** Parses a sealed header's canonical bytes. */
export function decodeSealedHeader(bytes: Uint8Array): SealedHeader {
  const path = 'header';
  const m = readMap(decodeCanonical(bytes, MAX_ROUTING_BYTES + MAX_WRAPS * 256), path, [
    'v', 'suite', 'routing', 'commitment', 'manifest', 'release', 'contentLength', 'contentDigest',
  ]);
  checkVersion(m, path);
  const suite = m.suite;
  if (!Array.isArray(suite) || suite.length !== SUITE.length || suite.some((id, i) => id !== SUITE[i])) {
    throw new DecodeError('encoding.unsupported_version', 'header.suite: not the Chancery v1 suite');
  }
  return {
    routing: readBytes(m, 'routing', path, { max: MAX_ROUTING_BYTES }),
    commitment: readBytes(m, 'commitment', path, { length: 32 }),
    manifest: readArray(m, 'manifest', path, MAX_WRAPS, decodeManifestEntry),
    release: readArray(m, 'release', path, MAX_WRAPS, decodeReleaseEntry),
    contentLength: readUint(m, 'contentLength', path, MAX_CONTENT_BYTES + 16),
    contentDigest: readBytes(m, 'contentDigest', path, { length: 32 }),
  };
}

function signatureValue(s: CableSignature): CborValue {
  return { role: s.role, user: s.user, device: s.device, signature: s.signature };
}

/** Serializes an envelope: the version byte, then canonical CBOR. */
export function encodeEnvelope(e: Envelope): Uint8Array {
  const body = encodeCanonical({
    v: ENVELOPE_VERSION,
    header: e.headerBytes,
    signatures: e.signatures.map(signatureValue),
    content: e.content,
    wraps: e.wraps.map((w) => ({ office: w.office, enc: w.enc, cipherText: w.cipherText })),
    releaseWraps: e.releaseWraps.map((w) => ({ node: w.node, enc: w.enc, cipherText: w.cipherText })),
  });
  return concatBytes(Uint8Array.of(ENVELOPE_VERSION), body);
}

function decodeSignature(value: unknown, path: string): CableSignature {
  const m = readMap(value, path, ['role', 'user', 'device', 'signature']);
  return {
    role: readOneOf(m, 'role', path, Roles),
    user: readText(m, 'user', path, 64, ID) as UserId,
    device: readText(m, 'device', path, 64, ID) as DeviceId,
    signature: readBytes(m, 'signature', path, { length: 64 }),
  };
}

function decodeWrap(value: unknown, path: string): OfficeWrap {
  const m = readMap(value, path, ['office', 'enc', 'cipherText']);
  return {
    office: readText(m, 'office', path, 64, CODE) as OfficeCode,
    enc: readBytes(m, 'enc', path, { length: XWing.cipherTextLength }),
    cipherText: readBytes(m, 'cipherText', path, { max: MAX_WRAP_CIPHERTEXT }),
  };
}

function decodeReleaseWrap(value: unknown, path: string): ReleaseWrap {
  const m = readMap(value, path, ['node', 'enc', 'cipherText']);
  return {
    node: readText(m, 'node', path, 32, CODE) as NodeName,
    enc: readBytes(m, 'enc', path, { length: XWing.cipherTextLength }),
    cipherText: readBytes(m, 'cipherText', path, { max: MAX_RELEASE_CIPHERTEXT }),
  };
}

/** Parses a serialized envelope (structure only: signatures and keys are checked by `verifyEnvelope`). */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeEnvelope: bytes must be a Uint8Array');
  if (bytes.length < 2) throw new DecodeError('encoding.malformed', 'envelope too short');
  if (bytes[0] !== ENVELOPE_VERSION) throw new DecodeError('encoding.unsupported_version', 'unknown envelope version');
  const path = 'envelope';
  const m = readMap(decodeCanonical(bytes.subarray(1), MAX_ENVELOPE_BYTES), path, [
    'v', 'header', 'signatures', 'content', 'wraps', 'releaseWraps',
  ]);
  checkVersion(m, path);
  const headerBytes = readBytes(m, 'header', path, { max: MAX_ROUTING_BYTES + MAX_WRAPS * 256 });
  return {
    headerBytes,
    header: decodeSealedHeader(headerBytes),
    signatures: readArray(m, 'signatures', path, Roles.length, decodeSignature),
    content: readBytes(m, 'content', path, { max: MAX_CONTENT_BYTES + 16 }),
    wraps: readArray(m, 'wraps', path, MAX_WRAPS, decodeWrap),
    releaseWraps: readArray(m, 'releaseWraps', path, MAX_WRAPS, decodeReleaseWrap),
  };
}
