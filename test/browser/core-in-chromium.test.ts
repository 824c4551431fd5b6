// The pure core (cable, crypto, policy, envelope) runs unchanged in a real browser (DESIGN.md "Architecture"):
// bundled by esbuild for platform 'browser' (a node: import anywhere in it fails the build), served from loopback
// and driven in Debian Chromium through playwright-core, then cross-checked against Node in both directions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Cable, NodeName, OfficeCode } from '../../src/cable/types.ts';
import { renderTelegram } from '../../src/cable/telegram.ts';
import { fromHex, toHex } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { publicKeyOf } from '../../src/crypto/hpke.ts';
import { sealCable, type SealedCable } from '../../src/envelope/seal.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { openCable, openReleaseShares } from '../../src/envelope/open.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { buildNetwork, officeOf, sampleCable, sealInputsFor, type TestNetwork } from '../support/network.ts';
import type * as BrowserApi from './entry.ts';
import { cableFromJson, cableToJson, resolverOf, type EnvelopeVectorJson, type OpenRequest, type SignerJson } from './entry.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = join(ROOT, 'test/browser/entry.ts');
const VECTORS = new URL('../vectors/chancery-envelope-v1.json', import.meta.url);
const SCREENSHOT_DIR = join(tmpdir(), 'chancery-browser-test');
// What the browser bundle may draw from: the entry, the pure core (STYLE.md habit 3) and the core's own
// dependencies (noble, cborg). Anything else, src/crypto/node-provider.ts or a test helper say, fails the test.
const ALLOWED_INPUT = /^(test\/browser\/entry\.ts|src\/(cable|crypto|policy|envelope|encoding)\/[a-z0-9-]+\.ts|src\/(bytes|errors)\.ts|node_modules\/(@noble\/[a-z-]+|cborg)\/.+)$/;
const NODE_ONLY = ['src/crypto/node-provider.ts'];
const REQUIRED = ['crypto/web-provider.ts', 'crypto/hpke.ts', 'crypto/xwing.ts', 'envelope/seal.ts', 'policy/index.ts', 'cable/index.ts'];
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chancery core in Chromium</title>
<style>body { font: 14px/1.4 monospace; margin: 16px; } pre { border: 1px solid #888; padding: 12px; }</style></head>
<body><h1>Chancery core in Chromium</h1><pre id="telegram">(nothing opened yet)</pre><script src="/core.js"></script></body></html>`;

const OFFICES = ['EEAS.DEL.WASHINGTON', 'EEAS.HQ.AMERICAS', 'MFA.CY.AMERICAS'];
const NODE: Record<string, string> = { 'EEAS.DEL.WASHINGTON': 'EEAS', 'EEAS.HQ.AMERICAS': 'EEAS', 'MFA.CY.AMERICAS': 'MFA.CY' };

interface Bundle {
  readonly code: string;
  readonly metafile: Metafile;
}

/** Bundles the entry for the browser; throws (failing the test) if anything beneath it needs Node. */
async function bundleEntry(): Promise<Bundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'chancery',
    absWorkingDir: ROOT,
    target: 'chrome120',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  assert.ok(output, 'esbuild produced no output');
  return { code: output.text, metafile: result.metafile };
}

async function serve(script: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const [body, type] = req.url === '/' ? [PAGE, 'text/html'] : req.url === '/core.js' ? [script, 'text/javascript'] : [undefined, ''];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object', 'the server listens on a TCP port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

/** The page's global: the bundle's exports. Types only, so functions run by page.evaluate can name it. */
type PageGlobal = { chancery: typeof BrowserApi };

/** A LIMITED cable with what stresses an encoding: references, non-ASCII text, several paragraphs, an attachment. */
function richCable(): Cable {
  const base = sampleCable('EEAS.DEL.WASHINGTON', ['EEAS.HQ.AMERICAS', 'MFA.CY.AMERICAS'], [], 'LIMITED');
  return {
    header: base.header,
    content: {
      ...base.content,
      references: ['EEAS.HQ.AMERICAS/2026/000042' as Cable['content']['references'][number]],
      body: `${base.content.body}\n\nSeñora Müller — «coordination» — συντονισμός ✓.\n\tIndented second line.`,
      attachments: [{ name: 'talking-points.txt', mediaType: 'text/plain', data: new TextEncoder().encode('1. Unity.\n2. Timing.\n') }],
    },
  };
}

async function signersJson(net: Awaited<ReturnType<typeof buildNetwork>>): Promise<SignerJson[]> {
  const out: SignerJson[] = [];
  for (const s of net.signers) out.push({ role: s.role, user: s.user, device: s.device, publicKey: toHex(await net.resolveSigner(s.user, s.device, s.role)) });
  return out;
}

/** What the page needs to open a LIMITED cable as `office`: the envelope, signer keys, the office key, its share. */
async function openRequestFor(net: TestNetwork, sealed: SealedCable, office: string): Promise<OpenRequest> {
  const node = NODE[office]! as NodeName;
  const verified = await verifyEnvelope(p, sealed.envelope, net.resolveSigner);
  const shares = await openReleaseShares(p, verified, node, net.releaseKeys.get(node)!.secretKey);
  return {
    envelope: toHex(sealed.bytes),
    signers: await signersJson(net),
    office,
    epoch: 1,
    secretKey: toHex(officeOf(net, office).keys.get('LIMITED')!.secretKey),
    releaseShare: toHex(shares.get(office as OfficeCode)!),
  };
}

describe('the pure core in Debian Chromium', { timeout: 60_000 }, () => {
  let bundle: Bundle;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Debian Chromium is missing (${CHROMIUM}); the browser test cannot run: run \`bash scripts/setup-system.sh\``);
    }
    bundle = await bundleEntry();
    const served = await serve(bundle.code);
    server = served.server;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 15_000 });
    page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // tsx compiles this file with keepNames: functions handed to page.evaluate call __name (STACK.md "Traps").
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.goto(served.url);
    await page.waitForFunction(() => 'chancery' in globalThis);
  });

  after(async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
  });

  it('bundles for platform browser from the core alone: no node: import, no Node-only module', () => {
    assert.doesNotMatch(bundle.code, /\b(?:from|import|require)\s*\(?\s*["']node:/);
    for (const [file, output] of Object.entries(bundle.metafile.outputs)) {
      assert.deepEqual(output.imports.filter((i) => i.external), [], `${file} leaves imports to the runtime`);
    }
    const inputs = Object.keys(bundle.metafile.inputs);
    for (const input of inputs) assert.match(input, ALLOWED_INPUT, `${input} is neither the pure core nor its dependencies`);
    for (const file of NODE_ONLY) assert.ok(!inputs.includes(file), `${file} was bundled`);
    for (const file of REQUIRED) assert.ok(inputs.includes(`src/${file}`), `src/${file} is not in the bundle`);
  });

  it('runs on the WebCrypto provider in a secure context', async () => {
    const env = await page.evaluate(() => (globalThis as unknown as PageGlobal).chancery.environment());
    assert.equal(env.provider, 'webcrypto');
    assert.equal(env.secureContext, true);
    assert.match(env.userAgent, /Chrome\//);
  });

  it('a LIMITED cable sealed in the browser with browser-made keys verifies and opens in Node for every office', async () => {
    const cable = richCable();
    const offices = OFFICES.map((code) => ({ code, node: NODE[code]! }));
    const sealed = await page.evaluate(
      ({ cable, offices }) => (globalThis as unknown as PageGlobal).chancery.sealInBrowser(cable, offices),
      { cable: cableToJson(cable), offices },
    );
    for (const k of [...sealed.offices, ...sealed.releaseServices]) {
      assert.equal(toHex(await publicKeyOf(p, fromHex(k.secretKey))), k.publicKey, 'X-Wing key pair made in the browser');
    }
    const envelope = decodeEnvelope(fromHex(sealed.envelope));
    assert.equal(envelope.releaseWraps.length, 2);
    const verified = await verifyEnvelope(p, envelope, resolverOf(sealed.signers));
    const shares = new Map<string, Uint8Array>();
    for (const r of sealed.releaseServices) {
      for (const [office, share] of await openReleaseShares(p, verified, r.node as NodeName, fromHex(r.secretKey))) shares.set(office, share);
    }
    assert.deepEqual([...shares.keys()].sort(), [...OFFICES].sort());
    for (const k of sealed.offices) {
      const opened = await openCable(p, verified, {
        office: k.office as OfficeCode,
        epoch: k.epoch,
        secretKey: fromHex(k.secretKey),
        releaseShare: shares.get(k.office)!,
      });
      assert.deepEqual(opened, cable, `opened as ${k.office}`);
    }
  });

  it('a cable sealed in Node verifies and opens in the browser, whose telegram matches Node to the byte', async (t) => {
    const net = await buildNetwork(p, OFFICES, (code) => NODE[code]!);
    const cable = richCable();
    const sealed = await sealCable(p, { cable, ...sealInputsFor(net, cable), signers: net.signers });
    const req = await openRequestFor(net, sealed, 'MFA.CY.AMERICAS');
    const opened = await page.evaluate((req) => (globalThis as unknown as PageGlobal).chancery.openInBrowser(req), req);
    assert.equal(opened.telegram, renderTelegram(cable));
    assert.deepEqual(cableFromJson(opened.cable), cable);
    assert.equal(await page.locator('#telegram').textContent(), opened.telegram);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, 'telegram.png');
    await page.screenshot({ path, fullPage: true });
    t.diagnostic(`screenshot of the opened telegram: ${path}`);
  });

  it('the published envelope vectors decode, verify and open in the browser for every office', async () => {
    const file = JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: (EnvelopeVectorJson & { cable: unknown })[] };
    assert.ok(file.vectors.length >= 1);
    for (const v of file.vectors) {
      const opened = await page.evaluate((v) => (globalThis as unknown as PageGlobal).chancery.openVectorInBrowser(v), v);
      assert.equal(opened.length, v.offices.length, v.name);
      for (const cable of opened) assert.deepEqual(cable, v.cable, `${v.name}: the vector's cable`);
    }
  });

  it('the browser refuses a one-byte ciphertext tamper (verify.manifest_mismatch) and a wrong release share (open.failed)', async () => {
    const net = await buildNetwork(p, OFFICES, (code) => NODE[code]!, ['LIMITED']);
    const cable = sampleCable('EEAS.DEL.WASHINGTON', ['MFA.CY.AMERICAS'], [], 'LIMITED');
    const sealed = await sealCable(p, { cable, ...sealInputsFor(net, cable), signers: net.signers });
    const req = await openRequestFor(net, sealed, 'MFA.CY.AMERICAS');
    const codes = await page.evaluate((req) => (globalThis as unknown as PageGlobal).chancery.refusalsInBrowser(req), req);
    assert.deepEqual(codes, { tamperedCiphertext: 'verify.manifest_mismatch', wrongShare: 'open.failed' });
  });

  it('the page threw nothing uncaught', () => {
    assert.deepEqual(pageErrors, []);
  });
});
