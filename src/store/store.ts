// The storage seam of a node (DESIGN.md "Storage and scale"): everything the node keeps, behind one small
// interface with a SQLite implementation now and PostgreSQL later. Stores hold envelopes and key records as opaque
// bytes beside the routing fields they are indexed by; never a cable's plaintext, never a private key.
import type { CableId, Classification, DeviceId, NodeName, OfficeCode, Precedence, UserId } from '../cable/types.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { AlertAction, AlertId, AlertSeverity } from '../log/event-types.ts';
import type { NodeHashSource } from '../log/proofs.ts';
import type { Membership } from '../policy/subjects.ts';
import type { DraftReturnStoreTx } from './draft-returns.ts';
import type { FederationStoreTx } from './federation.ts';
import type { WebAuthStoreTx } from './web-auth.ts';
import type { WebReleaseStoreTx } from './web-releases.ts';

export type * from './draft-returns.ts';
export type * from './federation.ts';
export type * from './web-auth.ts';
export type * from './web-releases.ts';

export interface OfficeRow {
  readonly code: OfficeCode;
  readonly node: NodeName;
  readonly name: string;
  readonly ceiling: Classification;
  readonly communities: readonly string[];
}

export interface UserRow {
  readonly id: UserId;
  readonly name: string;
  readonly clearance: Classification;
  readonly nationality: string;
  readonly organisations: readonly string[];
  readonly caveats: readonly string[];
  readonly active: boolean;
  readonly frozen: boolean;
}

export type DeviceStatus = 'pending' | 'approved' | 'revoked';

export interface DeviceRow {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly status: DeviceStatus;
  readonly signingKey: Uint8Array;
  readonly encryptionKey: Uint8Array;
  /** The encoded DeviceRecord once approved; the self-signed enrollment request while pending. */
  readonly record: Uint8Array;
  readonly createdAt: number;
}

/** The signed revocation of a device (src/keys/device-revocation.ts), kept beside the device it ends. */
export interface DeviceRevocationRow {
  readonly user: UserId;
  readonly device: DeviceId;
  /** The encoded DeviceRevocation record. */
  readonly record: Uint8Array;
  /** The record's `revokedAt`, so the node need not decode it to know when. */
  readonly revokedAt: number;
}

export interface EpochRow {
  readonly office: OfficeCode;
  readonly level: Classification;
  readonly epoch: number;
  readonly keyHash: Uint8Array;
  /** Encoded OfficeEpoch record. */
  readonly record: Uint8Array;
  /** Encoded EpochClosure record once closed. */
  readonly closure: Uint8Array | null;
}

export interface GrantRow {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly office: OfficeCode;
  readonly level: Classification;
  readonly epoch: number;
  /** Encoded KeyGrant record. */
  readonly record: Uint8Array;
}

export type DraftStatus = 'draft' | 'released' | 'sent';

