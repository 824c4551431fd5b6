// Returning a draft with a comment, in real Chromium: sofia.ricci files a draft; joao.almeida, reviewing it in his
// release queue, returns it with a comment instead of releasing it (no step-up: it releases nothing) and it leaves
// the queue; sofia sees who returned it, when, and the comment her browser opened; she edits the draft in the compose
// form and re-submits it under the same id; it is back in joao's queue with her new text.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CableId, OfficeCode } from '../../src/cable/types.ts';
import { listDrafts } from '../../src/client/drafts.ts';
import { acknowledgeAlert, listAlerts } from '../../src/client/alerts.ts';
import { ARTIFACTS, enrollInBrowser, startWebNetwork, type BrowserUser, type WebNetwork } from './support/web-network.ts';

const HQ = 'EEAS.HQ.AMERICAS' as OfficeCode;
const SUBJECT = 'Working-level contacts on the data framework';
const COMMENT = 'Paragraph 2 names our contact at the Department of Commerce: take the name out, then re-submit.';
const NEW_BODY = 'We recommend an early contact at working level with the Department of Commerce.';

async function shoot(b: BrowserUser, name: string): Promise<void> {
  await b.page.screenshot({ path: join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
  await b.page.setViewportSize({ width: 390, height: 844 });
  await b.page.screenshot({ path: join(ARTIFACTS, `${name}-390.png`), fullPage: true });
  assert.ok(await b.page.evaluate(() => document.documentElement.scrollWidth <= 390), `${name} scrolls sideways at 390 px`);
  await b.page.setViewportSize({ width: 1280, height: 860 });
}

describe('web app in Chromium: return a draft with a comment, edit and re-submit', () => {
  let net: WebNetwork;
  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it('joao returns sofia\'s draft with a comment, she reads it, edits and re-submits, and it is back in his queue', async () => {
    const sofia = await enrollInBrowser(net, 'sofia.ricci');
    const joao = await enrollInBrowser(net, 'joao.almeida');

    // Sofia files a draft.
    const page = sofia.page;
    await page.getByRole('link', { name: 'Compose' }).click();
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('#compose-from')?.value === 'EEAS.HQ.AMERICAS', undefined, { timeout: 20_000 });
    await page.getByLabel('Search offices for To').fill('washington');
    await page.getByRole('button', { name: 'Add EEAS.DEL.WASHINGTON to To' }).click();
    await page.getByLabel('Subject').fill(SUBJECT);
    await page.getByLabel('Tags').fill('PREL, US');
    await page.getByLabel('Body (paragraphs separated by a blank line)').fill('The review starts in March.\n\nWe recommend an early contact with John Doe at the Department of Commerce.');
    await page.getByRole('button', { name: 'Submit for release' }).click();
    const filed = page.getByTestId('filed');
    await filed.waitFor({ timeout: 30_000 });
    const id = ((await filed.locator('strong').textContent()) ?? '') as CableId;
    assert.match(id, /^EEAS\.HQ\.AMERICAS\/\d{4}\/\d{6}$/);

    // Joao reviews it and returns it with a comment; no passkey step-up is asked for.
    const stepUps: string[] = [];
    joao.page.on('request', (r) => {
      if (r.url().includes('/api/v1/web/step-up')) stepUps.push(new URL(r.url()).pathname);
    });
    await joao.page.getByRole('link', { name: 'Release queue' }).click();
    await joao.page.getByRole('button', { name: `Review ${id}` }).click();
    await joao.page.getByRole('heading', { name: `Review ${id}` }).waitFor({ timeout: 30_000 });
    await joao.page.getByRole('textbox', { name: 'Comment for the drafter' }).fill(COMMENT);
    await shoot(joao, 'return-review');
    await joao.page.getByRole('button', { name: 'Return to the drafter' }).click();
    await joao.page.getByTestId('released').filter({ hasText: `${id} returned to its drafter` }).waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      throw new Error(`not returned: ${JSON.stringify({ alerts: await joao.page.getByRole('alert').allTextContents(), errors: joao.errors })}`, { cause: e });
    });
    assert.deepEqual(stepUps, [], 'returning needs no step-up');
    assert.equal(await joao.page.getByRole('button', { name: `Review ${id}` }).count(), 0, 'the draft left the queue');
    await joao.page.getByTestId('returned-draft').filter({ hasText: id }).waitFor();
    await shoot(joao, 'return-queue-after');

    // The node lists it as returned (the log entry and the sealed storage are test/client/draft-returns.test.ts's).
    const cli = await net.sessionOf('sofia.ricci');
    const listed = (await listDrafts(cli, HQ)).find((d) => d.id === id);
    assert.equal(listed?.returned?.by, 'joao.almeida');

    // Sofia sees who returned it, when, and the comment her browser opened.
    await page.getByRole('button', { name: 'Refresh my drafts' }).click();
    const mine = page.getByTestId('my-draft').filter({ hasText: id });
    await mine.getByText('returned with a comment').waitFor({ timeout: 20_000 });
    await mine.getByText('returned by').waitFor();
    assert.match((await mine.textContent()) ?? '', /returned by joao\.almeida at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const comment = page.getByLabel(`Comment on ${id}`);
    await comment.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      throw new Error(`no comment: ${JSON.stringify({ alerts: await page.getByRole('alert').allTextContents(), errors: sofia.errors })}`, { cause: e });
    });
    assert.equal(await comment.textContent(), COMMENT);
    await mine.scrollIntoViewIfNeeded();
    await shoot(sofia, 'return-my-drafts');

    // Edit and re-submit: the draft loads into the form; she fixes paragraph 2 and files it under the same id.
    await page.getByRole('button', { name: `Edit and re-submit ${id}` }).click();
    await page.getByTestId('editing').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByLabel('Subject').inputValue(), SUBJECT);
    assert.equal(await page.getByLabel('Tags').inputValue(), 'PREL, US');
    const body = page.getByLabel('Body (paragraphs separated by a blank line)');
    assert.match(await body.inputValue(), /John Doe/);
    await body.fill(`The review starts in March.\n\n${NEW_BODY}`);
    await shoot(sofia, 'return-editing');
    await page.getByRole('button', { name: 'Re-submit for release' }).click();
    await page.getByTestId('filed').filter({ hasText: id }).waitFor({ timeout: 30_000 });
    await mine.getByText('awaiting release').waitFor({ timeout: 20_000 });
    assert.equal((await listDrafts(cli, HQ)).find((d) => d.id === id)?.returned, null, 're-submitting cleared the return');

    // Back in joao's queue, with the new text. His new browser device raised a detector alert that asks him to step
    // up before his next read (the reader's flow, not this one's): a security officer acknowledges it first.
    const officer = await net.sessionOf('ines.moreau');
    for (const a of await listAlerts(officer)) if (a.user === 'joao.almeida' && a.state === 'open') await acknowledgeAlert(officer, a.id);
    await joao.page.getByRole('button', { name: 'Refresh the queue' }).click();
    await joao.page.getByRole('button', { name: `Review ${id}` }).click();
    await joao.page.getByRole('heading', { name: `Review ${id}` }).waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      throw new Error(`not reviewed again: ${JSON.stringify({ alerts: await joao.page.getByRole('alert').allTextContents(), errors: joao.errors })}`, { cause: e });
    });
    assert.equal(await joao.page.getByTestId('returned-draft').filter({ hasText: id }).count(), 0);
    const telegram = (await joao.page.getByLabel(`Telegram of ${id}`).textContent()) ?? '';
    assert.match(telegram, /DEPARTMENT OF COMMERCE/i);
    assert.doesNotMatch(telegram, /JOHN DOE/i, 'the old text is gone');
    await shoot(joao, 'return-requeued');

    for (const b of [sofia, joao]) {
      assert.deepEqual(b.foreign, [], 'no request leaves the node');
      assert.deepEqual(b.errors.filter((e) => !/^4\d\d for /.test(e)), [], 'no console or page errors');
      await b.context.close();
    }
  });
});
