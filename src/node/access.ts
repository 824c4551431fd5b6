// Who may do what at this node: builds the policy view of users and offices from the store, and the guards route
// handlers call. Policy is enforced here on the server too, independent of what any client checked.
import type { OfficeCode, UserId } from '../cable/types.ts';
import { RequestError } from '../errors.ts';
import type { PolicyOffice, PolicyUser } from '../policy/subjects.ts';
import type { OfficeRow, StoreTx } from '../store/store.ts';
import type { Caller } from './route.ts';

export function policyOffice(row: OfficeRow): PolicyOffice {
  return { code: row.code, node: row.node, ceiling: row.ceiling, communities: row.communities };
}

/** The policy view of a user; `request.not_found` if there is none. */
export function policyUser(tx: StoreTx, id: UserId): PolicyUser {
  const user = tx.getUser(id);
  if (!user) throw new RequestError('request.not_found', `no user ${id}`);
  return {
    id: user.id,
    clearance: user.clearance,
    nationality: user.nationality,
    organisations: user.organisations,
    caveats: user.caveats,
    memberships: tx.getMemberships(id),
    frozen: user.frozen,
    active: user.active,
  };
}

export function officeRow(tx: StoreTx, code: OfficeCode): OfficeRow {
  const office = tx.getOffice(code);
  if (!office) throw new RequestError('request.not_found', `no office ${code} at this node`);
  return office;
}

/** The authenticated caller of a device route (the router guarantees one; this narrows the type). */
export function callerOf(caller: Caller | null): Caller {
  if (!caller) throw new RequestError('request.forbidden', 'a signed request is required');
  return caller;
}

/** Node administration (offices, users, officers' records) is for the node's security officers. */
export function requireOfficer(tx: StoreTx, caller: Caller): void {
  if (!tx.getOfficerCertificate(caller.user)) throw new RequestError('request.forbidden', 'only a security officer of this node may do this');
}
