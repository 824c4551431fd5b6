// Builds the web app (web/) with Vite into dist/web/ (or --out DIR), then its service worker (web/sw/sw.ts) to the
// fixed name sw.js (a worker's URL must never change), and writes manifest.json, the SHA-256 of every file it wrote:
// what the organisation root signs and the service worker checks (docs/web-integrity.md). Reproducible: the same sources give
// the same bytes in any directory. No network: Vite, Preact and the core all come from node_modules and src/.
// `--if-missing` builds only when the output has no manifest (what `npm start` runs first).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB_SOURCE = join(ROOT, 'web');
export const DEFAULT_WEB_OUT = join(ROOT, 'dist', 'web');
export const MANIFEST = 'manifest.json';
/** The service worker's file at the root of the build: its scope is the whole app. */
export const SERVICE_WORKER = 'sw.js';

/** The manifest: every built file's path (relative, `/`-separated) and its SHA-256 in hex, in path order. */
export interface WebManifest {
  readonly version: 1;
  readonly files: Readonly<Record<string, string>>;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Hashes the files under `dir` (all but the manifest itself) into a manifest with sorted keys. */
export function manifestOf(dir: string): WebManifest {
  const paths = listFiles(dir)
    .map((path) => relative(dir, path).split(sep).join('/'))
    .filter((path) => path !== MANIFEST)
    .sort();
  const files: Record<string, string> = {};
  for (const path of paths) files[path] = createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');
  return { version: 1, files };
}

/** Builds the app into `outDir` (emptied first) and writes its manifest; returns the manifest. */
export async function buildWeb(outDir: string = DEFAULT_WEB_OUT): Promise<WebManifest> {
  await build({
    configFile: false,
    root: WEB_SOURCE,
    base: '/',
    logLevel: 'warn',
    clearScreen: false,
    publicDir: false,
    // Vite 8 compiles TSX with oxc; the automatic runtime imports preact/jsx-runtime, so no JSX plugin is needed.
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir: resolve(outDir),
      emptyOutDir: true,
      target: 'es2022',
      // An inlined asset would be a data: URL in CSS or script, which the CSP allows for images only.
      assetsInlineLimit: 0,
      // The polyfill is for browsers without modulepreload; every browser the app supports has it.
      modulePreload: { polyfill: false },
      sourcemap: false,
      reportCompressedSize: false,
      copyPublicDir: false,
    },
  });
  await build({
    configFile: false,
    root: WEB_SOURCE,
    logLevel: 'warn',
    clearScreen: false,
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: resolve(outDir),
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      copyPublicDir: false,
      // One classic script with everything inlined: a service worker cannot rely on module workers everywhere.
      lib: { entry: join(WEB_SOURCE, 'sw', 'sw.ts'), formats: ['iife'], name: 'chanceryServiceWorker', fileName: () => SERVICE_WORKER },
    },
  });
  const manifest = manifestOf(outDir);
  writeFileSync(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function main(args: readonly string[]): Promise<void> {
  const at = args.indexOf('--out');
  const out = at >= 0 && args[at + 1] ? resolve(args[at + 1] as string) : DEFAULT_WEB_OUT;
  if (args.includes('--if-missing') && existsSync(join(out, MANIFEST))) return;
  const manifest = await buildWeb(out);
  const bytes = Object.keys(manifest.files).reduce((sum, path) => sum + statSync(join(out, path)).size, 0);
  process.stderr.write(`web app built in ${relative(process.cwd(), out) || '.'}: ${Object.keys(manifest.files).length} files, ${bytes} bytes\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`build-web: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
