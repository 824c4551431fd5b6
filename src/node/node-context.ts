// What every route handler of a node may use: the store, the crypto provider, the node's identity, its release
// service, its audit log, a logger and a clock. Built once at start-up (serve.ts) and by tests. None of it holds a
// private key in `chancery serve`: the release service and the checkpoint signer are the keeper's, in its own
// process (src/node/keeper/).
import type { Logger } from 'pino';
import type { CableId, NodeName, OfficeCode } from '../cable/types.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { HpkeSealed } from '../crypto/hpke.ts';
import type { HybridPublicKey } from '../crypto/hybrid-signature.ts';
import type { Store } from '../store/store.ts';
import type { AuditLog } from './audit-log.ts';
import type { ShareRate } from './share-rate.ts';
import type { Federation } from './federation/federation.ts';

/**
 * The audit log as clients see it: the checkpoint origin (`chancery/<node>`) and the log's own hybrid public key,
 * whose two halves sign every checkpoint (docs/log.md "Checkpoints"). The organisation root certifies it in the node
 * certificate, and clients take it from there (docs/decisions/013-root-certified-log-key.md).
 */
export interface LogIdentity {
  readonly origin: string;
  readonly publicKey: HybridPublicKey;
}

export interface NodeIdentity {
  readonly node: NodeName;
  readonly org: string;
  /** Public URL clients use; part of every signed request's target URI. */
  readonly url: string;
  /** Encoded NodeCertificate and OrganisationRoot records (public). */
  readonly certificate: Uint8Array;
  readonly root: Uint8Array;
  readonly log: LogIdentity;
}

/**
 * The release service (DESIGN.md step 4): the only holder of the node's release key — in `chancery serve`, the
 * keeper process (src/node/keeper/); in unit tests, an in-memory key (src/node/release-service.ts). Route handlers
 * see this interface, never the key, and never a share in clear.
 */
export interface ReleaseService {
  /**
   * One office's share of a verified envelope (or a draft's share), sealed to the device that the committed log
   * entry at `receipt.index` names. The entry must be a `cable.read` or `share.released` (or `draft.read`) of this
   * cable and office, under a checkpoint the service trusts: no share leaves unlogged, and none to another device
   * than the logged one. The service reads the envelope (or sealed draft) from the store itself; `subject` only
   * names the cable.
   */
  shareFor(subject: ShareSubject, office: OfficeCode, receipt: ShareReceipt): Promise<HpkeSealed>;
  /**
   * Fails at once (`node.keeper_unavailable`) if the service cannot answer now, so a route refuses before it writes
   * anything. Absent: always available (in memory).
   */
  ready?(): Promise<void>;
}

/**
 * Who signs the audit log's checkpoints: the keeper in `chancery serve` (it recomputes the root from the store and
 * never signs a tree inconsistent with one it signed), an in-memory key in tests and `init`
 * (src/node/keeper/key-signer.ts).
 */
export interface CheckpointSigner {
  readonly identity: LogIdentity;
  /** The signed note (C2SP signed-note bytes) of the checkpoint of the log's first `size` entries, whose root is `root`. */
  sign(size: number, root: Uint8Array): Promise<Uint8Array>;
}

/**
 * What a share is of, as far as the release service is told: an id, a verified envelope's or a draft's (read as
 * `routing.id`, so a verified envelope is one as it is).
 */
export interface ShareSubject {
  readonly routing: { readonly id: CableId };
}

/** The index of the committed log entry that records a share. */
export interface ShareReceipt {
  readonly index: number;
}

export interface NodeContext {
  readonly p: CryptoProvider;
  readonly store: Store;
  readonly identity: NodeIdentity;
  readonly release: ReleaseService;
  /** Appends events in the caller's transaction and signs checkpoints (src/node/audit-log.ts). */
  readonly auditLog: AuditLog;
  /** The release service's per-user rate (src/node/share-rate.ts). */
  readonly shareRate: ShareRate;
  readonly log: Logger;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  readonly now: () => number;
  /** Peers, the node key and the outbox (docs/federation.md); absent where the node key is not loaded. */
  readonly federation?: Federation;
}
