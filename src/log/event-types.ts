// The audit log's events as typed values (DESIGN.md "The audit log"; issue 4 "What goes in"): one leaf per event, a
// discriminated union on `kind`. The CBOR mapping is event-fields.ts; encoding and decoding are events.ts.
import type { CableId, Classification, DeviceId, NodeName, OfficeCode, Precedence, UserId } from '../cable/types.ts';
import type { Membership } from '../policy/subjects.ts';
import { FederationKinds, type FederationEntry } from './federation-events.ts';
import { WebKinds, type WebEntry } from './web-events.ts';
import { PersonaKinds, type PersonaEntry } from './persona-events.ts';
import { AlertHandlingKinds, type AlertHandlingEntry } from './alert-events.ts';

export type * from './federation-events.ts';
export type * from './web-events.ts';
export type * from './alert-events.ts';

/**
 * Every kind of event the log records, with an explicit string per kind: the string is what the leaf carries, so
 * it never changes. `login` and `search` are reserved for the web app and the detector (issue 7).
 *
 * @example
 * ```ts
 * LogKinds.includes('cable.read'); // true
 * ```
 */
export const LogKinds = [
  'cable.sent',
  'cable.delivered',
  'cable.read',
  'share.released',
  'draft.read',
  'device.enrolled',
  'device.approved',
  'device.revoked',
  'epoch.opened',
  'epoch.closed',
  'grant.issued',
  'membership.changed',
  'clearance.changed',
  'officer.appointed',
  'alert.raised',
  'alert.cleared',
  'user.frozen',
  'user.unfrozen',
  'canary.marked',
  'login',
  'search',
  ...FederationKinds,
  ...WebKinds,
  ...PersonaKinds,
  ...AlertHandlingKinds,
] as const;
export type LogKind = (typeof LogKinds)[number];

/** Alert severities and actions, spelt as in issue 7's alert line so the detector writes them unchanged. */
export const AlertSeverities = ['low', 'medium', 'high'] as const;
export type AlertSeverity = (typeof AlertSeverities)[number];
export const AlertActions = ['alert', 'step_up', 'freeze'] as const;
export type AlertAction = (typeof AlertActions)[number];

declare const brand: unique symbol;
/** An alert's id, unique at its node: the user-id grammar (`a-20260302-0007`). Parsed by `parseAlertId`. */
export type AlertId = string & { readonly [brand]: 'AlertId' };

/**
 * What every entry carries.
 * - `at`: when the event happened, Unix milliseconds (up to the end of year 9999, so it always has an ISO form).
 * - `node`: the node that appended the entry.
 * - `details`: the salted commitment to personal details (network address, user agent) kept beside the leaf
 *   (personal-details.ts), absent when the event has none. Only the commitment is in the leaf, so the details can
 *   be erased without changing a leaf hash.
 */
export interface EntryHeader {
  readonly at: number;
  readonly node: NodeName;
  readonly details?: Uint8Array;
}

type Entry<K extends LogKind, F> = EntryHeader & { readonly kind: K } & F;

/** Who approved a device: as `DeviceApproval` in src/keys/device-record.ts. */
export type DeviceApprover = { readonly kind: 'officer'; readonly officer: UserId } | { readonly kind: 'device'; readonly device: DeviceId };

/** Who issued a key grant: as `GrantIssuer` in src/keys/key-grant.ts (one or two officers, or the user's device). */
export type GrantIssuer = { readonly kind: 'officer'; readonly officers: readonly UserId[] } | { readonly kind: 'device'; readonly device: DeviceId };

/** Why a user was frozen: an alert whose action was `freeze`, or a security officer's decision. */
export type FreezeReason = { readonly kind: 'alert'; readonly alert: AlertId } | { readonly kind: 'officer'; readonly officer: UserId };

/**
 * A cable accepted for sending at its originating node. `level` is the marking's classification; `envelopeHash` is
 * SHA-256 of the released envelope, so one id can never stand for two texts unnoticed (DESIGN.md "Storage and scale").
 */
export type CableSent = Entry<'cable.sent', {
  readonly cable: CableId;
  readonly from: OfficeCode;
  readonly to: readonly OfficeCode[];
  readonly info: readonly OfficeCode[];
  readonly precedence: Precedence;
  readonly level: Classification;
  readonly drafter: UserId;
  readonly releaser: UserId;
  readonly envelopeHash: Uint8Array;
}>;

/** A cable delivered to one of this node's offices, from the node `fromNode`. */
export type CableDelivered = Entry<'cable.delivered', { readonly cable: CableId; readonly office: OfficeCode; readonly fromNode: NodeName }>;

/**
 * A read: who (`user`), on which device, which cable, through which addressee office, at what level and with which
 * routing tags (the detector's baseline needs them without a lookup); when is `at`, from where is `details`.
 * `ageDays`: whole days from the cable's DTG to the read, absent when the node does not know the DTG. Whether the
 * cable is a canary is deliberately not here: a reader's client receives its own read entry with its proof, and
 * must not learn that it opened a decoy (issue 7).
 */
export type CableRead = Entry<'cable.read', {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly cable: CableId;
  readonly office: OfficeCode;
  readonly level: Classification;
  readonly tags: readonly string[];
  readonly ageDays?: number;
}>;

/** The release service handed a device its share of a cable (issue 4 "No unlogged decryption"). */
export type ShareReleased = Entry<'share.released', { readonly user: UserId; readonly device: DeviceId; readonly cable: CableId; readonly office: OfficeCode }>;

