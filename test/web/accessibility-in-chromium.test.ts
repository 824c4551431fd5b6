// Accessibility and layout of every screen in real Chromium, at 1280 px and at phone width (390 px): every control
// has an accessible name in Chromium's accessibility tree, the document never scrolls sideways (wide tables scroll
// inside their own container), the classification banners sit at the top and bottom edges of the viewport, and
// nothing is logged to the console. One network, two people: the security officer (enroll, pending, sign-in, and
// every screen a signed-in officer has, with a long cable and its print, whose every page must carry the
// classification, read out of the PDF Chromium prints) and a releasing officer (the release queue and a review).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceId, OfficeCode } from '../../src/cable/types.ts';
import { approveDevice } from '../../src/client/admin.ts';
import { draftCable } from '../../src/client/drafts.ts';
import { resealGrants } from '../../src/client/key-admin.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import { pdfPageTexts } from '../support/pdf-text.ts';
import { ARTIFACTS, enrollInBrowser, enrollmentCode, openBrowserUser, startWebNetwork, submitEnrollment, type BrowserUser, type WebNetwork, waitForOpenedCable } from './support/web-network.ts';

const WIDTHS = [1280, 390] as const;
const HEIGHT = { 1280: 860, 390: 844 } as const;
/** Roles a user operates; each must have an accessible name. */
const LONG_BODY = Array.from({ length: 36 }, (_, i) => `Paragraph ${i + 1} of the long report: the Delegation sets out in some detail what its interlocutors said about the transatlantic agenda and the outlook for the coming quarter.`).join('\n\n');
const CONTROL_ROLES = new Set(['button', 'link', 'textbox', 'searchbox', 'checkbox', 'radio', 'combobox', 'listbox', 'menuitem', 'option', 'slider', 'spinbutton', 'switch', 'tab']);

interface AxNode {
  readonly role?: { readonly value?: string };
  readonly name?: { readonly value?: string };
  readonly ignored?: boolean;
  readonly backendDOMNodeId?: number;
}

/** Controls Chromium's accessibility tree computes no name for, described by their outer HTML. */
async function unnamedControls(b: BrowserUser): Promise<string[]> {
  // The person's own CDP session (the one holding the virtual authenticator): a second session attached and
  // detached around WebAuthn left the next passkey creation hanging.
  const cdp = b.cdp;
  {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
    const unnamed = nodes.filter((n) => !n.ignored && CONTROL_ROLES.has(n.role?.value ?? '') && (n.name?.value ?? '').trim() === '');
    const described: string[] = [];
    for (const n of unnamed) {
      let html = `(${n.role?.value})`;
      if (n.backendDOMNodeId !== undefined) {
        const { outerHTML } = await cdp.send('DOM.getOuterHTML', { backendNodeId: n.backendDOMNodeId });
        html = `${n.role?.value}: ${outerHTML.slice(0, 160)}`;
      }
      described.push(html);
    }
    return described;
  }
}

/** Layout problems of the page at its current width: sideways scrolling, and banners away from the edges. */
async function layoutProblems(b: BrowserUser, width: number): Promise<string[]> {
  const height = HEIGHT[width as keyof typeof HEIGHT];
  await b.page.evaluate(() => window.scrollTo(0, 0));
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  const m = await b.page.evaluate<{ scrollWidth: number; top: number[] | null; bottom: number[] | null; wide: string[] }>(`(() => {
    const top = document.querySelector('header .classification-banner[data-position="top"]')?.getBoundingClientRect();
    const bottom = document.querySelector('footer .classification-banner[data-position="bottom"]')?.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    // What sticks out to the right (outside containers that scroll on their own), to name in the failure.
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap'))
      .slice(0, 5)
      .map((e) => e.tagName.toLowerCase() + '.' + Array.from(e.classList).join('.') + ' right=' + Math.round(e.getBoundingClientRect().right));
    return { scrollWidth: document.documentElement.scrollWidth, top: top ? [top.top, top.bottom] : null, bottom: bottom ? [bottom.top, bottom.bottom] : null, wide };
  })()`);
  const problems: string[] = [];
  if (m.scrollWidth > width) problems.push(`the document is ${m.scrollWidth} px wide at ${width} px: ${m.wide.join('; ')}`);
  if (!m.top || Math.abs(m.top[0] ?? -1) > 0.5) problems.push(`the top banner is not at the top edge: ${JSON.stringify(m.top)}`);
  if (!m.bottom || Math.abs((m.bottom[1] ?? 0) - height) > 0.5) problems.push(`the bottom banner is not at the bottom edge (${height}): ${JSON.stringify(m.bottom)}`);
  // Scrolled to the end, both banners are still at the edges (sticky, not left mid-page).
  await b.page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const end = await b.page.evaluate<{ top?: number; bottom?: number }>(`({
    top: document.querySelector('header .classification-banner')?.getBoundingClientRect().top,
    bottom: document.querySelector('footer .classification-banner')?.getBoundingClientRect().bottom,
  })`);
  if (Math.abs(end.top ?? -1) > 0.5 || Math.abs((end.bottom ?? 0) - height) > 0.5) problems.push(`scrolled to the end, the banners left the edges: ${JSON.stringify(end)}`);
  await b.page.evaluate(() => window.scrollTo(0, 0));
  return problems;
}

