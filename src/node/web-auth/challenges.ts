// WebAuthn challenges the node handed out and not yet seen back: in the web process's memory, bounded, five minutes
// each, and single use — taken out of the map by the first response that names them, whether it verifies or not.
import type { DeviceId, UserId } from '../../cable/types.ts';
import { WebAuthError } from '../../errors.ts';
import { BoundedTtlCache } from '../bounded-cache.ts';
import type { NodeContext } from '../node-context.ts';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
const MAX_CHALLENGES = 10_000;

/** What a challenge was issued for: the response must be for the same ceremony, user (and device or session). */
export type ChallengePurpose =
  | { readonly kind: 'registration'; readonly user: UserId; readonly device: DeviceId }
  | { readonly kind: 'login'; readonly user: UserId }
  | { readonly kind: 'step-up'; readonly user: UserId; readonly device: DeviceId; readonly session: string };

const caches = new WeakMap<NodeContext, BoundedTtlCache<string, ChallengePurpose>>();

function cacheOf(node: NodeContext): BoundedTtlCache<string, ChallengePurpose> {
  let cache = caches.get(node);
  if (!cache) caches.set(node, (cache = new BoundedTtlCache(MAX_CHALLENGES, CHALLENGE_TTL_MS)));
  return cache;
}

/** A fresh 32-byte challenge for `purpose` (the library's options encode it as base64url: the map's key). */
export function issueChallenge(node: NodeContext, purpose: ChallengePurpose): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(node.p.randomBytes(32));
  cacheOf(node).set(Buffer.from(bytes).toString('base64url'), purpose, node.now());
  return bytes;
}

/** The challenge inside a response's clientDataJSON (not yet trusted: the library checks it against the one we give). */
function challengeOf(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return null;
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof parsed.challenge === 'string' ? parsed.challenge : null;
  } catch {
    return null;
  }
}

/**
 * Takes the challenge a response answers out of the map (single use) and checks it was issued for `expected`;
 * returns it for the library's own comparison. Unknown, expired, used or issued for something else: `webauthn.failed`.
 */
export function takeChallenge(node: NodeContext, clientDataJSON: unknown, expected: ChallengePurpose): string {
  const challenge = challengeOf(clientDataJSON);
  const cache = cacheOf(node);
  const purpose = challenge === null ? undefined : cache.get(challenge, node.now());
  if (challenge !== null) cache.delete(challenge);
  if (challenge === null || purpose === undefined || JSON.stringify(purpose) !== JSON.stringify(expected)) {
    throw new WebAuthError('webauthn.failed', 'the passkey response answers no challenge of this node that is still open for this ceremony');
  }
  return challenge;
}
