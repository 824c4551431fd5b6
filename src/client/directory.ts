// The node's directory as a client reads it: offices, users with their clearances and memberships, office rosters.
// These rows are the node's word (not signed yet: the audit log will cover them); the policy views built from them
// let a client refuse early what the node would refuse anyway, and let an officer's grant carry its policy check.
import { Classifications, type Classification, type OfficeCode, type UserId } from '../cable/types.ts';
import { CablePatterns } from '../cable/limits.ts';
import { parseNodeName, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { RequestError } from '../errors.ts';
import type { Membership, PolicyOffice, PolicyUser } from '../policy/subjects.ts';
// The wire shape is the store's row (the node returns it as is); a type only, no code of the store's is used.
import type { UserRow } from '../store/store.ts';
import { Roles } from '../policy/subjects.ts';
import type { Session } from './session.ts';
import { fieldsOf, listIn, valueIn, type Fields } from './wire.ts';

/** An office as listed by its node. */
export interface Office extends PolicyOffice {
  readonly name: string;
}

/** A user and their memberships, as the node holds them. */
export interface UserView extends UserRow {
  readonly memberships: readonly Membership[];
}

const MAX_LIST = 10_000;

function officeOf(value: unknown): Office {
  const f = fieldsOf('office', value, ['code', 'node', 'name', 'ceiling', 'communities']);
  return {
    code: f.id('code', parseOfficeCode),
    node: f.id('node', parseNodeName),
    name: f.text('name', 200),
    ceiling: f.oneOf<Classification>('ceiling', Classifications),
    communities: f.codeList('communities', 16, CablePatterns.community),
  };
}

/** Decodes one membership (`releaseCeiling` only for releasing officers). */
export function membershipOf(value: unknown): Membership {
  const f = fieldsOf('membership', value, ['office', 'role'], ['releaseCeiling']);
  const office = f.id('office', parseOfficeCode);
  const role = f.oneOf('role', Roles);
  if (role === 'releasing-officer') return { office, role, releaseCeiling: f.oneOf<Classification>('releaseCeiling', Classifications) };
  return { office, role };
}

function userOf(f: Fields, memberships: readonly Membership[]): UserView {
  return {
    id: f.id('id', parseUserId),
    name: f.text('name', 200),
    clearance: f.oneOf<Classification>('clearance', Classifications),
    nationality: f.token('nationality', 2),
    organisations: f.codeList('organisations', 16, CablePatterns.community),
    caveats: f.codeList('caveats', 8, /^[A-Z][A-Z0-9 ]{1,31}$/),
    active: f.bool('active'),
    frozen: f.bool('frozen'),
    memberships,
  };
}

/** Every office hosted at the session's node. */
export async function listOffices(s: Session): Promise<Office[]> {
  return listIn('offices', await s.http.get('/api/v1/offices'), 'offices', MAX_LIST).map(officeOf);
}

/** One office's profile; `request.not_found` if the node hosts no such office. */
export async function getOffice(s: Session, code: OfficeCode): Promise<Office> {
  const office = (await listOffices(s)).find((o) => o.code === code);
  if (!office) throw new RequestError('request.not_found', `no office ${code} at node ${s.node.name}`);
  return office;
}

/** A user with their memberships (the user themselves, or a security officer). */
export async function getUser(s: Session, id: UserId): Promise<UserView> {
  const body = await s.http.get(`/api/v1/users/${encodeURIComponent(id)}`);
  fieldsOf('user response', body, ['user', 'memberships']);
  const memberships = listIn('user response', body, 'memberships', 64).map(membershipOf);
  const user = userOf(fieldsOf('user', valueIn('user response', body, 'user'), ['id', 'name', 'clearance', 'nationality', 'organisations', 'caveats', 'active', 'frozen']), memberships);
  if (user.id !== id) throw new RequestError('request.malformed', 'the node answered with another user');
  return user;
}

/** The policy view of a user. */
export function policyUserOf(u: UserView): PolicyUser {
  const { id, clearance, nationality, organisations, caveats, memberships, frozen, active } = u;
  return { id, clearance, nationality, organisations, caveats, memberships, frozen, active };
}

/** Members of an office and their roles (members of the office, security officers). */
export async function listMembers(s: Session, office: OfficeCode): Promise<{ user: UserId; membership: Membership }[]> {
  const body = await s.http.get(`/api/v1/offices/${encodeURIComponent(office)}/members`);
  return listIn('members', body, 'members', MAX_LIST).map((item) => {
    const f = fieldsOf('member', item, ['user', 'membership']);
    return { user: f.id('user', parseUserId), membership: membershipOf(valueIn('member', item, 'membership')) };
  });
}