export interface DraftRow {
  readonly id: CableId;
  readonly from: OfficeCode;
  readonly level: Classification;
  readonly drafter: UserId;
  readonly status: DraftStatus;
  /** The draft sealed to the originating office (docs/node.md "Release workflow"). */
  readonly sealedDraft: Uint8Array;
  /** The releaser-signed envelope, once released. */
  readonly releasedEnvelope: Uint8Array | null;
  readonly releaser: UserId | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The routing fields a stored cable is indexed by (all from its routing header). */
export interface CableIndex {
  readonly id: CableId;
  readonly dtg: string;
  readonly precedence: Precedence;
  readonly classification: Classification;
  /** The rest of the marking, so policy can decide from the index alone (no envelope decoding per inbox line). */
  readonly caveats: readonly string[];
  readonly releasableTo: readonly string[];
  readonly from: OfficeCode;
  readonly to: readonly OfficeCode[];
  readonly info: readonly OfficeCode[];
  readonly tags: readonly string[];
  readonly drafter: UserId;
  readonly releaser: UserId;
}

export interface CableRow extends CableIndex {
  readonly envelope: Uint8Array;
  readonly envelopeHash: Uint8Array;
  /** Node-local acceptance order: a monotonic sequence number. */
  readonly seq: number;
  readonly acceptedAt: number;
}

/** One inbox line: a cable as delivered to one office, with the caller's read state. */
export interface InboxEntry extends CableIndex {
  readonly office: OfficeCode;
  readonly seq: number;
  readonly acceptedAt: number;
  readonly readAt: number | null;
}

/** Limits every Store implementation applies the same way. */
export const StoreLimits = {
  /** The largest inbox page; a larger `limit` is capped to it. */
  inboxPageMax: 200,
  /** The most audit-log entries one `logEntries` call returns; a larger `count` is capped to it. */
  logPageMax: 1000,
} as const;

/**
 * Keyset pagination: FLASH before IMMEDIATE before PRIORITY before ROUTINE, newest (highest seq) first within each,
 * then by office. One entry per (cable, office): a cable delivered to two of the listed offices appears once for
 * each, since the office says which desk acts on it. Read state is per (user, cable).
 */
export interface InboxQuery {
  readonly user: UserId;
  readonly offices: readonly OfficeCode[];
  /** At least 1; capped at `StoreLimits.inboxPageMax`. */
  readonly limit: number;
  /** Opaque cursor from the previous page (`InboxPage.next`); a malformed one throws DecodeError. */
  readonly after?: string;
}

export interface InboxPage {
  readonly entries: readonly InboxEntry[];
  readonly next: string | null;
}

/** Result of storing a cable: new, or the identical envelope was already there (idempotent). */
export type PutCableResult = { readonly kind: 'stored'; readonly seq: number } | { readonly kind: 'duplicate'; readonly seq: number };

/** One audit-log entry to append (docs/log.md "What the node will store"). */
export interface LogEntryInput {
  /** The canonical encoding of the event: the leaf the tree hashes. */
  readonly leaf: Uint8Array;
  /**
   * Personal details (network addresses), kept beside the leaf, which holds only their salted commitment, so they
   * can be erased without changing a hash. Both or neither.
   */
  readonly details?: Uint8Array | null;
  readonly salt?: Uint8Array | null;
  /**
   * For an entry that logs a key record, the hash naming that record (src/log/key-entries.ts keyRecordHash), so
   * the node can serve the record with its entry's proof (`logIndexOfKeyRecord`). The first entry naming a hash keeps it.
   */
  readonly keyRecord?: Uint8Array | null;
}

export interface LogEntryRow {
  readonly index: number;
  readonly leaf: Uint8Array;
  /** SHA-256(0x00 ‖ leaf) (RFC 9162 §2.1.1). */
  readonly leafHash: Uint8Array;
  /** Null once erased (or if the entry had none). */
  readonly details: Uint8Array | null;
  readonly salt: Uint8Array | null;
  readonly appendedAt: number;
}

/** What an append did: the entries took indices [first, size), and `root` is the tree's new root. */
export interface LogAppendResult {
  readonly first: number;
  readonly size: number;
  readonly root: Uint8Array;
}

/** A signed tree head as served: the signed note (src/log/checkpoint.ts) with its size and root beside it. */
export interface CheckpointRow {
  readonly size: number;
  readonly root: Uint8Array;
  /** The signed note text, exactly as served (UTF-8 on the wire). */
  readonly note: string;
  readonly signedAt: number;
}

/** Where an alert stands: raised and unhandled, seen by a security officer, or cleared (by one or two officers). */
export const AlertStates = ['open', 'acknowledged', 'cleared'] as const;
export type AlertState = (typeof AlertStates)[number];

/**
 * An alert the node raised (src/node/detection.ts), beside its `alert.raised` entry at `raisedIndex`. `evidence`
 * are the log indices the detector cites; `triggerIndex` is the entry whose judgement raised it, so (user, rule,
 * triggerIndex) names it across replays of the log.
 */
export interface AlertRow {
  readonly id: AlertId;
  readonly user: UserId;
  readonly rule: string;
  readonly severity: AlertSeverity;
  readonly action: AlertAction;
  readonly evidence: readonly number[];
  readonly triggerIndex: number;
  readonly raisedIndex: number;
  readonly raisedAt: number;
  readonly state: AlertState;
  readonly acknowledgedBy: UserId | null;
}

/** The first security officer's request to clear a freeze, waiting for a second, different one. */
export interface ClearanceRequestRow {
  readonly alert: AlertId;
  readonly officer: UserId;
  readonly requestedAt: number;
}

/** A cable a security officer marked as a canary: any opening of it is a high alert and a freeze (issue 7). */
export interface CanaryRow {
  readonly cable: CableId;
  readonly officer: UserId;
  readonly markedAt: number;
}

/** All reads and writes of one request; obtained from `Store.transaction`. */
export interface StoreTx extends FederationStoreTx, WebAuthStoreTx, WebReleaseStoreTx, DraftReturnStoreTx {
  putOffice(office: OfficeRow): void;
  getOffice(code: OfficeCode): OfficeRow | null;
  listOffices(): OfficeRow[];

