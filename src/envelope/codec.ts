// Serialization of envelope format v1: a version byte, then one canonical CBOR map. Decoding is strict and
// size-capped, and refuses anything it would not itself have written; every office, node, user and device id goes
// through the cable model's own parser (src/cable/ids.ts), so an envelope can name only ids a cable could.
import { Classifications } from '../cable/types.ts';
import { parseDeviceId, parseNodeName, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { concatBytes } from '../bytes.ts';
import { DecodeError } from '../errors.ts';
import { encodeCanonical, type CborValue } from '../encoding/canonical-cbor.ts';
import { decodeVersioned, type Fields } from '../encoding/fields.ts';
import { XWing } from '../crypto/xwing.ts';
import { ENVELOPE_VERSION, MAX_CONTENT_BYTES, MAX_ENVELOPE_BYTES, MAX_WRAPS, Roles, SUITE } from './format.ts';
import type { CableSignature, Envelope, ManifestEntry, OfficeWrap, ReleaseEntry, ReleaseWrap, SealedHeader } from './types.ts';

const MAX_ROUTING_BYTES = 64 * 1024;
const MAX_HEADER_BYTES = MAX_ROUTING_BYTES + MAX_WRAPS * 256;
const MAX_WRAP_CIPHERTEXT = 32 + 16;
// A release bundle carries one 32-byte share per office plus CBOR framing and the AEAD tag.
const MAX_RELEASE_CIPHERTEXT = MAX_WRAPS * 96 + 64;

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

const MANIFEST_ENTRY_KEYS = ['office', 'node', 'level', 'epoch', 'keyHash'];

function decodeManifestEntry(m: Fields): ManifestEntry {
  return {
    office: m.id('office', parseOfficeCode),
    node: m.id('node', parseNodeName),
    level: m.oneOf('level', Classifications),
    epoch: m.uint('epoch', 0xffffffff),
    keyHash: m.bytes('keyHash', 32),
  };
}

const RELEASE_ENTRY_KEYS = ['node', 'keyHash', 'offices'];

function decodeReleaseEntry(m: Fields): ReleaseEntry {
  return {
    node: m.id('node', parseNodeName),
    keyHash: m.bytes('keyHash', 32),
    offices: m.idList('offices', 0, MAX_WRAPS, parseOfficeCode),
  };
}

/** Parses a sealed header's canonical bytes. */
export function decodeSealedHeader(bytes: Uint8Array): SealedHeader {
  const m = decodeVersioned(bytes, MAX_HEADER_BYTES, 'header', ENVELOPE_VERSION, [
    'v', 'suite', 'routing', 'commitment', 'manifest', 'release', 'contentLength', 'contentDigest',
  ]);
  if (!m.is('suite', SUITE)) throw new DecodeError('encoding.unsupported_version', 'header.suite: not the Chancery v1 suite');
  return {
    routing: m.bytesUpTo('routing', MAX_ROUTING_BYTES),
    commitment: m.bytes('commitment', 32),
    manifest: m.mapList('manifest', MAX_WRAPS, MANIFEST_ENTRY_KEYS, decodeManifestEntry),
    release: m.mapList('release', MAX_WRAPS, RELEASE_ENTRY_KEYS, decodeReleaseEntry),
    contentLength: m.uint('contentLength', MAX_CONTENT_BYTES + 16),
    contentDigest: m.bytes('contentDigest', 32),
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

const SIGNATURE_KEYS = ['role', 'user', 'device', 'signature'];

function decodeSignature(m: Fields): CableSignature {
  return {
    role: m.oneOf('role', Roles),
    user: m.id('user', parseUserId),
    device: m.id('device', parseDeviceId),
    signature: m.bytes('signature', 64),
  };
}

const WRAP_KEYS = ['office', 'enc', 'cipherText'];

function decodeWrap(m: Fields): OfficeWrap {
  return {
    office: m.id('office', parseOfficeCode),
    enc: m.bytes('enc', XWing.cipherTextLength),
    cipherText: m.bytesUpTo('cipherText', MAX_WRAP_CIPHERTEXT),
  };
}

const RELEASE_WRAP_KEYS = ['node', 'enc', 'cipherText'];

function decodeReleaseWrap(m: Fields): ReleaseWrap {
  return {
    node: m.id('node', parseNodeName),
    enc: m.bytes('enc', XWing.cipherTextLength),
    cipherText: m.bytesUpTo('cipherText', MAX_RELEASE_CIPHERTEXT),
  };
}

/** Parses a serialized envelope (structure only: signatures and keys are checked by `verifyEnvelope`). */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeEnvelope: bytes must be a Uint8Array');
  if (bytes.length < 2) throw new DecodeError('encoding.malformed', 'envelope too short');
  if (bytes[0] !== ENVELOPE_VERSION) throw new DecodeError('encoding.unsupported_version', 'unknown envelope version');
  const m = decodeVersioned(bytes.subarray(1), MAX_ENVELOPE_BYTES, 'envelope', ENVELOPE_VERSION, [
    'v', 'header', 'signatures', 'content', 'wraps', 'releaseWraps',
  ]);
  const headerBytes = m.bytesUpTo('header', MAX_HEADER_BYTES);
  return {
    headerBytes,
    header: decodeSealedHeader(headerBytes),
    signatures: m.mapList('signatures', Roles.length, SIGNATURE_KEYS, decodeSignature),
    content: m.bytesUpTo('content', MAX_CONTENT_BYTES + 16),
    wraps: m.mapList('wraps', MAX_WRAPS, WRAP_KEYS, decodeWrap),
    releaseWraps: m.mapList('releaseWraps', MAX_WRAPS, RELEASE_WRAP_KEYS, decodeReleaseWrap),
  };
}
