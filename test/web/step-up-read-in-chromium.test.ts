// A step_up alert met in the browser (issue 7 "require step-up (fresh passkey assertion) before the next read";
// docs/detection.md "Step-up"): a demo person with a reading history on their CLI device enrolls a browser; its
// first read is the first from a new device, so the node's live detector raises new_device_or_network (step_up).
// The next cable the browser opens is refused until the person confirms with the passkey (Chromium's virtual
// authenticator): the reader shows the prompt, the confirmation opens the cable, the alert is satisfied in the
// person's name, and the cable after that opens without asking. Then a security officer, in her own browser,
// escalates that alert to a freeze (after her passkey step-up): the person's next opening is refused; her clearing
// alone leaves the freeze, a second officer's clearing lifts it, and the person reads again.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId } from '../../src/cable/types.ts';
import { RemoteError } from '../../src/client/http.ts';
import { clearAlert } from '../../src/client/alerts.ts';
import { readCable } from '../../src/client/reading.ts';
import type { Session } from '../../src/client/session.ts';
import { ARTIFACTS, enrollInBrowser, startWebNetwork, type WebNetwork } from './support/web-network.ts';

/** A demo person who has read nothing yet (the demo's own reader, João, is already rate-bound by building it). */
const READER = 'sofia.ricci';
/** sources.ts: a user with at least warmReads / 4 reads has a history a new device stands out against. */
const HISTORY_READS = 10;

/** A read by the CLI device, waiting out the share rate (20 a minute) the demo's own traffic may have used up. */
async function readPatiently(s: Session, id: CableId): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      await readCable(s, id);
      return;
    } catch (e) {
      if (tries > 4 || !(e instanceof RemoteError && e.code === 'request.rate_limited')) throw e;
      await new Promise((r) => setTimeout(r, 15_000));
    }
  }
}

interface AlertJson {
  id: string;
  user: string;
  rule: string;
  action: string;
  state: string;
  acknowledgedBy: string | null;
}

