// Offices, users, clearances and memberships: administered by the node's security officers, read by members. A
// change of a user's clearance, memberships or freeze is an audit-log entry, written with it.
import { Classifications, type Classification } from '../../cable/types.ts';
import { parseNodeName, parseOfficeCode, parseUserId } from '../../cable/ids.ts';
import { PolicyError, RequestError } from '../../errors.ts';
import type { Fields } from '../../encoding/fields.ts';
import type { Membership } from '../../policy/subjects.ts';
import type { UserId } from '../../cable/types.ts';
import type { LogEvent } from '../audit-log.ts';
import { loggedWrite } from '../logged-write.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';

const COMMUNITY = /^[A-Z]{2,8}$/;
const CAVEAT = /^[A-Z][A-Z0-9 ]{1,31}$/;

function membershipOf(f: Fields): Membership {
  const office = f.id('office', parseOfficeCode);
  const role = f.oneOf('role', ['member', 'releasing-officer', 'security-officer'] as const);
  if (role === 'releasing-officer') return { office, role, releaseCeiling: f.oneOf<Classification>('releaseCeiling', Classifications) };
  if (f.has('releaseCeiling')) throw new RequestError('request.malformed', 'only a releasing officer has a release ceiling');
  return { office, role };
}

function sameMemberships(a: readonly Membership[], b: readonly Membership[]): boolean {
  const key = (m: Membership) => `${m.office} ${m.role} ${m.role === 'releasing-officer' ? m.releaseCeiling : ''}`;
  const keys = (list: readonly Membership[]) => list.map(key).sort().join('\n');
  return keys(a) === keys(b);
}

/**
 * The entries an update of a user makes: a clearance that changed (a new user's counts as changed from
 * UNCLASSIFIED, the level that needs no clearance), memberships that changed (as whole lists), a freeze or unfreeze.
 */
function userEvents(
  by: UserId,
  before: { clearance: Classification; memberships: readonly Membership[]; frozen: boolean } | null,
  after: { id: UserId; clearance: Classification; memberships: readonly Membership[]; frozen: boolean },
): LogEvent[] {
  const events: LogEvent[] = [];
  const user = after.id;
  const clearance = before?.clearance ?? 'UNCLASSIFIED';
  if (clearance !== after.clearance) events.push({ kind: 'clearance.changed', user, before: clearance, after: after.clearance, by });
  const memberships = before?.memberships ?? [];
  if (!sameMemberships(memberships, after.memberships)) events.push({ kind: 'membership.changed', user, before: memberships, after: after.memberships, by });
  const frozen = before?.frozen ?? false;
  if (after.frozen && !frozen) events.push({ kind: 'user.frozen', user, reason: { kind: 'officer', officer: by } });
  if (!after.frozen && frozen) events.push({ kind: 'user.unfrozen', user, by: [by] });
  return events;
}

