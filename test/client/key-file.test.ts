// Device keys and their passphrase-encrypted key file: round trip (once at the default scrypt cost), wrong
// passphrase, truncated and edited files, mode 0600, no overwrite, a missing file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDeviceId, parseNodeName, parseUserId } from '../../src/cable/ids.ts';
import { utf8 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { XWing } from '../../src/crypto/xwing.ts';
import { FileError } from '../../src/errors.ts';
import { deviceKeysFromMaterial, generateDeviceKeys, wipeDeviceKeys, type DeviceKeys } from '../../src/client/device-keys.ts';
import { KeyFileFormat, openKeyFile, readKeyFile, sealKeyFile, writeKeyFile } from '../../src/client/key-file.ts';

const FAST = { scryptN: 2 ** 10 }; // tests only: the default is 2^17
const PASS = 'correct horse battery staple';
let dir = '';
let keys: DeviceKeys;

function fileError(code: string): (e: unknown) => boolean {
  return (e) => e instanceof FileError && e.code === code;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chancery-keyfile-'));
  keys = await generateDeviceKeys(p, parseUserId('anna.schmidt'), parseDeviceId('d-0042-1'), parseNodeName('MFA.CY'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('device keys', () => {
  it('generates two independent seeds and their Ed25519 and X-Wing public keys', async () => {
    assert.equal(keys.signingSeed.length, 32);
    assert.equal(keys.encryptionSeed.length, 32);
    assert.notDeepEqual(keys.signingSeed, keys.encryptionSeed);
    assert.deepEqual(keys.signingKey, await p.ed25519PublicKey(keys.signingSeed));
    assert.equal(keys.encryptionKey.length, XWing.publicKeyLength);
    const sig = await p.ed25519Sign(keys.signingSeed, utf8('hello'));
    assert.equal(await p.ed25519Verify(keys.signingKey, utf8('hello'), sig), true);
  });

  it('wipeDeviceKeys zeroes both seeds', async () => {
    const k = await deviceKeysFromMaterial(p, keys);
    wipeDeviceKeys(k);
    assert.ok(k.signingSeed.every((b) => b === 0) && k.encryptionSeed.every((b) => b === 0));
    assert.ok(keys.signingSeed.some((b) => b !== 0)); // a copy was wiped, not the original
  });
});

describe('key file', () => {
  it('round trip at the default cost (N=2^17, r=8, p=1), file mode 0600, derived keys reproduced', async () => {
    const path = join(dir, 'strong', 'd-0042-1.key');
    await writeKeyFile(path, keys, PASS);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'strong'))).mode & 0o777, 0o700);
    const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['v', 'kdf', 'cipher', 'nonce', 'ciphertext']);
    assert.equal(json.v, 1);
    assert.equal(json.cipher, 'aes-256-gcm');
    assert.deepEqual({ ...(json.kdf as object), salt: 'x' }, { name: 'scrypt', N: 131072, r: 8, p: 1, salt: 'x' });
    const back = await deviceKeysFromMaterial(p, await readKeyFile(path, PASS));
    assert.deepEqual(back, keys);
  });

  it('the passphrase is NFC-normalised: a composed and a decomposed é open the same file', async () => {
    const text = await sealKeyFile(keys, 'caf\u00e9', FAST);
    assert.deepEqual((await openKeyFile(text, 'cafe\u0301')).signingSeed, keys.signingSeed);
  });

  it('a wrong passphrase is file.bad_passphrase', async () => {
    const text = await sealKeyFile(keys, PASS, FAST);
    await assert.rejects(openKeyFile(text, `${PASS}!`), fileError('file.bad_passphrase'));
    await assert.rejects(openKeyFile(text, ''), fileError('file.bad_passphrase'));
  });

  it('refuses to write with an empty passphrase or a weak or absurd N', async () => {
    await assert.rejects(sealKeyFile(keys, '', FAST), fileError('file.bad_passphrase'));
    await assert.rejects(sealKeyFile(keys, PASS, { scryptN: 2 ** 8 }), RangeError);
    await assert.rejects(sealKeyFile(keys, PASS, { scryptN: 3000 }), RangeError);
  });

  it('a truncated or structurally edited file is file.malformed', async () => {
    const text = await sealKeyFile(keys, PASS, FAST);
    const json = JSON.parse(text) as { kdf: Record<string, unknown> } & Record<string, unknown>;
    const edits: [string, string][] = [
      ['truncated', text.slice(0, text.length / 2)],
      ['empty', ''],
      ['not an object', '[]'],
      ['an extra field', JSON.stringify({ ...json, extra: 1 })],
      ['a missing field', JSON.stringify({ ...json, nonce: undefined })],
      ['version 2', JSON.stringify({ ...json, v: 2 })],
      ['another cipher', JSON.stringify({ ...json, cipher: 'chacha20-poly1305' })],
      ['another kdf', JSON.stringify({ ...json, kdf: { ...json.kdf, name: 'pbkdf2' } })],
      ['N = 2^30 (a memory bomb)', JSON.stringify({ ...json, kdf: { ...json.kdf, N: 2 ** 30 } })],
      ['N not a power of two', JSON.stringify({ ...json, kdf: { ...json.kdf, N: 1000 } })],
      ['r = 1', JSON.stringify({ ...json, kdf: { ...json.kdf, r: 1 } })],
      ['a short nonce', JSON.stringify({ ...json, nonce: 'AAAA' })],
      ['ciphertext not base64', JSON.stringify({ ...json, ciphertext: '!!!!' })],
      ['too large', JSON.stringify({ ...json, pad: 'x'.repeat(KeyFileFormat.maxFileBytes) })],
    ];
    for (const [what, edited] of edits) await assert.rejects(openKeyFile(edited, PASS), fileError('file.malformed'), what);
  });

  it('an edited ciphertext, nonce, salt or N is refused by authentication (file.bad_passphrase)', async () => {
    const text = await sealKeyFile(keys, PASS, FAST);
    const json = JSON.parse(text) as { kdf: Record<string, unknown>; ciphertext: string; nonce: string };
    const flip = (b64: string): string => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0]! ^= 1;
      return bytes.toString('base64');
    };
    for (const edited of [
      { ...json, ciphertext: flip(json.ciphertext) },
      { ...json, nonce: flip(json.nonce) },
      { ...json, kdf: { ...json.kdf, salt: flip(json.kdf.salt as string) } },
      { ...json, kdf: { ...json.kdf, N: 2 ** 11 } },
    ]) {
      await assert.rejects(openKeyFile(JSON.stringify(edited), PASS), fileError('file.bad_passphrase'));
    }
  });

  it('never overwrites: file.exists, and the first file is intact', async () => {
    const path = join(dir, 'once.key');
    await writeKeyFile(path, keys, PASS, FAST);
    const first = await readFile(path, 'utf8');
    await assert.rejects(writeKeyFile(path, keys, 'another passphrase', FAST), fileError('file.exists'));
    assert.equal(await readFile(path, 'utf8'), first);
  });

  it('a missing file is file.missing; a file that is not a key file is file.malformed', async () => {
    await assert.rejects(readKeyFile(join(dir, 'nope.key'), PASS), fileError('file.missing'));
    await assert.rejects(readKeyFile(join(dir, 'nope', 'deeper.key'), PASS), fileError('file.missing'));
    const junk = join(dir, 'junk.key');
    await writeFile(junk, 'hello');
    await assert.rejects(readKeyFile(junk, PASS), fileError('file.malformed'));
    await assert.rejects(readKeyFile(dir, PASS), fileError('file.malformed')); // a directory
  });
});