describe('web app in Chromium: a step_up alert asks the reader to confirm with the passkey', { timeout: 300_000 }, () => {
  let net: WebNetwork;
  let officer: Session;
  const readable: CableId[] = [];
  let reader: Awaited<ReturnType<typeof enrollInBrowser>> | undefined;
  let raisedId = '';
  const alerts = async () => ((await officer.http.get('/api/v1/alerts', { state: 'all' })) as { alerts: AlertJson[] }).alerts.filter((a) => a.user === READER);

  before(async () => {
    net = await startWebNetwork();
    officer = await net.sessionOf('ines.moreau');
    // The person's history: reads from their CLI device (split cables only: those are logged reads).
    const cli = await net.sessionOf(READER);
    for (const cable of net.demo.cables.filter((c) => c.level !== 'UNCLASSIFIED')) {
      if (readable.length >= 4) break;
      const opened = await readPatiently(cli, cable.id).then(() => true, () => false);
      if (opened) readable.push(cable.id);
    }
    assert.ok(readable.length >= 4, `the demo has cables ${READER} reads (${readable.length})`);
    for (let i = readable.length; i < HISTORY_READS; i++) await readPatiently(cli, readable[i % readable.length]!);
  });
  after(async () => {
    await net?.close();
  });

  it('prompts, confirms with the passkey, reads; the alert is satisfied and the next read does not ask', async () => {
    const b = (reader = await enrollInBrowser(net, READER));
    const { page } = b;
    const open = async (id: CableId) => {
      await page.goto(`${net.url}/#/cable/${id}`);
    };
    // The browser's first read: the first from a new device, which the detector answers with a step_up alert.
    await open(readable[0]!);
    await page.getByTestId('cable-body').waitFor({ timeout: 30_000 });
    let raised: AlertJson | undefined;
    for (let i = 0; i < 50 && !raised; i++) {
      raised = (await alerts()).find((a) => a.action === 'step_up' && a.state === 'open');
      if (!raised) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(raised, 'the detector raised a step_up alert for the first read from the new browser device');
    assert.equal(raised.rule, 'new_device_or_network');
    raisedId = raised.id;

    // The next cable: refused until the person confirms.
    await open(readable[1]!);
    const prompt = page.getByTestId('reader-step-up');
    await prompt.waitFor({ timeout: 30_000 });
    assert.match((await prompt.textContent()) ?? '', /Chancery asks you to confirm it is you/);
    assert.equal(await page.getByTestId('cable-body').count(), 0, 'nothing of the cable is shown');
    await page.screenshot({ path: join(ARTIFACTS, 'step-up-prompt-1280.png'), fullPage: true });
    const confirm = page.getByRole('button', { name: 'Confirm with your passkey' });
    await confirm.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('cable-body').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('cable-id').textContent(), readable[1]);
    assert.equal(await prompt.count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, 'step-up-read-1280.png'), fullPage: true });

    const satisfied = (await alerts()).find((a) => a.id === raised.id);
    assert.deepEqual([satisfied?.state, satisfied?.acknowledgedBy], ['acknowledged', READER], 'satisfied in the reader\'s own name');

    // Lifted: the next cable opens without asking.
    await open(readable[2]!);
    // The previous cable stays on screen until the reader re-renders: wait for this one's id, not any body.
    await page.waitForFunction((id) => document.querySelector('[data-testid="cable-id"]')?.textContent === id, readable[2], { timeout: 30_000 });
    await page.getByTestId('cable-body').waitFor({ timeout: 30_000 });
    assert.equal(await prompt.count(), 0, 'no confirmation asked');
  });

  it('an officer escalates the alert to a freeze from her browser; two officers clear it; the reader reads again', async () => {
    assert.ok(reader && raisedId, 'the step-up test ran first');
    const ines = await enrollInBrowser(net, 'ines.moreau');
    const { page } = ines;
    const stepUps: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/web/step-up') stepUps.push(r.method());
    });
    await page.getByRole('navigation', { name: 'Chancery' }).getByRole('link', { name: 'Security', exact: true }).click();
    const row = page.locator(`[data-testid="alert-row"][data-alert="${raisedId}"]`);
    await row.waitFor({ timeout: 30_000 });
    // A step_up alert escalates only upwards: to a freeze.
    const choice = page.getByLabel(`Escalate alert ${raisedId} to`);
    assert.deepEqual(await choice.locator('option').allTextContents(), ['Freeze user']);
    await page.getByRole('button', { name: `Escalate alert ${raisedId}` }).click();
    await page.getByRole('status').filter({ hasText: `Alert ${raisedId} escalated to freeze; ${READER} is frozen` }).waitFor({ timeout: 30_000 });
    assert.deepEqual(stepUps, ['POST'], 'the escalation asked for a passkey step-up first');
    await page.screenshot({ path: join(ARTIFACTS, 'security-alert-escalated-1280.png'), fullPage: true });
    const escalated = (await alerts()).find((a) => a.id === raisedId);
    assert.equal(escalated?.action, 'freeze');

    // Frozen: the reader's next opening is refused by the release service, nothing of the cable shown.
    const open = async (id: CableId) => {
      await reader!.page.goto(`${net.url}/#/cable/${id}`);
      await reader!.page.waitForFunction((want) => document.querySelector('#reader-title code')?.textContent === want, id, { timeout: 30_000 });
    };
    await open(readable[3]!);
    const refused = reader.page.getByTestId('reader-error');
    await refused.waitFor({ timeout: 30_000 });
    assert.match((await refused.textContent()) ?? '', /Your account is frozen after a security alert/);
    assert.equal(await reader.page.getByTestId('cable-body').count(), 0);

    // One officer's clearing records the request; the freeze holds until a second, different officer clears.
    await row.getByRole('button', { name: `Clear alert ${raisedId}` }).click();
    await page.getByRole('status').filter({ hasText: `Clearance of alert ${raisedId} recorded` }).waitFor({ timeout: 30_000 });
    assert.deepEqual(stepUps, ['POST', 'POST'], 'clearing asked for a passkey step-up too');
    // The list reloads after the message: wait for the row's new state rather than read the old one.
    await row.locator('td').nth(7).filter({ hasText: /clearance asked by ines\.moreau, a second officer must clear/ }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'security-alert-clearance-1280.png'), fullPage: true });
    const second = await clearAlert(await net.sessionOf('piotr.nowak'), raisedId);
    assert.deepEqual([second.alert.state, second.unfrozen], ['cleared', true]);

    await open(readable[0]!);
    await reader.page.getByTestId('cable-body').waitFor({ timeout: 30_000 });
    await reader.context.close();
    await ines.context.close();
  });
});
