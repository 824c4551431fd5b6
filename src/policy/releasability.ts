// Releasability and caveats of a marking (DESIGN.md "Words": classification and caveats): who, by community and by
// compartment, a cable may be shown to. Pure set logic over exact strings; a mismatch in spelling denies.
import type { Marking } from '../cable/types.ts';
import type { PolicyUser } from './subjects.ts';

/**
 * A user's communities: the nationality together with every organisation.
 *
 * @example
 * ```ts
 * userCommunities({ ...anna, nationality: 'CY', organisations: ['EU'] }); // ['CY', 'EU']
 * ```
 */
export function userCommunities(user: PolicyUser): readonly string[] {
  return [...new Set([user.nationality, ...user.organisations])];
}

/**
 * True if a holder of `communities` may see material with this marking: `releasableTo` is empty (no restriction)
 * or shares at least one community with them.
 *
 * @example
 * ```ts
 * isReleasableTo(['CY', 'EU'], { classification: 'LIMITED', caveats: [], releasableTo: ['EU'] }); // true
 * isReleasableTo(['US'], { classification: 'LIMITED', caveats: [], releasableTo: ['EU'] }); // false
 * ```
 */
export function isReleasableTo(communities: readonly string[], marking: Marking): boolean {
  if (marking.releasableTo.length === 0) return true;
  return marking.releasableTo.some((c) => communities.includes(c));
}

/**
 * The marking's caveats that `held` lacks, in marking order without repeats; empty when the holder has all.
 *
 * @example
 * ```ts
 * missingCaveats(['CRYPTO'], { classification: 'SECRET', caveats: ['CRYPTO', 'ATOMAL'], releasableTo: [] });
 * // ['ATOMAL']
 * ```
 */
export function missingCaveats(held: readonly string[], marking: Marking): readonly string[] {
  return [...new Set(marking.caveats)].filter((c) => !held.includes(c));
}
