// Canaries and personas on a security officer's screens (docs/detection.md "Canaries"; docs/web.md "Security"): an
// officer who opens a canary is frozen like anyone, so her inbox marks the canary and her reader asks before opening
// it — the click alone sends no share request. The Admin screen names persona accounts as such. An ordinary user's
// browser never asks the node which cables are canaries, shows no mark and no warning: she opens the canary like any
// cable, and the node's detector freezes her at that first opening.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId } from '../../src/cable/types.ts';
import { listAlerts } from '../../src/client/alerts.ts';
import { markCanary } from '../../src/client/canaries.ts';
import { fetchInbox } from '../../src/client/reading.ts';
import type { Session } from '../../src/client/session.ts';
import { ARTIFACTS, enrollInBrowser, startWebNetwork, type BrowserUser, type WebNetwork } from './support/web-network.ts';

/** The officer (a member of the security office, so she has an inbox) and an ordinary member of the Americas desk. */
const OFFICER = 'ines.moreau';
const MEMBER = 'sofia.ricci';
const PERSONA = 'jan.devries';

/** Every request path the page sends from now on. */
function requestsOf(b: BrowserUser): string[] {
  const paths: string[] = [];
  b.page.on('request', (r) => paths.push(new URL(r.url()).pathname));
  return paths;
}

describe('web app in Chromium: canaries and personas on an officer\'s screens', { timeout: 300_000 }, () => {
  let net: WebNetwork;
  let officer: Session;
  let canary: CableId;
  before(async () => {
    net = await startWebNetwork();
    officer = await net.sessionOf(OFFICER);
    // A cable in both the officer's and the member's inbox, marked as a canary.
    const officerLines = new Set((await fetchInbox(officer, { limit: 500 })).entries.map((l) => l.id));
    const shared = (await fetchInbox(await net.sessionOf(MEMBER), { limit: 500 })).entries.find((l) => officerLines.has(l.id));
    assert.ok(shared, 'the demo has a cable in both inboxes');
    canary = shared.id;
    assert.equal((await markCanary(officer, canary)).marked, true);
    const persona = net.demo.people.find((p) => p.id === PERSONA)!;
    await officer.http.post('/api/v1/personas', { persona: PERSONA, office: persona.offices[0] });
  });
  after(async () => {
    await net?.close();
  });

  it('the officer\'s inbox marks the canary, and the reader asks before opening it: no share is requested', async () => {
    const ines = await enrollInBrowser(net, OFFICER);
    const { page } = ines;
    const line = page.locator(`[data-testid="inbox-line"][data-cable="${canary}"]`);
    await line.getByTestId('canary-mark').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('canary-mark').count(), 1, 'only the marked cable');
    assert.match((await line.getAttribute('aria-label')) ?? '', /a canary: opening it freezes your account/);
    await page.screenshot({ path: join(ARTIFACTS, 'canary-inbox-1280.png'), fullPage: true });

    const sent = requestsOf(ines);
    await line.click();
    const warning = page.getByTestId('canary-warning');
    await warning.waitFor({ timeout: 30_000 });
    assert.match((await warning.textContent()) ?? '', /This cable is a canary.*freezes the account that opened it/s);
    const open = page.getByRole('button', { name: 'Open the canary' });
    assert.equal(await open.isDisabled(), true, 'not until the officer says she understands');
    await page.getByLabel('I understand that opening it freezes my account').check();
    assert.equal(await open.isDisabled(), false);
    await page.screenshot({ path: join(ARTIFACTS, 'canary-warning-1280.png'), fullPage: true });
    assert.deepEqual(sent.filter((p) => p.includes('/share')), [], 'nothing was asked of the release service');
    assert.equal(await page.getByTestId('cable-body').count(), 0);
    // Nothing was opened, so nothing was judged: no canary alert on the officer.
    assert.deepEqual((await listAlerts(officer)).filter((a) => a.user === OFFICER && a.rule === 'canary'), []);

    // Admin → Users: the persona is named as such.
    await page.getByRole('navigation', { name: 'Chancery' }).getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('tab', { name: 'Users' }).click();
    const row = page.locator(`[data-testid="user-row"][data-user="${PERSONA}"]`);
    await row.getByTestId('persona-mark').waitFor({ timeout: 30_000 });
    assert.match((await row.getByTestId('persona-mark').textContent()) ?? '', new RegExp(`persona for .*declared by ${OFFICER.replace('.', '\\.')}`));
    assert.equal(await page.getByTestId('persona-mark').count(), 1, 'no one else is called a persona');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-persona-1280.png'), fullPage: true });
    assert.deepEqual(ines.errors, []);
    await ines.context.close();
  });

  it('an ordinary member\'s browser never asks for the canaries, shows no mark, and opening one freezes her', async () => {
    const sofia = await enrollInBrowser(net, MEMBER);
    const { page } = sofia;
    const sent = requestsOf(sofia);
    // The inbox again, mounted afresh (a reload would lock the device: its keys are only in the page's memory).
    const nav = page.getByRole('navigation', { name: 'Chancery' });
    await nav.getByRole('link', { name: 'Search', exact: true }).click();
    await nav.getByRole('link', { name: 'Inbox', exact: true }).click();
    const line = page.locator(`[data-testid="inbox-line"][data-cable="${canary}"]`);
    await line.waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('canary-mark').count(), 0);
    assert.doesNotMatch((await line.getAttribute('aria-label')) ?? '', /canary/);
    await line.click();
    await page.getByTestId('cable-body').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('canary-warning').count(), 0);
    assert.deepEqual(sent.filter((p) => p.startsWith('/api/v1/canaries') || p.startsWith('/api/v1/personas')), []);
    // The node's detector judged that opening: a high alert and a freeze, at the first opening — already in force
    // when the reader then marks the cable read (403, the only error the page saw).
    await page.getByText(/Not marked as read/).waitFor({ timeout: 30_000 });
    assert.deepEqual(sofia.errors.filter((e) => !/403 for .*\/read$/.test(e) && !/status of 403/.test(e)), []);
    let raised = (await listAlerts(officer)).find((a) => a.user === MEMBER && a.rule === 'canary');
    for (let i = 0; i < 50 && !raised; i++) {
      await new Promise((r) => setTimeout(r, 200));
      raised = (await listAlerts(officer)).find((a) => a.user === MEMBER && a.rule === 'canary');
    }
    assert.deepEqual([raised?.severity, raised?.action], ['high', 'freeze']);
    await sofia.context.close();
  });
});
