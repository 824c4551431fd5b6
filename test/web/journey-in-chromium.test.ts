// The end-to-end journey in one run, every step through the web app in real Chromium with passkeys on its
// virtual authenticator: sofia.ricci registers a passkey and (once her officer approved the device and her CLI
// device re-sealed her grants — what a deployment does outside the browser) signs in, composes a cable to
// Washington; joao.almeida, in his own browser context, releases it with a passkey step-up; sofia sends it;
// helena.virtanen at Washington reads it in her own context and finds it again by a word of its body and by its
// routing fields; joao's first opening from his new browser device made the node's detector raise a real alert
// (new_device_or_network), which ines.moreau sees in the Security screen. A screenshot of every screen on the way:
// test-artifacts/web/journey-NN-<screen>.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CableId, DeviceId, OfficeCode } from '../../src/cable/types.ts';
import { approveDevice } from '../../src/client/admin.ts';
import { resealGrants } from '../../src/client/key-admin.ts';
import { ARTIFACTS, enrollInBrowser, enrollmentCode, openBrowserUser, startWebNetwork, submitEnrollment, type BrowserUser, type WebNetwork } from './support/web-network.ts';

const WASHINGTON = 'EEAS.DEL.WASHINGTON' as OfficeCode;
const SUBJECT = 'Journey: outreach to the Senate on the critical minerals partnership';
const WORD = 'phosphorescent'; // a body word no demo cable has
const BODY = `The Delegation met Senate staff on the critical minerals partnership; the mood was ${WORD} but guarded.\n\nWe recommend a visit by the Managing Director before the recess.`;

let shot = 0;
async function screenshot(b: BrowserUser, screen: string): Promise<void> {
  shot += 1;
  // The whole page, the viewport grown to it first: Chromium's full-page capture keeps the layout viewport, so the
  // sticky bottom banner would be drawn where the viewport ended (mid-page), which no person scrolling ever sees.
  const viewport = b.page.viewportSize() ?? { width: 1280, height: 860 };
  const full = await b.page.evaluate(() => document.documentElement.scrollHeight);
  await b.page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, full) });
  await b.page.screenshot({ path: join(ARTIFACTS, `journey-${String(shot).padStart(2, '0')}-${screen}.png`) });
  await b.page.setViewportSize(viewport);
}

/** Console errors, page errors and refused requests: none on the way; and no request leaves the node. */
function assertClean(b: BrowserUser, step: string): void {
  assert.deepEqual(b.errors, [], `${b.user}: no console error or refused request (${step})`);
  assert.deepEqual(b.foreign, [], `${b.user}: no request leaves the node (${step})`);
}

