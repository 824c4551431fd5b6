// Client integrity end to end (issue 6; docs/web-integrity.md) in real headless Chromium: a node in its own process
// at http://localhost:PORT serves a build whose manifest the organisation root signed (`chancery web release`) and
// the node logged; the service worker, pinned to the root and the log key, lets the app run. Then the node serves
// (a) an asset altered on disk, (b) a rebuilt bundle whose manifest nobody signed, (c) a manifest the root signed
// but the log never recorded: each time the browser shows the refusal page, saying which, and runs no app script.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildWeb, MANIFEST, type WebManifest } from '../../scripts/build-web.ts';
import { fromBase64, toHex } from '../../src/bytes.ts';
import { writeClientConfig } from '../../src/client/config.ts';
import { parseNodeLog } from '../../src/client/log-view.ts';
import { readRootKeyFile, wipeRootKey } from '../../src/client/root-key.ts';
import { decodeOrganisationRoot, rootFingerprint } from '../../src/keys/organisation-root.ts';
import { encodeWebRelease, signWebRelease } from '../../src/keys/web-release.ts';
import { nodePath } from '../../src/node/node-files.ts';
import { spawnNode, type NodeProcess } from '../support/node-process.ts';
import { freePort } from '../support/ports.ts';
import { initTestNode, NODE, p, PASSPHRASE, type InitialisedNode } from '../node/fixtures.ts';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/web/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/chancery.js', import.meta.url));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('client integrity in Chromium: the service worker runs only a signed, logged release', () => {
  let web: string;
  let init: InitialisedNode;
  let node: NodeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let script: string;
  let pins: { rootFingerprint: string; logKeyFingerprint: string };
  const originals = new Map<string, Buffer>();

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: run scripts/setup-system.sh (apt-get install -y chromium)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    web = mkdtempSync(join(tmpdir(), 'chancery-web-integrity-'));
    const manifest: WebManifest = await buildWeb(web);
    script = Object.keys(manifest.files).find((f) => /^assets\/index-.+\.js$/.test(f)) ?? assert.fail('no app script in the build');
    for (const file of [MANIFEST, script]) originals.set(file, readFileSync(join(web, file)));
    process.env.CHANCERY_WEB_DIR = web;
    // Service workers need a secure context: localhost is one, and WebAuthn needs a host name anyway.
    const port = await freePort();
    const url = `http://localhost:${port}`;
    init = await initTestNode(url);
    node = await spawnNode(init.dataDir, { serveArgs: ['--port', String(port), '--url', url] });
    const about = (await (await fetch(`${node.url}/api/v1/node`)).json()) as { root: string; log: unknown };
    pins = {
      rootFingerprint: toHex(rootFingerprint(p, decodeOrganisationRoot(fromBase64(about.root)))),
      logKeyFingerprint: parseNodeLog(p, about.log).fingerprint,
    };
    // The officer's device, pinned to this node as `chancery device enroll` would leave it.
    await writeClientConfig(join(init.dir, 'olga.key'), { node: NODE, url, rootFingerprint: pins.rootFingerprint });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await node?.kill();
    init?.cleanup();
    if (web) rmSync(web, { recursive: true, force: true });
  });

  function restore(): void {
    for (const [file, bytes] of originals) writeFileSync(join(web, file), bytes);
  }

  /** The browser's HTTP cache emptied: the next load fetches from the node what it serves now. */
  async function clearHttpCache(): Promise<void> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
  }

  async function reload(): Promise<number | undefined> {
    await clearHttpCache();
    const response = await page.goto(`${node.url}/`);
    return response?.status();
  }

  async function refusal(name: string): Promise<{ reason: string | null; headline: string; file: string | null; text: string }> {
    const main = page.getByTestId('integrity-refusal');
    await main.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, `integrity-refused-${name}.png`), fullPage: true });
    const file = page.getByTestId('refused-file');
    return {
      reason: await main.getAttribute('data-reason'),
      headline: (await page.getByTestId('refusal-headline').textContent()) ?? '',
      file: (await file.count()) > 0 ? await file.textContent() : null,
      text: (await main.textContent()) ?? '',
    };
  }

  /** No app script ran: the page has no script element, no app root, and the app's marker never appeared. */
  async function assertNothingRan(): Promise<void> {
    assert.equal(await page.evaluate('document.scripts.length'), 0, 'the refusal page has no script');
    assert.equal(await page.locator('#app').count(), 0, 'no app root');
    assert.equal(await page.getByTestId('node-name').count(), 0, "the app's marker is absent");
  }

  /** Replaces the app script with a tampered copy (one byte changed, same name). */
  function tamperScript(): Buffer {
    const bytes = Buffer.from(originals.get(script) ?? assert.fail('no original'));
    const at = bytes.indexOf('Chancery');
    assert.ok(at >= 0);
    bytes[at] = 'X'.charCodeAt(0);
    writeFileSync(join(web, script), bytes);
    return bytes;
  }

  /** A manifest listing the tampered script: what an attacker who rebuilt the bundle would serve. */
  function manifestFor(scriptBytes: Buffer): Buffer {
    const manifest = JSON.parse(originals.get(MANIFEST)?.toString('utf8') ?? '') as WebManifest;
    const files = { ...manifest.files, [script]: sha256(scriptBytes) };
    const bytes = Buffer.from(`${JSON.stringify({ version: 1, files }, null, 2)}\n`);
    writeFileSync(join(web, MANIFEST), bytes);
    return bytes;
  }

  it('publishes the build with `chancery web release`, signed by the root and logged', async () => {
    const env = { ...process.env, CHANCERY_PASSPHRASE: PASSPHRASE, CHANCERY_ROOT_PASSPHRASE: PASSPHRASE, CHANCERY_LOG_LEVEL: 'warn' };
    const args = [BIN, 'web', 'release', '--dir', web, '--key', join(init.dir, 'olga.key'), '--node', node.url, '--root-key', init.rootKeyFile, '--json'];
    const { stdout } = await run(process.execPath, args, { env });
    const published = JSON.parse(stdout) as { manifestHash: string; logIndex: number; duplicate: boolean; version: string };
    assert.equal(published.manifestHash, sha256(originals.get(MANIFEST) ?? Buffer.alloc(0)));
    assert.equal(published.duplicate, false);
    assert.match(published.version, /^0\.1\.0\+[0-9a-f]{12}$/);
    const again = JSON.parse((await run(process.execPath, args, { env })).stdout) as { logIndex: number; duplicate: boolean };
    assert.deepEqual({ logIndex: again.logIndex, duplicate: again.duplicate }, { logIndex: published.logIndex, duplicate: true });

    const served = (await (await fetch(`${node.url}/api/v1/web/releases/${published.manifestHash}`)).json()) as { logIndex: number; proof: string[]; checkpoint: string };
    assert.equal(served.logIndex, published.logIndex);
    assert.match(served.checkpoint, /^chancery\//);
    assert.equal((await fetch(`${node.url}/api/v1/web/releases/${'0'.repeat(64)}`)).status, 404);
  });

  it('installs the guard with the pins, and the signed release runs under it', async () => {
    assert.equal((await page.goto(`${node.url}/`))?.status(), 200);
    await page.getByTestId('node-name').waitFor({ timeout: 10_000 });
    // What web/src/integrity/install.ts `installIntegrityGuard` does (the enrollment screen will call it).
    const answer = await page.evaluate(async (pinned) => {
      await navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });
      const registration = await navigator.serviceWorker.ready;
      const channel = new MessageChannel();
      const reply = new Promise((resolve) => {
        channel.port1.onmessage = (event) => resolve(event.data);
      });
      registration.active?.postMessage({ type: 'chancery.pin', ...pinned }, [channel.port2]);
      return reply;
    }, pins);
    assert.deepEqual(answer, { ok: true, pins });
    // Another root is never accepted once pinned.
    const repin = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const channel = new MessageChannel();
      const reply = new Promise((resolve) => {
        channel.port1.onmessage = (event) => resolve(event.data);
      });
      registration.active?.postMessage({ type: 'chancery.pin', rootFingerprint: 'ab'.repeat(32), logKeyFingerprint: 'cd'.repeat(32) }, [channel.port2]);
      return reply;
    });
    assert.equal((repin as { ok: boolean }).ok, false);

    assert.equal(await reload(), 200);
    await page.getByTestId('node-name').waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate('navigator.serviceWorker.controller !== null'), true, 'the page is under the guard');
    await page.screenshot({ path: join(ARTIFACTS, 'integrity-accepted.png'), fullPage: true });
  });

  it('(a) an asset altered on disk, same name: refused, naming the file; nothing ran', async () => {
    tamperScript();
    try {
      assert.equal(await reload(), 409);
      const r = await refusal('altered');
      assert.equal(r.reason, 'altered');
      assert.equal(r.headline, 'A file of this version of Chancery was altered.');
      assert.equal(r.file, script);
      assert.match(r.text, /Nothing from it was run/);
      assert.match(r.text, /security officer/);
      await assertNothingRan();
    } finally {
      restore();
    }
  });

  it('(b) a rebuilt bundle whose manifest nobody signed: refused as not signed', async () => {
    manifestFor(tamperScript());
    try {
      await reload();
      const r = await refusal('unsigned');
      assert.equal(r.reason, 'unsigned');
      assert.equal(r.headline, 'This version of Chancery was not signed by your organisation.');
      await assertNothingRan();
    } finally {
      restore();
    }
  });

  it('(c) a manifest the root signed but the log never recorded: refused as not in the log', async () => {
    const manifest = manifestFor(tamperScript());
    try {
      // The node stores a genuinely root-signed record but points it at a log entry that is not its release.
      const root = await readRootKeyFile(init.rootKeyFile, PASSPHRASE);
      const manifestHash = p.sha256(manifest);
      const release = await signWebRelease(p, { org: root.org, version: 'rogue-1', manifestHash, issuedAt: Date.now() }, root.secret);
      wipeRootKey(root);
      const db = new Database(nodePath(init.dataDir, 'store'));
      try {
        db.prepare('INSERT INTO web_releases (manifest_hash, record, log_index, released_at) VALUES (?, ?, 0, ?)').run(manifestHash, encodeWebRelease(release), Date.now());
      } finally {
        db.close();
      }
      await reload();
      const r = await refusal('unlogged');
      assert.equal(r.reason, 'unlogged');
      assert.equal(r.headline, "This version of Chancery was not recorded in your organisation's audit log.");
      await assertNothingRan();
    } finally {
      restore();
    }
  });

  it('the signed release runs again once the node serves it again', async () => {
    assert.equal(await reload(), 200);
    await page.getByTestId('node-name').waitFor({ timeout: 15_000 });
  });
});
