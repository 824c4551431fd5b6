// Reading: the inbox of the caller's offices, an envelope, the second share from the release service (sealed to
// the calling device), and read marks. Policy decides on the server what a user may even see listed.
import type { CableId, OfficeCode, UserId } from '../../cable/types.ts';
import { parseCableId, parseOfficeCode } from '../../cable/ids.ts';
import { RequestError } from '../../errors.ts';
import { mayRead } from '../../policy/read.ts';
import { assertAllowed, PolicyDeniedError } from '../../policy/decision.ts';
import { checkStanding } from '../../policy/checks.ts';
import { rolesIn } from '../../policy/membership.ts';
import type { PolicyUser } from '../../policy/subjects.ts';
import type { RoutingHeader } from '../../cable/types.ts';
import { decodeEnvelope } from '../../envelope/codec.ts';
import { verifyEnvelope } from '../../envelope/verify.ts';
import { storedCableSigners } from '../cable-checks.ts';
import type { CableIndex, StoreTx } from '../../store/store.ts';
import { callerOf, policyUser } from '../access.ts';
import { b64, jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';
import { handOutShare } from './shares.ts';

/** The routing header a stored cable was indexed by, rebuilt for policy decisions. */
function headerOf(c: CableIndex): RoutingHeader {
  return { ...c, marking: { classification: c.classification, caveats: c.caveats, releasableTo: c.releasableTo } };
}

function readableVia(user: PolicyUser, header: RoutingHeader): OfficeCode[] {
  const addressed = [header.from, ...header.to, ...header.info];
  return addressed.filter((office) => rolesIn(user, office).length > 0 && mayRead(user, header, office).allowed);
}

function cableFor(tx: StoreTx, id: CableId, userId: UserId) {
  const row = tx.getCable(id);
  if (!row) throw new RequestError('request.not_found', `no cable ${id}`);
  const user = policyUser(tx, userId);
  const header = headerOf(row);
  return { row, user, header, via: readableVia(user, header) };
}

/**
 * The refusal of a cable the user may not read. A frozen or inactive user is told so, with the policy's reason: it
 * is their own standing, not the cable's, and the person must know a security officer has to act.
 */
function unreadable(user: PolicyUser): Error {
  const [first, ...rest] = checkStanding(user);
  return first ? new PolicyDeniedError([first, ...rest]) : new RequestError('request.forbidden', 'not readable by this user');
}

const inbox: Route = {
  method: 'GET',
  path: '/api/v1/inbox',
  summary: "Cables addressed to the caller's offices: FLASH first, newest first within a precedence, paged",
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const officeFilter = input.query.get('office');
    const limit = Math.min(200, Math.max(1, Math.floor(Number(input.query.get('limit') ?? 50)) || 50));
    const after = input.query.get('after') ?? undefined;
    return node.store.transaction((tx) => {
      const user = policyUser(tx, caller.user);
      let offices = user.memberships.map((m) => m.office);
      if (officeFilter !== null) {
        const office = parseOfficeCode(officeFilter);
        if (!offices.includes(office)) throw new RequestError('request.forbidden', 'not a member of that office');
        offices = [office];
      }
      const page = tx.inbox({ user: caller.user, offices: [...new Set(offices)], limit, ...(after ? { after } : {}) });
      // Metadata above the user's clearance or outside releasability is not even listed.
      const entries = page.entries.filter((e) => mayRead(user, headerOf(e), e.office).allowed);
      return { body: { entries, next: page.next } };
    });
  },
};

const getCable: Route = {
  method: 'GET',
  path: '/api/v1/cables/:id',
  summary: 'The envelope of a cable the caller may read',
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    return node.store.transaction((tx) => {
      const { row, user, via } = cableFor(tx, id, caller.user);
      if (via.length === 0) throw unreadable(user);
      return { body: { id, offices: via, envelope: b64(row.envelope) } };
    });
  },
};

const share: Route = {
  method: 'POST',
  path: '/api/v1/cables/:id/share',
  summary:
    "Release service: if policy and the caller's rate allow, logs the read, then returns the second share for one office sealed to the calling device's key, with the log entry, a signed checkpoint and the entry's inclusion proof",
  auth: 'device',
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    const office = jsonBody(input.body, 'share', ['office']).id('office', parseOfficeCode);
    const { row, user, header } = node.store.transaction((tx) => cableFor(tx, id, caller.user));
    assertAllowed(mayRead(user, header, office));
    const envelope = decodeEnvelope(row.envelope);
    const verified = await verifyEnvelope(node.p, envelope, storedCableSigners(node, envelope));
    return handOutShare(node, input, verified, office, caller, 'cable');
  },
};

const markRead: Route = {
  method: 'POST',
  path: '/api/v1/cables/:id/read',
  summary: 'Mark a cable read by the caller',
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    node.store.transaction((tx) => {
      const { user, via } = cableFor(tx, id, caller.user);
      if (via.length === 0) throw unreadable(user);
      tx.markRead(caller.user, id, input.now);
    });
    return { body: { id, readAt: input.now } };
  },
};

export const cableRoutes: readonly Route[] = [inbox, getCable, share, markRead];
