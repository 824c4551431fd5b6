// The individual checks that every decision is assembled from; each returns the denial reasons it finds (empty
// when it passes), so a decision can report all of them at once. Internal to src/policy.
import type { Classification, Marking, OfficeCode } from '../cable/types.ts';
import { dominates } from './clearance.ts';
import { DenialCodes } from './decision.ts';
import type { DenialReason } from './decision.ts';
import { isMember } from './membership.ts';
import { isReleasableTo, missingCaveats, userCommunities } from './releasability.ts';
import type { PolicyUser } from './subjects.ts';

/**
 * Frozen and inactive users are refused everything. Fails closed on malformed flags: only `frozen === false` counts
 * as not frozen, only `active === true` as active.
 *
 * @example
 * ```ts
 * checkStanding({ ...anna, frozen: true }); // [{ code: 'policy.user.frozen', ... }]
 * ```
 */
export function checkStanding(user: PolicyUser): DenialReason[] {
  const reasons: DenialReason[] = [];
  if (user.frozen !== false) {
    reasons.push({ code: DenialCodes.userFrozen, message: `user ${user.id} is frozen`, user: user.id });
  }
  if (user.active !== true) {
    reasons.push({ code: DenialCodes.userInactive, message: `user ${user.id} is not active`, user: user.id });
  }
  return reasons;
}

/**
 * The user's clearance must dominate `level`.
 *
 * @example
 * ```ts
 * checkClearance({ ...anna, clearance: 'LIMITED' }, 'SECRET'); // [{ code: 'policy.clearance.insufficient', ... }]
 * ```
 */
export function checkClearance(user: PolicyUser, level: Classification): DenialReason[] {
  if (dominates(user.clearance, level)) return [];
  const message = `user ${user.id} is cleared to ${user.clearance}, below ${level}`;
  return [{ code: DenialCodes.clearanceInsufficient, message, user: user.id }];
}

/**
 * The user must hold every caveat of the marking; one reason per missing caveat.
 *
 * @example
 * ```ts
 * checkCaveats({ ...anna, caveats: [] }, { classification: 'SECRET', caveats: ['CRYPTO'], releasableTo: [] });
 * // [{ code: 'policy.caveat.missing', ... }]
 * ```
 */
export function checkCaveats(user: PolicyUser, marking: Marking): DenialReason[] {
  return missingCaveats(user.caveats, marking).map((caveat) => ({
    code: DenialCodes.caveatMissing,
    message: `user ${user.id} does not hold caveat ${caveat}`,
    user: user.id,
  }));
}

/**
 * The marking must be releasable to one of the user's communities.
 *
 * @example
 * ```ts
 * checkReleasability({ ...anna, nationality: 'US', organisations: [] }, euOnly);
 * // [{ code: 'policy.releasability.excluded', ... }]
 * ```
 */
export function checkReleasability(user: PolicyUser, marking: Marking): DenialReason[] {
  if (isReleasableTo(userCommunities(user), marking)) return [];
  const message = `user ${user.id} is in none of the communities ${marking.releasableTo.join(', ')}`;
  return [{ code: DenialCodes.releasabilityExcluded, message, user: user.id }];
}

/**
 * The user must hold some role in `office`.
 *
 * @example
 * ```ts
 * checkMember(anna, 'EEAS.DEL.WASHINGTON' as OfficeCode); // [{ code: 'policy.need_to_know.not_member', ... }]
 * ```
 */
export function checkMember(user: PolicyUser, office: OfficeCode): DenialReason[] {
  if (isMember(user, office)) return [];
  const message = `user ${user.id} is not a member of ${office}`;
  return [{ code: DenialCodes.needToKnowNotMember, message, user: user.id }];
}

/**
 * What anyone who sees a cable's content needs, whatever the action: standing, clearance, caveats, releasability.
 *
 * @example
 * ```ts
 * checkContentAccess(anna, header.marking); // [] when anna may see such content at all
 * ```
 */
export function checkContentAccess(user: PolicyUser, marking: Marking): DenialReason[] {
  return [
    ...checkStanding(user),
    ...checkClearance(user, marking.classification),
    ...checkCaveats(user, marking),
    ...checkReleasability(user, marking),
  ];
}
