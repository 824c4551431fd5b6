// Passkeys at the node (docs/web-auth.md): enrollment codes, registration, login, sessions on browser devices,
// step-up on protected actions, logout — driven in-process with a software authenticator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserId } from '../../src/cable/types.ts';
import { webAuthRoutes } from '../../src/node/routes/web-auth.ts';
import { AMERICAS, codeOf, send, sessionOf, tableDigest, type TestNode } from './fixtures.ts';
import { approvedUser } from './fixtures.ts';
import { approvedBrowser, clockedNode, codeFor, createUser, issueCode, login, register, signed, stepUp, type Browser, type Clocked } from './web-auth-support.ts';

describe('web auth: enrollment codes', () => {
  let c: Clocked;
  let node: TestNode;
  let anna: UserId;
  before(async () => {
    c = await clockedNode();
    node = c.node;
    await send(node, node.officer, 'POST', '/api/v1/offices', { body: { code: AMERICAS, name: 'Americas', ceiling: 'SECRET', communities: ['EU'] } });
    anna = await createUser(node, 'anna', [{ office: AMERICAS, role: 'member' }]);
  });
  after(() => node.close());

  it('an officer issues a code: 16 Crockford base32 characters in four groups, 24 h; a stranger may not', async () => {
    const r = await issueCode(node, node.officer, anna);
    assert.equal(r.status, 201, r.text);
    const body = r.json as { user: string; code: string; expiresAt: number };
    assert.equal(body.user, 'anna');
    assert.match(body.code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    assert.ok(Math.abs(body.expiresAt - node.context.now() - 24 * 3600_000) < 5000);
    const stranger = await approvedUser(node, 'sven' as UserId, 'SECRET', []);
    const refused = await issueCode(node, sessionOf(stranger), anna);
    assert.equal(refused.status, 403);
    assert.equal(codeOf(refused), 'request.forbidden');
    // The user may issue their own from an approved device.
    assert.equal((await issueCode(node, sessionOf(stranger), 'sven' as UserId)).status, 201);
  });

  it('a code is single use; an expired one is refused', async () => {
    const code = await codeFor(node, anna);
    const first = await register(node, anna, 'w-anna-1', code);
    assert.equal(first.reply.status, 201, first.reply.text);
    const again = await send(node, null, 'POST', '/api/v1/web/registration/options', { body: { user: anna, device: 'w-anna-2', code } });
    assert.equal(again.status, 403);
    assert.equal(codeOf(again), 'enrollment.bad_code');
    const old = await codeFor(node, anna);
    c.advance(24 * 3600_000 + 1000);
    const expired = await send(node, null, 'POST', '/api/v1/web/registration/options', { body: { user: anna, device: 'w-anna-3', code: old } });
    assert.equal(codeOf(expired), 'enrollment.bad_code');
    assert.match(expired.text, /expired/);
    c.advance(16 * 60_000); // past the lockout window these failures opened
  });

  it('five wrong codes in 15 minutes lock the user out (429), even with the right code; the window passes', async () => {
    const bea = await createUser(node, 'bea');
    const good = await codeFor(node, bea);
    for (let i = 0; i < 5; i++) {
      const r = await send(node, null, 'POST', '/api/v1/web/registration/options', { body: { user: bea, device: 'w-bea-1', code: 'AAAA-BBBB-CCCC-DDDD' } });
      assert.equal(codeOf(r), 'enrollment.bad_code');
    }
    const locked = await send(node, null, 'POST', '/api/v1/web/registration/options', { body: { user: bea, device: 'w-bea-1', code: good } });
    assert.equal(locked.status, 429);
    assert.equal(codeOf(locked), 'enrollment.locked');
    // Another user is not locked.
    assert.equal((await register(node, anna, 'w-anna-9', await codeFor(node, anna))).reply.status, 201);
    c.advance(15 * 60_000 + 1);
    assert.equal((await register(node, bea, 'w-bea-1', good)).reply.status, 201);
  });
});

describe('web auth: registration', () => {
  let node: TestNode;
  let carl: UserId;
  before(async () => {
    node = (await clockedNode()).node;
    carl = await createUser(node, 'carl');
  });
  after(() => node.close());

  it('stores the pending device, the credential and the used code in one logged write', async () => {
    const db = tableDigest(node.dataDir);
    try {
      const before = db.digest();
      const code = await codeFor(node, carl);
      const mid = db.digest();
      const { browser, reply } = await register(node, carl, 'w-carl-1', code);
      assert.equal(reply.status, 201, reply.text);
      assert.deepEqual(reply.json, { user: 'carl', device: 'w-carl-1', status: 'pending' });
      const after = db.digest();
      assert.notEqual(before.enrollment_codes, mid.enrollment_codes);
      for (const table of ['devices', 'web_credentials', 'enrollment_codes', 'log_entries']) if (table in after) assert.notEqual(after[table], mid[table], table);
      const { device, credential, used } = node.context.store.transaction((tx) => ({
        device: tx.getDevice(carl, browser.keys.device),
        credential: tx.getWebCredentialOfDevice(carl, browser.keys.device),
        used: tx.listWebCredentials(carl).length,
      }));
      assert.equal(device?.status, 'pending');
      assert.equal(credential?.id, browser.authenticator.id);
      assert.equal(used, 1);
    } finally {
      db.close();
    }
  });

  it('refuses a backup-eligible or synced passkey, writing nothing and keeping the code', async () => {
    const code = await codeFor(node, carl);
    const db = tableDigest(node.dataDir);
    try {
      const before = db.digest();
      for (const o of [{ backupEligible: true }, { backedUp: true }]) {
        const { reply } = await register(node, carl, 'w-carl-2', code, o);
        assert.equal(reply.status, 400);
        assert.equal(codeOf(reply), 'webauthn.backup_eligible');
      }
      assert.deepEqual(db.digest(), before);
    } finally {
      db.close();
    }
    assert.equal((await register(node, carl, 'w-carl-2', code)).reply.status, 201);
  });

  it('refuses a wrong origin, a wrong rp id, no user verification, a replayed challenge', async () => {
    for (const o of [{ origin: 'https://node.test.evil.example' }, { rpId: 'evil.example' }, { uv: false }]) {
      const { reply } = await register(node, carl, 'w-carl-3', await codeFor(node, carl), o);
      assert.equal(reply.status, 400, JSON.stringify(o));
      assert.equal(codeOf(reply), 'webauthn.failed');
    }
    // Replay: a second registration answering the first one's (consumed) challenge.
    const first = await register(node, carl, 'w-carl-4', await codeFor(node, carl));
    assert.equal(first.reply.status, 201);
    const challenge = (first.options.json as { options: { challenge: string } }).options.challenge;
    const replay = await register(node, carl, 'w-carl-5', await codeFor(node, carl), { challenge });
    assert.equal(replay.reply.status, 400);
    assert.equal(codeOf(replay.reply), 'webauthn.failed');
  });

  it('answers 400 webauthn.unsupported_origin when the node is served under an IP address', async () => {
    const route = webAuthRoutes.find((r) => r.path === '/api/v1/web/login/options')!;
    const ipNode = { ...node.context, identity: { ...node.context.identity, url: 'http://127.0.0.1:8080' } };
    await assert.rejects(
      Promise.resolve().then(() => route.handle(ipNode, { params: {}, query: new URLSearchParams(), body: { user: 'carl' }, caller: null, peer: null, now: Date.now(), client: null })),
      (e: unknown) => (e as { code?: string }).code === 'webauthn.unsupported_origin' && /host name/.test((e as Error).message),
    );
  });
});

describe('web auth: login, sessions, step-up, logout', () => {
  let c: Clocked;
  let node: TestNode;
  let dana: UserId;
  let browser: Browser;
  before(async () => {
    c = await clockedNode();
    node = c.node;
    dana = await createUser(node, 'dana');
    browser = await approvedBrowser(node, dana);
  });
  after(() => node.close());

  it('login sets a __Host- cookie: HttpOnly, Secure, SameSite=Strict, Path=/; logged as a login', async () => {
    const sizeBefore = node.context.store.transaction((tx) => tx.logSize());
    const { reply, cookie } = await login(node, browser);
    assert.equal(reply.status, 200, reply.text);
    const set = reply.headers.get('set-cookie') ?? '';
    assert.match(set, /^__Host-chancery-session=[A-Za-z0-9_-]{43};/);
    for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) assert.ok(set.split('; ').includes(attr), attr);
    assert.ok(cookie.startsWith('__Host-chancery-session='));
    const body = reply.json as { user: string; device: string; status: string; idleTimeoutMs: number; expiresAt: number };
    assert.deepEqual([body.user, body.device, body.status, body.idleTimeoutMs], ['dana', 'w-dana', 'approved', 15 * 60_000]);
    assert.ok(Math.abs(body.expiresAt - node.context.now() - 12 * 3600_000) < 5000);
    const sizeAfter = node.context.store.transaction((tx) => tx.logSize());
    assert.equal(sizeAfter, sizeBefore + 1);
    const session = await send(node, null, 'GET', '/api/v1/web/session', { headers: { cookie } });
    assert.equal(session.status, 200);
    assert.equal((session.json as { stepUpUntil: unknown }).stepUpUntil, null);
  });

  it('refuses a replayed assertion and a sign count that does not move forward', async () => {
    const { reply, assertion } = await login(node, browser);
    assert.equal(reply.status, 200);
    const replay = await send(node, null, 'POST', '/api/v1/web/login', { body: { user: dana, credential: assertion } });
    assert.equal(codeOf(replay), 'webauthn.failed');
    browser.authenticator.signCount -= 2; // a clone behind the original
    const options = await send(node, null, 'POST', '/api/v1/web/login/options', { body: { user: dana } });
    const cloned = browser.authenticator.get((options.json as { options: { challenge: string; rpId: string } }).options, 'http://node.test');
    const refused = await send(node, null, 'POST', '/api/v1/web/login', { body: { user: dana, credential: cloned } });
    assert.equal(codeOf(refused), 'webauthn.failed');
    assert.match(refused.text, /counter/);
    browser.authenticator.signCount += 5;
  });

  it("a browser device's signed request needs its own live session; a CLI device's does not", async () => {
    const none = await signed(node, browser, 'GET', `/api/v1/devices/${dana}`, null);
    assert.equal(none.status, 401);
    assert.equal(codeOf(none), 'auth.session_required');
    const { cookie } = await login(node, browser);
    assert.equal((await signed(node, browser, 'GET', `/api/v1/devices/${dana}`, cookie)).status, 200);
    const bogus = await signed(node, browser, 'GET', `/api/v1/devices/${dana}`, `__Host-chancery-session=${'A'.repeat(43)}`);
    assert.equal(codeOf(bogus), 'auth.session_required');
    // Another browser device's session does not do.
    const eve = await createUser(node, 'eve');
    const other = await approvedBrowser(node, eve);
    const eveSession = await login(node, other);
    assert.equal(codeOf(await signed(node, browser, 'GET', `/api/v1/devices/${dana}`, eveSession.cookie)), 'auth.session_required');
    // The officer's CLI device: no passkey, no session needed.
    assert.equal((await send(node, node.officer, 'GET', `/api/v1/devices/${dana}`)).status, 200);
  });

  it('a session ends after 15 idle minutes (node clock); activity keeps it alive', async () => {
    const { cookie } = await login(node, browser);
    c.advance(10 * 60_000);
    assert.equal((await signed(node, browser, 'GET', `/api/v1/devices/${dana}`, cookie)).status, 200);
    c.advance(10 * 60_000); // 20 min after login, 10 after the last request
    assert.equal((await signed(node, browser, 'GET', `/api/v1/devices/${dana}`, cookie)).status, 200);
    c.advance(15 * 60_000 + 1);
    const idle = await signed(node, browser, 'GET', `/api/v1/devices/${dana}`, cookie);
    assert.equal(idle.status, 401);
    assert.equal(codeOf(idle), 'auth.session_expired');
    assert.equal(codeOf(await send(node, null, 'GET', '/api/v1/web/session', { headers: { cookie } })), 'auth.session_required');
  });

  it('a session ends 12 hours after login however active', async () => {
    const { cookie } = await login(node, browser);
    // A request every 14:59: never idle; the first one past 12 h (the 49th) is refused.
    for (let i = 0; i < 49; i++) {
      c.advance(15 * 60_000 - 1000);
      const r = await send(node, null, 'GET', '/api/v1/web/session', { headers: { cookie } });
      if (i < 48) assert.equal(r.status, 200, `request ${i}`);
      else assert.equal(codeOf(r), 'auth.session_expired');
    }
  });

  it('release, approval and clear need a step-up under 2 minutes old, consumed by the action', async () => {
    const { cookie } = await login(node, browser);
    const protectedCalls: [string, object][] = [
      ['/api/v1/drafts/d-none/release', { envelope: 'AA==' }],
      [`/api/v1/devices/${dana}/w-none/approval`, { record: 'AA==' }],
      ['/api/v1/alerts/a-20990101-9999/clear', {}],
    ];
    for (const [path, body] of protectedCalls) {
      const refused = await signed(node, browser, 'POST', path, cookie, { body });
      assert.equal(refused.status, 401, path);
      assert.equal(codeOf(refused), 'auth.step_up_required', path);
      const up = await stepUp(node, browser, cookie);
      assert.equal(up.status, 200, up.text);
      assert.ok((up.json as { stepUpUntil: number }).stepUpUntil > node.context.now());
      // Past the gate: the handler answers (the draft, device or alert does not exist), not the step-up check.
      const passed = await signed(node, browser, 'POST', path, cookie, { body });
      assert.notEqual(passed.status, 401, `${path}: ${passed.text}`);
      const consumed = await signed(node, browser, 'POST', path, cookie, { body });
      assert.equal(codeOf(consumed), 'auth.step_up_required', path);
    }
    assert.equal((await stepUp(node, browser, cookie)).status, 200);
    c.advance(2 * 60_000);
    assert.equal(codeOf(await signed(node, browser, 'POST', '/api/v1/alerts/a-20990101-9999/clear', cookie, { body: {} })), 'auth.step_up_required');
    // A CLI device needs none.
    assert.notEqual((await send(node, node.officer, 'POST', '/api/v1/alerts/a-20990101-9999/clear', { body: {} })).status, 401);
  });

  it('logout deletes the session and clears the cookie', async () => {
    const { cookie } = await login(node, browser);
    const out = await send(node, null, 'POST', '/api/v1/web/logout', { headers: { cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^__Host-chancery-session=; .*Max-Age=0/);
    assert.equal(codeOf(await send(node, null, 'GET', '/api/v1/web/session', { headers: { cookie } })), 'auth.session_required');
    assert.equal(codeOf(await signed(node, browser, 'GET', `/api/v1/devices/${dana}`, cookie)), 'auth.session_required');
  });

  it('a pending browser device may sign in; its session says so', async () => {
    const fay = await createUser(node, 'fay');
    const { browser: pending, reply } = await register(node, fay, 'w-fay', await codeFor(node, fay));
    assert.equal(reply.status, 201);
    const { reply: loggedIn, cookie } = await login(node, pending);
    assert.equal((loggedIn.json as { status: string }).status, 'pending');
    assert.equal(((await send(node, null, 'GET', '/api/v1/web/session', { headers: { cookie } })).json as { status: string }).status, 'pending');
  });
});
