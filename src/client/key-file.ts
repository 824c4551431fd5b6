// A device's key file (docs/node.md "Processes and files"): the device's seeds, encrypted under a passphrase with
// scrypt (N=2^17, r=8, p=1) and AES-256-GCM, as JSON with base64 bytes. Written once with mode 0600, never sent.
import { scrypt, type ScryptOptions } from 'node:crypto';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkDeviceId, checkNodeName, checkUserId } from '../cable/ids.ts';
import { fromBase64, toBase64, utf8, wipe } from '../bytes.ts';
import { nodeProvider } from '../crypto/node-provider.ts';
import { decodeCanonical, encodeCanonical } from '../encoding/canonical-cbor.ts';
import { ChanceryError, FileError } from '../errors.ts';
import { DEVICE_SEED_LENGTH, type DeviceKeyMaterial } from './device-keys.ts';

export const KeyFileFormat = {
  version: 1,
  cipher: 'aes-256-gcm',
  /** RFC 7914 parameters: 2^17 · 8 · 128 B = 128 MiB of memory per guess. */
  defaultN: 2 ** 17,
  r: 8,
  p: 1,
  saltLength: 32,
  nonceLength: 12,
  keyLength: 32,
  /** Cost bounds accepted on read: a hostile file must not make us allocate gigabytes. */
  minLog2N: 10,
  maxLog2N: 20,
  maxFileBytes: 4096,
  /** Cap for other secret files: the organisation root holds an ML-DSA-65 secret and its public record (~13 kB). */
  maxSecretFileBytes: 64 * 1024,
  maxPlaintextBytes: 512,
} as const;

/** Options for `writeKeyFile`; a lower `N` is for tests only (the default is the strong one). */
export interface KeyFileOptions {
  readonly scryptN?: number;
}

interface KdfParams {
  readonly name: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
}

function malformed(message: string, cause?: unknown): FileError {
  return new FileError('file.malformed', `key file: ${message}`, cause === undefined ? undefined : { cause });
}

function deriveKey(passphrase: string, salt: Uint8Array, kdf: KdfParams): Promise<Buffer> {
  // NFC so one passphrase typed on two systems is one byte string.
  const password = Buffer.from(utf8(passphrase.normalize('NFC')));
  // Node refuses more than 32 MiB by default; 128·N·r is what scrypt needs, doubled for headroom.
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KeyFileFormat.keyLength, options, (error, key) => {
      password.fill(0);
      if (error) reject(new FileError('file.malformed', 'key file: scrypt failed', { cause: error }));
      else resolve(key);
    });
  });
}

// The header is authenticated as AEAD associated data, so no field of it can be changed unnoticed.
function associatedData(kdf: KdfParams): Uint8Array {
  return encodeCanonical({ v: KeyFileFormat.version, cipher: KeyFileFormat.cipher, kdf: { ...kdf } });
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string') throw new TypeError('passphrase must be a string');
  if (passphrase.length === 0) throw new FileError('file.bad_passphrase', 'an empty passphrase is not allowed');
}

/**
 * Encrypts secret bytes into key-file text (JSON): the format every Chancery secret file shares (device keys, the
 * organisation root). Throws `file.bad_passphrase` for an empty passphrase, RangeError for an N outside 2^10–2^20.
 */
export async function sealSecretFile(plaintext: Uint8Array, passphrase: string, options: KeyFileOptions = {}): Promise<string> {
  checkPassphrase(passphrase);
  const N = options.scryptN ?? KeyFileFormat.defaultN;
  if (!Number.isInteger(Math.log2(N)) || Math.log2(N) < KeyFileFormat.minLog2N || Math.log2(N) > KeyFileFormat.maxLog2N) {
    throw new RangeError('scrypt N must be a power of two from 2^10 to 2^20');
  }
  const salt = nodeProvider.randomBytes(KeyFileFormat.saltLength);
  const nonce = nodeProvider.randomBytes(KeyFileFormat.nonceLength);
  const kdf: KdfParams = { name: 'scrypt', N, r: KeyFileFormat.r, p: KeyFileFormat.p, salt: toBase64(salt) };
  const key = await deriveKey(passphrase, salt, kdf);
  try {
    const ciphertext = await nodeProvider.aeadSeal(KeyFileFormat.cipher, key, nonce, associatedData(kdf), plaintext);
    const file = { v: KeyFileFormat.version, kdf, cipher: KeyFileFormat.cipher, nonce: toBase64(nonce), ciphertext: toBase64(ciphertext) };
    return `${JSON.stringify(file, null, 2)}\n`;
  } finally {
    wipe(key);
  }
}

