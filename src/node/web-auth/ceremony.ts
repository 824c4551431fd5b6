// The two WebAuthn checks the node makes (registration, assertion), through @simplewebauthn/server (STACK.md): the
// credential JSON is parsed here first (parse, don't cast), and the library's failures become one stable code with
// a message of ours — never the library's own text.
import {
  verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { DecodeError, WebAuthError } from '../../errors.ts';
import type { WebCredentialRow } from '../../store/web-auth.ts';
import type { RelyingParty } from './relying-party.ts';

const MAX_FIELD = 48 * 1024;
/** ES256 and EdDSA: what platform authenticators and security keys make; RSA is not offered. */
export const ALGORITHMS = [-7, -8];

function plainMap(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError('encoding.malformed', `credential: ${what} must be an object`);
  return value as Record<string, unknown>;
}

function b64url(map: Record<string, unknown>, key: string, what: string, optional = false): string | undefined {
  const v = map[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_FIELD || !/^[A-Za-z0-9_-]+={0,2}$/.test(v)) {
    throw new DecodeError('encoding.malformed', `credential: ${what}.${key} must be base64url`);
  }
  return v;
}

function common(value: unknown): { map: Record<string, unknown>; response: Record<string, unknown>; id: string } {
  const map = plainMap(value, 'credential');
  const id = b64url(map, 'id', 'credential')!;
  if (map.rawId !== id || map.type !== 'public-key') throw new DecodeError('encoding.malformed', 'credential: rawId must equal id, type must be public-key');
  const extensions = plainMap(map.clientExtensionResults ?? {}, 'clientExtensionResults');
  // The PRF output protects the device's seeds in the browser: it must never reach the node (docs/web.md).
  if (extensions.prf !== undefined && plainMap(extensions.prf, 'prf').results !== undefined) {
    throw new DecodeError('encoding.malformed', 'credential: clientExtensionResults.prf.results must be removed before sending');
  }
  return { map, response: plainMap(map.response, 'response'), id };
}

const ATTACHMENTS = ['platform', 'cross-platform'] as const;
function attachment(map: Record<string, unknown>): { authenticatorAttachment?: 'platform' | 'cross-platform' } {
  const a = map.authenticatorAttachment;
  return typeof a === 'string' && (ATTACHMENTS as readonly string[]).includes(a) ? { authenticatorAttachment: a as 'platform' | 'cross-platform' } : {};
}

function transportsOf(response: Record<string, unknown>): string[] {
  const t = response.transports;
  if (!Array.isArray(t)) return [];
  return t.filter((x): x is string => typeof x === 'string' && /^[a-z-]{1,32}$/.test(x)).slice(0, 8);
}

export function registrationJson(value: unknown): RegistrationResponseJSON {
  const { map, response, id } = common(value);
  return {
    id, rawId: id, type: 'public-key', clientExtensionResults: {}, ...attachment(map),
    response: {
      clientDataJSON: b64url(response, 'clientDataJSON', 'response')!,
      attestationObject: b64url(response, 'attestationObject', 'response')!,
      transports: transportsOf(response),
    },
  };
}

export function authenticationJson(value: unknown): AuthenticationResponseJSON {
  const { map, response, id } = common(value);
  const userHandle = b64url(response, 'userHandle', 'response', true);
  return {
    id, rawId: id, type: 'public-key', clientExtensionResults: {}, ...attachment(map),
    response: {
      clientDataJSON: b64url(response, 'clientDataJSON', 'response')!,
      authenticatorData: b64url(response, 'authenticatorData', 'response')!,
      signature: b64url(response, 'signature', 'response')!,
      ...(userHandle === undefined ? {} : { userHandle }),
    },
  };
}

/** Our words for what the library refused (its messages name values we would rather not echo). */
function refusal(cause: unknown): WebAuthError {
  const text = cause instanceof Error ? cause.message.toLowerCase() : '';
  const why = text.includes('origin') ? 'it was made for another origin than this node'
    : text.includes('rp id') || text.includes('rpid') ? 'it was made for another relying party id than this node'
      : text.includes('challenge') ? 'it answers another challenge'
        : text.includes('user verification') || text.includes('user could not be verified') ? 'the authenticator did not verify the user (PIN or biometric required)'
          : text.includes('counter') ? 'the signature counter went backwards (a cloned authenticator?)'
            : 'it does not verify';
  return new WebAuthError('webauthn.failed', `passkey response refused: ${why}`, { cause });
}

function refuseSynced(deviceType: string, backedUp: boolean): void {
  // A passkey that can be synced to other machines would not bind the person to this one browser device.
  if (deviceType === 'multiDevice' || backedUp) {
    throw new WebAuthError('webauthn.backup_eligible', 'this passkey can be synced or backed up (backup-eligible): use a device-bound one (a security key, or a platform authenticator without passkey sync)');
  }
}

export interface NewCredential {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly signCount: number;
  readonly transports: readonly string[];
}

/** Verifies a registration (attestation 'none' accepted; any statement given is verified), user verification required. */
export async function verifyRegistration(rp: RelyingParty, response: RegistrationResponseJSON, challenge: string): Promise<NewCredential> {
  let result: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    result = await verifyRegistrationResponse({
      response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true, supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (cause) {
    throw refusal(cause);
  }
  if (!result.verified) throw refusal(null);
  const info = result.registrationInfo;
  refuseSynced(info.credentialDeviceType, info.credentialBackedUp);
  return { id: info.credential.id, publicKey: new Uint8Array(info.credential.publicKey), signCount: info.credential.counter, transports: response.response.transports ?? [] };
}

/** Verifies an assertion by `credential`; returns the new signature count (never behind a non-zero stored one). */
export async function verifyAssertion(rp: RelyingParty, response: AuthenticationResponseJSON, challenge: string, credential: WebCredentialRow): Promise<number> {
  let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    result = await verifyAuthenticationResponse({
      response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true,
      credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: credential.signCount },
    });
  } catch (cause) {
    throw refusal(cause);
  }
  if (!result.verified) throw refusal(null);
  refuseSynced(result.authenticationInfo.credentialDeviceType, result.authenticationInfo.credentialBackedUp);
  const next = result.authenticationInfo.newCounter;
  // The library checks this too; kept here because it is the rule this node relies on (WebAuthn §6.1.1).
  if ((next !== 0 || credential.signCount !== 0) && next <= credential.signCount) throw refusal(new Error('counter'));
  return next;
}
