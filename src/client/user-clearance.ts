// Changing a user's clearance (security officer). The node's user update (`POST /api/v1/users`) replaces the whole
// record, so this reads it first and sends it back with only the clearance changed; the node logs
// `clearance.changed` with both levels and the officer. The active and frozen flags are not sent: a freeze stands.
import type { Classification, UserId } from '../cable/types.ts';
import { createUser } from './admin.ts';
import { getUser, type UserView } from './directory.ts';
import type { Session } from './session.ts';

/** Sets `id`'s clearance, keeping their name, nationality, communities, caveats and roles as the node holds them. */
export async function changeClearance(s: Session, id: UserId, clearance: Classification): Promise<UserView> {
  const u = await getUser(s, id);
  const { name, nationality, organisations, caveats, memberships } = u;
  return createUser(s, { id, name, clearance, nationality, organisations, caveats, memberships });
}