/**
 * Encrypts device key material into the key-file text (JSON). RangeError for seeds that are not 32 bytes.
 *
 * @example
 * const text = await sealKeyFile(keys, passphrase);
 */
export async function sealKeyFile(keys: DeviceKeyMaterial, passphrase: string, options: KeyFileOptions = {}): Promise<string> {
  for (const seed of [keys.signingSeed, keys.encryptionSeed]) {
    if (!(seed instanceof Uint8Array) || seed.length !== DEVICE_SEED_LENGTH) throw new RangeError('seeds must be 32 bytes');
  }
  const plaintext = encodeCanonical({
    user: keys.user,
    device: keys.device,
    node: keys.node,
    signingSeed: keys.signingSeed,
    encryptionSeed: keys.encryptionSeed,
  });
  try {
    return await sealSecretFile(plaintext, passphrase, options);
  } finally {
    wipe(plaintext);
  }
}

function exactKeys(value: unknown, keys: readonly string[], what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(`${what} must be an object`);
  const got = Object.keys(value);
  if (got.length !== keys.length || !keys.every((k) => Object.hasOwn(value, k))) throw malformed(`${what} must have exactly ${keys.join(', ')}`);
  return value as Record<string, unknown>; // every key checked above; each value is checked where it is read
}

function bytesField(value: unknown, what: string, length?: number): Uint8Array {
  if (typeof value !== 'string') throw malformed(`${what} must be base64`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value);
  } catch (cause) {
    throw malformed(`${what} must be base64`, cause);
  }
  if (length !== undefined && bytes.length !== length) throw malformed(`${what} must be ${length} bytes`);
  return bytes;
}

function parseHeader(text: string): { kdf: KdfParams; salt: Uint8Array; nonce: Uint8Array; ciphertext: Uint8Array } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw malformed('not JSON', cause);
  }
  const file = exactKeys(json, ['v', 'kdf', 'cipher', 'nonce', 'ciphertext'], 'file');
  if (file.v !== KeyFileFormat.version) throw malformed('unsupported version');
  if (file.cipher !== KeyFileFormat.cipher) throw malformed('unsupported cipher');
  const k = exactKeys(file.kdf, ['name', 'N', 'r', 'p', 'salt'], 'kdf');
  const { name, N, r, p, salt } = k;
  if (name !== 'scrypt' || typeof N !== 'number' || typeof salt !== 'string') throw malformed('kdf must be scrypt');
  const log2N = Math.log2(N);
  if (!Number.isInteger(log2N) || log2N < KeyFileFormat.minLog2N || log2N > KeyFileFormat.maxLog2N) throw malformed('scrypt N out of range');
  if (r !== KeyFileFormat.r || p !== KeyFileFormat.p) throw malformed('scrypt r and p must be 8 and 1');
  const kdf: KdfParams = { name, N, r, p, salt };
  return {
    kdf,
    salt: bytesField(salt, 'salt', KeyFileFormat.saltLength),
    nonce: bytesField(file.nonce, 'nonce', KeyFileFormat.nonceLength),
    ciphertext: bytesField(file.ciphertext, 'ciphertext'),
  };
}

