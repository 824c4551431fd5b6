// The web app's passkey routes (issue 6; docs/web-auth.md): enrollment with a one-time code, login, step-up, logout.
import { generateAuthenticationOptions, generateRegistrationOptions } from '@simplewebauthn/server';
import { parseDeviceId, parseUserId } from '../../cable/ids.ts';
import { utf8 } from '../../bytes.ts';
import { AuthError, RequestError, WebAuthError } from '../../errors.ts';
import type { WebCredentialRow, WebSessionRow } from '../../store/web-auth.ts';
import { groupCommit } from '../commit-batcher.ts';
import { loggedWrite } from '../logged-write.ts';
import type { NodeContext } from '../node-context.ts';
import { jsonBody } from '../request-body.ts';
import type { RequestInput, Route, RouteResult } from '../route.ts';
import { ALGORITHMS, authenticationJson, registrationJson, verifyAssertion, verifyRegistration } from '../web-auth/ceremony.ts';
import { issueChallenge, takeChallenge } from '../web-auth/challenges.ts';
import { relyingParty } from '../web-auth/relying-party.ts';
import {
  clearedSessionCookie, IDLE_TIMEOUT_MS, newSession, sessionCookie, sessionEnd, STEP_UP_MS,
} from '../web-auth/sessions.ts';
import { wrongCode } from '../web-auth/enrollment-code.ts';
import { enrollmentCodeRoutes, validCode } from './enrollment-codes.ts';
import { enrollmentOf, fileEnrollment } from './devices.ts';

const PASSKEY_TIMEOUT_MS = 120_000;
/** A registration carries an attestation statement (certificates with 'direct'): room for a chain. */
const REGISTRATION_MAX_BODY = 64 * 1024;

function sessionOf(input: RequestInput): WebSessionRow {
  if (!input.session) throw new AuthError('auth.session_required', 'sign in with your passkey');
  return input.session;
}

function deviceStatus(node: NodeContext, s: Pick<WebSessionRow, 'user' | 'device'>): string {
  return node.store.transaction((tx) => tx.getDevice(s.user, s.device))?.status ?? 'unknown';
}

function sessionJson(node: NodeContext, s: WebSessionRow) {
  const stepUpUntil = s.stepUpAt === null || node.now() - s.stepUpAt >= STEP_UP_MS ? null : s.stepUpAt + STEP_UP_MS;
  return { user: s.user, device: s.device, status: deviceStatus(node, s), idleTimeoutMs: IDLE_TIMEOUT_MS, expiresAt: s.expiresAt, idleExpiresAt: sessionEnd(s), stepUpUntil };
}

function credentialDescriptor(c: WebCredentialRow) {
  return { id: c.id, transports: [...c.transports] };
}

function unknownPasskey(): WebAuthError {
  return new WebAuthError('webauthn.failed', 'passkey response refused: not a passkey of this user on a live device');
}

/** The credential an assertion names, if it belongs to `user` on a device that is not revoked. */
function credentialFor(node: NodeContext, id: string, user: string, device?: string): WebCredentialRow {
  return node.store.transaction((tx) => {
    const c = tx.getWebCredential(id);
    if (!c || c.user !== user || (device !== undefined && c.device !== device)) throw unknownPasskey();
    const status = tx.getDevice(c.user, c.device)?.status;
    if (status === undefined || status === 'revoked') throw unknownPasskey();
    return c;
  });
}

const registrationRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/api/v1/web/registration/options',
    summary: 'Passkey creation options for a new browser device, given a valid enrollment code (checked, not consumed)',
    auth: 'none',
    async handle(node, input) {
      const rp = relyingParty(node);
      const f = jsonBody(input.body, 'registration options', ['user', 'device', 'code']);
      const user = f.id('user', parseUserId);
      const device = f.id('device', parseDeviceId);
      const existing = node.store.transaction((tx) => {
        validCode(node, tx, user, input.body && (input.body as Record<string, unknown>).code, input.now);
        if (tx.getDevice(user, device)) throw new RequestError('request.conflict', `device ${user}/${device} already exists`);
        return tx.listWebCredentials(user);
      });
      const options = await generateRegistrationOptions({
        rpName: rp.name, rpID: rp.id, userName: user, userID: new Uint8Array(utf8(user)), userDisplayName: user,
        challenge: issueChallenge(node, { kind: 'registration', user, device }),
        timeout: PASSKEY_TIMEOUT_MS, attestationType: 'direct', supportedAlgorithmIDs: ALGORITHMS,
        excludeCredentials: existing.map(credentialDescriptor),
        authenticatorSelection: { residentKey: 'discouraged', userVerification: 'required' },
      });
      return { body: { options } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/web/registration',
    summary: "Register a browser device's passkey and file its pending enrollment (signed by the new device key; consumes the enrollment code)",
    auth: 'enrollment',
    maxBody: REGISTRATION_MAX_BODY,
    async handle(node, input) {
      const rp = relyingParty(node);
      const f = jsonBody(input.body, 'web registration', ['user', 'device', 'signingKey', 'encryptionKey', 'code', 'credential']);
      const enrollment = enrollmentOf(f);
      const { user, device } = enrollment;
      const raw = input.body as Record<string, unknown>;
      const code = node.store.transaction((tx) => validCode(node, tx, user, raw.code, input.now));
      const response = registrationJson(raw.credential);
      const challenge = takeChallenge(node, response.response.clientDataJSON, { kind: 'registration', user, device });
      const credential = await verifyRegistration(rp, response, challenge);
      await fileEnrollment(node, input, enrollment, (tx) => {
        // Under the write: of two registrations racing on one code, one wins.
        if (!tx.useEnrollmentCode(code.codeHash, device, input.now)) throw wrongCode(node, user, input.now, 'already used');
        tx.putWebCredential({ ...credential, user, device, createdAt: input.now, lastUsedAt: null });
      });
      return { status: 201, body: { user, device, status: 'pending' } };
    },
  },
];

const loginRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/api/v1/web/login/options',
    summary: "Passkey request options for a user's browser devices",
    auth: 'none',
    async handle(node, input) {
      const rp = relyingParty(node);
      const user = jsonBody(input.body, 'login options', ['user']).id('user', parseUserId);
      const credentials = node.store.transaction((tx) => tx.listWebCredentials(user).filter((c) => {
        const status = tx.getDevice(c.user, c.device)?.status;
        return status !== undefined && status !== 'revoked';
      }));
      if (credentials.length === 0) throw new RequestError('request.not_found', `no browser device of ${user} has a passkey here: enroll this browser with a code first`);
      const options = await generateAuthenticationOptions({
        rpID: rp.id, allowCredentials: credentials.map(credentialDescriptor), userVerification: 'required', timeout: PASSKEY_TIMEOUT_MS,
        challenge: issueChallenge(node, { kind: 'login', user }),
      });
      return { body: { options } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/web/login',
    summary: 'Sign in with a passkey: a session cookie for its browser device (pending devices too); logged as a login',
    auth: 'none',
    async handle(node, input): Promise<RouteResult> {
      const rp = relyingParty(node);
      const f = jsonBody(input.body, 'login', ['user', 'credential']);
      const user = f.id('user', parseUserId);
      const response = authenticationJson((input.body as Record<string, unknown>).credential);
      const challenge = takeChallenge(node, response.response.clientDataJSON, { kind: 'login', user });
      const credential = credentialFor(node, response.id, user);
      const signCount = await verifyAssertion(rp, response, challenge, credential);
      const { secret, row } = newSession(node, user, credential.device, input.now);
      await loggedWrite(node, input, (tx, record) => {
        if (!tx.useWebCredential(credential.id, credential.signCount, signCount, input.now)) throw unknownPasskey();
        tx.deleteExpiredWebSessions(input.now, input.now - IDLE_TIMEOUT_MS);
        tx.putWebSession(row);
        record([{ kind: 'login', user, device: credential.device }]);
      });
      node.log.info({ user, device: credential.device }, 'passkey login');
      return { body: sessionJson(node, row), headers: { 'Set-Cookie': sessionCookie(secret) } };
    },
  },
];

const sessionRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/web/session',
    summary: "This browser's session: its user and device, the device's status, when it ends, and any step-up",
    auth: 'session',
    handle: (node, input) => ({ body: sessionJson(node, sessionOf(input)) }),
  },
  {
    method: 'POST',
    path: '/api/v1/web/step-up/options',
    summary: "Passkey request options for a step-up (this session's credential only)",
    auth: 'session',
    async handle(node, input) {
      const rp = relyingParty(node);
      const s = sessionOf(input);
      jsonBody(input.body ?? {}, 'step-up options', []);
      const credential = node.store.transaction((tx) => tx.getWebCredentialOfDevice(s.user, s.device));
      if (!credential) throw unknownPasskey();
      const options = await generateAuthenticationOptions({
        rpID: rp.id, allowCredentials: [credentialDescriptor(credential)], userVerification: 'required', timeout: PASSKEY_TIMEOUT_MS,
        challenge: issueChallenge(node, { kind: 'step-up', user: s.user, device: s.device, session: Buffer.from(s.idHash).toString('base64url') }),
      });
      return { body: { options } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/web/step-up',
    summary: 'Step up with the passkey again: one protected action (release, approval, clearing) within 2 minutes',
    auth: 'session',
    async handle(node, input) {
      const rp = relyingParty(node);
      const s = sessionOf(input);
      jsonBody(input.body, 'step-up', ['credential']);
      const response = authenticationJson((input.body as Record<string, unknown>).credential);
      const challenge = takeChallenge(node, response.response.clientDataJSON, { kind: 'step-up', user: s.user, device: s.device, session: Buffer.from(s.idHash).toString('base64url') });
      const credential = credentialFor(node, response.id, s.user, s.device);
      const signCount = await verifyAssertion(rp, response, challenge, credential);
      await groupCommit(node.store, (tx) => {
        if (!tx.useWebCredential(credential.id, credential.signCount, signCount, input.now)) throw unknownPasskey();
        tx.setWebSessionStepUp(s.idHash, input.now);
      });
      return { body: { stepUpUntil: input.now + STEP_UP_MS } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/web/logout',
    summary: 'End this browser session (the cookie is cleared)',
    auth: 'session',
    async handle(node, input) {
      const s = sessionOf(input);
      await groupCommit(node.store, (tx) => tx.deleteWebSession(s.idHash));
      return { status: 204, body: null, headers: { 'Set-Cookie': clearedSessionCookie() } };
    },
  },
];

export const webAuthRoutes: readonly Route[] = [...enrollmentCodeRoutes, ...registrationRoutes, ...loginRoutes, ...sessionRoutes];
