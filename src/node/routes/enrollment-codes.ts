// One-time enrollment codes (docs/web-auth.md): a security officer — or the user, from an approved device — issues a
// code that lets a new browser register its passkey and file its pending enrollment within 24 hours. The code only
// opens the enrollment; the device still needs an approval like any other.
import { parseUserId } from '../../cable/ids.ts';
import type { UserId } from '../../cable/types.ts';
import { RequestError } from '../../errors.ts';
import type { EnrollmentCodeRow } from '../../store/web-auth.ts';
import type { StoreTx } from '../../store/store.ts';
import { callerOf } from '../access.ts';
import { groupCommit } from '../commit-batcher.ts';
import type { NodeContext } from '../node-context.ts';
import { jsonBody } from '../request-body.ts';
import type { Caller, Route } from '../route.ts';
import { canonicalCode, checkNotLocked, CODE_LIFETIME_MS, codeHash, newEnrollmentCode, wrongCode } from '../web-auth/enrollment-code.ts';

/** The user themself, a security officer of this node, or one holding the security-officer role in an office of the user's. */
function mayIssue(tx: StoreTx, caller: Caller, user: UserId): boolean {
  if (caller.user === user || tx.getOfficerCertificate(caller.user) !== null) return true;
  const offices = new Set(tx.getMemberships(user).map((m) => m.office));
  return tx.getMemberships(caller.user).some((m) => m.role === 'security-officer' && offices.has(m.office));
}

/**
 * The unused, unexpired code `input` for `user`, checked but not consumed; a wrong one counts toward the user's
 * lockout (five in 15 minutes), and a locked user is refused before the code is even looked at.
 */
export function validCode(node: NodeContext, tx: StoreTx, user: UserId, input: unknown, now: number): EnrollmentCodeRow {
  checkNotLocked(node, user, now);
  const canonical = canonicalCode(input);
  if (canonical === null) throw wrongCode(node, user, now, 'not a code (16 characters, 0–9 and A–Z without I, L, O, U)');
  const row = tx.getEnrollmentCode(codeHash(node.p, canonical));
  if (!row || row.user !== user) throw wrongCode(node, user, now, 'unknown for this user');
  if (row.usedAt !== null) throw wrongCode(node, user, now, 'already used');
  if (now >= row.expiresAt) throw wrongCode(node, user, now, 'expired: ask for a new one');
  return row;
}

export const enrollmentCodeRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/api/v1/enrollment-codes',
    summary: "Issue a one-time, 24-hour code for enrolling a browser device (a security officer of the user's, or the user from an approved device)",
    auth: 'device',
    async handle(node, input) {
      const caller = callerOf(input.caller);
      const user = jsonBody(input.body, 'enrollment code', ['user']).id('user', parseUserId);
      const code = newEnrollmentCode(node.p);
      const row: EnrollmentCodeRow = {
        codeHash: codeHash(node.p, canonicalCode(code)!), user, issuedBy: caller.user, issuedAt: input.now, expiresAt: input.now + CODE_LIFETIME_MS, usedAt: null, usedByDevice: null,
      };
      await groupCommit(node.store, (tx) => {
        if (!tx.getUser(user)) throw new RequestError('request.not_found', `no user ${user}`);
        if (!mayIssue(tx, caller, user)) throw new RequestError('request.forbidden', "only the user, or a security officer of one of the user's offices, may issue an enrollment code");
        tx.putEnrollmentCode(row);
      });
      // Never the code itself: it is a bearer secret until used.
      node.log.info({ user, issuedBy: caller.user }, 'enrollment code issued');
      return { status: 201, body: { user, code, expiresAt: row.expiresAt } };
    },
  },
];