describe('web app in Chromium: the whole journey', () => {
  let net: WebNetwork;
  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it('register, sign in, compose, release with step-up, send, read and search at Washington, see an alert', async () => {
    // 1. Register: sofia's browser creates its device keys and a passkey, and files a pending enrollment.
    const sofia = await openBrowserUser(net, 'sofia.ricci');
    await sofia.page.goto(`${net.url}/#/enroll`);
    await sofia.page.getByRole('heading', { name: 'Enroll this browser' }).waitFor({ timeout: 30_000 });
    await screenshot(sofia, 'enroll');
    await submitEnrollment(sofia, net.url, await enrollmentCode(net, 'sofia.ricci'));
    const fingerprint = ((await sofia.page.getByTestId('device-fingerprint').textContent()) ?? '').trim();
    assert.match(fingerprint, /^[0-9a-f]{4}(-[0-9a-f]{4}){4}$/);
    await screenshot(sofia, 'pending');
    // Outside the browser: the officer approves the fingerprint read out to her; sofia's CLI device re-seals grants.
    await approveDevice(await net.sessionOf('ines.moreau'), sofia.user, sofia.device as DeviceId, fingerprint);
    await resealGrants(await net.sessionOf('sofia.ricci'), sofia.device as DeviceId);
    await sofia.page.getByRole('button', { name: 'Check again' }).click();
    await sofia.page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });

    // 2. Log in: a fresh load of the page is locked; the passkey unlocks the device and opens a session.
    await sofia.page.reload();
    await sofia.page.getByRole('button', { name: 'Sign in with your passkey' }).waitFor({ timeout: 30_000 });
    assert.equal(await sofia.page.getByTestId('signed-in-user').count(), 0, 'nothing of the workspace before the passkey');
    await screenshot(sofia, 'sign-in');
    await sofia.page.getByRole('button', { name: 'Sign in with your passkey' }).click();
    await sofia.page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
    assert.match((await sofia.page.getByTestId('signed-in-user').textContent()) ?? '', /sofia\.ricci/);
    await sofia.page.getByRole('heading', { name: 'Inbox' }).waitFor({ timeout: 30_000 });
    await sofia.page.getByTestId('inbox-line').first().waitFor({ timeout: 30_000 });
    await screenshot(sofia, 'inbox');
    assertClean(sofia, 'enrollment and sign-in');

    // 3. Compose: a RESTRICTED cable to Washington, submitted for release.
    const page = sofia.page;
    await page.getByRole('link', { name: 'Compose' }).click();
    await page.getByRole('heading', { name: 'Compose a cable' }).waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('#compose-from')?.value === 'EEAS.HQ.AMERICAS', undefined, { timeout: 20_000 });
    await page.getByLabel('Search offices for To').fill('washington');
    await page.getByRole('button', { name: `Add ${WASHINGTON} to To` }).click();
    await page.getByLabel('Classification', { exact: true }).selectOption('RESTRICTED');
    await page.getByLabel('Precedence').selectOption('IMMEDIATE');
    await page.getByLabel('Subject').fill(SUBJECT);
    await page.getByLabel('Tags').fill('PREL, ECON');
    await page.getByLabel('Body (paragraphs separated by a blank line)').fill(BODY);
    assert.equal(await page.getByTestId('problem-count').textContent(), 'No problems found.');
    assert.equal(await page.locator('.classification-banner').first().textContent(), 'RESTRICTED', 'the banners carry the level typed at');
    await screenshot(sofia, 'compose');
    await page.getByRole('button', { name: 'Submit for release' }).click();
    const filed = page.getByTestId('filed');
    await filed.waitFor({ timeout: 30_000 });
    const id = ((await filed.locator('strong').textContent()) ?? '') as CableId;
    assert.match(id, /^EEAS\.HQ\.AMERICAS\/\d{4}\/\d{6}$/);
    const mine = page.getByTestId('my-draft').filter({ hasText: id });
    await mine.getByText('awaiting release').waitFor({ timeout: 20_000 });
    await screenshot(sofia, 'compose-filed');
    assertClean(sofia, 'compose');

    // 4. Release: joao, in his own context, reviews the draft and approves it with a fresh passkey assertion.
    const joao = await enrollInBrowser(net, 'joao.almeida');
    await joao.page.getByRole('link', { name: 'Release queue' }).click();
    await joao.page.getByRole('heading', { name: 'Release queue' }).waitFor();
    await joao.page.getByRole('button', { name: `Review ${id}` }).waitFor({ timeout: 30_000 });
    await screenshot(joao, 'release-queue');
    await joao.page.getByRole('button', { name: `Review ${id}` }).click();
    await joao.page.getByRole('heading', { name: `Review ${id}` }).waitFor({ timeout: 30_000 });
    assert.match((await joao.page.getByLabel(`Telegram of ${id}`).textContent()) ?? '', new RegExp(WORD, 'i'));
    await screenshot(joao, 'release-review');
    const stepUps: string[] = [];
    joao.page.on('request', (r) => {
      if (r.url().includes('/api/v1/web/step-up')) stepUps.push(new URL(r.url()).pathname);
    });
    await joao.page.getByRole('button', { name: 'Approve and release (passkey)' }).click();
    await joao.page.getByTestId('released').waitFor({ timeout: 30_000 });
    assert.deepEqual(stepUps, ['/api/v1/web/step-up/options', '/api/v1/web/step-up'], 'a fresh step-up before the release');
    await screenshot(joao, 'released');
    assertClean(joao, 'release');
    await joao.context.close();

    // 5. Send: sofia countersigns the released envelope and hands it over.
    await page.getByRole('button', { name: 'Refresh my drafts' }).click();
    await mine.getByText('released — ready to send').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: `Send ${id}` }).click();
    await page.getByRole('status').filter({ hasText: `${id} sent to` }).waitFor({ timeout: 30_000 });
    await screenshot(sofia, 'sent');
    assertClean(sofia, 'send');

    // 6. Read: helena, an addressee at Washington in her own context, finds it in her inbox and opens it.
    const helena = await enrollInBrowser(net, 'helena.virtanen');
    const hp = helena.page;
    await hp.getByRole('link', { name: 'Inbox' }).click();
    const line = hp.locator(`[data-testid="inbox-line"][data-cable="${id}"]`);
    await line.waitFor({ timeout: 30_000 });
    assert.match((await line.textContent()) ?? '', /Unread/);
    await screenshot(helena, 'inbox-addressee');
    await line.click();
    await hp.locator('#cable-subject').waitFor({ timeout: 30_000 });
    assert.equal(await hp.locator('#cable-subject').textContent(), SUBJECT);
    assert.equal(await hp.getByTestId('cable-id').textContent(), id);
    assert.equal(await hp.locator('[data-testid="cable-body"] > li').count(), 2, 'two numbered paragraphs');
    assert.match((await hp.getByTestId('cable-body').textContent()) ?? '', new RegExp(WORD));
    for (const position of ['top', 'bottom']) assert.equal(await hp.locator(`.classification-banner[data-position="${position}"]`).textContent(), 'RESTRICTED');
    await screenshot(helena, 'reader');

    // 7. Search: by a word of the body (the device's own index of what it opened), then by routing fields.
    await hp.getByRole('link', { name: 'Search' }).click();
    await hp.getByRole('heading', { name: 'Search', exact: true }).waitFor();
    await hp.getByText(/routing headers loaded/).waitFor({ timeout: 30_000 });
    await hp.getByLabel('Words in cables opened on this device').fill(WORD);
    const results = hp.getByTestId('search-result');
    await hp.waitForFunction(() => document.querySelectorAll('[data-testid="search-result"]').length > 0, undefined, { timeout: 10_000 });
    assert.deepEqual(await results.evaluateAll((as) => as.map((a) => a.getAttribute('data-cable'))), [id]);
    assert.equal(await hp.locator('.sr-subject').first().textContent(), SUBJECT);
    await screenshot(helena, 'search-words');
    await hp.getByRole('button', { name: 'Clear search' }).click();
    await hp.getByLabel('From office').selectOption('EEAS.HQ.AMERICAS');
    await hp.getByLabel('Tag', { exact: true }).selectOption('ECON');
    await hp.getByLabel('Precedence', { exact: true }).selectOption('IMMEDIATE');
    await hp.getByTestId('search-summary').getByText(/results? among/).waitFor();
    const byFields = await results.evaluateAll((as) => as.map((a) => a.getAttribute('data-cable')));
    assert.ok(byFields.includes(id), `field search finds ${id}: ${JSON.stringify(byFields)}`);
    await screenshot(helena, 'search-fields');
    assertClean(helena, 'read and search');
    await helena.context.close();

    // 8. An alert: joao's review above was the first opening of a cable from his new browser device, which the
    // node's detector judges as it logs it (new_device_or_network: a step-up is required of him). The node lists it.
    await sofia.context.close();
    const officer = await net.sessionOf('ines.moreau');
    let listed: unknown = null;
    for (let i = 0; i < 40 && !JSON.stringify(listed).includes('joao.almeida'); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 500));
      listed = await officer.http.get('/api/v1/alerts', {});
    }
    assert.match(JSON.stringify(listed), /"user":"joao\.almeida","rule":"new_device_or_network"/, `the node raised the alert: ${JSON.stringify(listed)}`);
    const ines = await enrollInBrowser(net, 'ines.moreau');
    const nav = ines.page.getByRole('navigation', { name: 'Chancery' });
    await nav.getByRole('link', { name: 'Security', exact: true }).click();
    await ines.page.getByRole('heading', { name: 'Security', exact: true }).waitFor();
    const alert = ines.page.getByTestId('alert-row').filter({ hasText: 'joao.almeida' });
    await alert.waitFor({ timeout: 30_000 });
    const cells = await alert.locator('td').allTextContents();
    assert.equal(cells[1], 'joao.almeida');
    assert.equal(cells[2], 'new_device_or_network');
    assert.equal(cells[3], 'low');
    assert.equal(cells[4], 'step_up');
    assert.match(cells[7] ?? '', /^open/);
    assert.match(cells[5] ?? '', /^\d+/, 'the evidence names log indices');
    await screenshot(ines, 'security-alert');
    assertClean(ines, 'security');
    await ines.context.close();
  });
});
