// What a node keeps for federation (issue 5; docs/federation.md): its peers as our root certified them, the offices
// they host, a durable outbox per peer, and the checkpoints each peer showed us (gossip). Part of StoreTx.
import type { CableId, Classification, NodeName, OfficeCode, Precedence } from '../cable/types.ts';

/** A peer node: our root's certificate for it, its organisation root and its node certificate (all encoded). */
export interface PeerRow {
  readonly node: NodeName;
  readonly org: string;
  readonly url: string;
  /** Encoded PeerCertificate, signed by our organisation root (src/keys/peer-certificate.ts). */
  readonly certificate: Uint8Array;
  /** The peer organisation's encoded root record; the certificate pins its fingerprint. */
  readonly root: Uint8Array;
  /** The peer's encoded node certificate (node signing key, release key, log key), signed by its root. */
  readonly nodeCertificate: Uint8Array;
  readonly addedAt: number;
  /** When an officer removed it: no new cable is queued for it; its queue stays listed. */
  readonly removedAt: number | null;
}

/** An office a peer hosts, as the peer's directory lists it (synchronised, not trusted: keys are checked apart). */
export interface PeerOfficeRow {
  readonly code: OfficeCode;
  readonly peer: NodeName;
  readonly name: string;
  readonly ceiling: Classification;
  readonly communities: readonly string[];
  readonly syncedAt: number;
}

export const OutboxStates = ['pending', 'delivered', 'conflict'] as const;
export type OutboxState = (typeof OutboxStates)[number];

/**
 * One cable queued for one peer, in the transaction that accepted it. `offices`: the peer's offices it is addressed
 * to. Pending until the peer's signed receipt (`receipt`) is stored; `conflict` when the peer holds another envelope
 * under the id (never retried: an alert).
 */
export interface OutboxRow {
  readonly peer: NodeName;
  readonly seq: number;
  readonly cable: CableId;
  readonly precedence: Precedence;
  readonly offices: readonly OfficeCode[];
  readonly enqueuedAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastAttemptAt: number | null;
  readonly lastError: string | null;
  readonly state: OutboxState;
  readonly deliveredAt: number | null;
  readonly receipt: Uint8Array | null;
}

/** One peer's queue at a glance (`chancery outbox`). */
export interface OutboxSummary {
  readonly peer: NodeName;
  readonly pending: number;
  readonly delivered: number;
  readonly conflicts: number;
  readonly oldestPendingAt: number | null;
  /** The error of the most recent failed attempt of a pending cable. */
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
}

/** A checkpoint a peer signed, as we received it (its note verified against the peer's certified log key). */
export interface PeerCheckpointRow {
  readonly peer: NodeName;
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
  readonly receivedAt: number;
}

/** A peer's key directory answer as last relayed (peer-relay.ts), served again while the peer is down. */
export interface PeerDirectoryRow {
  readonly peer: NodeName;
  /** The relayed path with its query, exactly as asked (`/api/v1/epochs?office=EEAS.KYIV`). */
  readonly path: string;
  /** The peer's answer as it sent it (JSON, or a checkpoint's text). */
  readonly body: string;
  readonly fetchedAt: number;
}

export interface FederationStoreTx {
  /** Adds a peer, or replaces its certificates and URL (re-adding a removed peer restores it). */
  putPeer(peer: PeerRow): void;
  getPeer(node: NodeName): PeerRow | null;
  /** Peers by name; removed ones only with `includeRemoved`. */
  listPeers(includeRemoved?: boolean): PeerRow[];
  /** Marks a peer removed; `store.not_found` for an unknown one. */
  removePeer(node: NodeName, at: number): void;

  /** Replaces the set of offices `peer` hosts. An office code hosted by another peer is `store.conflict`. */
  setPeerOffices(peer: NodeName, offices: readonly PeerOfficeRow[]): void;
  getPeerOffice(code: OfficeCode): PeerOfficeRow | null;
  listPeerOffices(peer?: NodeName): PeerOfficeRow[];

  /** Queues a stored cable (by seq) for a peer; queuing it twice is a no-op. */
  enqueue(peer: NodeName, seq: number, offices: readonly OfficeCode[], at: number): void;
  /** Pending rows of `peer` due by `now`: FLASH first, then in acceptance order; at most `limit`. */
  dueOutbox(peer: NodeName, now: number, limit: number): OutboxRow[];
  /** The earliest `nextAttemptAt` among the peer's pending rows, or null with none pending. */
  nextDueAt(peer: NodeName): number | null;
  markDelivered(peer: NodeName, seq: number, receipt: Uint8Array, at: number): void;
  markAttemptFailed(peer: NodeName, seq: number, error: string, nextAttemptAt: number, at: number): void;
  markConflict(peer: NodeName, seq: number, error: string, at: number): void;
  outboxSummary(): OutboxSummary[];
  /** Every peer's row for one cable. */
  outboxOfCable(cable: CableId): OutboxRow[];

  /** Stores a checkpoint a peer showed; the same (peer, size) again is ignored (the first stays). */
  putPeerCheckpoint(checkpoint: PeerCheckpointRow): void;
  peerCheckpointAt(peer: NodeName, size: number): PeerCheckpointRow | null;
  latestPeerCheckpoint(peer: NodeName): PeerCheckpointRow | null;

  /** Keeps the last good answer of a peer for one relayed path (replacing the one before). */
  putPeerDirectory(row: PeerDirectoryRow): void;
  getPeerDirectory(peer: NodeName, path: string): PeerDirectoryRow | null;
}
