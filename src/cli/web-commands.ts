// `chancery web release`: a security officer signs a build of the web app with the organisation root and publishes it
// (docs/web-integrity.md): browsers whose service worker is pinned to this root run that build and nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readRootKeyFile, wipeRootKey } from '../client/root-key.ts';
import { publishWebRelease, type PublishedWebRelease } from '../client/web-releases.ts';
import { FileError } from '../errors.ts';
import { deviceCommand, examples, print, readPassphrase, withSession, type DeviceOptions } from './io.ts';

interface ReleaseFlags extends DeviceOptions {
  readonly dir: string;
  readonly rootKey: string;
  readonly rootPassphraseFile?: string;
}

/** The package's version, the first half of a release's name. */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** The exact bytes of a build's manifest.json: what the root signs the hash of, and what the node serves. */
export function readWebManifest(dir: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(join(dir, 'manifest.json')));
  } catch (cause) {
    throw new FileError('file.missing', `${dir} has no manifest.json: build the app first (npm run build:web)`, { cause });
  }
}

const renderPublished = (r: PublishedWebRelease) =>
  [
    r.duplicate ? `web release ${r.version} was already published (log entry ${r.logIndex})` : `web release ${r.version} published: log entry ${r.logIndex}`,
    `manifest: ${r.manifestHash}`,
    'Browsers pinned to this organisation root now run this build; any other is refused.',
  ].join('\n');

export function registerWebCommands(program: Command): void {
  const web = program.command('web').description('the web app: sign and publish a release of its bundle (organisation root)');
  examples(
    deviceCommand(web, 'release', "sign a build's manifest with the organisation root and publish it: the node stores and logs it (security officers)")
      .option('--dir <dir>', 'the build (its manifest.json)', 'dist/web')
      .requiredOption('--root-key <file>', 'our organisation root key file')
      .option('--root-passphrase-file <file>', 'root key passphrase (or CHANCERY_ROOT_PASSPHRASE)')
      .action((f: ReleaseFlags) =>
        withSession(f, async (s) => {
          const manifest = readWebManifest(f.dir);
          const root = await readRootKeyFile(f.rootKey, readPassphrase(f.rootPassphraseFile, 'CHANCERY_ROOT_PASSPHRASE', 'the organisation root'));
          try {
            print(f, await publishWebRelease(s, root, manifest, packageVersion()), renderPublished);
          } finally {
            wipeRootKey(root);
          }
        }),
      ),
    ['chancery web release --dir dist/web --key ines.key --root-key /media/offline/EEAS.root.key'],
  );
}
