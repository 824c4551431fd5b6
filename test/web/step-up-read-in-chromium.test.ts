// A step_up alert met in the browser (issue 7 "require step-up (fresh passkey assertion) before the next read";
// docs/detection.md "Step-up"): a demo person with a reading history on their CLI device enrolls a browser; its
// first read is the first from a new device, so the node's live detector raises new_device_or_network (step_up).
// The next cable the browser opens is refused until the person confirms with the passkey (Chromium's virtual
// authenticator): the reader shows the prompt, the confirmation opens the cable, the alert is satisfied in the
// person's name, and the cable after that opens without asking.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId } from '../../src/cable/types.ts';
import { RemoteError } from '../../src/client/http.ts';
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
    const b = await enrollInBrowser(net, READER);
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
    await b.context.close();
  });
});
