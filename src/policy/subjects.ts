// The subjects policy decides about: users (clearance, communities, caveats, office roles) and offices (ceiling,
// communities). Plain readonly data, built by the node from its roster; this module never fetches or stores them.
import type { Classification, NodeName, OfficeCode, UserId } from '../cable/types.ts';

/**
 * The roles a user can hold in an office, lowest authority first. Every role counts as membership for
 * need-to-know: a releasing officer or a security officer of an office is also one of its members.
 *
 * @example
 * ```ts
 * Roles.includes('security-officer'); // true
 * ```
 */
export const Roles = ['member', 'releasing-officer', 'security-officer'] as const;
export type Role = (typeof Roles)[number];

/**
 * One role of a user in one office. A releasing officer's membership carries the highest classification that
 * officer may release for that office (DESIGN.md "Words": release). A user may hold several roles in one office
 * (one entry each).
 *
 * @example
 * ```ts
 * const m: Membership = {
 *   office: 'MFA.CY.AMERICAS' as OfficeCode, role: 'releasing-officer', releaseCeiling: 'CONFIDENTIAL',
 * };
 * ```
 */
export type Membership =
  | { readonly office: OfficeCode; readonly role: 'member' | 'security-officer' }
  | { readonly office: OfficeCode; readonly role: 'releasing-officer'; readonly releaseCeiling: Classification };

/**
 * A person as policy sees them.
 * - `nationality`: ISO 3166 alpha-2, e.g. `CY`; with `organisations` (community codes such as `EU`, `NATO`) it
 *   makes up the user's communities for releasability.
 * - `caveats`: special-access compartments held, e.g. `CRYPTO`.
 * - `frozen`: set by the detector until two security officers clear it; policy only reads it.
 * - `active`: false for a departed or suspended user.
 *
 * Strings are compared exactly (case-sensitive); normalising them is the roster's job. A mismatch denies.
 *
 * @example
 * ```ts
 * const anna: PolicyUser = {
 *   id: 'anna' as UserId, clearance: 'SECRET', nationality: 'CY', organisations: ['EU'], caveats: [],
 *   memberships: [{ office: 'MFA.CY.AMERICAS' as OfficeCode, role: 'member' }], frozen: false, active: true,
 * };
 * ```
 */
export interface PolicyUser {
  readonly id: UserId;
  readonly clearance: Classification;
  readonly nationality: string;
  readonly organisations: readonly string[];
  readonly caveats: readonly string[];
  readonly memberships: readonly Membership[];
  readonly frozen: boolean;
  readonly active: boolean;
}

/**
 * An addressable office as policy sees it.
 * - `ceiling`: the highest classification the office may hold (it has key pairs up to this level only).
 * - `communities`: e.g. a member state's ministry desk `['CY', 'EU']`, an EEAS delegation `['EU']`.
 *
 * @example
 * ```ts
 * const desk: PolicyOffice = {
 *   code: 'MFA.CY.AMERICAS' as OfficeCode, node: 'MFA.CY' as NodeName, ceiling: 'SECRET', communities: ['CY', 'EU'],
 * };
 * ```
 */
export interface PolicyOffice {
  readonly code: OfficeCode;
  readonly node: NodeName;
  readonly ceiling: Classification;
  readonly communities: readonly string[];
}
