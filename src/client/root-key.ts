// The organisation root key file (ROOT/<org>.root.key, written by `chancery node init`), read only for the offline
// acts that need the root: appointing a security officer. Its contents are canonical CBOR in the shared
// secret-file format (scrypt + AES-256-GCM); every field is checked before use and the secrets wiped after.
import { wipe } from '../bytes.ts';
import { decodeCanonical } from '../encoding/canonical-cbor.ts';
import { Fields } from '../encoding/fields.ts';
import { FileError } from '../errors.ts';
import { HybridLengths } from '../crypto/hybrid-signature.ts';
import { decodeOrganisationRoot, parseOrgId } from '../keys/organisation-root.ts';
import type { RootKey } from './root-secret.ts';
import { KeyFileFormat, openSecretFile, readSecretFileText } from './key-file.ts';

export { wipeRootKey, type RootKey } from './root-secret.ts';

/** Reads and decrypts a root key file; `file.bad_passphrase`, `file.malformed`, `file.missing`. Wipe with `wipeRootKey`. */
export async function readRootKeyFile(path: string, passphrase: string): Promise<RootKey> {
  const plaintext = await openSecretFile(await readSecretFileText(path, KeyFileFormat.maxSecretFileBytes), passphrase, KeyFileFormat.maxSecretFileBytes);
  try {
    const f = Fields.of('root key', decodeCanonical(plaintext, plaintext.length), ['org', 'ed25519Seed', 'mlDsa65Secret', 'publicRecord']);
    const root = decodeOrganisationRoot(f.bytesUpTo('publicRecord', 16 * 1024));
    const org = f.id('org', (v) => parseOrgId(v));
    if (root.org !== org) throw new FileError('file.malformed', `${path}: the public record is of another organisation`);
    return { org, root, secret: { ed25519Seed: f.bytes('ed25519Seed', HybridLengths.ed25519Seed), mlDsa65Secret: f.bytes('mlDsa65Secret', HybridLengths.mlDsa65Secret) } };
  } catch (cause) {
    if (cause instanceof FileError) throw cause;
    throw new FileError('file.malformed', `${path} is not an organisation root key`, { cause });
  } finally {
    wipe(plaintext);
  }
}
