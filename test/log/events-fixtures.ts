// Fixtures of the entry tests: the sample read of issue 7, and fast-check generators of log entries, one per kind,
// over the full grammars of the ids (so the parsers are exercised, not a fixed list) and with every optional field
// both present and absent.
import fc from 'fast-check';
import { formatCableId } from '../../src/cable/ids.ts';
import { Classifications, Precedences } from '../../src/cable/types.ts';
import type { CableId, DeviceId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { Roles, type Membership } from '../../src/policy/subjects.ts';
import { AlertActions, AlertSeverities, MAX_ENTRY_TIME, parseAlertId } from '../../src/log/events.ts';
import type { CableRead, EntryOf, LogKind } from '../../src/log/events.ts';

/** The sample read of issue 7's trace line, as a leaf (with 250 ms the trace drops, and a details commitment). */
export const SAMPLE_READ: CableRead = {
  kind: 'cable.read',
  at: Date.parse('2026-03-02T09:14:07.250Z'),
  node: 'MFA.CY' as NodeName,
  user: 'u-0042' as UserId,
  device: 'd-0042-1' as DeviceId,
  cable: 'EEAS.DEL.WASHINGTON/2026/000123' as CableId,
  office: 'MFA.CY.AMERICAS' as OfficeCode,
  level: 'LIMITED',
  tags: ['PREL', 'US'],
  ageDays: 3,
  details: new Uint8Array(32).fill(0xd1),
};

const officeText = fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}(\.[A-Z][A-Z0-9-]{0,5}){0,2}$/);
export const office = officeText as fc.Arbitrary<OfficeCode>;
const node = fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}(\.[A-Z][A-Z0-9]{0,5})?$/) as fc.Arbitrary<NodeName>;
export const user = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/) as fc.Arbitrary<UserId>;
export const device = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/) as fc.Arbitrary<DeviceId>;
const cable = fc.tuple(officeText, fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 999_999 })).map(([o, y, s]) => formatCableId(o, y, s));
export const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const level = fc.constantFrom(...Classifications);
const epoch = fc.nat();
const tags = fc.uniqueArray(fc.stringMatching(/^[A-Z][A-Z0-9]{1,7}$/), { maxLength: 6 });
const officers = fc.uniqueArray(user, { minLength: 1, maxLength: 2 });
const alert = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/).map(parseAlertId);
/** Records with Object.prototype: decoded maps have it, and fast-check may otherwise make null-prototype ones. */
function plain<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}

const membership: fc.Arbitrary<Membership> = fc.oneof(
  plain({ office, role: fc.constantFrom(...Roles.filter((r) => r !== 'releasing-officer')) }),
  plain({ office, role: fc.constant('releasing-officer' as const), releaseCeiling: level }),
);

/** The header, with and without a details commitment. */
const header = fc.record({ at: fc.integer({ min: 0, max: MAX_ENTRY_TIME }), node, details: hash }, { requiredKeys: ['at', 'node'] });

function entry<T extends object>(fields: fc.Arbitrary<T>) {
  return fc.tuple(header, fields).map(([h, f]) => ({ ...h, ...f }));
}

const alertFields = { alert, user, rule: fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/), severity: fc.constantFrom(...AlertSeverities), action: fc.constantFrom(...AlertActions) };
const epochFields = { office, level, epoch, keyHash: hash, officer: user };