/**
 * A full-page screenshot as a person scrolling would see the banners: the viewport is grown to the document's
 * height first. (Chromium's full-page capture keeps the layout viewport, so a sticky bottom banner is drawn where
 * the viewport's bottom was — mid-page — an artefact of the capture, not of the page.)
 */
async function fullShot(b: BrowserUser, name: string, width: number): Promise<void> {
  const height = HEIGHT[width as keyof typeof HEIGHT];
  const full = await b.page.evaluate(() => document.documentElement.scrollHeight);
  await b.page.setViewportSize({ width, height: Math.max(height, full) });
  await b.page.screenshot({ path: join(ARTIFACTS, `a11y-${name}-${width}.png`) });
  await b.page.setViewportSize({ width, height });
}

/** What the page logged: console errors, page errors, refused requests. */
function errorsOf(b: BrowserUser): string[] {
  return b.errors;
}

describe('web app in Chromium: accessibility and layout of every screen', () => {
  let net: WebNetwork;
  const problems: string[] = [];

  /** Checks the screen the page shows at both widths; `ready` waits for it to have rendered its content. */
  async function check(b: BrowserUser, name: string, ready: () => Promise<unknown>): Promise<void> {
    for (const width of WIDTHS) {
      await b.page.setViewportSize({ width, height: HEIGHT[width] });
      await ready();
      await b.page.waitForTimeout(50);
      for (const p of await layoutProblems(b, width)) problems.push(`${name} @${width}: ${p}`);
      for (const c of await unnamedControls(b)) problems.push(`${name} @${width}: unnamed control ${c}`);
      await fullShot(b, name, width);
    }
    await b.page.setViewportSize({ width: 1280, height: HEIGHT[1280] });
  }

  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it('every screen at 1280 and 390 px: named controls, no sideways scrolling, banners at the edges, no console error', async () => {
    // A draft for the release queue, filed by sofia's CLI device.
    const draft = await draftCable(await net.sessionOf('sofia.ricci'), {
      to: ['EEAS.DEL.WASHINGTON' as OfficeCode], tags: ['PREL'], precedence: 'PRIORITY', level: 'RESTRICTED', releasableTo: ['EU'],
      subject: 'Accessibility sweep: a draft awaiting release', body: 'First paragraph.\n\nSecond paragraph.',
    });

    // A long cable to the Americas directorate (several printed pages), drafted, released and sent by CLI devices.
    const tomas = await net.sessionOf('tomas.novak');
    const helena = await net.sessionOf('helena.virtanen');
    const long = await draftCable(tomas, {
      to: ['EEAS.HQ.AMERICAS' as OfficeCode], info: ['EEAS.HQ.SECURITY' as OfficeCode], tags: ['PREL', 'US'], precedence: 'ROUTINE', level: 'RESTRICTED', releasableTo: ['EU'],
      subject: 'Quarterly review of the transatlantic agenda', body: LONG_BODY,
    });
    await releaseCandidate(helena, await prepareRelease(helena, long));
    await sendCable(tomas, long);

    // Outside: enroll, pending, sign-in — the security officer's own browser.
    const ines = await openBrowserUser(net, 'ines.moreau');
    const page = ines.page;
    await page.goto(`${net.url}/#/enroll`);
    await check(ines, 'enroll', () => page.getByRole('heading', { name: 'Enroll this browser' }).waitFor({ timeout: 30_000 }));
    await submitEnrollment(ines, net.url, await enrollmentCode(net, 'ines.moreau')).catch(async (e: unknown) => {
      throw new Error(`enrollment did not reach the pending screen: ${JSON.stringify({ main: await page.locator('main').textContent(), url: page.url(), errors: ines.errors })}`, { cause: e });
    });
    await check(ines, 'pending', () => page.getByRole('heading', { name: 'Waiting for approval' }).waitFor());
    const fingerprint = ((await page.getByTestId('device-fingerprint').textContent()) ?? '').trim();
    await approveDevice(await net.sessionOf('ines.moreau'), ines.user, ines.device as DeviceId, fingerprint);
    await resealGrants(await net.sessionOf('ines.moreau'), ines.device as DeviceId);
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
    await page.reload();
    const signIn = page.getByRole('button', { name: 'Sign in with your passkey' });
    await check(ines, 'sign-in', () => signIn.waitFor({ timeout: 30_000 }));
    await signIn.click();
    await page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });

    // Inside: every screen of the workspace.
    const nav = page.getByRole('navigation', { name: 'Chancery' });
    const go = async (link: string, heading: string) => {
      await nav.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor({ timeout: 30_000 });
    };
    await go('Inbox', 'Inbox');
    const line = page.getByTestId('inbox-line');
    await check(ines, 'inbox', () => line.first().waitFor({ timeout: 30_000 }));
    await line.first().click();
    await check(ines, 'reader', () => waitForOpenedCable(page, ines.errors));
    // Printing a long cable: the classification is on every page. Each page's text comes out of the PDF Chromium
    // prints (content streams inflated, glyph ids mapped through the fonts' ToUnicode CMaps): the fixed banners put
    // the marking on each page twice (top and bottom); the cable's own first and last lines add theirs.
    await page.goto(`${net.url}/#/cable/${long}`);
    await check(ines, 'reader-long', () => waitForOpenedCable(page, ines.errors));
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    await writeFile(join(ARTIFACTS, 'a11y-reader-print.pdf'), pdf);
    const pages = pdfPageTexts(pdf).map((runs) => runs.join(''));
    assert.ok(pages.length >= 3, `the long cable prints on several pages (${pages.length})`);
    assert.ok(pages.every((t) => t.includes('Paragraph')), 'every page carries text of the cable (the extraction works)');
    const markings = pages.map((t) => (t.match(/RESTRICTED/g) ?? []).length);
    assert.ok(markings.every((n) => n >= 2), `the marking is printed at least twice on every page: ${JSON.stringify(markings)}`);
    assert.ok(markings.slice(1, -1).every((n) => n === 2), `pages between the first and last carry exactly the two banners: ${JSON.stringify(markings)}`);

    await go('Compose', 'Compose a cable');
    await check(ines, 'compose', () => page.waitForFunction(() => (document.querySelector<HTMLSelectElement>('#compose-from')?.value ?? '') !== '', undefined, { timeout: 20_000 }));
    await go('Search', 'Search');
    await check(ines, 'search', () => page.getByText(/routing headers loaded/).waitFor({ timeout: 30_000 }));
    await page.getByLabel('Precedence', { exact: true }).selectOption('FLASH');
    await check(ines, 'search-results', () => page.getByTestId('search-result').first().waitFor({ timeout: 10_000 }));
    await go('My devices', 'My devices');
    await check(ines, 'devices', () => page.waitForLoadState('networkidle'));
    await go('Security', 'Security');
    const tabs: [string, string, () => Promise<unknown>][] = [
      ['Alerts', 'security-alerts', () => page.locator('[data-testid="alerts-empty"], [data-testid="alert-row"]').first().waitFor({ timeout: 30_000 })],
      ['Devices', 'security-devices', () => page.waitForLoadState('networkidle')],
      ['Audit log', 'security-audit', () => page.getByTestId('log-entry').first().waitFor({ timeout: 30_000 })],
      ['Key epochs', 'security-epochs', () => page.getByTestId('epoch-row').first().waitFor({ timeout: 60_000 })],
    ];
    for (const [tab, name, ready] of tabs) {
      await page.getByRole('tab', { name: tab }).click();
      await check(ines, name, ready);
    }
    await go('Admin', 'Administration');
    const adminTabs: [string, string, () => Promise<unknown>][] = [
      ['Offices', 'admin-offices', () => page.getByTestId('office-row').first().waitFor({ timeout: 30_000 })],
      ['Users', 'admin-users', () => page.getByTestId('user-row').first().waitFor({ timeout: 30_000 })],
      ['Peers', 'admin-peers', () => page.getByText(/peer/i).first().waitFor({ timeout: 30_000 })],
    ];
    for (const [tab, name, ready] of adminTabs) {
      await page.getByRole('tab', { name: tab }).click();
      await check(ines, name, ready);
    }
    assert.deepEqual(errorsOf(ines), [], 'the officer saw no console error or refused request');
    assert.deepEqual(ines.foreign, [], 'no request leaves the node');
    await ines.context.close();

    // The release queue and a review, as a releasing officer.
    const joao = await enrollInBrowser(net, 'joao.almeida');
    await joao.page.getByRole('navigation', { name: 'Chancery' }).getByRole('link', { name: 'Release queue' }).click();
    const review = joao.page.getByRole('button', { name: `Review ${draft}` });
    await check(joao, 'release-queue', () => review.waitFor({ timeout: 30_000 }));
    await review.click();
    await check(joao, 'release-review', () => joao.page.getByRole('heading', { name: `Review ${draft}` }).waitFor({ timeout: 30_000 }));

    assert.deepEqual(errorsOf(joao), [], 'the releasing officer saw no console error or refused request');
    assert.deepEqual(joao.foreign, [], 'no request leaves the node');
    await joao.context.close();

    assert.deepEqual(problems, [], 'no accessibility or layout problem on any screen');
  });
});
