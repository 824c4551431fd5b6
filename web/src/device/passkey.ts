// The passkey ceremonies against the node's web routes (docs/web.md "Passkey HTTP contract"), through
// @simplewebauthn/browser. Every assertion also evaluates the PRF extension with this device's salt: its output is
// the key that unseals the device's seeds, so it is taken out of the answer before anything is posted — it never
// leaves the browser.
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/browser';
import type { NodeHttp } from '../../../src/client/http.ts';

/** What an assertion gives the app: the answer for the node (no PRF output in it) and the PRF output. */
export interface Assertion {
  readonly credential: AuthenticationResponseJSON;
  readonly prf: Uint8Array;
}

const NO_PRF = 'this passkey cannot derive a key (no PRF / hmac-secret support): Chancery needs it to protect the device keys in this browser; use a security key or platform authenticator that supports it';

function optionsOf<T>(answer: unknown): T {
  const options = (answer as { options?: unknown } | null)?.options;
  if (typeof options !== 'object' || options === null) throw new Error('the node answered without passkey options');
  return options as T;
}

/** Creates the passkey for a new device (the code is the officer's one-time enrollment code). */
export async function createPasskey(http: NodeHttp, input: { user: string; device: string; code: string }): Promise<RegistrationResponseJSON> {
  const options = optionsOf<PublicKeyCredentialCreationOptionsJSON>(await http.post('/api/v1/web/registration/options', input));
  const optionsJSON = { ...options, extensions: { ...(options.extensions ?? {}), prf: {} } } as PublicKeyCredentialCreationOptionsJSON;
  const response = await startRegistration({ optionsJSON });
  // Checked before anything is filed: a passkey without PRF could never unseal the device keys it would protect.
  const prf = (response.clientExtensionResults as { prf?: { enabled?: boolean } }).prf;
  if (prf?.enabled !== true) throw new Error(NO_PRF);
  return { ...response, clientExtensionResults: withoutPrf(response.clientExtensionResults) };
}

function withoutPrf<T extends object>(results: T): T {
  const rest = { ...results } as Record<string, unknown>;
  delete rest.prf;
  return rest as T;
}

/**
 * Asks the authenticator for an assertion over the node's options, restricted to this device's credential, with the
 * PRF evaluated at `salt`. Refuses an authenticator that does not give a PRF output: the device keys could not be
 * protected at rest (docs/web-auth.md).
 */
export async function assertPasskey(options: PublicKeyCredentialRequestOptionsJSON, credentialId: string, salt: Uint8Array): Promise<Assertion> {
  const optionsJSON = {
    ...options,
    allowCredentials: [{ id: credentialId, type: 'public-key' as const }],
    // @simplewebauthn/browser passes extensions through as they are: the PRF input must be bytes, not base64url.
    extensions: { ...(options.extensions ?? {}), prf: { eval: { first: salt } } },
  } as PublicKeyCredentialRequestOptionsJSON;
  const response = await startAuthentication({ optionsJSON });
  const results = response.clientExtensionResults as { prf?: { results?: { first?: ArrayBuffer | Uint8Array } } };
  const first = results.prf?.results?.first;
  if (first === undefined) {
    throw new Error(NO_PRF);
  }
  return { credential: { ...response, clientExtensionResults: withoutPrf(response.clientExtensionResults) }, prf: new Uint8Array(first) };
}

/** Login options for `user`, then an assertion with this device's credential. */
export async function loginAssertion(http: NodeHttp, user: string, credentialId: string, salt: Uint8Array): Promise<Assertion> {
  return assertPasskey(optionsOf(await http.post('/api/v1/web/login/options', { user })), credentialId, salt);
}

/** A fresh assertion for one protected action (releasing, approving a device, clearing a freeze). */
export async function stepUpAssertion(http: NodeHttp, credentialId: string, salt: Uint8Array): Promise<Assertion> {
  return assertPasskey(optionsOf(await http.post('/api/v1/web/step-up/options', {})), credentialId, salt);
}
