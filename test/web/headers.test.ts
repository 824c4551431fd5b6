// The node's answers for the web app (src/node/web-app.ts): only built files, each with the strict CSP and the
// other security headers; HSTS exactly when the public URL is https; a clear 503 when the app is not built.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { buildWeb, type WebManifest } from '../../scripts/build-web.ts';
import { registerWebApp, WEB_APP_CSP } from '../../src/node/web-app.ts';

function appAt(url: string, dir: string): Hono {
  const app = new Hono();
  registerWebApp(app, () => url, dir);
  app.get('/api/v1/node', (c) => c.json({ node: 'MFA.CY' }));
  app.notFound((c) => c.json({ code: 'request.not_found' }, 404));
  return app;
}

describe('web app serving', () => {
  let base: string;
  let dir: string;
  let manifest: WebManifest;
  before(async () => {
    base = mkdtempSync(join(tmpdir(), 'chancery-web-headers-'));
    dir = join(base, 'web');
    manifest = await buildWeb(dir);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('serves index.html at / and every asset of the manifest, byte for byte, with the security headers', async () => {
    const app = appAt('http://127.0.0.1:8080', dir);
    const paths = ['/', '/manifest.json', ...Object.keys(manifest.files).filter((f) => f !== 'index.html').map((f) => `/${f}`)];
    for (const path of paths) {
      const response = await app.request(path);
      assert.equal(response.status, 200, path);
      const file = path === '/' ? 'index.html' : path.slice(1);
      assert.ok(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(dir, file))), `${path} body`);
      assert.equal(response.headers.get('content-security-policy'), WEB_APP_CSP, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(response.headers.get('strict-transport-security'), null, `${path}: no HSTS over http`);
    }
    assert.match((await app.request('/')).headers.get('content-type') ?? '', /^text\/html/);
    const script = Object.keys(manifest.files).find((f) => f.endsWith('.js'));
    assert.match((await app.request(`/${script}`)).headers.get('content-type') ?? '', /^text\/javascript/);
  });

  it('sends HSTS when the public URL is https', async () => {
    const response = await appAt('https://chancery.mfa.example', dir).request('/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('strict-transport-security') ?? '', /^max-age=\d{8}/);
  });

  it('serves nothing the manifest does not list, and leaves the API alone', async () => {
    const app = appAt('http://127.0.0.1:8080', dir);
    writeFileSync(join(dir, 'assets', 'planted.js'), 'alert(1)');
    for (const path of ['/assets/planted.js', '/assets/%2e%2e/index.html', '/assets/..%2fmanifest.json', '/index.html', '/assets/']) {
      assert.equal((await app.request(path)).status, 404, path);
    }
    const api = await app.request('/api/v1/node');
    assert.deepEqual(await api.json(), { node: 'MFA.CY' });
    assert.equal(api.headers.get('content-security-policy'), null);
  });

  it('answers 503 with the fix when the app is not built', async () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    const response = await appAt('http://127.0.0.1:8080', empty).request('/');
    assert.equal(response.status, 503);
    assert.match(await response.text(), /npm run build:web/);
    assert.equal(response.headers.get('content-security-policy'), WEB_APP_CSP);
  });
});
