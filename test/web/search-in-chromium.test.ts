// Search in real Chromium: field search over the routing headers returns exactly the demo cables a filter names;
// full text finds a cable this browser opened by a word of its body, not one it never opened; what IndexedDB keeps
// of the index is sealed (the word is not in its bytes) and survives a reload only through the passkey's unlock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CableId } from '../../src/cable/types.ts';
import { fetchInbox, readCable, type InboxLine } from '../../src/client/reading.ts';
import { tokenize } from '../../web/src/search/text-index.ts';
import { ARTIFACTS, enrollInBrowser, startWebNetwork, type BrowserUser, type WebNetwork, waitForOpenedCable } from './support/web-network.ts';

const USER = 'joao.almeida';

async function allLines(net: WebNetwork): Promise<InboxLine[]> {
  const s = await net.sessionOf(USER);
  const lines: InboxLine[] = [];
  let after: string | null = null;
  do {
    const page: { entries: InboxLine[]; next: string | null } = await fetchInbox(s, { limit: 200, ...(after ? { after } : {}) });
    lines.push(...page.entries);
    after = page.next;
  } while (after);
  return lines;
}

async function resultIds(b: BrowserUser): Promise<string[]> {
  return (await b.page.getByTestId('search-result').evaluateAll((as) => as.map((a) => a.getAttribute('data-cable') ?? ''))).sort();
}

/** The sealed index records in the `chancery-search` database, as byte arrays. */
async function storedBlobs(b: BrowserUser): Promise<number[][]> {
  return b.page.evaluate<number[][]>(`new Promise((resolve, reject) => {
    const r = indexedDB.open('chancery-search');
    r.onsuccess = () => {
      if (!r.result.objectStoreNames.contains('index')) return resolve([]);
      const all = r.result.transaction('index').objectStore('index').getAll();
      all.onsuccess = () => resolve(all.result.map((v) => Array.from(v.sealed)));
      all.onerror = () => reject(all.error);
    };
    r.onerror = () => reject(r.error);
  })`);
}

