// The inbox and the reader in real Chromium, as demo people enrolled through the real passkey flow: the inbox lists
// the demo cables FLASH first with FLASH/IMMEDIATE marked in words, the keyboard walks it and opens a cable; the
// reader raises both banners to the cable's level, numbers the paragraphs, links references, marks the cable read,
// and prints with the marking on every page; a LIMITED-cleared assistant is refused a higher cable in clear words.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CableId, OfficeCode } from '../../src/cable/types.ts';
import { draftCable } from '../../src/client/drafts.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import { ARTIFACTS, enrollInBrowser, startWebNetwork, type BrowserUser, type WebNetwork, waitForOpenedCable } from './support/web-network.ts';

const LONG_PARAGRAPHS = Array.from({ length: 36 }, (_, i) => `Paragraph ${i + 1} of the long report: the Delegation sets out in some detail what its interlocutors said about the transatlantic agenda, the outlook for the coming quarter and the points on which headquarters may wish to give guidance before the next meeting of the working party.`);

async function bannerTexts(b: BrowserUser): Promise<{ top: string; bottom: string }> {
  const top = (await b.page.locator('.classification-banner[data-position="top"]').textContent()) ?? '';
  const bottom = (await b.page.locator('.classification-banner[data-position="bottom"]').textContent()) ?? '';
  return { top, bottom };
}

