// A signed request and a verifying policy with an in-memory key table and nonce store, shared by the protocol tests.
import { fromHex, utf8 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { AuthError } from '../../src/errors.ts';
import { parseAndVerifyRequest, signRequest, type IncomingRequest, type VerifiedRequest, type VerifyPolicy } from '../../src/protocol/http-signature.ts';
import type { KeyId } from '../../src/protocol/key-id.ts';

export const SEED = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
export const OTHER_SEED = fromHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
export const KEY_ID = 'anna.schmidt/d-0042-1';
export const OTHER_KEY_ID = 'bob/d-7';
export const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z
export const NONCE = Uint8Array.from({ length: 16 }, (_, i) => i);
export const URL_ = 'https://node.mfa.cy/api/v1/drafts?office=MFA.CY';
export const BODY = utf8('{"draft":"AAAA"}');

export interface Harness {
  readonly policy: VerifyPolicy;
  readonly nonces: Map<string, number>;
  readonly calls: { resolveKey: number; seenNonce: number };
}

/** A policy that knows KEY_ID and OTHER_KEY_ID, remembers nonces in a Map and counts its calls. */
export async function harness(now = NOW): Promise<Harness> {
  const keys = new Map<string, Uint8Array>([
    [KEY_ID, await p.ed25519PublicKey(SEED)],
    [OTHER_KEY_ID, await p.ed25519PublicKey(OTHER_SEED)],
  ]);
  const nonces = new Map<string, number>();
  const calls = { resolveKey: 0, seenNonce: 0 };
  const policy: VerifyPolicy = {
    now,
    resolveKey(keyId: KeyId) {
      calls.resolveKey++;
      return Promise.resolve(keys.get(keyId) ?? new AuthError('auth.unknown_device', 'no such device'));
    },
    seenNonce(keyId, nonce, expiresAt) {
      calls.seenNonce++;
      const k = `${keyId} ${nonce}`;
      if (nonces.has(k)) return false;
      nonces.set(k, expiresAt);
      return true;
    },
  };
  return { policy, nonces, calls };
}

export interface Signed {
  method: string;
  url: string;
  body: Uint8Array;
  headers: Record<string, string>;
}

export async function signed(over: Partial<{ method: string; url: string; body: Uint8Array; now: number; keyId: string; seed: Uint8Array }> = {}): Promise<Signed> {
  const method = over.method ?? 'POST';
  const url = over.url ?? URL_;
  const body = over.body ?? BODY;
  const headers = await signRequest(p, {
    method,
    url,
    body,
    keyId: over.keyId ?? KEY_ID,
    signingSeed: over.seed ?? SEED,
    now: over.now ?? NOW,
    nonce: NONCE,
  });
  return { method, url, body, headers: { ...headers } };
}

export function incoming(s: Signed): IncomingRequest {
  return { method: s.method, url: s.url, body: s.body, headers: new Headers(s.headers) };
}

export function verify(s: Signed, policy: VerifyPolicy): Promise<VerifiedRequest> {
  return parseAndVerifyRequest(p, incoming(s), policy);
}

/**
 * Verifies with a plain lookup over the raw header text: Fetch `Headers` refuses NUL, CR and LF itself, but a
 * node behind another HTTP stack may not, so hostile-header tests hand the text over untouched.
 */
export function verifyRaw(s: Signed, policy: VerifyPolicy): Promise<VerifiedRequest> {
  const lookup = (name: string): string | undefined => s.headers[name.toLowerCase()];
  return parseAndVerifyRequest(p, { method: s.method, url: s.url, body: s.body, headers: lookup }, policy);
}

/** Resolves to the AuthError code, or 'ok'; anything other than an AuthError is rethrown (a test failure). */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    if (e instanceof AuthError) return e.code;
    throw e;
  }
}