/**
 * A device opened a draft (docs/decisions/015-release-gated-drafts.md): the release service handed it the draft
 * share of a draft whose marking requires release. `cable` is the draft's id, `office` the originating office,
 * `level` the draft's classification. A read for the detector, like `cable.read`; the draft's tags are sealed, so
 * none are here.
 */
export type DraftRead = Entry<'draft.read', {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly cable: CableId;
  readonly office: OfficeCode;
  readonly level: Classification;
}>;

/** `recordHash`: SHA-256 of the enrollment request as stored (enrolled) or of the encoded device record. */
export type DeviceEnrolled = Entry<'device.enrolled', { readonly user: UserId; readonly device: DeviceId; readonly recordHash: Uint8Array }>;
export type DeviceApproved = Entry<'device.approved', {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly recordHash: Uint8Array;
  readonly approver: DeviceApprover;
}>;
/** `by`: the security officer, or the user, who revoked the device. */
export type DeviceRevoked = Entry<'device.revoked', { readonly user: UserId; readonly device: DeviceId; readonly recordHash: Uint8Array; readonly by: UserId }>;

/** An office epoch opened or closed by `officer`; `keyHash` = SHA-256 of the epoch's public key, as in its record. */
export type EpochEvent<K extends 'epoch.opened' | 'epoch.closed'> = Entry<K, {
  readonly office: OfficeCode;
  readonly level: Classification;
  readonly epoch: number;
  readonly keyHash: Uint8Array;
  readonly officer: UserId;
}>;
export type EpochOpened = EpochEvent<'epoch.opened'>;
export type EpochClosed = EpochEvent<'epoch.closed'>;

/** A key grant issued to one device; `grantHash` = SHA-256 of the encoded grant record. */
export type GrantIssued = Entry<'grant.issued', {
  readonly office: OfficeCode;
  readonly level: Classification;
  readonly epoch: number;
  readonly user: UserId;
  readonly device: DeviceId;
  readonly issuer: GrantIssuer;
  readonly grantHash: Uint8Array;
}>;

/** A user's whole list of memberships before and after the change, made by `by` (plain values, not a diff). */
export type MembershipChanged = Entry<'membership.changed', {
  readonly user: UserId;
  readonly before: readonly Membership[];
  readonly after: readonly Membership[];
  readonly by: UserId;
}>;
export type ClearanceChanged = Entry<'clearance.changed', { readonly user: UserId; readonly before: Classification; readonly after: Classification; readonly by: UserId }>;

/**
 * A security officer appointed for the node `scope`; `recordHash` = SHA-256 of the encoded officer certificate as
 * stored (its endorsements included). `endorsedBy`: the two officers who endorsed the appointment besides the root;
 * absent when the root appointed alone — a founding officer (or an entry from before endorsements), so a watcher sees
 * every such appointment at a glance (docs/decisions/012-two-officers-appoint.md).
 */
export type OfficerAppointed = Entry<'officer.appointed', {
  readonly user: UserId;
  readonly scope: NodeName;
  readonly recordHash: Uint8Array;
  readonly endorsedBy?: readonly UserId[];
}>;

/** An alert about `user`; `rule` is the detector's rule name (snake_case, `bulk_read`): the rules are the detector's. */
export interface AlertFields {
  readonly alert: AlertId;
  readonly user: UserId;
  readonly rule: string;
  readonly severity: AlertSeverity;
  readonly action: AlertAction;
}
export type AlertRaised = Entry<'alert.raised', AlertFields>;
/** `by`: the one or two security officers who cleared it (a freeze needs two, issue 7). */
export type AlertCleared = Entry<'alert.cleared', AlertFields & { readonly by: readonly UserId[] }>;

export type UserFrozen = Entry<'user.frozen', { readonly user: UserId; readonly reason: FreezeReason }>;
export type UserUnfrozen = Entry<'user.unfrozen', { readonly user: UserId; readonly by: readonly UserId[] }>;

/**
 * A cable marked as a canary by the security officer `officer` (docs/detection.md "In the node"). No `user` field:
 * the entry is about no ordinary user, so no ordinary device is shown it.
 */
export type CanaryMarked = Entry<'canary.marked', { readonly cable: CableId; readonly officer: UserId }>;

/** Reserved for the web app and the detector: a passkey login, a search (the query is not logged: it is content). */
export type SessionEvent<K extends 'login' | 'search'> = Entry<K, { readonly user: UserId; readonly device: DeviceId }>;
export type Login = SessionEvent<'login'>;
export type Search = SessionEvent<'search'>;

/** One leaf of the audit log. Switch on `kind`. */
export type LogEntry =
  | CableSent
  | CableDelivered
  | CableRead
  | ShareReleased
  | DraftRead
  | DeviceEnrolled
  | DeviceApproved
  | DeviceRevoked
  | EpochOpened
  | EpochClosed
  | GrantIssued
  | MembershipChanged
  | ClearanceChanged
  | OfficerAppointed
  | AlertRaised
  | AlertCleared
  | UserFrozen
  | UserUnfrozen
  | CanaryMarked
  | Login
  | Search
  | FederationEntry
  | WebEntry
  | PersonaEntry
  | AlertHandlingEntry;

/** The entry type of one kind. */
export type EntryOf<K extends LogKind> = Extract<LogEntry, { readonly kind: K }>;