describe('web app in Chromium: inbox and reader', () => {
  let net: WebNetwork;
  let longId: CableId;
  let flashId: CableId;
  before(async () => {
    net = await startWebNetwork();
    const flash = net.demo.cables.find((c) => c.precedence === 'FLASH' && c.level === 'SECRET');
    assert.ok(flash, 'the demo has a SECRET FLASH cable');
    flashId = flash.id;
    // A long cable that refers to the FLASH one, through the real draft → release → send workflow.
    const tomas = await net.sessionOf('tomas.novak');
    const helena = await net.sessionOf('helena.virtanen');
    longId = await draftCable(tomas, {
      to: ['EEAS.HQ.AMERICAS' as OfficeCode],
      tags: ['PREL', 'US'],
      precedence: 'ROUTINE',
      level: 'RESTRICTED',
      releasableTo: ['EU'],
      subject: 'Quarterly review of the transatlantic agenda',
      body: LONG_PARAGRAPHS.join('\n\n'),
      references: [flashId],
    });
    await releaseCandidate(helena, await prepareRelease(helena, longId));
    await sendCable(tomas, longId);
  });
  after(async () => {
    await net?.close();
  });

  it('lists the inbox FLASH first, marked in words; the keyboard walks it and Enter opens a cable', async () => {
    const b = await enrollInBrowser(net, 'joao.almeida');
    const { page } = b;
    await page.goto(`${net.url}/#/inbox`);
    const lines = page.getByTestId('inbox-line');
    await lines.first().waitFor({ timeout: 30_000 });
    const count = await lines.count();
    assert.ok(count >= 20, `the demo cables are listed (${count})`);
    const texts = await lines.allTextContents();
    assert.match(texts[0] ?? '', /▲ FLASH/, 'a FLASH cable comes first, marked in text');
    assert.ok(texts.some((t) => /▲ IMMEDIATE/.test(t)), 'IMMEDIATE is marked in text');
    const firstNonUrgent = texts.findIndex((t) => !/FLASH|IMMEDIATE/.test(t));
    assert.ok(texts.slice(firstNonUrgent).every((t) => !/FLASH|IMMEDIATE/.test(t)), 'FLASH and IMMEDIATE all come before the rest');
    assert.ok(texts.some((t) => t.includes('Unread')), 'unread lines say so');
    assert.ok(texts.some((t) => !t.includes('Unread')), 'the cables the demo read are not marked unread');
    assert.equal(await page.locator('[data-testid="inbox-line"][tabindex="0"]').count(), 1, 'one line in the tab order (roving focus)');
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-1280.png'), fullPage: true });

    // Filters narrow the loaded lines.
    await page.getByLabel('Level').selectOption('RESTRICTED');
    const restricted = await lines.allTextContents();
    assert.ok(restricted.length > 0 && restricted.every((t) => t.includes('RESTRICTED')), 'the level filter keeps RESTRICTED lines only');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    assert.equal(await lines.count(), count);

    // The keyboard: j and ArrowDown move down, k moves up, Enter opens the focused line.
    await lines.first().focus();
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('k');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-cable') ?? '');
    assert.equal(focused, await lines.nth(1).getAttribute('data-cable'), 'focus is on the second line');
    assert.equal(await lines.nth(1).getAttribute('tabindex'), '0');
    await page.keyboard.press('Enter');
    await waitForOpenedCable(page, b.errors);
    assert.equal(await page.getByTestId('cable-id').textContent(), focused);
    assert.ok(page.url().includes('#/cable/'), page.url());
    await b.context.close();
  });

  it('reads a cable: banners at its level, numbered paragraphs, a reference link, marked read; prints every page marked', async () => {
    const b = await enrollInBrowser(net, 'joao.almeida');
    const { page } = b;
    await page.goto(`${net.url}/#/cable/${longId}`);
    await waitForOpenedCable(page, b.errors);
    assert.equal(await page.locator('#cable-subject').textContent(), 'Quarterly review of the transatlantic agenda');
    assert.deepEqual(await bannerTexts(b), { top: 'RESTRICTED', bottom: 'RESTRICTED' });
    assert.equal(await page.getByTestId('cable-marking').first().textContent(), 'RESTRICTED // EU ONLY');
    const paras = page.locator('[data-testid="cable-body"] > li');
    assert.equal(await paras.count(), LONG_PARAGRAPHS.length);
    assert.equal(await page.locator('[data-testid="cable-body"]').evaluate((e) => e.tagName), 'OL', 'paragraphs are numbered');
    await page.screenshot({ path: join(ARTIFACTS, 'reader-1280.png'), fullPage: true });

    // Printing: the banners are fixed (Chromium repeats them on every page), navigation is gone, the PDF has pages.
    await page.emulateMedia({ media: 'print' });
    const print = await page.evaluate(() => ({
      top: getComputedStyle(document.querySelector('header.top')!).position,
      bottom: getComputedStyle(document.querySelector('footer.bottom')!).position,
      nav: getComputedStyle(document.querySelector('.app-nav')!).display,
      bar: getComputedStyle(document.querySelector('.reader-bar')!).display,
    }));
    assert.deepEqual(print, { top: 'fixed', bottom: 'fixed', nav: 'none', bar: 'none' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await writeFile(join(ARTIFACTS, 'reader-print.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages > 1, `a long cable prints on several pages (${pages})`);
    await page.emulateMedia({ media: 'screen' });

    // The reference opens the cited cable, whose level the banners then carry.
    const ref = page.getByTestId('cable-reference');
    assert.equal(await ref.textContent(), flashId);
    await ref.click();
    await page.waitForFunction((id) => document.querySelector('[data-testid="cable-id"]')?.textContent === id, flashId, { timeout: 30_000 });
    assert.deepEqual(await bannerTexts(b), { top: 'SECRET', bottom: 'SECRET' });

    // Back in the inbox the long cable is now read (markRead), and the banners are UNCLASSIFIED again.
    await page.getByRole('link', { name: 'Back to the inbox' }).click();
    const line = page.locator(`[data-testid="inbox-line"][data-cable="${longId}"]`);
    await line.waitFor({ timeout: 30_000 });
    assert.ok(!((await line.textContent()) ?? '').includes('Unread'), 'the cable opened is marked read');
    assert.deepEqual(await bannerTexts(b), { top: 'UNCLASSIFIED', bottom: 'UNCLASSIFIED' });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-390.png') });
    await page.goto(`${net.url}/#/cable/${longId}`);
    await waitForOpenedCable(page, b.errors);
    await page.screenshot({ path: join(ARTIFACTS, 'reader-390.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (${overflow})`);
    assert.deepEqual(b.foreign, []);
    // The reader asks for the delivery state only where the node shows it (originating office, drafter, releaser,
    // officers): nothing refused, nothing on the console.
    assert.deepEqual(b.errors, []);
    await b.context.close();
  });

  it('refuses a LIMITED-cleared user a SECRET cable, in words, and keeps the banners UNCLASSIFIED', async () => {
    const b = await enrollInBrowser(net, 'jan.devries');
    const { page } = b;
    await page.goto(`${net.url}/#/cable/${flashId}`);
    const error = page.getByTestId('reader-error');
    await error.waitFor({ timeout: 30_000 });
    assert.match((await error.textContent()) ?? '', /cannot open this cable/i);
    assert.equal(await page.locator('#cable-subject').count(), 0, 'nothing of the cable is shown');
    assert.deepEqual(await bannerTexts(b), { top: 'UNCLASSIFIED', bottom: 'UNCLASSIFIED' });
    await page.screenshot({ path: join(ARTIFACTS, 'reader-refused-1280.png'), fullPage: true });
    await b.context.close();
  });
});