function contains(haystack: readonly number[], needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('web app in Chromium: search', () => {
  let net: WebNetwork;
  let b: BrowserUser;
  let lines: InboxLine[];
  before(async () => {
    net = await startWebNetwork();
    lines = await allLines(net);
    b = await enrollInBrowser(net, USER);
  });
  after(async () => {
    await b?.context.close();
    await net?.close();
  });

  async function openSearch(): Promise<void> {
    await b.page.goto(`${net.url}/#/search`);
    await b.page.getByRole('heading', { name: 'Search', exact: true }).waitFor();
    await b.page.getByText(/routing headers loaded/).waitFor({ timeout: 30_000 });
  }

  it('field search by tag and precedence returns exactly the cables whose headers match', async () => {
    await openSearch();
    const ids = [...new Set(lines.map((l) => l.id))];
    assert.match((await b.page.getByTestId('search-summary').textContent()) ?? '', new RegExp(`^${ids.length} routing headers loaded`));
    const tagged = lines.filter((l) => l.tags.includes('US'));
    const precedence = tagged[0]?.precedence;
    assert.ok(precedence, 'the demo inbox has a cable tagged US');
    const expected = [...new Set(tagged.filter((l) => l.precedence === precedence).map((l) => l.id))].sort();

    await b.page.getByLabel('Tag', { exact: true }).selectOption('US');
    await b.page.getByLabel('Precedence', { exact: true }).selectOption(precedence);
    await b.page.getByTestId('search-summary').getByText(/results? among/).waitFor();
    assert.deepEqual(await resultIds(b), expected);
    await b.page.screenshot({ path: join(ARTIFACTS, 'search-fields-1280.png'), fullPage: true });
    assert.ok(expected.length < ids.length, 'the filter narrowed something');
    // Nothing was opened on this device yet: no subject is shown.
    const subjects = await b.page.locator('.sr-subject').allTextContents();
    assert.ok(subjects.every((s) => s === '(not opened on this device)'), subjects.join(' | '));

    // Changing one filter keeps the other: AND again.
    await b.page.getByLabel('Tag', { exact: true }).selectOption('AMGT');
    const amgt = [...new Set(lines.filter((l) => l.tags.includes('AMGT') && l.precedence === precedence).map((l) => l.id))].sort();
    await b.page.waitForFunction((n) => document.querySelectorAll('[data-testid="search-result"]').length === n, amgt.length);
    assert.deepEqual(await resultIds(b), amgt);
    await b.page.getByRole('button', { name: 'Clear search' }).click();
    assert.equal(await b.page.getByTestId('search-result').count(), 0);
  });

  it('full text finds an opened cable by a body word, not an unopened one; the stored index is sealed', async () => {
    const s = await net.sessionOf(USER);
    const ids = [...new Set(lines.map((l) => l.id))] as CableId[];
    const [a, c, unopened] = await Promise.all(ids.slice(0, 3).map((id) => readCable(s, id)));
    assert.ok(a && c && unopened);
    const words = (o: typeof a) => new Set(tokenize(`${o.cable.content.subject} ${o.cable.content.body}`));
    const inA = [...words(a)].find((w) => w.length >= 7 && /^[a-z]+$/.test(w) && !words(c).has(w) && !words(unopened).has(w));
    const inUnopened = [...words(unopened)].find((w) => w.length >= 7 && /^[a-z]+$/.test(w) && !words(a).has(w) && !words(c).has(w));
    assert.ok(inA && inUnopened, 'the demo cables have distinctive words');

    for (const opened of [a, c]) {
      await b.page.goto(`${net.url}/#/cable/${opened.cable.header.id.split('/').map(encodeURIComponent).join('/')}`);
      await b.page.locator('#reader-title').waitFor();
      await waitForOpenedCable(b.page, b.errors);
      await b.page.getByText(opened.cable.content.subject).first().waitFor({ timeout: 30_000 });
    }
    await openSearch();
    const box = b.page.getByLabel('Words in cables opened on this device');
    await box.fill(inA);
    await b.page.waitForFunction(() => document.querySelectorAll('[data-testid="search-result"]').length > 0, undefined, { timeout: 10_000 });
    assert.deepEqual(await resultIds(b), [a.cable.header.id]);
    assert.equal(await b.page.locator('.sr-subject').first().textContent(), a.cable.content.subject);
    // The subject is protected content: the banners carry its cable's level while it is on screen.
    assert.match((await b.page.locator('header.top').textContent()) ?? '', new RegExp(a.cable.header.marking.classification));
    await b.page.screenshot({ path: join(ARTIFACTS, 'search-1280.png'), fullPage: true });
    // Keyboard: the result is a link reached with Tab from the search box.
    await box.focus();
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'search-result'; i++) {
      await b.page.keyboard.press('Tab');
      focused = await b.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    }
    assert.equal(focused, 'search-result');

    await box.fill(inUnopened);
    await b.page.getByText(/^0 results among/).waitFor();
    assert.equal(await b.page.getByTestId('search-result').count(), 0);

    // Sealed at rest: the index's record exists and holds neither word in clear.
    let blobs: number[][] = [];
    for (let i = 0; i < 50 && blobs.length === 0; i++) {
      blobs = await storedBlobs(b);
      if (blobs.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(blobs.length, 1);
    const blob = blobs[0] ?? [];
    assert.ok(blob.length > 100);
    for (const w of [inA, a.cable.content.subject, a.cable.header.id]) assert.ok(!contains(blob, new TextEncoder().encode(w)), `"${w}" is not stored in clear`);

    // After a reload the index opens again only once the passkey unlocked the device, and still finds the cable.
    await b.page.reload();
    await b.page.getByRole('button', { name: 'Sign in with your passkey' }).click();
    await b.page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
    await openSearch();
    await b.page.getByLabel('Words in cables opened on this device').fill(inA.slice(0, 5));
    await b.page.waitForFunction(() => document.querySelectorAll('[data-testid="search-result"]').length > 0, undefined, { timeout: 10_000 });
    assert.ok((await resultIds(b)).includes(a.cable.header.id));

    await b.page.setViewportSize({ width: 390, height: 844 });
    await b.page.screenshot({ path: join(ARTIFACTS, 'search-390.png'), fullPage: true });
    assert.deepEqual(b.foreign, [], 'no request leaves the node');
  });
});
