// Browser sessions (docs/web-auth.md): a passkey login gives the browser a cookie holding a 32-byte random secret;
// the node keeps only its SHA-256. A session ends 15 minutes after its last request or 12 hours after the login,
// whichever comes first. A browser device (one with a passkey) needs a live session of its own on every signed
// request; a protected (`stepUp`) action also needs a step-up under 2 minutes old, which the action consumes.
import { utf8 } from '../../bytes.ts';
import { AuthError } from '../../errors.ts';
import type { StoreTx } from '../../store/store.ts';
import type { WebSessionRow } from '../../store/web-auth.ts';
import { groupCommit } from '../commit-batcher.ts';
import type { NodeContext } from '../node-context.ts';
import type { Caller, Route } from '../route.ts';

/**
 * `__Host-`: the browser accepts it only with Secure, Path=/ and no Domain, so no sibling host or path can plant or
 * shadow it. Chromium treats http://localhost as a secure context and keeps Secure cookies there (checked in
 * test/node/web-auth-browser.test.ts), so the one name serves the demo and production.
 */
export const SESSION_COOKIE = '__Host-chancery-session';
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000;
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
export const STEP_UP_MS = 2 * 60 * 1000;
/** A session's last-seen time is written at most this often: not one write per request. */
const TOUCH_EVERY_MS = 30 * 1000;
const SECRET_CHARS = 43; // 32 bytes, base64url without padding

/** A new session's secret (for the cookie) and row (for the store). */
export function newSession(node: NodeContext, user: WebSessionRow['user'], device: WebSessionRow['device'], now: number): { secret: string; row: WebSessionRow } {
  const secret = Buffer.from(node.p.randomBytes(32)).toString('base64url');
  return { secret, row: { idHash: sessionIdHash(node, secret), user, device, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_LIFETIME_MS, stepUpAt: null } };
}

export function sessionIdHash(node: NodeContext, secret: string): Uint8Array {
  return node.p.sha256(utf8(`chancery/web-session/v1/${secret}`));
}

const ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Strict';

export function sessionCookie(secret: string): string {
  return `${SESSION_COOKIE}=${secret}; ${ATTRIBUTES}; Max-Age=${SESSION_LIFETIME_MS / 1000}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;
}

/** The session secret in a Cookie header, if there is one well formed. */
export function sessionSecretOf(cookieHeader: string | undefined): string | null {
  if (cookieHeader === undefined || cookieHeader.length > 8192) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (value.length === SECRET_CHARS && /^[A-Za-z0-9_-]+$/.test(value)) return value;
  }
  return null;
}

/** The end of a session's life as of `lastSeenAt`: the earlier of idle and absolute ends. */
export function sessionEnd(row: WebSessionRow): number {
  return Math.min(row.lastSeenAt + IDLE_TIMEOUT_MS, row.expiresAt);
}

/**
 * The live session the cookie names (for `caller`'s own device when given), touched; else `auth.session_required`
 * (no cookie, unknown, another device's, a revoked device's) or `auth.session_expired` (idle or too old: deleted).
 */
export async function liveSession(node: NodeContext, cookieHeader: string | undefined, caller: Caller | null): Promise<WebSessionRow> {
  const secret = sessionSecretOf(cookieHeader);
  if (secret === null) throw new AuthError('auth.session_required', 'sign in with your passkey: this request needs a browser session');
  const idHash = sessionIdHash(node, secret);
  const now = node.now();
  const { row, status } = node.store.transaction((tx) => {
    const found = tx.getWebSession(idHash);
    return { row: found, status: found ? tx.getDevice(found.user, found.device)?.status : undefined };
  });
  if (!row || (caller && (row.user !== caller.user || row.device !== caller.device))) {
    throw new AuthError('auth.session_required', 'sign in with your passkey: no session of this device');
  }
  if (status === undefined || status === 'revoked') {
    await groupCommit(node.store, (tx) => tx.deleteWebSession(idHash));
    throw new AuthError('auth.session_required', 'this device is revoked: its session is over');
  }
  if (now >= sessionEnd(row)) {
    await groupCommit(node.store, (tx) => tx.deleteWebSession(idHash));
    throw new AuthError('auth.session_expired', now >= row.expiresAt ? 'the session is 12 hours old: sign in again' : 'the session was idle for 15 minutes: sign in again');
  }
  if (now - row.lastSeenAt > TOUCH_EVERY_MS) {
    await groupCommit(node.store, (tx) => tx.touchWebSession(idHash, now));
    return { ...row, lastSeenAt: now };
  }
  return row;
}

const stepUpRequired = () => new AuthError('auth.step_up_required', 'this action needs your passkey again (step-up) within the last 2 minutes');

/**
 * Takes the session's step-up inside the caller's transaction: true if it was under 2 minutes old at `now` and is
 * now spent, false if there was none fresh. Conditional on the time read, so of two actions racing on one step-up
 * one gets it; a write that takes it and then fails rolls the taking back with it (the share routes rely on this:
 * src/node/detection/step-up.ts).
 */
export function takeStepUp(tx: StoreTx, idHash: Uint8Array, now: number): boolean {
  const at = tx.getWebSession(idHash)?.stepUpAt ?? null;
  if (at === null || now - at >= STEP_UP_MS) return false;
  return tx.consumeWebSessionStepUp(idHash, at);
}

/** Consumes the session's step-up for a protected action, or `auth.step_up_required` if there is none fresh. */
export async function consumeStepUp(node: NodeContext, session: WebSessionRow): Promise<void> {
  const now = node.now();
  if (!(await groupCommit(node.store, (tx) => takeStepUp(tx, session.idHash, now)))) throw stepUpRequired();
}

/**
 * What app.ts asks before a handler runs: the session a `session` route runs in; for a browser device (one with a
 * passkey) on a device route, its own live session (and the step-up a `stepUp` route consumes). A CLI device — no
 * passkey — gets null and passes: its key file's passphrase is its second factor.
 */
export async function webSessionFor(node: NodeContext, route: Route, caller: Caller | null, cookieHeader: string | undefined): Promise<WebSessionRow | null> {
  if (route.auth === 'session') return liveSession(node, cookieHeader, null);
  if (caller === null || (route.auth !== 'device' && route.auth !== 'device-or-peer')) return null;
  const browser = node.store.transaction((tx) => tx.getWebCredentialOfDevice(caller.user, caller.device)) !== null;
  if (!browser) return null;
  const session = await liveSession(node, cookieHeader, caller);
  if (route.stepUp) await consumeStepUp(node, session);
  return session;
}
