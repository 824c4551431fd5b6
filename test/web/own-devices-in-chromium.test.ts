// "My devices" in real Chromium: joao.almeida, enrolled in browser A, issues an enrollment code for himself, enrolls
// browser B with it, approves B from A by the fingerprint B shows (after a passkey step-up), and re-seals his office
// keys to it from A. B then opens a cable addressed to his office — which, signed in before the re-seal, it could not.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { UserId } from '../../src/cable/types.ts';
import { listDevices } from '../../src/client/key-directory.ts';
import { ARTIFACTS, enrollInBrowser, openBrowserUser, startWebNetwork, submitEnrollment, waitForOpenedCable, type WebNetwork } from './support/web-network.ts';

const JOAO = 'joao.almeida' as UserId;

describe('web app in Chromium: my devices', () => {
  let net: WebNetwork;
  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it('issues a code for a new browser of mine, approves it by its fingerprint, re-seals my keys to it, and it reads', async () => {
    const cable = net.demo.cables.find((c) => c.drafter !== JOAO);
    assert.ok(cable, 'a demo cable addressed to joao’s office');
    const a = await enrollInBrowser(net, JOAO);
    const nav = a.page.getByRole('navigation', { name: 'Chancery' });
    await nav.getByRole('link', { name: 'My devices', exact: true }).click();
    await a.page.getByRole('heading', { name: 'My devices' }).waitFor();
    const thisRow = a.page.locator(`[data-testid="own-device"][data-device="${a.device}"]`);
    await thisRow.getByTestId('this-browser').waitFor({ timeout: 30_000 });
    assert.equal(await thisRow.getAttribute('data-status'), 'approved');

    await a.page.getByRole('button', { name: 'Issue an enrollment code for my new device' }).click();
    const code = ((await a.page.getByTestId('own-enrollment-code').textContent({ timeout: 30_000 })) ?? '').trim();
    assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await a.page.screenshot({ path: join(ARTIFACTS, 'my-devices-code-1280.png'), fullPage: true });

    // Browser B enrolls with that code and shows its fingerprint.
    const b = await openBrowserUser(net, JOAO);
    await submitEnrollment(b, net.url, code);
    const fingerprint = ((await b.page.getByTestId('device-fingerprint').textContent()) ?? '').trim();

    // A approves B by the fingerprint typed in, after a passkey step-up.
    const stepUps: string[] = [];
    a.page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/web/step-up') stepUps.push(r.method());
    });
    await a.page.getByRole('button', { name: 'Refresh my devices' }).click();
    const newRow = a.page.locator(`[data-testid="own-device"][data-device="${b.device}"]`);
    await newRow.waitFor({ timeout: 30_000 });
    assert.equal(await newRow.getAttribute('data-status'), 'pending');
    await newRow.getByLabel('Fingerprint shown on the new device').fill(fingerprint.toUpperCase());
    await a.page.screenshot({ path: join(ARTIFACTS, 'my-devices-pending-1280.png'), fullPage: true });
    await newRow.getByRole('button', { name: `Approve my device ${b.device}` }).click();
    await a.page.getByRole('status').filter({ hasText: `Device ${b.device} approved` }).waitFor({ timeout: 30_000 });
    assert.deepEqual(stepUps, ['POST'], 'the approval asked for a passkey step-up first');
    const cli = await net.sessionOf(JOAO);
    const listed = (await listDevices(cli, JOAO)).find((d) => d.device === b.device);
    assert.equal(listed?.status, 'approved');
    assert.deepEqual(listed.record?.approval, { kind: 'device', device: a.device }, 'approved by browser A');

    // B signs in: approved, but holding no office key yet, it cannot open the cable.
    await b.page.getByRole('button', { name: 'Check again' }).click();
    await b.page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
    await b.page.goto(`${net.url}/#/cable/${cable.id}`);
    const refused = b.page.locator('main [role="alert"], [data-testid="reader-step-up"]').first();
    await refused.or(b.page.locator('#cable-subject')).first().waitFor({ timeout: 30_000 });
    if (await b.page.getByTestId('reader-step-up').isVisible()) {
      await b.page.getByRole('button', { name: 'Confirm with your passkey' }).click();
      await b.page.locator('main [role="alert"]').or(b.page.locator('#cable-subject')).first().waitFor({ timeout: 30_000 });
    }
    assert.equal(await b.page.locator('#cable-subject').count(), 0, 'without the re-sealed keys the cable does not open');
    assert.match((await b.page.locator('main [role="alert"]').first().textContent()) ?? '', /holds no key that opens/);
    await b.page.screenshot({ path: join(ARTIFACTS, 'my-devices-b-before-reseal-1280.png'), fullPage: true });

    // A re-seals its office keys to B; B opens the cable.
    const approvedRow = a.page.locator(`[data-testid="own-device"][data-device="${b.device}"][data-status="approved"]`);
    await approvedRow.waitFor({ timeout: 30_000 });
    await approvedRow.getByRole('button', { name: `Re-seal my office keys to ${b.device}` }).click();
    await a.page.getByRole('status').filter({ hasText: /Re-sealed \d+ office keys? to/ }).waitFor({ timeout: 60_000 });
    await a.page.screenshot({ path: join(ARTIFACTS, 'my-devices-resealed-1280.png'), fullPage: true });

    await b.page.goto(`${net.url}/#/inbox`);
    await b.page.goto(`${net.url}/#/cable/${cable.id}`);
    await waitForOpenedCable(b.page, b.errors, 60_000);
    assert.equal((await b.page.getByTestId('cable-id').textContent())?.trim(), cable.id);
    await b.page.screenshot({ path: join(ARTIFACTS, 'my-devices-b-reads-1280.png'), fullPage: true });

    assert.deepEqual(a.foreign, [], 'no request leaves the node');
    assert.deepEqual(a.errors, [], 'no console errors or refused requests in A');
    await b.context.close();
    await a.context.close();
  });
});
