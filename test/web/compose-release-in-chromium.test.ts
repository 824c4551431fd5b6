// The whole drafting path in real Chromium: sofia.ricci composes a cable to Washington and sees the policy's
// feedback before submitting (her clearance is below the level she picks, Ottawa's ceiling too, and Washington is
// outside the releasability she types), fixes it and files the sealed draft with an attachment; joao.almeida, in
// another browser context, finds it in his release queue, reviews it (the banners show its level) and approves it
// with a passkey step-up; sofia sends it; helena.virtanen at Washington reads it with her CLI device. First, the
// form's checks alone: they place the cable model's issues and the policy's reasons at the field that fixes them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CableId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import type { Office, UserView } from '../../src/client/directory.ts';
import { listDrafts } from '../../src/client/drafts.ts';
import { readCable } from '../../src/client/reading.ts';
import { checkForm, draftInputOf, emptyForm } from '../../web/src/compose/draft-form.ts';
import { ARTIFACTS, enrollInBrowser, startWebNetwork, type BrowserUser, type WebNetwork } from './support/web-network.ts';

const HQ = 'EEAS.HQ.AMERICAS' as OfficeCode;
const SUBJECT = 'US position on the transatlantic data framework review';

async function statusOf(net: WebNetwork, id: string): Promise<string | undefined> {
  const drafts = await listDrafts(await net.sessionOf('sofia.ricci'), HQ);
  return drafts.find((d) => d.id === id)?.status;
}

