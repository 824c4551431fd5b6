// The canonical log entry (issue 4 "What goes in"; docs/log.md "Entries"): one leaf = one event, encoded as the
// canonical CBOR map {v: 1, kind, at, node, details?, ...the kind's fields}. These bytes are the leaf data: the
// Merkle leaf hash is RFC 9162's SHA-256(0x00 ‖ bytes) over them (merkle.ts `leafHash`), so they must be one
// encoding per event, and decoding accepts nothing else.
import { parseNodeName } from '../cable/ids.ts';
import { decodeCanonical, encodeCanonical } from '../encoding/canonical-cbor.ts';
import { Fields, type CborMap } from '../encoding/fields.ts';
import { DecodeError } from '../errors.ts';
import { ENTRY_HASH_LENGTH, KIND_SPECS, type KindSpecs } from './event-fields.ts';
import { LogKinds, type EntryHeader, type EntryOf, type LogEntry, type LogKind } from './event-types.ts';

export type * from './event-types.ts';
export { AlertActions, AlertSeverities, LogKinds } from './event-types.ts';
export { ENTRY_HASH_LENGTH, parseAlertId } from './event-fields.ts';

/** The format version every entry carries as `v`; another version is refused, not guessed at. */
export const LOG_ENTRY_VERSION = 1;

/**
 * Cap on an encoded entry. The largest is a `cable.sent` to 500 offices of 64 characters (about 34 KB); a decoder
 * refuses anything longer before parsing it.
 */
export const MAX_LOG_ENTRY_BYTES = 64 * 1024;

/** The last millisecond of year 9999: every `at` then has an ISO 8601 form with a four-digit year (trace lines). */
export const MAX_ENTRY_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const HEADER_KEYS = ['v', 'kind', 'at', 'node'];

function isKind(value: unknown): value is LogKind {
  return LogKinds.some((k) => k === value);
}

/** The kind's own fields. Generic in K so that the spec and the entry are known to be of one kind. */
function kindFields<K extends LogKind>(kind: K, entry: EntryOf<K>): CborMap {
  const spec: KindSpecs[K] = KIND_SPECS[kind];
  return spec.toCbor(entry);
}

function toMap(entry: LogEntry): CborMap {
  if (typeof entry !== 'object' || entry === null) throw new TypeError('encodeLogEntry: entry must be an object');
  if (!isKind(entry.kind)) throw new RangeError('encodeLogEntry: unknown kind');
  const details = entry.details === undefined ? {} : { details: entry.details };
  return { v: LOG_ENTRY_VERSION, kind: entry.kind, at: entry.at, node: entry.node, ...details, ...kindFields(entry.kind, entry) };
}

function fromValue(value: unknown): LogEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new DecodeError('encoding.malformed', 'log-entry: expected a map');
  }
  const { v, kind } = value as { readonly v?: unknown; readonly kind?: unknown }; // a map: only read, then checked
  // Version, then kind, before the key set: a newer writer's entry should read as "unsupported", not "malformed",
  // so that a consumer (the detector) can tell an entry it may skip from a corrupt one. Either way the bytes
  // still hash into the tree, so skipping one never weakens a proof.
  if (v !== LOG_ENTRY_VERSION) throw new DecodeError('encoding.unsupported_version', 'log-entry: unsupported version');
  if (typeof kind !== 'string') throw new DecodeError('encoding.malformed', 'log-entry: kind must be a text');
  if (!isKind(kind)) throw new DecodeError('encoding.unsupported_version', 'log-entry: unknown kind');
  const spec = KIND_SPECS[kind];
  const f = Fields.of(`log-entry ${kind}`, value, [...HEADER_KEYS, ...spec.required], ['details', ...spec.optional]);
  const at = f.uint('at', MAX_ENTRY_TIME);
  const node = f.id('node', parseNodeName);
  const header: EntryHeader = f.has('details') ? { at, node, details: f.bytes('details', ENTRY_HASH_LENGTH) } : { at, node };
  return spec.fromFields(f, header);
}

/**
 * Encodes an entry as its leaf data. The entry is checked exactly as `decodeLogEntry` would check it, so nothing
 * is ever appended that a reader would refuse; a bad entry is the caller's bug (RangeError, TypeError).
 *
 * @example
 * ```ts
 * const bytes = encodeLogEntry({ kind: 'login', at: Date.now(), node, user, device });
 * const hash = leafHash(p, bytes);
 * ```
 */
export function encodeLogEntry(entry: LogEntry): Uint8Array {
  const map = toMap(entry);
  try {
    fromValue(map);
  } catch (cause) {
    if (cause instanceof DecodeError) throw new RangeError(`encodeLogEntry: ${cause.message}`, { cause });
    throw cause;
  }
  const bytes = encodeCanonical(map);
  if (bytes.length > MAX_LOG_ENTRY_BYTES) throw new RangeError(`encodeLogEntry: encoding exceeds ${MAX_LOG_ENTRY_BYTES} bytes`);
  return bytes;
}

/**
 * Decodes leaf data strictly: canonical CBOR only, at most `MAX_LOG_ENTRY_BYTES`, the exact key set of its kind,
 * every field parsed. Throws DecodeError: `encoding.unsupported_version` for another `v` or an unknown kind,
 * `encoding.too_large`, `encoding.not_canonical` or `encoding.malformed` otherwise.
 *
 * @example
 * ```ts
 * const entry = decodeLogEntry(bytes);
 * if (entry.kind === 'cable.read') console.log(entry.user, entry.cable);
 * ```
 */
export function decodeLogEntry(bytes: Uint8Array): LogEntry {
  return fromValue(decodeCanonical(bytes, MAX_LOG_ENTRY_BYTES));
}