  putUser(user: UserRow): void;
  getUser(id: UserId): UserRow | null;
  listUsers(): UserRow[];
  setMemberships(user: UserId, memberships: readonly Membership[]): void;
  getMemberships(user: UserId): Membership[];
  listMembers(office: OfficeCode): { user: UserId; membership: Membership }[];

  putDevice(device: DeviceRow): void;
  getDevice(user: UserId, device: DeviceId): DeviceRow | null;
  listDevices(user: UserId): DeviceRow[];
  /**
   * Marks an approved device revoked and stores its revocation record, atomically. A revocation is never undone or
   * replaced: the same record again does nothing, another is `store.conflict`, as is a pending device (nothing to
   * revoke); an unknown device is `store.not_found`.
   */
  revokeDevice(revocation: DeviceRevocationRow): void;
  getDeviceRevocation(user: UserId, device: DeviceId): DeviceRevocationRow | null;
  /** A user's device revocations, oldest first. */
  listDeviceRevocations(user: UserId): DeviceRevocationRow[];

  putOfficerCertificate(user: UserId, record: Uint8Array): void;
  getOfficerCertificate(user: UserId): Uint8Array | null;
  listOfficerCertificates(): Uint8Array[];

  /**
   * Stores an epoch, or sets the closure of a stored one. The key (keyHash, record) under one (office, level, epoch)
   * never changes and a closure is never undone or replaced: either attempt throws `StoreError('store.conflict')`.
   */
  putEpoch(epoch: EpochRow): void;
  getEpoch(office: OfficeCode, level: Classification, epoch: number): EpochRow | null;
  /** The open epoch (no closure) with the highest number, or null. */
  currentEpoch(office: OfficeCode, level: Classification): EpochRow | null;
  listEpochs(office: OfficeCode): EpochRow[];

  /** The grant's device and epoch must be stored already, else `StoreError('store.not_found')`. */
  putGrant(grant: GrantRow): void;
  listGrants(user: UserId, device: DeviceId): GrantRow[];

  putDraft(draft: DraftRow): void;
  getDraft(id: CableId): DraftRow | null;
  listDrafts(office: OfficeCode): DraftRow[];

  /**
   * Stores an accepted cable and one delivery per addressed office hosted here, atomically. The same id with the
   * same envelope hash is a `duplicate` (idempotent); the same id with another hash throws
   * `StoreError('store.conflict')` — nobody may show two offices two texts under one id.
   */
  putCable(cable: Omit<CableRow, 'seq' | 'acceptedAt'>, localOffices: readonly OfficeCode[], acceptedAt: number): PutCableResult;
  getCable(id: CableId): CableRow | null;
  countCables(): number;
  inbox(query: InboxQuery): InboxPage;
  /** Marks a cable read by a user; the first read time is kept. An unknown cable is `store.not_found`. */
  markRead(user: UserId, cable: CableId, at: number): void;

  /**
   * Records a request nonce until `expiresAt`; false if it is still remembered (a replay). Forgets nonces whose
   * `expiresAt` is at or before `now`.
   */
  rememberNonce(keyId: string, nonce: string, expiresAt: number, now: number): boolean;

