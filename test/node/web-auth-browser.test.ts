// The session cookie in a real browser: Chromium must keep a Secure, __Host- cookie set by http://localhost:PORT
// (localhost is a secure context), or the demo's web app could never hold a session (docs/web-auth.md "Sessions").
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { SESSION_COOKIE, sessionCookie } from '../../src/node/web-auth/sessions.ts';
import { freePort } from '../support/ports.ts';

describe('session cookie in Chromium on http://localhost', () => {
  const secret = 'A'.repeat(43);
  const seen: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/set') res.setHeader('Set-Cookie', sessionCookie(secret));
    else seen.push(req.headers.cookie);
    res.setHeader('Content-Type', 'text/plain');
    res.end('ok');
  });
  let browser: Browser;
  let port: number;
  before(async () => {
    port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser.close();
    server.close();
  });

  it('keeps the __Host-, Secure, HttpOnly, SameSite=Strict cookie and sends it back', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://localhost:${port}/set`);
    await page.goto(`http://localhost:${port}/echo`);
    const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
    assert.ok(cookie, 'Chromium dropped the cookie');
    assert.deepEqual([cookie.value, cookie.secure, cookie.httpOnly, cookie.sameSite, cookie.path], [secret, true, true, 'Strict', '/']);
    assert.equal(seen.at(-1), `${SESSION_COOKIE}=${secret}`);
    // Not readable by the page's script.
    assert.equal(await page.evaluate(() => document.cookie), '');
    await context.close();
  });
});
