// Shared steps of the passkey tests: a node on a clock the test moves, enrollment codes, a browser device registered
// with a software authenticator, and a passkey login's cookie.
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { toBase64 } from '../../src/bytes.ts';
import { generateDeviceKeys, type DeviceKeys } from '../../src/client/device-keys.ts';
import { SoftAuthenticator, type SoftOptions } from '../support/soft-authenticator.ts';
import { approve, makeNode, NODE, p, send, sessionOf, userBody, type Reply, type Session, type SendOptions, type TestNode } from './fixtures.ts';

export interface Clocked {
  readonly node: TestNode;
  advance(ms: number): void;
}

export async function clockedNode(): Promise<Clocked> {
  let offset = 0;
  const node = await makeNode({ now: () => Date.now() + offset });
  return { node, advance: (ms) => void (offset += ms) };
}

export const origin = (node: TestNode): string => new URL(node.context.identity.url).origin;

export async function createUser(node: TestNode, user: string, memberships: readonly object[] = []): Promise<UserId> {
  const r = await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody(user, 'SECRET', memberships) });
  if (r.status !== 201 && r.status !== 200) throw new Error(`creating ${user}: ${r.status} ${r.text}`);
  return user as UserId;
}

export async function issueCode(node: TestNode, by: Session, user: UserId): Promise<Reply> {
  return send(node, by, 'POST', '/api/v1/enrollment-codes', { body: { user } });
}

export async function codeFor(node: TestNode, user: UserId): Promise<string> {
  const r = await issueCode(node, node.officer, user);
  if (r.status !== 201) throw new Error(`code: ${r.status} ${r.text}`);
  return (r.json as { code: string }).code;
}

export interface Browser {
  readonly keys: DeviceKeys;
  readonly authenticator: SoftAuthenticator;
}

/** Registration options then the signed registration, as the web app does; returns both replies. */
export async function register(node: TestNode, user: UserId, device: string, code: string, o: SoftOptions = {}): Promise<{ browser: Browser; options: Reply; reply: Reply }> {
  const keys = await generateDeviceKeys(p, user, device as DeviceId, NODE);
  const authenticator = new SoftAuthenticator();
  const options = await send(node, null, 'POST', '/api/v1/web/registration/options', { body: { user, device, code } });
  if (options.status !== 200) return { browser: { keys, authenticator }, options, reply: options };
  const credential = authenticator.create((options.json as { options: { challenge: string; rp: { id?: string } } }).options, origin(node), o);
  const body = { user, device, signingKey: toBase64(keys.signingKey), encryptionKey: toBase64(keys.encryptionKey), code, credential };
  const reply = await send(node, sessionOf(keys), 'POST', '/api/v1/web/registration', { body });
  return { browser: { keys, authenticator }, options, reply };
}

/** A user with an approved browser device (a registered passkey). */
export async function approvedBrowser(node: TestNode, user: UserId, device = `w-${user}`): Promise<Browser> {
  const { browser, reply } = await register(node, user, device, await codeFor(node, user));
  if (reply.status !== 201) throw new Error(`registering: ${reply.status} ${reply.text}`);
  const approved = await approve(node, browser.keys);
  if (approved.status !== 200) throw new Error(`approving: ${approved.status} ${approved.text}`);
  return browser;
}

/** Login options then the assertion; the reply carries the Set-Cookie. */
export async function login(node: TestNode, browser: Browser, o: SoftOptions = {}): Promise<{ reply: Reply; cookie: string; assertion: unknown }> {
  const user = browser.keys.user;
  const options = await send(node, null, 'POST', '/api/v1/web/login/options', { body: { user } });
  if (options.status !== 200) throw new Error(`login options: ${options.status} ${options.text}`);
  const assertion = browser.authenticator.get((options.json as { options: { challenge: string; rpId?: string } }).options, origin(node), o);
  const reply = await send(node, null, 'POST', '/api/v1/web/login', { body: { user, credential: assertion } });
  const set = reply.headers.get('set-cookie') ?? '';
  return { reply, cookie: set.split(';')[0] ?? '', assertion };
}

/** A step-up in the session `cookie`. */
export async function stepUp(node: TestNode, browser: Browser, cookie: string): Promise<Reply> {
  const options = await send(node, null, 'POST', '/api/v1/web/step-up/options', { body: {}, headers: { cookie } });
  if (options.status !== 200) return options;
  const credential = browser.authenticator.get((options.json as { options: { challenge: string; rpId?: string } }).options, origin(node));
  return send(node, null, 'POST', '/api/v1/web/step-up', { body: { credential }, headers: { cookie } });
}

/** A request signed by the browser's device key, with the session cookie when given. */
export function signed(node: TestNode, browser: Browser, method: string, path: string, cookie: string | null, o: SendOptions = {}): Promise<Reply> {
  return send(node, sessionOf(browser.keys), method, path, { ...o, headers: { ...(o.headers ?? {}), ...(cookie ? { cookie } : {}) } });
}