function parsePlaintext(plaintext: Uint8Array): DeviceKeyMaterial {
  let value: unknown;
  try {
    value = decodeCanonical(plaintext, KeyFileFormat.maxPlaintextBytes);
  } catch (cause) {
    throw malformed('contents are not canonical CBOR', cause);
  }
  const m = exactKeys(value, ['user', 'device', 'node', 'signingSeed', 'encryptionSeed'], 'contents');
  const user = checkUserId(m.user);
  const device = checkDeviceId(m.device);
  const node = checkNodeName(m.node);
  if (!user.ok || !device.ok || !node.ok) throw malformed('contents name an invalid user, device or node');
  const seeds = [m.signingSeed, m.encryptionSeed];
  if (!seeds.every((s) => s instanceof Uint8Array && s.length === DEVICE_SEED_LENGTH)) throw malformed('seeds must be 32 bytes');
  const [signingSeed, encryptionSeed] = seeds as [Uint8Array, Uint8Array]; // checked on the line above
  return { user: user.value, device: device.value, node: node.value, signingSeed, encryptionSeed };
}

/**
 * Decrypts secret-file text to its plaintext bytes (the caller parses and wipes them). Throws FileError:
 * `file.malformed` for anything that is not a well-formed v1 file, `file.bad_passphrase` when decryption fails —
 * which is also what an edited ciphertext or header gives, since AES-GCM cannot tell a wrong key from a changed
 * message.
 */
export async function openSecretFile(text: string, passphrase: string, maxBytes: number = KeyFileFormat.maxFileBytes): Promise<Uint8Array> {
  checkPassphrase(passphrase);
  if (text.length > maxBytes) throw malformed('file too large');
  const { kdf, salt, nonce, ciphertext } = parseHeader(text);
  const key = await deriveKey(passphrase, salt, kdf);
  try {
    return await nodeProvider.aeadOpen(KeyFileFormat.cipher, key, nonce, associatedData(kdf), ciphertext);
  } catch (cause) {
    throw new FileError('file.bad_passphrase', 'wrong passphrase (or the key file was altered)', { cause });
  } finally {
    wipe(key);
  }
}

/**
 * Decrypts a device key file's text.
 *
 * @example
 * const keys = await openKeyFile(text, passphrase);
 */
export async function openKeyFile(text: string, passphrase: string): Promise<DeviceKeyMaterial> {
  const plaintext = await openSecretFile(text, passphrase);
  try {
    return parsePlaintext(plaintext);
  } finally {
    wipe(plaintext);
  }
}

/**
 * Writes a new key file with mode 0600 (creating its directory with mode 0700). Refuses to replace an existing
 * file (`file.exists`): losing a device key is not something an accidental re-run should do.
 *
 * @example
 * await writeKeyFile(join(homedir(), '.chancery', 'd-0042-1.key'), keys, passphrase);
 */
export async function writeKeyFile(path: string, keys: DeviceKeyMaterial, passphrase: string, options: KeyFileOptions = {}): Promise<void> {
  await writeNewPrivateFile(path, await sealKeyFile(keys, passphrase, options));
}

/** Creates `path` with mode 0600 (its directory 0700), refusing to replace a file (`file.exists`). */
export async function writeNewPrivateFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'EEXIST') throw new FileError('file.exists', `${path} already exists`, { cause });
    throw cause;
  }
  try {
    await handle.chmod(0o600); // the umask may have cleared bits; make the mode exactly 0600
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
  } catch (cause) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw cause;
  }
}

/**
 * Reads and decrypts a key file. Throws FileError: `file.missing` when there is no file, `file.malformed`,
 * `file.bad_passphrase` (see `openKeyFile`).
 *
 * @example
 * const material = await readKeyFile(path, passphrase);
 */
export async function readKeyFile(path: string, passphrase: string): Promise<DeviceKeyMaterial> {
  return openKeyFile(await readSecretFileText(path), passphrase);
}

/** The text of a secret file, capped at `maxBytes` (a device key file's cap by default); `file.missing` or `file.malformed`. */
export async function readSecretFileText(path: string, maxBytes: number = KeyFileFormat.maxFileBytes): Promise<string> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > maxBytes) throw malformed('file too large');
    text = bytes.toString('utf8');
  } catch (cause) {
    if (cause instanceof ChanceryError) throw cause;
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : '';
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileError('file.missing', `${path} does not exist`, { cause });
    throw new FileError('file.malformed', `${path} cannot be read (${code || 'error'})`, { cause });
  }
  return text;
}
