// Who is calling: every device request is signed (RFC 9421, src/protocol) and checked here against the device's
// approved record, the node's clock (±60 s) and the replay window. An enrolling device proves it holds the key
// it enrolls: its request is signed by the key in its own body.
import type { DeviceId, UserId } from '../cable/types.ts';
import { fromBase64 } from '../bytes.ts';
import { AuthError, ChanceryError, RequestError } from '../errors.ts';
import { parseAndVerifyRequest } from '../protocol/http-signature.ts';
import type { Authenticator } from './app.ts';
import type { NodeContext } from './node-context.ts';
import type { Caller, PeerCaller, RouteAuth } from './route.ts';
import { claimedPeer, notePeerRefusal, peerRateLimited } from './federation/refusals.ts';
import { peerRequestKey } from './federation/peers.ts';
import { parseSignerKeyId } from '../protocol/key-id.ts';
import { verifiedDevice } from './trust.ts';
import { groupCommit } from './commit-batcher.ts';

/** The URL a client signed: the node's public origin with the request's path and query (never the Host header). */
function publicUrl(node: NodeContext, requestUrl: string): string {
  const u = new URL(requestUrl);
  return new URL(u.pathname + u.search, node.identity.url).toString();
}

function enrollmentKey(body: Uint8Array, keyId: string): Uint8Array {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { user?: unknown; device?: unknown; signingKey?: unknown };
    if (`${String(parsed.user)}/${String(parsed.device)}` !== keyId || typeof parsed.signingKey !== 'string') throw new Error('mismatch');
    const key = fromBase64(parsed.signingKey);
    if (key.length !== 32) throw new Error('length');
    return key;
  } catch {
    throw new AuthError('auth.unknown_device', 'an enrollment is signed by the key it enrolls, under its own user/device id');
  }
}

export function createAuthenticator(node: NodeContext): Authenticator {
  const verify = async (request: Parameters<Authenticator>[0], mode: RouteAuth): Promise<Caller | PeerCaller> => {
    const verified = await parseAndVerifyRequest(
      node.p,
      { method: request.method, url: publicUrl(node, request.url), headers: request.headers, body: request.body },
      {
        now: node.now(),
        resolveKey: async (keyId) => {
          const parsed = parseSignerKeyId(keyId);
          if (parsed?.kind === 'node') return peerRequestKey(node, parsed.node);
          if (mode === 'enrollment') return enrollmentKey(request.body, keyId);
          const [user, device] = keyId.split('/') as [UserId, DeviceId];
          try {
            return (await verifiedDevice(node, user, device)).record.signingKey;
          } catch (cause) {
            // A device the node knows but cannot trust (pending, revoked, an approval that no longer verifies) is not
            // an unknown one (docs/node.md).
            const status = node.store.transaction((tx) => tx.getDevice(user, device))?.status;
            if (status === 'revoked') return new AuthError('auth.device_not_approved', 'device revoked', { cause });
            if (status) return new AuthError('auth.device_not_approved', 'device not approved or its approval no longer verifies', { cause });
            return new AuthError('auth.unknown_device', 'no such approved device', { cause });
          }
        },
        // Shares the next group commit with other requests' writes: one fsync for many.
        seenNonce: (keyId, nonce, expiresAt) => groupCommit(node.store, (tx) => tx.rememberNonce(keyId, nonce, expiresAt, node.now())),
      },
    );
    return verified.kind === 'node' ? { peer: verified.node } : { user: verified.user, device: verified.device };
  };

  return async (request, mode): Promise<Caller | PeerCaller | null> => {
    // A session route is unsigned: its cookie is checked by app.ts (src/node/web-auth/sessions.ts).
    if (mode === 'none' || mode === 'session') return null;
    // Which kind of signer a route admits is decided before any key is looked up or any nonce spent.
    const claimed = claimedPeer(request.headers.get('signature-input'));
    if (claimed === null) {
      if (mode === 'peer') throw new AuthError('auth.unknown_peer', 'only a peer node may call this route');
      return verify(request, mode);
    }
    if (mode !== 'peer' && mode !== 'device-or-peer') throw new AuthError('auth.peer_not_allowed', 'peers may not call this route');
    if (peerRateLimited(node, claimed)) throw new RequestError('request.rate_limited', `too many refused requests from ${claimed}: try again in a minute`);
    try {
      return await verify(request, mode);
    } catch (error) {
      // Forged, replayed, unknown: each refusal of a node-signed request is on the record (rate-capped).
      if (error instanceof ChanceryError) notePeerRefusal(node, claimed, error.code);
      throw error;
    }
  };
}
