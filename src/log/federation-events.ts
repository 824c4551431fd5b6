// The audit log's federation events (issue 5): peers added and removed, cables crossing between nodes, and what a
// peer did wrong. Kept beside event-types.ts, which unions them into LogEntry; the CBOR mapping is
// federation-fields.ts.
import type { CableId, Classification, NodeName, OfficeCode, Precedence, UserId } from '../cable/types.ts';
import type { EntryHeader } from './event-types.ts';

type Entry<K extends string, F> = EntryHeader & { readonly kind: K } & F;

export const FederationKinds = ['peer.added', 'peer.removed', 'cable.received', 'cable.forwarded', 'peer.refused', 'peer.conflict', 'peer.fork'] as const;

/**
 * A peer node pinned by an explicit admin act: `rootFingerprint` is SHA-256 of the peer organisation's root record,
 * `certificateHash` SHA-256 of the peer certificate our root signed (src/keys/peer-certificate.ts); `by` the
 * security officer whose device uploaded it.
 */
export type PeerAdded = Entry<'peer.added', { readonly peer: NodeName; readonly rootFingerprint: Uint8Array; readonly certificateHash: Uint8Array; readonly by: UserId }>;
/** A peer removed: no new cable is queued for it; what is queued stays listed (never silently dropped). */
export type PeerRemoved = Entry<'peer.removed', { readonly peer: NodeName; readonly by: UserId }>;

/**
 * A cable pushed by peer `fromNode` and stored here (followed by one `cable.delivered` per office of ours). The
 * routing fields are the ones `cable.sent` carries at the originating node, so this log alone says what arrived.
 */
export type CableReceived = Entry<'cable.received', {
  readonly cable: CableId;
  readonly fromNode: NodeName;
  readonly from: OfficeCode;
  readonly precedence: Precedence;
  readonly level: Classification;
  readonly envelopeHash: Uint8Array;
}>;

/**
 * A cable this node sent on to `peer`, which signed a receipt for `offices` (its offices the cable is addressed
 * to); `receiptHash` = SHA-256 of that signed receipt (kept beside the outbox row).
 */
export type CableForwarded = Entry<'cable.forwarded', {
  readonly cable: CableId;
  readonly peer: NodeName;
  readonly offices: readonly OfficeCode[];
  readonly envelopeHash: Uint8Array;
  readonly receiptHash: Uint8Array;
}>;

/**
 * A request from a peer (or from a node claiming to be one) refused: forged or replayed signature, garbage, an
 * oversized body, a cable for offices it does not host. `code` is the error code it was answered with. Logged at
 * most a few times a minute per peer, so garbage cannot flood the log.
 */
export type PeerRefused = Entry<'peer.refused', { readonly peer: NodeName; readonly code: string }>;

/**
 * Two envelopes under one cable id: `envelopeHash` the one offered (by `peer`, or by this node to `peer`),
 * `storedHash` the other one, which only the receiver knows (absent in the sender's entry). Nobody may show two
 * offices two texts under one id: refused, and an alert on both sides.
 */
export type PeerConflict = Entry<'peer.conflict', { readonly peer: NodeName; readonly cable: CableId; readonly envelopeHash: Uint8Array; readonly storedHash?: Uint8Array }>;

/**
 * Peer `peer` showed two histories: a signed checkpoint of `size` entries whose root is `root`, and another
 * (`otherSize`, `otherRoot`) that no consistency proof joins to it. Both notes are kept beside the entry.
 */
export type PeerFork = Entry<'peer.fork', {
  readonly peer: NodeName;
  readonly size: number;
  readonly root: Uint8Array;
  readonly otherSize: number;
  readonly otherRoot: Uint8Array;
}>;

export type FederationEntry = PeerAdded | PeerRemoved | CableReceived | CableForwarded | PeerRefused | PeerConflict | PeerFork;