  /**
   * Appends entries to the audit log in this transaction (so an entry exists exactly when the state change it
   * records does), at indices logSize()…; stores their leaf hashes and every subtree hash they complete. `p` hashes
   * (RFC 9162 leaf and node hashes, src/log/merkle.ts): the store holds no crypto of its own. Every entry is checked
   * before anything is written.
   */
  appendLogEntries(entries: readonly LogEntryInput[], at: number, p: CryptoProvider): LogAppendResult;
  /** The number of entries in the log. */
  logSize(): number;
  logEntry(index: number): LogEntryRow | null;
  /** Entries from `from` on, in order, at most `count` (capped at `StoreLimits.logPageMax`). */
  logEntries(from: number, count: number): LogEntryRow[];
  /**
   * The hash of the complete subtree of leaves [index·2^level, (index+1)·2^level) (level 0: a leaf hash), as a
   * `NodeHashSource` needs; `LogError('log.out_of_range')` for a subtree the log does not hold (yet).
   */
  logSubtreeHash(level: number, index: number): Uint8Array;
  /** Erases an entry's personal details and salt; its leaf, and so every hash, stays. Unknown index: `store.not_found`. */
  eraseLogDetails(index: number): void;
  /** The index of the first entry that logged the key record named by `recordHash` (`LogEntryInput.keyRecord`), or null. */
  logIndexOfKeyRecord(recordHash: Uint8Array): number | null;
  /**
   * Stores a signed checkpoint. One per tree size: storing the identical one again does nothing, another for the same
   * size is `store.conflict` (two heads for one size is what a fork looks like). A size beyond the log is refused.
   */
  putCheckpoint(checkpoint: CheckpointRow): void;
  /** The checkpoint of the largest tree size, or null. */
  latestCheckpoint(): CheckpointRow | null;
  checkpointAt(size: number): CheckpointRow | null;

  /**
   * Notes that the release service handed `user` a share, recorded by the log entry at `index` (which must exist:
   * else `store.not_found`); one row per entry (`store.conflict` for a second). Written in the entry's transaction.
   */
  recordShareRelease(index: number, user: UserId, at: number): void;
  /** How many shares `user` was handed after `since` (exclusive): the release service's rate limit. */
  countShareReleases(user: UserId, since: number): number;

  /** Stores a new alert; `store.conflict` for an id, or a (user, rule, triggerIndex), already stored. */
  putAlert(alert: AlertRow): void;
  getAlert(id: AlertId): AlertRow | null;
  /** The alert the detector raised for `user` by `rule` when it judged the entry at `triggerIndex`, if stored. */
  findAlert(user: UserId, rule: string, triggerIndex: number): AlertRow | null;
  /** Alerts in any of `states`, oldest first. */
  listAlerts(states: readonly AlertState[]): AlertRow[];
  /** `user`'s open alerts whose action is `action`, oldest first: what a share checks (indexed by user). */
  listOpenAlertsOf(user: UserId, action: AlertAction): AlertRow[];
  /** How many alerts were ever stored (ids are numbered from it). */
  countAlerts(): number;
  /** Moves an alert to `state`; `by` is recorded as the acknowledging officer. Unknown id: `store.not_found`. */
  setAlertState(id: AlertId, state: AlertState, by: UserId | null): void;
  /** Sets an alert's action (an officer's escalation; the `alert.raised` entry keeps the detector's). Unknown id: `store.not_found`. */
  setAlertAction(id: AlertId, action: AlertAction): void;
  /** Records the first officer's request to clear `alert`; `store.conflict` if one is already waiting. */
  putClearanceRequest(request: ClearanceRequestRow): void;
  getClearanceRequest(alert: AlertId): ClearanceRequestRow | null;
  deleteClearanceRequest(alert: AlertId): void;

  /** Marks a cable as a canary; `store.conflict` if it already is one. */
  markCanary(canary: CanaryRow): void;
  isCanary(cable: CableId): boolean;
  getCanary(cable: CableId): CanaryRow | null;
  /** Every canary, oldest mark first. */
  listCanaries(): CanaryRow[];
}

/**
 * The log of a transaction as a `NodeHashSource` (src/log/proofs.ts), for proofs and past roots.
 *
 * @example
 * ```ts
 * const proof = store.transaction((tx) => inclusionProof(p, logHashes(tx), index, size));
 * ```
 */
export function logHashes(tx: StoreTx): NodeHashSource {
  return { subtreeHash: (level, index) => tx.logSubtreeHash(level, index) };
}

export interface Store {
  /**
   * Runs `fn` in one transaction (SQLite: BEGIN IMMEDIATE … COMMIT), rolling back if it throws. `fn` must be
   * synchronous, and `tx` must not be used after it returns. Writes referring to a missing row (a membership of an
   * unknown office, a grant for an unknown device) throw `StoreError('store.not_found')`.
   */
  transaction<T>(fn: (tx: StoreTx) => T): T;
  close(): void;
}
