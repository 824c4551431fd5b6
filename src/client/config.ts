// A device's client configuration, kept beside its key file as `<keyfile>.json`: which node it talks to, at which
// URL, and the organisation-root fingerprint pinned on first use at enrollment. All public; the pin is what makes a
// node that swaps its root (or a man in the middle) fail loudly instead of being believed.
import { readFile, writeFile } from 'node:fs/promises';
import type { NodeName } from '../cable/types.ts';
import { parseNodeName } from '../cable/ids.ts';
import { FileError } from '../errors.ts';
import { fieldsOf } from './wire.ts';

export interface ClientConfig {
  readonly node: NodeName;
  /** The node's public URL; requests are signed for it. */
  readonly url: string;
  /** SHA-256 of the organisation root's public record, lower-case hex (64 digits). */
  readonly rootFingerprint: string;
}

const FINGERPRINT = /^[0-9a-f]{64}$/;
const MAX_CONFIG_BYTES = 8192;

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
    const f = fieldsOf(path, JSON.parse(text), ['v', 'node', 'url', 'rootFingerprint']);
    if (!f.is('v', 1)) throw new Error('unsupported version');
    const url = f.token('url', 2048);
    if (!/^https?:\/\//.test(url)) throw new Error('url must be http(s)');
    return { node: f.id('node', parseNodeName), url, rootFingerprint: normaliseFingerprint(f.token('rootFingerprint', 64)) };
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
  const text = `${JSON.stringify({ v: 1, node: config.node, url: config.url, rootFingerprint: config.rootFingerprint }, null, 2)}\n`;
  await writeFile(configPathFor(keyFile), text, { encoding: 'utf8', mode: 0o644 });
}
