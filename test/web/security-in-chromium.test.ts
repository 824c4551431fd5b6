// The Security and Admin screens in real Chromium: an officer (ines.moreau, enrolled in the browser) sees another
// person's pending browser device with the fingerprint that person's pending screen shows, approves it from the
// browser after a passkey step-up (virtual authenticator: the record is signed by the browser's own device key, which
// chains to ines's officer certificate), and the node lists it approved; an audit-log entry's inclusion proof is
// verified against the device's log view; alerts, key epochs and the admin lists render, at 1280 and 390 px.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { listDevices, verifiedDevice } from '../../src/client/key-directory.ts';
import { ARTIFACTS, enrollInBrowser, enrollmentCode, openBrowserUser, startWebNetwork, submitEnrollment, type WebNetwork } from './support/web-network.ts';

describe('web app in Chromium: the Security and Admin screens', () => {
  let net: WebNetwork;
  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it('approves a pending browser device by its fingerprint, verifies a log entry, lists alerts, epochs and the directory', async () => {
    const ines = await enrollInBrowser(net, 'ines.moreau');
    const { page } = ines;
    const nav = page.getByRole('navigation', { name: 'Chancery' });
    await nav.getByRole('link', { name: 'Security', exact: true }).click();
    await page.getByRole('heading', { name: 'Security', exact: true }).waitFor();

    // Alerts: the demo raises none, so the empty state (a real alert is not provoked here).
    assert.equal(await page.getByRole('tab', { name: 'Alerts' }).getAttribute('aria-selected'), 'true');
    await page.getByTestId('alerts-empty').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'security-alerts-1280.png'), fullPage: true });

    // Another person files a browser enrollment with a code.
    const aoife = await openBrowserUser(net, 'aoife.byrne');
    await submitEnrollment(aoife, net.url, await enrollmentCode(net, 'aoife.byrne'));
    const shown = ((await aoife.page.getByTestId('device-fingerprint').textContent()) ?? '').trim();
    assert.match(shown, /^[0-9a-f]{4}(-[0-9a-f]{4}){4}$/);

    await page.getByRole('tab', { name: 'Devices' }).click();
    const row = page.locator(`[data-testid="pending-device"][data-device="${aoife.device}"]`);
    await row.waitFor({ timeout: 60_000 });
    assert.equal(await row.getAttribute('data-user'), 'aoife.byrne');
    assert.equal((await row.getByTestId('pending-fingerprint').textContent())?.trim(), shown, 'the officer sees the fingerprint the person reads out');
    await page.screenshot({ path: join(ARTIFACTS, 'security-devices-1280.png'), fullPage: true });

    // Approving from the browser: a passkey step-up (virtual authenticator), then a record signed by this browser's
    // own device key, naming it as the officer's approving device; the node chains it through the browser's record
    // to ines's root-signed certificate and lists the device approved.
    const stepUps: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/web/step-up') stepUps.push(r.method());
    });
    await page.getByRole('button', { name: `Approve device ${aoife.device} of aoife.byrne` }).click();
    await page.getByRole('status').filter({ hasText: `Device ${aoife.device} of aoife.byrne approved` }).waitFor({ timeout: 30_000 });
    assert.deepEqual(stepUps, ['POST'], 'the approval asked for a passkey step-up first');
    await page.screenshot({ path: join(ARTIFACTS, 'security-devices-approved-1280.png'), fullPage: true });
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    const officer = await net.sessionOf('ines.moreau');
    const listed = await listDevices(officer, 'aoife.byrne' as UserId);
    const approvedDevice = listed.find((d) => d.device === aoife.device);
    assert.equal(approvedDevice?.status, 'approved', 'the node lists the device approved');
    assert.deepEqual(approvedDevice.record?.approval, { kind: 'officer', officer: 'ines.moreau', device: ines.device }, 'approved by the officer from this browser');
    // A reader checking the chain (as a sender or reader of aoife's signatures would) accepts it.
    const verified = await verifiedDevice(officer, 'aoife.byrne' as UserId, aoife.device as DeviceId);
    // Through this browser's record, approved by ines's CLI device, to her root-signed certificate.
    assert.deepEqual(verified.path.map((d) => `${d.user}/${d.device}`), [`ines.moreau/${ines.device}`, 'ines.moreau/d-ines-1']);
    assert.equal(verified.officer.user, 'ines.moreau');

    // An enrollment code issued from the screen, shown once.
    await page.getByLabel('User').selectOption('jan.devries');
    await page.getByRole('button', { name: 'Issue enrollment code' }).click();
    assert.match((await page.getByTestId('enrollment-code').textContent({ timeout: 30_000 })) ?? '', /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    // Audit log: the approval is among the last entries; its inclusion proof verifies.
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const approved = page.locator('[data-testid="log-entry"]').filter({ hasText: 'device.approved' }).first();
    await approved.waitFor({ timeout: 30_000 });
    await approved.getByRole('button', { name: /Verify inclusion of entry \d+/ }).click();
    await approved.getByText(/verified ✓/).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'security-audit-1280.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Key epochs' }).click();
    await page.getByTestId('epoch-row').first().waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('epoch-row').first().textContent()) ?? '', /epoch \d/);
    await page.screenshot({ path: join(ARTIFACTS, 'security-epochs-1280.png'), fullPage: true });

    await nav.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByTestId('office-row').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'admin-offices-1280.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.locator('[data-testid="user-row"]').filter({ hasText: 'aoife.byrne' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'admin-users-1280.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Peers' }).click();
    await page.getByText(/peer|no peers/i).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'admin-peers-1280.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await nav.getByRole('link', { name: 'Security', exact: true }).click();
    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByTestId('log-entry').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'security-audit-390.png'), fullPage: true });

    assert.deepEqual(ines.foreign, [], 'no request leaves the node');
    assert.deepEqual(ines.errors, [], 'no console errors or refused requests');
    await aoife.context.close();
    await ines.context.close();
  });
});
