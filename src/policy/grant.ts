// Who may issue a grant of an office's private key to a member's device (DESIGN.md "Keys, trust": a security
// officer's device issues key grants; CONFIDENTIAL and above take two officers).
import type { Classification, UserId } from '../cable/types.ts';
import { dominates } from './clearance.ts';
import { checkClearance, checkStanding } from './checks.ts';
import { DenialCodes, decide } from './decision.ts';
import type { Decision, DenialReason } from './decision.ts';
import { hasRole } from './membership.ts';
import { mayHoldOfficeKey } from './office-key.ts';
import type { PolicyOffice, PolicyUser } from './subjects.ts';

/**
 * True if a grant of an office key at `level` needs two security officers: CONFIDENTIAL and above.
 *
 * @example
 * ```ts
 * grantNeedsTwoOfficers('RESTRICTED'); // false
 * grantNeedsTwoOfficers('CONFIDENTIAL'); // true
 * ```
 */
export function grantNeedsTwoOfficers(level: Classification): boolean {
  return dominates(level, 'CONFIDENTIAL');
}

/**
 * How many distinct, qualified security officers a grant at `level` needs.
 *
 * @example
 * ```ts
 * officersRequired('SECRET'); // 2
 * ```
 */
export function officersRequired(level: Classification): 1 | 2 {
  return grantNeedsTwoOfficers(level) ? 2 : 1;
}

/** The reasons one issuing officer is not qualified; empty if qualified. */
function officerReasons(
  officer: PolicyUser,
  recipient: PolicyUser,
  office: PolicyOffice,
  level: Classification,
): DenialReason[] {
  const reasons: DenialReason[] = [...checkStanding(officer), ...checkClearance(officer, level)];
  if (!hasRole(officer, office.code, 'security-officer')) {
    const message = `user ${officer.id} is not a security officer of ${office.code}`;
    reasons.push({ code: DenialCodes.grantNotSecurityOfficer, message, user: officer.id });
  }
  if (officer.id === recipient.id) {
    const message = `user ${officer.id} may not issue a grant to themselves`;
    reasons.push({ code: DenialCodes.grantSelfGrant, message, user: officer.id });
  }
  return reasons;
}

/**
 * May `officers` together grant `recipient` the private key of `office` at `level`? Needs:
 * - the recipient may hold the key ({@link mayHoldOfficeKey}: its reasons are included);
 * - every issuing officer is a security officer *of that office* (a node-wide officer is one listed as security
 *   officer in each office it looks after), not frozen, active, cleared to `level`, and not the recipient;
 * - no officer listed twice, and at least {@link officersRequired}(level) qualified officers.
 * Any unqualified officer denies the grant, even when enough others qualify: every signature on it must count.
 *
 * @example
 * ```ts
 * mayIssueGrant([so1, so2], anna, desk, 'SECRET').allowed; // true
 * mayIssueGrant([so1], anna, desk, 'SECRET'); // denied: policy.grant.too_few_officers
 * ```
 */
export function mayIssueGrant(
  officers: readonly PolicyUser[],
  recipient: PolicyUser,
  office: PolicyOffice,
  level: Classification,
): Decision {
  const recipientDecision = mayHoldOfficeKey(recipient, office, level);
  const reasons: DenialReason[] = recipientDecision.allowed ? [] : [...recipientDecision.reasons];
  const seen = new Set<UserId>();
  let qualified = 0;
  for (const officer of officers) {
    if (seen.has(officer.id)) {
      const message = `user ${officer.id} is listed more than once as issuing officer`;
      reasons.push({ code: DenialCodes.grantDuplicateOfficer, message, user: officer.id });
      continue;
    }
    seen.add(officer.id);
    const own = officerReasons(officer, recipient, office, level);
    if (own.length === 0) qualified += 1;
    reasons.push(...own);
  }
  const required = officersRequired(level);
  if (qualified < required) {
    const message = `a ${level} grant needs ${required} qualified officer(s) of ${office.code}, has ${qualified}`;
    reasons.push({ code: DenialCodes.grantTooFewOfficers, message });
  }
  return decide(reasons);
}
