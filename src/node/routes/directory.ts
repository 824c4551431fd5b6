// Offices, users, clearances and memberships: administered by the node's security officers, read by members.
import { Classifications, type Classification } from '../../cable/types.ts';
import { parseNodeName, parseOfficeCode, parseUserId } from '../../cable/ids.ts';
import { RequestError } from '../../errors.ts';
import type { Fields } from '../../encoding/fields.ts';
import type { Membership } from '../../policy/subjects.ts';
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

export const directoryRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/offices',
    summary: 'Offices hosted at this node',
    auth: 'device',
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
    handle(node, input) {
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
      const { user, wasFrozen } = node.store.transaction((tx) => {
        requireOfficer(tx, callerOf(input.caller));
        for (const m of memberships) if (!tx.getOffice(m.office)) throw new RequestError('request.not_found', `no office ${m.office}`);
        // An omitted flag keeps what is stored: an update (a new role, a clearance) must never unfreeze or reactivate
        // a user by accident. Defaults — active, not frozen — are for a new user only.
        const stored = tx.getUser(fields.id);
        const row = { ...fields, active: active ?? stored?.active ?? true, frozen: frozen ?? stored?.frozen ?? false };
        tx.putUser(row);
        tx.setMemberships(row.id, memberships);
        return { user: row, wasFrozen: stored?.frozen ?? false };
      });
      if (user.frozen !== wasFrozen) node.log.info({ user: user.id, frozen: user.frozen, by: callerOf(input.caller).user }, user.frozen ? 'user frozen' : 'user unfrozen');
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
