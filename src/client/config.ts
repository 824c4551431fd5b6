// A device's client configuration, kept beside its key file as `<keyfile>.json`: which node it talks to, at which
// URL, the organisation-root fingerprint pinned on first use at enrollment, and the node's audit log: its key's
// fingerprint (pinned the same way) and the last checkpoint this device verified. All public; the pins are what
// make a node that swaps its root or log key (or a man in the middle) fail loudly instead of being believed, and
// the checkpoint is what a later one must be consistent with.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { NodeName } from '../cable/types.ts';
import { parseNodeName } from '../cable/ids.ts';
import { FileError } from '../errors.ts';
import { noteText } from './log-view.ts';
import { fieldsOf, valueIn } from './wire.ts';

export interface ClientConfig {
  readonly node: NodeName;
  /** The node's public URL; requests are signed for it. */
  readonly url: string;
  /** SHA-256 of the organisation root's public record, lower-case hex (64 digits). */
  readonly rootFingerprint: string;
  /** The node's audit log key (src/client/log-view.ts `logKeyFingerprint`), pinned on first use; absent before. */
  readonly logKeyFingerprint?: string;
  /** The last checkpoint this device verified, as the signed note text; absent before its first read. */
  readonly lastCheckpoint?: string;
  /**
   * The last checkpoint `chancery audit` accepted (src/client/audit.ts): verified in full by `audit verify`, or
   * shown consistent with the one before by the other audit commands. Kept apart from `lastCheckpoint`, which moves
   * with every read, and likewise never moved back.
   */
  readonly auditCheckpoint?: string;
  /** What this device has seen of its user's devices and its offices (src/client/key-watch.ts); absent before. */
  readonly watch?: KnownKeys;
  /**
   * The last checkpoint of each peer's log this device verified (src/client/peer-directory.ts), by the log key's
   * fingerprint (a peer whose root certifies a new log key starts a new log), so a later view of that log must be
   * consistent with it too; absent before the first.
   */
  readonly peerCheckpoints?: Readonly<Record<string, string>>;
}

/** Devices of this user, and members and key epochs (`LEVEL#n`) of each of its offices, as last checked. */
export interface KnownKeys {
  readonly devices: readonly string[];
  readonly members: Readonly<Record<string, readonly string[]>>;
  readonly epochs: Readonly<Record<string, readonly string[]>>;
}

const MAX_KNOWN = 10_000;

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.length > MAX_KNOWN || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 256)) {
    throw new Error(`${what} must be a list of short strings`);
  }
  return value as string[]; // every item checked above
}

function listMap(value: unknown, what: string): Record<string, string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} must be an object`);
  const entries = Object.entries(value);
  if (entries.length > MAX_KNOWN) throw new Error(`${what} is too large`);
  return Object.fromEntries(entries.map(([k, v]) => [k, stringList(v, `${what}.${k}`)]));
}

function knownKeysOf(value: unknown): KnownKeys {
  fieldsOf('watch', value, ['devices', 'members', 'epochs']);
  const v = value as Record<string, unknown>; // fieldsOf checked it is an object with exactly these keys
  return { devices: stringList(v.devices, 'watch.devices'), members: listMap(v.members, 'watch.members'), epochs: listMap(v.epochs, 'watch.epochs') };
}

function peerCheckpointsOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('peerCheckpoints must be an object');
  const entries = Object.entries(value);
  if (entries.length > MAX_PEERS) throw new Error('peerCheckpoints is too large');
  return Object.fromEntries(entries.map(([log, note]) => [normaliseFingerprint(log), noteText(note, `peerCheckpoints.${log}`)]));
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
/** Peers' logs whose last checkpoint a configuration keeps (the writer drops the oldest beyond). */
export const MAX_PEERS = 100;
/**
 * A checkpoint note with its ML-DSA-65 line is about 4.6 kB; a witness cosignature or two fit as well, for this
 * node's log, the audit's and up to MAX_PEERS peers' logs.
 */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Where the configuration of the device whose keys are at `keyFile` lives. */
export function configPathFor(keyFile: string): string {
  return `${keyFile}.json`;
}

/** Checks a fingerprint typed or pasted by a person: 64 hex digits, any case, colons and spaces ignored. */
export function normaliseFingerprint(text: string): string {
  const hex = text.replace(/[:\s]/g, '').toLowerCase();
  if (!FINGERPRINT.test(hex)) throw new FileError('file.malformed', 'a root fingerprint is 64 hex digits (SHA-256)');
  return hex;
}

export function parseClientConfig(text: string, path = 'client config'): ClientConfig {
  try {
    const json: unknown = JSON.parse(text);
    const f = fieldsOf(path, json, ['v', 'node', 'url', 'rootFingerprint'], ['logKeyFingerprint', 'lastCheckpoint', 'auditCheckpoint', 'watch', 'peerCheckpoints']);
    if (!f.is('v', 1)) throw new Error('unsupported version');
    const url = f.token('url', 2048);
    if (!/^https?:\/\//.test(url)) throw new Error('url must be http(s)');
    return {
      node: f.id('node', parseNodeName),
      url,
      rootFingerprint: normaliseFingerprint(f.token('rootFingerprint', 64)),
      ...(f.has('logKeyFingerprint') ? { logKeyFingerprint: normaliseFingerprint(f.token('logKeyFingerprint', 64)) } : {}),
      ...(f.has('lastCheckpoint') ? { lastCheckpoint: noteText(valueIn(path, json, 'lastCheckpoint'), 'lastCheckpoint') } : {}),
      ...(f.has('auditCheckpoint') ? { auditCheckpoint: noteText(valueIn(path, json, 'auditCheckpoint'), 'auditCheckpoint') } : {}),
      ...(f.has('watch') ? { watch: knownKeysOf(valueIn(path, json, 'watch')) } : {}),
      ...(f.has('peerCheckpoints') ? { peerCheckpoints: peerCheckpointsOf(valueIn(path, json, 'peerCheckpoints')) } : {}),
    };
  } catch (cause) {
    throw new FileError('file.malformed', `${path} is not a valid client configuration`, { cause });
  }
}

/** Reads `<keyfile>.json`; `file.missing` tells the user to enroll (or pass --node) first. */
export async function readClientConfig(keyFile: string): Promise<ClientConfig> {
  const path = configPathFor(keyFile);
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_CONFIG_BYTES) throw new FileError('file.malformed', `${path} is too large`);
    text = bytes.toString('utf8');
  } catch (cause) {
    if (cause instanceof FileError) throw cause;
    throw new FileError('file.missing', `${path} not found: this device has no pinned node (enroll it first)`, { cause });
  }
  return parseClientConfig(text, path);
}

/** Writes `<keyfile>.json` (replacing it: the caller has checked the pin it carries). */
export async function writeClientConfig(keyFile: string, config: ClientConfig): Promise<void> {
  const { node, url, rootFingerprint, logKeyFingerprint, lastCheckpoint, auditCheckpoint, watch, peerCheckpoints } = config;
  const text = `${JSON.stringify({ v: 1, node, url, rootFingerprint, logKeyFingerprint, lastCheckpoint, auditCheckpoint, watch, peerCheckpoints }, null, 2)}\n`;
  // Written aside and renamed over: sessions of one device run side by side (a sender's drafter and releaser, a
  // watcher), and a reader must never see half a file.
  const path = configPathFor(keyFile);
  const aside = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(aside, text, { encoding: 'utf8', mode: 0o644 });
  await rename(aside, path);
}
