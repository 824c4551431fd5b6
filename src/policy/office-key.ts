// Which office private keys a member's devices may hold (DESIGN.md "The envelope" step 3: one key pair per level
// per epoch; each member holds the levels the member's clearance allows). Grants are issued only when this allows.
import { Classifications } from '../cable/types.ts';
import type { Classification } from '../cable/types.ts';
import { dominates } from './clearance.ts';
import { checkClearance, checkMember, checkStanding } from './checks.ts';
import { DenialCodes, decide } from './decision.ts';
import type { Decision, DenialReason } from './decision.ts';
import type { PolicyOffice, PolicyUser } from './subjects.ts';

/**
 * May `user` be granted `office`'s private key for `level`? Needs: not frozen, active, clearance dominating
 * `level`, any role in the office, and the office's ceiling dominating `level` (no key exists above it).
 * Caveats and releasability are per cable, not per key: the release service checks them at each read.
 *
 * @example
 * ```ts
 * mayHoldOfficeKey(anna, desk, 'CONFIDENTIAL').allowed; // true for a SECRET-cleared member of a SECRET desk
 * ```
 */
export function mayHoldOfficeKey(user: PolicyUser, office: PolicyOffice, level: Classification): Decision {
  const reasons: DenialReason[] = [
    ...checkStanding(user),
    ...checkClearance(user, level),
    ...checkMember(user, office.code),
  ];
  if (!dominates(office.ceiling, level)) {
    const message = `office ${office.code} holds up to ${office.ceiling}, below ${level}`;
    reasons.push({ code: DenialCodes.officeCeilingExceeded, message });
  }
  return decide(reasons);
}

/**
 * The levels, lowest first, whose `office` keys `user` may hold: every level up to the lower of the user's
 * clearance and the office's ceiling, or none for a non-member or a frozen or inactive user.
 *
 * @example
 * ```ts
 * readableLevels(marie, delegation); // ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED', 'CONFIDENTIAL']
 * ```
 */
export function readableLevels(user: PolicyUser, office: PolicyOffice): readonly Classification[] {
  return Classifications.filter((level) => mayHoldOfficeKey(user, office, level).allowed);
}