export const directoryRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/offices',
    summary: 'Offices hosted at this node (any approved device; peers, which route cables by them)',
    auth: 'device-or-peer',
    handle: (node) => ({ body: { offices: node.store.transaction((tx) => tx.listOffices()) } }),
  },
  {
    method: 'POST',
    path: '/api/v1/offices',
    summary: 'Create or update an office (security officer)',
    auth: 'device',
    handle(node, input) {
      const f = jsonBody(input.body, 'office', ['code', 'name', 'ceiling', 'communities']);
      const office = {
        code: f.id('code', parseOfficeCode),
        node: parseNodeName(node.identity.node),
        name: f.text('name', 200),
        ceiling: f.oneOf<Classification>('ceiling', Classifications),
        communities: f.codeList('communities', 16, COMMUNITY),
      };
      node.store.transaction((tx) => {
        requireOfficer(tx, callerOf(input.caller));
        tx.putOffice(office);
      });
      return { status: 201, body: { office } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    summary: 'Create or update a user, clearance and memberships (security officer)',
    auth: 'device',
    async handle(node, input) {
      const f = jsonBody(input.body, 'user', ['id', 'name', 'clearance', 'nationality', 'organisations', 'caveats', 'memberships'], ['active', 'frozen']);
      const fields = {
        id: f.id('id', parseUserId),
        name: f.text('name', 200),
        clearance: f.oneOf<Classification>('clearance', Classifications),
        nationality: f.token('nationality', 2),
        organisations: f.codeList('organisations', 16, COMMUNITY),
        caveats: f.codeList('caveats', 8, CAVEAT),
      };
      const active = f.has('active') ? f.bool('active') : undefined;
      const frozen = f.has('frozen') ? f.bool('frozen') : undefined;
      if (!/^[A-Z]{2}$/.test(fields.nationality)) throw new RequestError('request.malformed', 'nationality must be ISO 3166 alpha-2');
      const memberships = f.mapList('memberships', 64, ['office', 'role'], membershipOf, ['releaseCeiling']);
      // The store refuses a repeated (office, role) as a broken invariant; from a client it is a malformed request.
      if (new Set(memberships.map((m) => `${m.office} ${m.role}`)).size !== memberships.length) throw new RequestError('request.malformed', 'a membership is listed twice');
      const caller = callerOf(input.caller);
      const { user, wasFrozen } = await loggedWrite(node, input, (tx, record) => {
        requireOfficer(tx, caller);
        for (const m of memberships) if (!tx.getOffice(m.office)) throw new RequestError('request.not_found', `no office ${m.office}`);
        // An omitted flag keeps what is stored: an update (a new role, a clearance) must never unfreeze or reactivate
        // a user by accident. Defaults — active, not frozen — are for a new user only.
        const stored = tx.getUser(fields.id);
        const row = { ...fields, active: active ?? stored?.active ?? true, frozen: frozen ?? stored?.frozen ?? false };
        if (stored?.frozen && !row.frozen) {
          // A freeze the detector imposed ends only when two officers clear its alert (issue 7): one officer's user
          // update must not undo it. A freeze an officer imposed by hand, one officer may lift.
          const held = tx.listAlerts(['open', 'acknowledged']).find((a) => a.user === fields.id && a.action === 'freeze');
          if (held) throw new PolicyError('policy.two_officers_required', `${fields.id} is frozen by alert ${held.id}: two security officers clear it (chancery alerts clear ${held.id})`);
        }
        const before = stored ? { clearance: stored.clearance, memberships: tx.getMemberships(stored.id), frozen: stored.frozen } : null;
        tx.putUser(row);
        tx.setMemberships(row.id, memberships);
        const events = userEvents(caller.user, before, { ...row, memberships });
        if (events.length > 0) record(events);
        return { user: row, wasFrozen: stored?.frozen ?? false };
      });
      if (user.frozen !== wasFrozen) node.log.info({ user: user.id, frozen: user.frozen, by: caller.user }, user.frozen ? 'user frozen' : 'user unfrozen');
      return { status: 201, body: { user, memberships } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/users/:id',
    summary: 'A user, clearance and memberships (the user or a security officer)',
    auth: 'device',
    handle(node, input) {
      const caller = callerOf(input.caller);
      const id = parseUserId(input.params.id ?? '');
      return node.store.transaction((tx) => {
        if (id !== caller.user) requireOfficer(tx, caller);
        const user = tx.getUser(id);
        if (!user) throw new RequestError('request.not_found', `no user ${id}`);
        return { body: { user, memberships: tx.getMemberships(id) } };
      });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/offices/:code/members',
    summary: 'Members of an office and their roles (members of the office, security officers)',
    auth: 'device',
    handle(node, input) {
      const caller = callerOf(input.caller);
      const code = parseOfficeCode(input.params.code ?? '');
      return node.store.transaction((tx) => {
        const members = tx.listMembers(code);
        if (!members.some((m) => m.user === caller.user)) requireOfficer(tx, caller);
        return { body: { office: code, members } };
      });
    },
  },
];
