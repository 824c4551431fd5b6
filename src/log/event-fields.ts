// How each kind of log entry maps to and from its CBOR fields: one spec per kind, read by both encodeLogEntry and
// decodeLogEntry (events.ts), so that what is written and what is accepted can never drift apart.
import type { Classification, DeviceId, UserId } from '../cable/types.ts';
import { Classifications, Precedences } from '../cable/types.ts';
import { parseCableId, parseDeviceId, parseNodeName, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { CableLimits, CablePatterns } from '../cable/limits.ts';
import type { CborMap, Fields } from '../encoding/fields.ts';
import { DecodeError } from '../errors.ts';
import { Roles, type Membership } from '../policy/subjects.ts';
import { AlertActions, AlertSeverities } from './event-types.ts';
import { FEDERATION_SPECS } from './federation-fields.ts';
import { WEB_SPECS } from './web-fields.ts';
import { PERSONA_SPECS } from './persona-fields.ts';
import { ALERT_HANDLING_SPECS } from './alert-fields.ts';
import type { AlertFields, AlertId, DeviceApprover, EntryHeader, EntryOf, EpochEvent, FreezeReason, GrantIssuer, LogKind, SessionEvent } from './event-types.ts';

/** Every hash in an entry is SHA-256. */
export const ENTRY_HASH_LENGTH = 32;

const Limits = {
  /**
   * A user's memberships listed on each side of one `membership.changed`: far above any real portfolio, and two
   * full lists of 64-character offices (about 32 KB) stay well within the entry cap.
   */
  memberships: 128,
  /** Officers who jointly issue a grant, clear an alert or unfreeze a user (two where policy asks for two). */
  officers: 2,
  /** Days from any DTG (year 1 at the earliest) to a read (year 9999 at the latest). */
  ageDays: 3_652_425,
  alertIdChars: 64,
} as const;

/** The user-id grammar: alert ids are lower-case tokens like `a-20260302-0007`. */
const ALERT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Detector rule names are snake_case (`bulk_read`, `canary`), as the alert line of issue 7 prints them. */
const RULE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Parses an alert id. Throws TypeError for a non-string, RangeError for a malformed id.
 *
 * @example
 * ```ts
 * const alert = parseAlertId('a-20260302-0007');
 * ```
 */
export function parseAlertId(value: unknown): AlertId {
  if (typeof value !== 'string') throw new TypeError('alert id must be a string');
  if (value.length > Limits.alertIdChars || !ALERT_ID.test(value)) throw new RangeError('not an alert id');
  return value as AlertId; // the brand is earned by the check above
}

function parseRule(value: string): string {
  if (!RULE.test(value)) throw new RangeError('not a rule name');
  return value;
}

/** How one kind maps to CBOR: the kind-specific keys (the header's are events.ts's) and both directions. */
export interface KindSpec<E extends EntryHeader & { readonly kind: LogKind }> {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  toCbor(entry: E): CborMap;
  fromFields(f: Fields, header: EntryHeader): E;
}

/** One spec per kind; the mapped type makes a missing or mistyped kind a compile error. */
export type KindSpecs = { readonly [K in LogKind]: KindSpec<EntryOf<K>> };

const user = (f: Fields, key = 'user'): UserId => f.id(key, parseUserId);
const device = (f: Fields, key = 'device'): DeviceId => f.id(key, parseDeviceId);
const level = (f: Fields, key = 'level'): Classification => f.oneOf(key, Classifications);
const hash = (f: Fields, key: string): Uint8Array => f.bytes(key, ENTRY_HASH_LENGTH);
const officers = (f: Fields, key: string): readonly UserId[] => f.idList(key, 1, Limits.officers, parseUserId);

function approverFromFields(f: Fields): DeviceApprover {
  const kind = f.map('approver', ['kind'], ['officer', 'device']).oneOf('kind', ['officer', 'device'] as const);
  if (kind === 'officer') return { kind, officer: user(f.map('approver', ['kind', 'officer']), 'officer') };
  return { kind, device: device(f.map('approver', ['kind', 'device'])) };
}

function issuerFromFields(f: Fields): GrantIssuer {
  const kind = f.map('issuer', ['kind'], ['officers', 'device']).oneOf('kind', ['officer', 'device'] as const);
  if (kind === 'officer') return { kind, officers: officers(f.map('issuer', ['kind', 'officers']), 'officers') };
  return { kind, device: device(f.map('issuer', ['kind', 'device'])) };
}

function reasonFromFields(f: Fields): FreezeReason {
  const kind = f.map('reason', ['kind'], ['alert', 'officer']).oneOf('kind', ['alert', 'officer'] as const);
  if (kind === 'alert') return { kind, alert: f.map('reason', ['kind', 'alert']).id('alert', parseAlertId) };
  return { kind, officer: user(f.map('reason', ['kind', 'officer']), 'officer') };
}

const membershipToCbor = (m: Membership): CborMap =>
  m.role === 'releasing-officer' ? { office: m.office, role: m.role, releaseCeiling: m.releaseCeiling } : { office: m.office, role: m.role };

function membershipsFromFields(f: Fields, key: string): readonly Membership[] {
  return f.mapList(key, Limits.memberships, ['office', 'role'], (m): Membership => {
    const office = m.id('office', parseOfficeCode);
    const role = m.oneOf('role', Roles);
    // A ceiling belongs to a releasing officer and to no one else: one membership, one encoding.
    if ((role === 'releasing-officer') !== m.has('releaseCeiling')) {
      throw new DecodeError('encoding.malformed', `log-entry: ${key} releaseCeiling must be present exactly for releasing officers`);
    }
    return role === 'releasing-officer' ? { office, role, releaseCeiling: level(m, 'releaseCeiling') } : { office, role };
  }, ['releaseCeiling']);
}

/** Users acting on their own device: reads, logins, searches. */
const USER_DEVICE = ['user', 'device'];

function sessionSpec<K extends 'login' | 'search'>(kind: K): KindSpec<SessionEvent<K>> {
  return {
    required: USER_DEVICE,
    optional: [],
    toCbor: (e) => ({ user: e.user, device: e.device }),
    fromFields: (f, h) => ({ ...h, kind, user: user(f), device: device(f) }),
  };
}

function epochSpec<K extends 'epoch.opened' | 'epoch.closed'>(kind: K): KindSpec<EpochEvent<K>> {
  return {
    required: ['office', 'level', 'epoch', 'keyHash', 'officer'],
    optional: [],
    toCbor: (e) => ({ office: e.office, level: e.level, epoch: e.epoch, keyHash: e.keyHash, officer: e.officer }),
    fromFields: (f, h) => ({
      ...h, kind, office: f.id('office', parseOfficeCode), level: level(f), epoch: f.uint('epoch'), keyHash: hash(f, 'keyHash'), officer: user(f, 'officer'),
    }),
  };
}

const ALERT = ['alert', 'user', 'rule', 'severity', 'action'];
const alertToCbor = (e: AlertFields): CborMap => ({ alert: e.alert, user: e.user, rule: e.rule, severity: e.severity, action: e.action });
const alertFromFields = (f: Fields): AlertFields => ({
  alert: f.id('alert', parseAlertId),
  user: user(f),
  rule: f.id('rule', parseRule),
  severity: f.oneOf('severity', AlertSeverities),
  action: f.oneOf('action', AlertActions),
});

/** The specs of every kind. */
export const KIND_SPECS: KindSpecs = {
  'cable.sent': {
    required: ['cable', 'from', 'to', 'info', 'precedence', 'level', 'drafter', 'releaser', 'envelopeHash'],
    optional: [],
    toCbor: (e) => ({
      cable: e.cable, from: e.from, to: e.to, info: e.info, precedence: e.precedence, level: e.level,
      drafter: e.drafter, releaser: e.releaser, envelopeHash: e.envelopeHash,
    }),
    fromFields: (f, h) => {
      // Action and information addressees together within the cable model's limit, as the header validator has it.
      const to = f.idList('to', CableLimits.toMin, CableLimits.addresseesMax, parseOfficeCode);
      return {
        ...h, kind: 'cable.sent', cable: f.id('cable', parseCableId), from: f.id('from', parseOfficeCode), to,
        info: f.idList('info', 0, CableLimits.addresseesMax - to.length, parseOfficeCode),
        precedence: f.oneOf('precedence', Precedences), level: level(f), drafter: user(f, 'drafter'), releaser: user(f, 'releaser'),
        envelopeHash: hash(f, 'envelopeHash'),
      };
    },
  },
  'cable.delivered': {
    required: ['cable', 'office', 'fromNode'],
    optional: [],
    toCbor: (e) => ({ cable: e.cable, office: e.office, fromNode: e.fromNode }),
    fromFields: (f, h) => ({
      ...h, kind: 'cable.delivered', cable: f.id('cable', parseCableId), office: f.id('office', parseOfficeCode), fromNode: f.id('fromNode', parseNodeName),
    }),
  },
  'cable.read': {
    required: [...USER_DEVICE, 'cable', 'office', 'level', 'tags'],
    optional: ['ageDays'],
    toCbor: (e) => ({
      user: e.user, device: e.device, cable: e.cable, office: e.office, level: e.level, tags: e.tags,
      ...(e.ageDays === undefined ? {} : { ageDays: e.ageDays }),
    }),
    fromFields: (f, h) => ({
      ...h, kind: 'cable.read', user: user(f), device: device(f), cable: f.id('cable', parseCableId), office: f.id('office', parseOfficeCode),
      level: level(f), tags: f.codeList('tags', CableLimits.tagsMax, CablePatterns.tag),
      ...(f.has('ageDays') ? { ageDays: f.uint('ageDays', Limits.ageDays) } : {}),
    }),
  },
  'share.released': {
    required: [...USER_DEVICE, 'cable', 'office'],
    optional: [],
    toCbor: (e) => ({ user: e.user, device: e.device, cable: e.cable, office: e.office }),
    fromFields: (f, h) => ({
      ...h, kind: 'share.released', user: user(f), device: device(f), cable: f.id('cable', parseCableId), office: f.id('office', parseOfficeCode),
    }),
  },
  'draft.read': {
    required: [...USER_DEVICE, 'cable', 'office', 'level'],
    optional: [],
    toCbor: (e) => ({ user: e.user, device: e.device, cable: e.cable, office: e.office, level: e.level }),
    fromFields: (f, h) => ({
      ...h, kind: 'draft.read', user: user(f), device: device(f), cable: f.id('cable', parseCableId), office: f.id('office', parseOfficeCode), level: level(f),
    }),
  },
  'device.enrolled': {
    required: [...USER_DEVICE, 'recordHash'],
    optional: [],
    toCbor: (e) => ({ user: e.user, device: e.device, recordHash: e.recordHash }),
    fromFields: (f, h) => ({ ...h, kind: 'device.enrolled', user: user(f), device: device(f), recordHash: hash(f, 'recordHash') }),
  },
  'device.approved': {
    required: [...USER_DEVICE, 'recordHash', 'approver'],
    optional: [],
    toCbor: (e) => ({
      user: e.user, device: e.device, recordHash: e.recordHash,
      approver: e.approver.kind === 'officer' ? { kind: 'officer', officer: e.approver.officer } : { kind: 'device', device: e.approver.device },
    }),
    fromFields: (f, h) => ({
      ...h, kind: 'device.approved', user: user(f), device: device(f), recordHash: hash(f, 'recordHash'), approver: approverFromFields(f),
    }),
  },
  'device.revoked': {
    required: [...USER_DEVICE, 'recordHash', 'by'],
    optional: [],
    toCbor: (e) => ({ user: e.user, device: e.device, recordHash: e.recordHash, by: e.by }),
    fromFields: (f, h) => ({ ...h, kind: 'device.revoked', user: user(f), device: device(f), recordHash: hash(f, 'recordHash'), by: user(f, 'by') }),
  },
  'epoch.opened': epochSpec('epoch.opened'),
  'epoch.closed': epochSpec('epoch.closed'),
  'grant.issued': {
    required: ['office', 'level', 'epoch', ...USER_DEVICE, 'issuer', 'grantHash'],
    optional: [],
    toCbor: (e) => ({
      office: e.office, level: e.level, epoch: e.epoch, user: e.user, device: e.device, grantHash: e.grantHash,
      issuer: e.issuer.kind === 'officer' ? { kind: 'officer', officers: e.issuer.officers } : { kind: 'device', device: e.issuer.device },
    }),
    fromFields: (f, h) => ({
      ...h, kind: 'grant.issued', office: f.id('office', parseOfficeCode), level: level(f), epoch: f.uint('epoch'), user: user(f), device: device(f),
      issuer: issuerFromFields(f), grantHash: hash(f, 'grantHash'),
    }),
  },
  'membership.changed': {
    required: ['user', 'before', 'after', 'by'],
    optional: [],
    toCbor: (e) => ({ user: e.user, before: e.before.map(membershipToCbor), after: e.after.map(membershipToCbor), by: e.by }),
    fromFields: (f, h) => ({
      ...h, kind: 'membership.changed', user: user(f), before: membershipsFromFields(f, 'before'), after: membershipsFromFields(f, 'after'), by: user(f, 'by'),
    }),
  },
  'clearance.changed': {
    required: ['user', 'before', 'after', 'by'],
    optional: [],
    toCbor: (e) => ({ user: e.user, before: e.before, after: e.after, by: e.by }),
    fromFields: (f, h) => ({ ...h, kind: 'clearance.changed', user: user(f), before: level(f, 'before'), after: level(f, 'after'), by: user(f, 'by') }),
  },
  'officer.appointed': {
    required: ['user', 'scope', 'recordHash'],
    optional: ['endorsedBy'],
    toCbor: (e) => ({ user: e.user, scope: e.scope, recordHash: e.recordHash, ...(e.endorsedBy === undefined ? {} : { endorsedBy: e.endorsedBy }) }),
    fromFields: (f, h) => ({
      ...h, kind: 'officer.appointed', user: user(f), scope: f.id('scope', parseNodeName), recordHash: hash(f, 'recordHash'),
      ...(f.has('endorsedBy') ? { endorsedBy: officers(f, 'endorsedBy') } : {}),
    }),
  },
  'alert.raised': {
    required: ALERT,
    optional: [],
    toCbor: alertToCbor,
    fromFields: (f, h) => ({ ...h, kind: 'alert.raised', ...alertFromFields(f) }),
  },
  'alert.cleared': {
    required: [...ALERT, 'by'],
    optional: [],
    toCbor: (e) => ({ ...alertToCbor(e), by: e.by }),
    fromFields: (f, h) => ({ ...h, kind: 'alert.cleared', ...alertFromFields(f), by: officers(f, 'by') }),
  },
  'user.frozen': {
    required: ['user', 'reason'],
    optional: [],
    toCbor: (e) => ({
      user: e.user,
      reason: e.reason.kind === 'alert' ? { kind: 'alert', alert: e.reason.alert } : { kind: 'officer', officer: e.reason.officer },
    }),
    fromFields: (f, h) => ({ ...h, kind: 'user.frozen', user: user(f), reason: reasonFromFields(f) }),
  },
  'user.unfrozen': {
    required: ['user', 'by'],
    optional: [],
    toCbor: (e) => ({ user: e.user, by: e.by }),
    fromFields: (f, h) => ({ ...h, kind: 'user.unfrozen', user: user(f), by: officers(f, 'by') }),
  },
  'canary.marked': {
    required: ['cable', 'officer'],
    optional: [],
    toCbor: (e) => ({ cable: e.cable, officer: e.officer }),
    fromFields: (f, h) => ({ ...h, kind: 'canary.marked', cable: f.id('cable', parseCableId), officer: user(f, 'officer') }),
  },
  login: sessionSpec('login'),
  search: sessionSpec('search'),
  ...FEDERATION_SPECS,
  ...WEB_SPECS,
  ...PERSONA_SPECS,
  ...ALERT_HANDLING_SPECS,
};
