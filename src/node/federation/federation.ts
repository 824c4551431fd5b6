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
  /** Raises an alert about a peer (after its log entry is written): the error log, and the alert webhook if set. */
  alert(alert: PeerAlert): void;
}

/**
 * An alert about a peer, as the webhook receives it (one JSON line, like the detector's alert lines, with `peer` where
 * those have `user`): a fork of its log, or two texts under one cable id.
 */
export interface PeerAlert {
  readonly rule: 'peer_fork' | 'peer_conflict';
  readonly peer: NodeName;
  readonly cable?: string;
  /** What the alert rests on: roots and sizes of a fork's two checkpoints, envelope hashes of a conflict (hex). */
  readonly evidence: readonly string[];
}

/** The alert line of a peer alert at time `at`. */
export function peerAlertLine(alert: PeerAlert, at: number): string {
  return JSON.stringify({ t: new Date(at).toISOString(), peer: alert.peer, rule: alert.rule, severity: 'high', action: 'alert', ...(alert.cable ? { cable: alert.cable } : {}), evidence: alert.evidence });
}

/** Per request to a peer: long enough for a 60 MiB envelope on a slow link, short enough to notice a dead peer. */
export const PEER_REQUEST_TIMEOUT_MS = 30_000;

export interface FederationOptions {
  readonly fetch?: Fetch;
  readonly outbox?: OutboxOptions;
  /** Where peer alerts go besides the node's error log (the alert webhook's `sendLine`). */
  readonly onAlert?: (key: string, line: string) => void;
  readonly log?: { error(fields: object, message: string): void };
  readonly now?: () => number;
}

export function createFederation(p: CryptoProvider, node: NodeName, signingKey: HybridSecretKey, options: FederationOptions = {}): Federation {
  const { fetch } = options;
  let alerts = 0;
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
    alert: (alert) => {
      const at = (options.now ?? Date.now)();
      const line = peerAlertLine(alert, at);
      options.log?.error({ alert: JSON.parse(line) as object }, `ALERT ${alert.rule}: ${alert.peer}`);
      options.onAlert?.(`${alert.rule}-${alert.peer}-${at}-${++alerts}`, line);
    },
  };
}
