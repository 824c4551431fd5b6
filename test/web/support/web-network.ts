// The web app end to end: the demo network (offices, people with CLI key files, cables) served by a real node
// process at http://localhost:PORT (WebAuthn needs a host name), a build of the app of its own, and headless
// Chromium. `enrollInBrowser` takes a demo person through the real enrollment: an officer's one-time code, a
// passkey on Chromium's virtual authenticator (with PRF, device-bound), the officer's approval and the person's own
// CLI device re-sealing its grants to the browser — then the browser signs in.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import type { DeviceId, UserId } from '../../../src/cable/types.ts';
import { approveDevice } from '../../../src/client/admin.ts';
import { resealGrants } from '../../../src/client/key-admin.ts';
import { openSessionFromKeyFile } from '../../../src/client/key-file-session.ts';
import type { Session } from '../../../src/client/session.ts';
import { nodeProvider } from '../../../src/crypto/node-provider.ts';
import { DEMO_PASSPHRASE, type DemoResult } from '../../../src/demo/network.ts';
import { demoCopy } from './demo-template.ts';
import { spawnNode, type NodeProcess } from '../../support/node-process.ts';
import { freePort } from '../../support/ports.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/web/', import.meta.url));

export interface WebNetwork {
  readonly url: string;
  readonly demo: DemoResult;
  readonly node: NodeProcess;
  readonly browser: Browser;
  /** A CLI session of a demo person (their key file), for what the test does outside the browser. */
  sessionOf(user: string): Promise<Session>;
  close(): Promise<void>;
}

/** A copy of the run's demo network (support/demo-template.ts) served by a node process, and a browser; `close` undoes it. */
export async function startWebNetwork(): Promise<WebNetwork> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run scripts/setup-system.sh (apt-get install -y chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const copy = await demoCopy();
  const { dataDir, demo } = copy;
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  const sessions: Session[] = [];
  try {
    process.env.CHANCERY_WEB_DIR = copy.web;
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const node = await spawnNode(dataDir, { serveArgs: ['--port', String(port), '--url', url] });
    cleanups.push(() => node.kill());
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    return {
      url,
      demo,
      node,
      browser,
      async sessionOf(user) {
        const person = demo.people.find((p) => p.id === user);
        if (!person) throw new Error(`no demo person ${user}`);
        const s = await openSessionFromKeyFile(nodeProvider, { keyFile: person.keyFile, passphrase: DEMO_PASSPHRASE, url });
        sessions.push(s);
        return s;
      },
      async close() {
        for (const s of sessions) s.close();
        for (const undo of cleanups.reverse()) await undo();
      },
    };
  } catch (error) {
    for (const undo of cleanups.reverse()) await undo();
    throw error;
  }
}

/** A browser context for one person, with its own virtual authenticator and what the page logged. */
export interface BrowserUser {
  readonly user: UserId;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
  device: DeviceId | null;
  /** Console errors, page errors and 4xx/5xx answers the page saw (tests that expect none assert it empty). */
  readonly errors: string[];
  /** Requests that left the node's origin (must stay empty: no third-party request at all). */
  readonly foreign: string[];
}

export interface AuthenticatorOptions {
  /** Chromium's virtual authenticator marks credentials backup eligible (a synced passkey) when true. */
  readonly backupEligible?: boolean;
  readonly prf?: boolean;
}

/** Opens a fresh context (its own IndexedDB and cookies) with a virtual platform authenticator. */
export async function openBrowserUser(net: WebNetwork, user: string, options: AuthenticatorOptions = {}, viewport = { width: 1280, height: 860 }): Promise<BrowserUser> {
  const context = await net.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} for ${r.url()}`);
  });
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== new URL(net.url).origin) foreign.push(r.url());
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      hasPrf: options.prf ?? true,
      defaultBackupEligibility: options.backupEligible ?? false,
      defaultBackupState: false,
    },
  });
  return { user: user as UserId, context, page, cdp, authenticatorId, device: null, errors, foreign };
}

/** An officer's one-time enrollment code for `user`. */
export async function enrollmentCode(net: WebNetwork, user: string, officer = 'ines.moreau'): Promise<string> {
  const s = await net.sessionOf(officer);
  const answer = (await s.http.post('/api/v1/enrollment-codes', { user })) as { code: string };
  return answer.code;
}

/** Fills and submits the enrollment form; resolves once the page shows the pending screen. */
export async function submitEnrollment(b: BrowserUser, url: string, code: string): Promise<void> {
  await b.page.goto(`${url}/#/enroll`);
  await b.page.getByLabel('Your user id').fill(b.user);
  await b.page.getByLabel('One-time enrollment code').fill(code);
  await b.page.getByRole('button', { name: /create a passkey/i }).click();
  await b.page.getByRole('heading', { name: 'Waiting for approval' }).waitFor({ timeout: 30_000 });
  b.device = (await b.page.getByTestId('device-id').textContent()) as DeviceId;
}

/**
 * The whole enrollment of a demo person's browser: code, passkey, approval by the officer (checking the fingerprint
 * the page shows), grants re-sealed by the person's own CLI device, sign-in; resolves in the workspace.
 */
export async function enrollInBrowser(net: WebNetwork, user: string, options: AuthenticatorOptions = {}): Promise<BrowserUser> {
  const b = await openBrowserUser(net, user, options);
  await submitEnrollment(b, net.url, await enrollmentCode(net, user));
  const fingerprint = (await b.page.getByTestId('device-fingerprint').textContent()) ?? '';
  const officer = await net.sessionOf('ines.moreau');
  await approveDevice(officer, b.user, b.device as DeviceId, fingerprint);
  await resealGrants(await net.sessionOf(user), b.device as DeviceId);
  await b.page.getByRole('button', { name: 'Check again' }).click();
  await b.page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
  return b;
}

/**
 * Waits for the reader to show a cable. A device new to its user trips the detector's `new_device_or_network` rule
 * on its first read, and the next read asks for a passkey confirmation (docs/detection.md "Step-up"): confirmed
 * here, as the person would, with the virtual authenticator. The share the node refused before the confirmation
 * (401 `auth.step_up_required`, which Chromium also reports on the console) is taken out of `errors`: expected.
 */
export async function waitForOpenedCable(page: Page, errors?: string[], timeout = 30_000): Promise<boolean> {
  const subject = page.locator('#cable-subject');
  const prompt = page.getByTestId('reader-step-up');
  await subject.or(prompt).first().waitFor({ timeout });
  if (!(await prompt.isVisible())) return false;
  await page.getByRole('button', { name: 'Confirm with your passkey' }).click();
  await subject.waitFor({ timeout });
  if (errors) {
    const expected = (e: string) => /^401 for .*\/share$/.test(e) || /status of 401 \(Unauthorized\)/.test(e);
    const kept = errors.filter((e) => !expected(e));
    errors.splice(0, errors.length, ...kept);
  }
  return true;
}
