// A user's roles in an office, and a releasing officer's release ceiling there (DESIGN.md "Words": office,
// release). Need-to-know starts here: any role in an office makes the user one of its members.
import type { Classification, OfficeCode } from '../cable/types.ts';
import { compareClassification } from './clearance.ts';
import { Roles } from './subjects.ts';
import type { PolicyUser, Role } from './subjects.ts';

/**
 * The distinct roles `user` holds in `office`, in `Roles` order; empty if none.
 *
 * @example
 * ```ts
 * rolesIn(nikos, 'MFA.CY.AMERICAS' as OfficeCode); // ['releasing-officer']
 * ```
 */
export function rolesIn(user: PolicyUser, office: OfficeCode): readonly Role[] {
  const held = new Set(user.memberships.filter((m) => m.office === office).map((m) => m.role));
  return Roles.filter((r) => held.has(r));
}

/**
 * True if `user` holds any role in `office`.
 *
 * @example
 * ```ts
 * isMember(anna, 'MFA.CY.AMERICAS' as OfficeCode); // true
 * ```
 */
export function isMember(user: PolicyUser, office: OfficeCode): boolean {
  return user.memberships.some((m) => m.office === office);
}

/**
 * True if `user` holds `role` in `office`.
 *
 * @example
 * ```ts
 * hasRole(officer, 'MFA.CY.AMERICAS' as OfficeCode, 'security-officer'); // true
 * ```
 */
export function hasRole(user: PolicyUser, office: OfficeCode, role: Role): boolean {
  return user.memberships.some((m) => m.office === office && m.role === role);
}

/**
 * The highest level `user` may release for `office`, or undefined if not a releasing officer there. If the roster
 * lists several releasing-officer entries for one office, the lowest ceiling wins (fail closed).
 *
 * @example
 * ```ts
 * releaseCeiling(nikos, 'MFA.CY.AMERICAS' as OfficeCode); // 'CONFIDENTIAL'
 * ```
 */
export function releaseCeiling(user: PolicyUser, office: OfficeCode): Classification | undefined {
  let lowest: Classification | undefined;
  for (const m of user.memberships) {
    if (m.office !== office || m.role !== 'releasing-officer') continue;
    if (lowest === undefined || compareClassification(m.releaseCeiling, lowest) < 0) lowest = m.releaseCeiling;
  }
  return lowest;
}
