// Serves the built web app (dist/web, from `npm run build:web`) at `/` with its own security headers: a strict CSP
// with no inline script or style, no framing, no referrer, HSTS only when the node's public URL is https (issue 6).
// Only files listed in the build's manifest.json are served, so no request path ever reaches the file system.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** Where the app is built by default; CHANCERY_WEB_DIR names another build (tests build into temporary dirs). */
export function webAppDir(): string {
  return process.env.CHANCERY_WEB_DIR ?? fileURLToPath(new URL('../../dist/web/', import.meta.url));
}

/** The policy every response of the app carries (issue 6 "Security headers"). */
export const WEB_APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
};
const MANIFEST = 'manifest.json';
const HSTS = 'max-age=31536000; includeSubDomains';

function headers(hsts: boolean): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
    strictTransportSecurity: hsts ? HSTS : false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    crossOriginResourcePolicy: 'same-origin',
  });
}

/** The built files by request path ("/" for index.html), read once from the manifest; null until a build exists. */
function loadFiles(dir: string): ReadonlyMap<string, string> | null {
  let listed: unknown;
  try {
    listed = (JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { files?: unknown }).files;
  } catch {
    return null;
  }
  if (typeof listed !== 'object' || listed === null) return null;
  const files = new Map<string, string>([[`/${MANIFEST}`, MANIFEST]]);
  // A build has index.html, the service worker sw.js and flat assets/; any other name (a dot segment, a nested
  // path) is not one of ours.
  for (const path of Object.keys(listed)) if (/^(index\.html|sw\.js|assets\/[\w-]+\.[a-z0-9]+)$/.test(path)) files.set(path === 'index.html' ? '/' : `/${path}`, path);
  return files.has('/') ? files : null;
}

/** When the manifest last changed (-1: none), so a rebuilt app is served without restarting the node. */
function manifestStamp(dir: string): number {
  try {
    return statSync(join(dir, MANIFEST)).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * Registers the app's routes and headers on `app`. Call it before the API's global middleware: the app's responses
 * then carry exactly the headers set here (the API's `Cache-Control: no-store` and HSTS-always do not apply).
 * `publicUrl` is read per request: the node's URL is known only once the server listens.
 */
export function registerWebApp(app: Hono, publicUrl: () => string, dir: string = webAppDir()): void {
  const withHsts = headers(true);
  const withoutHsts = headers(false);
  let files: ReadonlyMap<string, string> | null = null;
  let loadedAt = -1;
  const serve = async (c: Context, next: () => Promise<void>): Promise<Response | void> => {
    // A new build dropped in place (a release, or `npm run build:web` while the node runs) is picked up at once.
    const stamp = manifestStamp(dir);
    if (files === null || stamp !== loadedAt) {
      files = loadFiles(dir);
      loadedAt = stamp;
    }
    const file = files?.get(c.req.path);
    if (files === null && c.req.path === '/') return c.text('The web app is not built: run `npm run build:web` and reload.', 503);
    if (file === undefined) return next();
    const type = CONTENT_TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    let body: Uint8Array;
    try {
      body = new Uint8Array(readFileSync(join(dir, file)));
    } catch {
      return c.text('The web app build is incomplete: run `npm run build:web`.', 503);
    }
    // Hashed asset names change with their content; index.html and the manifest name them, and the service worker's
    // name never changes, so those are revalidated.
    const cache = file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': type, 'Cache-Control': cache });
  };
  const securityHeaders: MiddlewareHandler = (c, next) => (new URL(publicUrl()).protocol === 'https:' ? withHsts : withoutHsts)(c, next);
  for (const path of ['/', `/${MANIFEST}`, '/sw.js', '/assets/*']) {
    app.use(path, securityHeaders);
    app.get(path, serve);
  }
}
