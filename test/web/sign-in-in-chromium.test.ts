// The web app end to end in real headless Chromium (Debian's, driven by playwright-core): a node in its own process
// serves the built app; the first screen of a new browser (enrollment) shows the node's name and the classification banners, logs no console
// error, names every control, carries the CSP and refuses an injected inline script. Screenshots at 1280 px and
// 390 px go to test-artifacts/web/ to be looked at.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.ts';
import { WEB_APP_CSP } from '../../src/node/web-app.ts';
import { spawnNode, type NodeProcess } from '../support/node-process.ts';
import { initTestNode, NODE, type InitialisedNode } from '../node/fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/web/', import.meta.url));
/** Roles a user operates; each must have an accessible name. */
const CONTROL_ROLES = new Set(['button', 'link', 'textbox', 'searchbox', 'checkbox', 'radio', 'combobox', 'listbox', 'menuitem', 'option', 'slider', 'spinbutton', 'switch', 'tab']);

interface AxNode {
  readonly role?: { readonly value?: string };
  readonly name?: { readonly value?: string };
  readonly ignored?: boolean;
}

/** Every control of the page by role and accessible name, as Chromium's accessibility tree computes them. */
async function controls(page: Page): Promise<{ role: string; name: string }[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored && CONTROL_ROLES.has(n.role?.value ?? ''))
    .map((n) => ({ role: n.role?.value ?? '', name: (n.name?.value ?? '').trim() }));
}

describe('web app in Chromium: the sign-in screen', () => {
  let web: string;
  let init: InitialisedNode;
  let node: NodeProcess;
  let browser: Browser;

  before(async () => {
    // Fail, never skip: CI installs Chromium (scripts/setup-system.sh); a machine without it must say so.
    assert.ok(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: run scripts/setup-system.sh (apt-get install -y chromium)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    // A build of its own, so the test never races another run over dist/web.
    web = mkdtempSync(join(tmpdir(), 'chancery-web-e2e-'));
    await buildWeb(web);
    process.env.CHANCERY_WEB_DIR = web;
    init = await initTestNode();
    node = await spawnNode(init.dataDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await node?.kill();
    init?.cleanup();
    if (web) rmSync(web, { recursive: true, force: true });
  });

  async function open(width: number, height: number): Promise<{ page: Page; errors: string[]; foreign: string[]; csp: string | undefined }> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} for ${response.url()}`);
    });
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== new URL(node.url).origin) foreign.push(request.url());
    });
    const response = await page.goto(`${node.url}/`);
    assert.equal(response?.status(), 200);
    await page.getByTestId('node-name').waitFor({ timeout: 10_000 });
    return { page, errors, foreign, csp: (await response?.allHeaders())?.['content-security-policy'] };
  }

  it('at 1280 px: node name, banners top and bottom, named controls, no console error, no third-party request', async () => {
    const { page, errors, foreign, csp } = await open(1280, 800);
    assert.equal(csp, WEB_APP_CSP);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Enroll this browser');
    assert.equal(await page.getByTestId('node-name').textContent(), NODE);
    assert.equal(await page.title(), 'Chancery');

    const banners = page.locator('.classification-banner');
    assert.equal(await banners.count(), 2);
    const top = page.locator('header .classification-banner[data-position="top"]');
    const bottom = page.locator('footer .classification-banner[data-position="bottom"]');
    for (const banner of [top, bottom]) {
      assert.equal(await banner.textContent(), 'UNCLASSIFIED');
      assert.equal(await banner.getAttribute('aria-label'), 'Classification: UNCLASSIFIED');
      // Conventional green, white text: the stylesheet loaded under the CSP.
      assert.equal(await banner.evaluate((element) => getComputedStyle(element).backgroundColor), 'rgb(0, 122, 51)');
      assert.equal(await banner.evaluate((element) => getComputedStyle(element).color), 'rgb(255, 255, 255)');
    }
    const topBox = await top.boundingBox();
    const bottomBox = await bottom.boundingBox();
    assert.ok(topBox && bottomBox, 'both banners are rendered');
    assert.equal(topBox.y, 0, 'the top banner is at the top edge');
    assert.ok(Math.abs(bottomBox.y + bottomBox.height - 800) < 1, `the bottom banner is at the bottom edge (ends at ${bottomBox.y + bottomBox.height})`);

    const named = await controls(page);
    assert.ok(named.some((c) => c.role === 'button' && /passkey/i.test(c.name)), `the passkey button is in the tree: ${JSON.stringify(named)}`);
    assert.deepEqual(named.filter((c) => c.name === ''), [], 'every control has an accessible name');

    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-1280.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(foreign, [], 'no request leaves the node');
    await page.context().close();
  });

  it('at 390 px (phone): everything fits the width, banners at both edges', async () => {
    const { page, errors } = await open(390, 844);
    assert.equal(await page.getByTestId('node-name').textContent(), NODE);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(overflow <= 390, `no horizontal scrolling (content is ${overflow} px wide)`);
    const button = await page.getByRole('button', { name: /passkey/i }).boundingBox();
    assert.ok(button && button.x >= 0 && button.x + button.width <= 390 && button.height >= 44, `the button fits and is a 44 px target: ${JSON.stringify(button)}`);
    const bottom = await page.locator('footer .classification-banner').boundingBox();
    assert.ok(bottom && Math.abs(bottom.y + bottom.height - 844) < 1, 'the bottom banner is at the bottom edge');
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-390.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no console errors');
    await page.context().close();
  });

  it('the CSP blocks an inline script injected into the page, and reports it', async () => {
    const { page } = await open(1280, 800);
    const ran = await page.evaluate<{ ran: boolean; seen: string[] }>(`new Promise((resolve) => {
      const seen = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.appendChild(script);
      setTimeout(() => resolve({ ran: window.__inlineRan === true, seen }), 200);
    })`);
    assert.equal(ran.ran, false, 'the inline script did not run');
    assert.ok(ran.seen.some((d) => d.startsWith('script-src')), `a script-src violation was reported: ${JSON.stringify(ran.seen)}`);
    // An inline style is refused too (style-src 'self').
    const styled = await page.evaluate(`(() => {
      const style = document.createElement('style');
      style.textContent = 'body { background: rgb(1, 2, 3) !important; }';
      document.head.appendChild(style);
      return getComputedStyle(document.body).backgroundColor;
    })()`);
    assert.notEqual(styled, 'rgb(1, 2, 3)');
    await page.context().close();
  });
});
