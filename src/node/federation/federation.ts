// What a node needs to federate, beside its NodeContext: its signing key (the web process holds it; it signs
// requests to peers and delivery receipts, and opens nothing) and a signed HTTP client per peer URL. Absent in a
// NodeContext built without a data directory (unit tests of single-node routes).
import type { NodeName } from '../../cable/types.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import type { HybridSecretKey } from '../../crypto/hybrid-signature.ts';
import { createNodeHttp, type Fetch, type NodeHttp } from '../../client/http.ts';
import type { OutboxOptions } from './outbox-worker.ts';

export interface Federation {
  readonly signingKey: HybridSecretKey;
  /** A JSON client for a peer at `url`, every request signed with this node's key (keyid `node:<NODE>`). */
  http(url: string): NodeHttp;
  /** Wakes the outbox after a commit that queued cables, so they leave now rather than at the next poll. */
  kick(): void;
  /** Sets what `kick` wakes (the outbox worker, once started). */
  onKick(listener: () => void): void;
  /** How the outbox worker pushes (defaults in outbox-worker.ts). */
  readonly outbox: OutboxOptions;
}

/** Per request to a peer: long enough for a 60 MiB envelope on a slow link, short enough to notice a dead peer. */
export const PEER_REQUEST_TIMEOUT_MS = 30_000;

export function createFederation(p: CryptoProvider, node: NodeName, signingKey: HybridSecretKey, options: { readonly fetch?: Fetch; readonly outbox?: OutboxOptions } = {}): Federation {
  const { fetch } = options;
  const listeners: (() => void)[] = [];
  return {
    signingKey,
    outbox: options.outbox ?? {},
    http: (url) => createNodeHttp(p, { url, signer: { node, signingSeed: signingKey.ed25519Seed }, timeoutMs: PEER_REQUEST_TIMEOUT_MS, ...(fetch ? { fetch } : {}) }),
    kick: () => {
      for (const l of listeners) l();
    },
    onKick: (listener) => {
      listeners.push(listener);
    },
  };
}
