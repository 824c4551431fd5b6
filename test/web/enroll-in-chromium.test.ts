// A browser becomes a device in real Chromium (virtual authenticator with PRF): an officer's one-time code, a
// passkey, the pending screen with the fingerprint the officer checks, approval, grants re-sealed by the person's
// own CLI device, sign-in; a reload locks the keys until the passkey unlocks them again; what IndexedDB keeps is
// sealed. A synced (backup-eligible) passkey and an authenticator without PRF are refused before anything is filed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, enrollInBrowser, enrollmentCode, openBrowserUser, startWebNetwork, type WebNetwork } from './support/web-network.ts';

describe('web app in Chromium: enrolling a browser with a passkey', () => {
  let net: WebNetwork;
  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it('enrolls, waits for approval, signs in; a reload needs the passkey again; IndexedDB holds only sealed keys', async () => {
    const b = await enrollInBrowser(net, 'sofia.ricci');
    const { page } = b;
    assert.equal(await page.getByTestId('signed-in-user').textContent(), 'sofia.ricci');
    await page.screenshot({ path: join(ARTIFACTS, 'workspace-1280.png'), fullPage: true });

    const stored = await page.evaluate<{ keys: string[]; sealed: number; salt: number }>(`new Promise((resolve, reject) => {
      const r = indexedDB.open('chancery');
      r.onsuccess = () => {
        const get = r.result.transaction('device').objectStore('device').get('current');
        get.onsuccess = () => resolve({ keys: Object.keys(get.result).sort(), sealed: get.result.sealed.length, salt: get.result.prfSalt.length });
        get.onerror = () => reject(get.error);
      };
      r.onerror = () => reject(r.error);
    })`);
    assert.deepEqual(stored.keys, ['credentialId', 'device', 'enrolledAt', 'fingerprint', 'iv', 'logKeyFingerprint', 'node', 'prfSalt', 'rootFingerprint', 'sealed', 'url', 'user', 'version']);
    assert.equal(stored.sealed, 64 + 16, 'two 32-byte seeds and the GCM tag, nothing else');
    assert.equal(stored.salt, 32);

    await page.reload();
    await page.getByRole('button', { name: 'Sign in with your passkey' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in-enrolled-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign in with your passkey' }).click();
    await page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });

    // Without the session cookie the device's own signed requests are refused: the passkey is a second factor.
    const cookies = await b.context.cookies();
    const session = cookies.find((c) => c.name.includes('chancery-session'));
    assert.ok(session, `a session cookie: ${JSON.stringify(cookies.map((c) => c.name))}`);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.secure, true);
    assert.deepEqual(b.foreign, [], 'no request leaves the node');
    assert.deepEqual(b.errors, [], 'no console errors');
    await b.context.close();
  });

  it('refuses a synced (backup-eligible) passkey, and files nothing', async () => {
    const b = await openBrowserUser(net, 'jan.devries', { backupEligible: true });
    await b.page.goto(`${net.url}/#/enroll`);
    await b.page.getByLabel('Your user id').fill('jan.devries');
    await b.page.getByLabel('One-time enrollment code').fill(await enrollmentCode(net, 'jan.devries'));
    await b.page.getByRole('button', { name: /create a passkey/i }).click();
    const alert = b.page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    assert.match((await alert.textContent()) ?? '', /backup|synced|device-bound/i);
    await b.page.screenshot({ path: join(ARTIFACTS, 'enroll-refused-synced.png'), fullPage: true });
    const officer = await net.sessionOf('ines.moreau');
    const devices = (await officer.http.get('/api/v1/devices/jan.devries')) as { devices: { device: string }[] };
    assert.ok(!devices.devices.some((d) => d.device.startsWith('web-')), 'no browser device was filed');
    await b.context.close();
  });

  it('refuses an authenticator without PRF before filing anything', async () => {
    const b = await openBrowserUser(net, 'aoife.byrne', { prf: false });
    await b.page.goto(`${net.url}/#/enroll`);
    await b.page.getByLabel('Your user id').fill('aoife.byrne');
    await b.page.getByLabel('One-time enrollment code').fill(await enrollmentCode(net, 'aoife.byrne'));
    await b.page.getByRole('button', { name: /create a passkey/i }).click();
    const alert = b.page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    assert.match((await alert.textContent()) ?? '', /PRF/);
    const officer = await net.sessionOf('ines.moreau');
    const devices = (await officer.http.get('/api/v1/devices/aoife.byrne')) as { devices: { device: string }[] };
    assert.ok(!devices.devices.some((d) => d.device.startsWith('web-')), 'no browser device was filed');
    await b.context.close();
  });
});
