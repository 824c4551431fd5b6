// One demo network and one build of the app per run of the web tests, copied for each test file instead of built
// again by each (building the demo drafts, releases and sends thirty cables through the real workflow: ~15 s).
// The template lives in the temporary directory under a name derived from the sources that shape it, so a change to
// the code builds a new one; a lock directory lets concurrent test processes wait for the first builder.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb } from '../../../scripts/build-web.ts';
import { nodeProvider } from '../../../src/crypto/node-provider.ts';
import { buildDemoNetwork, type DemoResult } from '../../../src/demo/network.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PREFIX = 'chancery-web-template-';
const LOCK_STALE_MS = 10 * 60_000;
const TEMPLATE_UNUSED_MS = 2 * 60 * 60_000;
const WAIT_MS = 5 * 60_000;

/** A copy of the template for one test file: its own data directory; the app build is shared (read only). */
export interface DemoCopy {
  readonly web: string;
  readonly dataDir: string;
  readonly demo: DemoResult;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** SHA-256 over every file that shapes the app or the demo (paths and bytes), and the lock file. */
function sourceHash(): string {
  const h = createHash('sha256');
  const files = [...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'web')), join(ROOT, 'scripts', 'build-web.ts'), join(ROOT, 'package-lock.json')].sort();
  for (const f of files) h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 20);
}

async function build(base: string): Promise<void> {
  const web = join(base, 'web');
  const dataDir = join(base, 'data');
  await buildWeb(web);
  // The demo signs and publishes the build it finds here (src/demo/web-release-demo.ts).
  const previous = process.env.CHANCERY_WEB_DIR;
  process.env.CHANCERY_WEB_DIR = web;
  try {
    // The URL is a placeholder: each copy is served under its own (the browser signs for the origin it talks to).
    const demo = await buildDemoNetwork(nodeProvider, { dataDir, url: 'http://localhost:9' });
    writeFileSync(join(base, 'demo.json'), JSON.stringify(demo));
  } finally {
    if (previous === undefined) delete process.env.CHANCERY_WEB_DIR;
    else process.env.CHANCERY_WEB_DIR = previous;
  }
}

/** The template for these sources, built now unless another process built it or is building it. */
async function template(): Promise<string> {
  const base = join(tmpdir(), `${PREFIX}${sourceHash()}`);
  const ready = join(base, 'demo.json');
  const lock = `${base}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(ready)) return base;
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another test process to build ${base}`);
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      // Templates of other sources untouched for a while are dropped (a run still using one is never that old).
      for (const old of readdirSync(tmpdir())) {
        const path = join(tmpdir(), old);
        if (!old.startsWith(PREFIX) || path === base || path === lock) continue;
        if (Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > TEMPLATE_UNUSED_MS) rmSync(path, { recursive: true, force: true });
      }
      rmSync(base, { recursive: true, force: true });
      await build(base);
      return base;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** A fresh copy of the demo network's data directory (same keys, log and cables), with its paths rewritten. */
export async function demoCopy(): Promise<DemoCopy> {
  const base = await template();
  const dataDir = mkdtempSync(join(tmpdir(), 'chancery-web-node-'));
  cpSync(join(base, 'data'), dataDir, { recursive: true });
  const from = join(base, 'data');
  const stored = JSON.parse(readFileSync(join(base, 'demo.json'), 'utf8')) as DemoResult;
  const moved = (path: string) => (path.startsWith(from) ? join(dataDir, relative(from, path)) : path);
  const demo: DemoResult = {
    ...stored,
    dataDir,
    passphraseFile: moved(stored.passphraseFile),
    people: stored.people.map((p) => ({ ...p, keyFile: moved(p.keyFile) })),
  };
  return { web: join(base, 'web'), dataDir, demo };
}
