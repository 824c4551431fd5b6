// The demo's web release (docs/web-integrity.md): the demo organisation's root signs the web app build the node
// will serve (dist/web, or CHANCERY_WEB_DIR) and the first officer publishes it, so a browser enrolled in the demo
// installs a service worker that has a signed, logged release to accept. No build yet: skipped, with a note.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageVersion, readWebManifest } from '../cli/web-commands.ts';
import type { RootKey } from '../client/root-key.ts';
import type { Session } from '../client/session.ts';
import { publishWebRelease, type PublishedWebRelease } from '../client/web-releases.ts';
import { webAppDir } from '../node/web-app.ts';

export async function publishDemoWebRelease(officer: Session, root: RootKey, say: (line: string) => void, dir: string = webAppDir()): Promise<PublishedWebRelease | null> {
  if (!existsSync(join(dir, 'manifest.json'))) {
    say(`web release: no web app build in ${dir} (npm run build:web); browsers with the integrity guard will refuse the app until a build is signed (chancery web release)`);
    return null;
  }
  const published = await publishWebRelease(officer, root, readWebManifest(dir), packageVersion());
  say(`web release ${published.version} signed by the organisation root and logged (entry ${published.logIndex}): manifest ${published.manifestHash}`);
  return published;
}