async function shoot(b: BrowserUser, name: string): Promise<void> {
  await b.page.screenshot({ path: join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
  await b.page.setViewportSize({ width: 390, height: 844 });
  await b.page.screenshot({ path: join(ARTIFACTS, `${name}-390.png`), fullPage: true });
  // Nothing wider than a phone: no sideways scrolling at 390 px.
  assert.ok(await b.page.evaluate(() => document.documentElement.scrollWidth <= 390), `${name} scrolls sideways at 390 px`);
  await b.page.setViewportSize({ width: 1280, height: 860 });
}

describe('compose form checks', () => {
  const office = (code: string, ceiling: Office['ceiling']): Office => ({ code: code as OfficeCode, node: 'EEAS' as NodeName, name: code, ceiling, communities: ['EU'] });
  const offices = [office('EEAS.HQ.AMERICAS', 'SECRET'), office('EEAS.DEL.WASHINGTON', 'SECRET'), office('EEAS.DEL.OTTAWA', 'CONFIDENTIAL')];
  const sofia: UserView = {
    id: 'sofia.ricci' as UserId, name: 'Sofia Ricci', clearance: 'RESTRICTED', nationality: 'IT', organisations: ['EU'], caveats: [], active: true, frozen: false,
    memberships: [{ office: HQ, role: 'member' }],
  };
  const good = { ...emptyForm(HQ), to: ['EEAS.DEL.WASHINGTON'], subject: 'Subject', body: 'Text.' };
  const now = new Date('2026-11-26T12:00:00Z');

  it('finds nothing in a valid draft the drafter may write, and builds the input draftCable takes', () => {
    const check = checkForm(good, sofia, offices, now);
    assert.equal(check.count, 0, JSON.stringify([...check.byField]));
    const input = draftInputOf({ ...good, tags: 'PREL, US', caveats: 'EYES ONLY', references: 'EEAS.DEL.WASHINGTON/2026/000001' });
    assert.deepEqual([input.tags, input.caveats, input.references], [['PREL', 'US'], ['EYES ONLY'], ['EEAS.DEL.WASHINGTON/2026/000001']]);
  });

  it('flags an addressee whose ceiling is below the level beside that office, and the drafter\'s clearance at the level', () => {
    const check = checkForm({ ...good, level: 'SECRET', info: ['EEAS.DEL.OTTAWA'] }, sofia, offices, now);
    assert.deepEqual(check.byOffice.get('EEAS.DEL.OTTAWA')?.map((r) => r.code), ['policy.office.ceiling_exceeded']);
    assert.equal(check.byOffice.has('EEAS.DEL.WASHINGTON'), false);
    assert.deepEqual(check.byField.get('level')?.map((f) => f.code), ['policy.clearance.insufficient']);
  });

  it('places validation issues at their field with their codes, and names unknown offices', () => {
    const check = checkForm({ ...emptyForm(HQ), to: ['EEAS.NOWHERE'], tags: 'prel', subject: '' }, sofia, offices, now);
    assert.ok(check.byField.get('subject')?.length, 'an empty subject is an issue of the subject');
    assert.ok(check.byField.get('tags')?.length, 'a lower-case tag is an issue of the tags');
    assert.ok(check.byField.get('to')?.some((f) => f.code === 'office.unknown'));
    for (const f of [...check.byField.values()].flat()) assert.match(f.code, /^[a-z_.]+$/);
  });
});

describe('web app in Chromium: compose, release with step-up, send, read', () => {
  let net: WebNetwork;
  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it('drafts with live policy feedback, releases with a passkey step-up, sends, and Washington reads it', async () => {
    const sofia = await enrollInBrowser(net, 'sofia.ricci');
    const joao = await enrollInBrowser(net, 'joao.almeida');

    // Compose: the policy flags what would be refused, beside the field and beside the office.
    const page = sofia.page;
    await page.getByRole('link', { name: 'Compose' }).click();
    await page.getByRole('heading', { name: 'Compose a cable' }).waitFor();
    const from = page.getByLabel('Originating office');
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('#compose-from')?.value === 'EEAS.HQ.AMERICAS', undefined, { timeout: 20_000 });
    assert.equal(await from.inputValue(), HQ);
    await page.getByLabel('Search offices for To').fill('washington');
    await page.getByRole('button', { name: 'Add EEAS.DEL.WASHINGTON to To' }).click();
    await page.getByLabel('Search offices for Info').fill('ottawa');
    await page.getByRole('button', { name: 'Add EEAS.DEL.OTTAWA to Info' }).click();
    await page.getByLabel('Classification', { exact: true }).selectOption('SECRET');
    await page.getByLabel('Releasable to (communities)').fill('US');
    // Ottawa holds up to CONFIDENTIAL: flagged beside it, with the policy's reason and code.
    const info = page.getByTestId('info-chosen');
    await info.getByText('policy.office.ceiling_exceeded').waitFor();
    assert.match((await info.textContent()) ?? '', /EEAS\.DEL\.OTTAWA holds up to CONFIDENTIAL, below SECRET/);
    const levelProblems = page.locator('#level-problems');
    await levelProblems.getByText('policy.clearance.insufficient').waitFor();
    const chosen = page.getByTestId('to-chosen');
    await chosen.getByText('policy.office.not_releasable').waitFor();
    assert.match((await chosen.textContent()) ?? '', /EEAS\.DEL\.WASHINGTON is in none of the communities US/);
    // The banners carry the level being typed at.
    assert.equal(await page.locator('.classification-banner').first().textContent(), 'SECRET');
    await page.getByLabel('Subject').fill(SUBJECT);
    await page.getByLabel('Tags').fill('PREL, US');
    await page.getByLabel('Body (paragraphs separated by a blank line)').fill('The administration will review the framework in March.\n\nWe recommend an early contact at working level.');
    await shoot(sofia, 'compose-policy-warning');

    // Submitting with problems files nothing.
    await page.getByRole('button', { name: 'Submit for release' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not submitted' }).waitFor();

    // Fixed: Ottawa dropped, RESTRICTED, no releasability restriction; an attachment read in the browser.
    await page.getByRole('button', { name: 'Remove EEAS.DEL.OTTAWA from Info' }).click();
    await page.getByLabel('Classification', { exact: true }).selectOption('RESTRICTED');
    await page.getByLabel('Releasable to (communities)').fill('');
    await page.getByLabel('Add files').setInputFiles({ name: 'talking-points.txt', mimeType: 'text/plain', buffer: Buffer.from('1. Data framework\n2. Contacts\n') });
    await page.getByText('talking-points.txt').waitFor();
    assert.equal(await page.getByTestId('problem-count').textContent(), 'No problems found.');
    assert.equal(await chosen.locator('.flag').count(), 0);
    await page.getByRole('button', { name: 'Submit for release' }).click();
    const filed = page.getByTestId('filed');
    await filed.waitFor({ timeout: 30_000 });
    const id = ((await filed.locator('strong').textContent()) ?? '') as CableId;
    assert.match(id, /^EEAS\.HQ\.AMERICAS\/\d{4}\/\d{6}$/);
    const mine = page.getByTestId('my-draft').filter({ hasText: id });
    await mine.getByText('awaiting release').waitFor();
    assert.equal(await statusOf(net, id), 'draft');

    // Release: joao reviews it (a logged opening) and approves with a fresh passkey assertion.
    await joao.page.getByRole('link', { name: 'Release queue' }).click();
    await joao.page.getByRole('button', { name: `Review ${id}` }).click();
    await joao.page.getByRole('heading', { name: `Review ${id}` }).waitFor({ timeout: 30_000 });
    assert.match((await joao.page.getByLabel(`Telegram of ${id}`).textContent()) ?? '', /TRANSATLANTIC DATA FRAMEWORK|transatlantic data framework/);
    assert.equal(await joao.page.locator('.classification-banner').first().textContent(), 'RESTRICTED');
    await shoot(joao, 'release-queue');
    const stepUps: string[] = [];
    joao.page.on('request', (r) => {
      if (r.url().includes('/api/v1/web/step-up')) stepUps.push(new URL(r.url()).pathname);
    });
    await joao.page.getByRole('button', { name: 'Approve and release (passkey)' }).click();
    await joao.page.getByTestId('released').waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      throw new Error(`not released: ${JSON.stringify({ alerts: await joao.page.getByRole('alert').allTextContents(), errors: joao.errors })}`, { cause: e });
    });
    assert.deepEqual(stepUps, ['/api/v1/web/step-up/options', '/api/v1/web/step-up'], 'a fresh step-up before the release');
    assert.equal(await statusOf(net, id), 'released');
    assert.equal(await joao.page.locator('.classification-banner').first().textContent(), 'UNCLASSIFIED');

    // Send: the drafter checks the released envelope is her draft, countersigns it and hands it over.
    await page.getByRole('button', { name: 'Refresh my drafts' }).click();
    await mine.getByText('released — ready to send').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: `Send ${id}` }).click();
    await page.getByRole('status').filter({ hasText: `${id} sent to` }).waitFor({ timeout: 30_000 });
    assert.equal(await statusOf(net, id), 'sent');

    // Washington reads it with its own device.
    const opened = await readCable(await net.sessionOf('helena.virtanen'), id);
    assert.equal(opened.cable.content.subject, SUBJECT);
    assert.equal(opened.cable.header.releaser, 'joao.almeida');
    assert.equal(opened.cable.header.drafter, 'sofia.ricci');
    assert.deepEqual(opened.cable.header.tags, ['PREL', 'US']);
    assert.equal(opened.cable.content.attachments[0]?.name, 'talking-points.txt');

    for (const b of [sofia, joao]) {
      assert.deepEqual(b.foreign, [], 'no request leaves the node');
      assert.deepEqual(b.errors.filter((e) => !/^4\d\d for /.test(e)), [], 'no console or page errors');
      await b.context.close();
    }
  });
});