/** One arbitrary per kind; the mapped type makes a kind without one a compile error. */
export const ENTRY_ARBITRARIES: { readonly [K in LogKind]: fc.Arbitrary<EntryOf<K>> } = {
  'cable.sent': entry(
    fc.record({
      kind: fc.constant('cable.sent' as const), cable, from: office, to: fc.uniqueArray(office, { minLength: 1, maxLength: 4 }),
      info: fc.uniqueArray(office, { maxLength: 4 }), precedence: fc.constantFrom(...Precedences), level, drafter: user, releaser: user, envelopeHash: hash,
    }),
  ),
  'cable.delivered': entry(fc.record({ kind: fc.constant('cable.delivered' as const), cable, office, fromNode: node })),
  'cable.read': entry(
    fc.record(
      { kind: fc.constant('cable.read' as const), user, device, cable, office, level, tags, ageDays: fc.integer({ min: 0, max: 3_652_425 }) },
      { requiredKeys: ['kind', 'user', 'device', 'cable', 'office', 'level', 'tags'] },
    ),
  ),
  'share.released': entry(fc.record({ kind: fc.constant('share.released' as const), user, device, cable, office })),
  'draft.read': entry(fc.record({ kind: fc.constant('draft.read' as const), user, device, cable, office, level })),
  'device.enrolled': entry(fc.record({ kind: fc.constant('device.enrolled' as const), user, device, recordHash: hash })),
  'device.approved': entry(
    fc.record({
      kind: fc.constant('device.approved' as const), user, device, recordHash: hash,
      approver: fc.oneof(plain({ kind: fc.constant('officer' as const), officer: user }), plain({ kind: fc.constant('device' as const), device })),
    }),
  ),
  'device.revoked': entry(fc.record({ kind: fc.constant('device.revoked' as const), user, device, recordHash: hash, by: user })),
  'epoch.opened': entry(fc.record({ kind: fc.constant('epoch.opened' as const), ...epochFields })),
  'epoch.closed': entry(fc.record({ kind: fc.constant('epoch.closed' as const), ...epochFields })),
  'grant.issued': entry(
    fc.record({
      kind: fc.constant('grant.issued' as const), office, level, epoch, user, device, grantHash: hash,
      issuer: fc.oneof(plain({ kind: fc.constant('officer' as const), officers }), plain({ kind: fc.constant('device' as const), device })),
    }),
  ),
  'membership.changed': entry(
    fc.record({ kind: fc.constant('membership.changed' as const), user, before: fc.array(membership, { maxLength: 4 }), after: fc.array(membership, { maxLength: 4 }), by: user }),
  ),
  'clearance.changed': entry(fc.record({ kind: fc.constant('clearance.changed' as const), user, before: level, after: level, by: user })),
  'officer.appointed': entry(fc.record({ kind: fc.constant('officer.appointed' as const), user, scope: node, recordHash: hash })),
  'alert.raised': entry(fc.record({ kind: fc.constant('alert.raised' as const), ...alertFields })),
  'alert.cleared': entry(fc.record({ kind: fc.constant('alert.cleared' as const), ...alertFields, by: officers })),
  'user.frozen': entry(
    fc.record({
      kind: fc.constant('user.frozen' as const), user,
      reason: fc.oneof(plain({ kind: fc.constant('alert' as const), alert }), plain({ kind: fc.constant('officer' as const), officer: user })),
    }),
  ),
  'user.unfrozen': entry(fc.record({ kind: fc.constant('user.unfrozen' as const), user, by: officers })),
  'canary.marked': entry(fc.record({ kind: fc.constant('canary.marked' as const), cable, officer: user })),
  login: entry(fc.record({ kind: fc.constant('login' as const), user, device })),
  search: entry(fc.record({ kind: fc.constant('search' as const), user, device })),
  'peer.added': entry(fc.record({ kind: fc.constant('peer.added' as const), peer: node, rootFingerprint: hash, certificateHash: hash, by: user })),
  'peer.removed': entry(fc.record({ kind: fc.constant('peer.removed' as const), peer: node, by: user })),
  'cable.received': entry(
    fc.record({ kind: fc.constant('cable.received' as const), cable, fromNode: node, from: office, precedence: fc.constantFrom(...Precedences), level, envelopeHash: hash }),
  ),
  'cable.forwarded': entry(
    fc.record({ kind: fc.constant('cable.forwarded' as const), cable, peer: node, offices: fc.uniqueArray(office, { minLength: 1, maxLength: 4 }), envelopeHash: hash, receiptHash: hash }),
  ),
  'peer.refused': entry(fc.record({ kind: fc.constant('peer.refused' as const), peer: node, code: fc.stringMatching(/^[a-z]+\.[a-z_]{1,20}$/) })),
  'peer.conflict': entry(
    fc.record({ kind: fc.constant('peer.conflict' as const), peer: node, cable, envelopeHash: hash, storedHash: hash }, { requiredKeys: ['kind', 'peer', 'cable', 'envelopeHash'] }),
  ),
  'peer.fork': entry(fc.record({ kind: fc.constant('peer.fork' as const), peer: node, size: fc.nat(), root: hash, otherSize: fc.nat(), otherRoot: hash })),
  'web.released': entry(fc.record({ kind: fc.constant('web.released' as const), manifestHash: hash, version: fc.stringMatching(/^[0-9a-z][0-9a-z.+_-]{0,20}$/), recordHash: hash, by: user })),
  'draft.returned': entry(fc.record({ kind: fc.constant('draft.returned' as const), cable, by: user })),
  'persona.declared': entry(fc.record({ kind: fc.constant('persona.declared' as const), persona: user, office, officer: user })),
  'alert.acknowledged': entry(fc.record({ kind: fc.constant('alert.acknowledged' as const), alert, officer: user })),
  'alert.escalated': entry(fc.record({ kind: fc.constant('alert.escalated' as const), alert, officer: user, action: fc.constantFrom(...AlertActions) })),
};

/** Any entry. */
export const anyEntry = fc.oneof(...Object.values(ENTRY_ARBITRARIES));
