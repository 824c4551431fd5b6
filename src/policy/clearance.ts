// Classification order and clearance dominance (DESIGN.md "Words": UNCLASSIFIED < LIMITED < RESTRICTED <
// CONFIDENTIAL < SECRET). Every level comparison in policy goes through `rank`, which refuses unknown levels.
import { Classifications } from '../cable/types.ts';
import type { Classification } from '../cable/types.ts';

/**
 * True if `value` is one of the classification levels.
 *
 * @example
 * ```ts
 * isClassification('SECRET'); // true
 * isClassification('TOP SECRET'); // false
 * ```
 */
export function isClassification(value: unknown): value is Classification {
  return typeof value === 'string' && (Classifications as readonly string[]).includes(value);
}

/**
 * The rank of a level: its index in `Classifications`, 0 for UNCLASSIFIED up to 4 for SECRET.
 * Throws TypeError for anything else, so a corrupt level can never rank low and slip through (fail closed).
 *
 * @example
 * ```ts
 * rank('UNCLASSIFIED'); // 0
 * rank('SECRET'); // 4
 * ```
 */
export function rank(level: Classification): number {
  const index = (Classifications as readonly string[]).indexOf(level);
  if (index < 0) throw new TypeError(`unknown classification ${JSON.stringify(String(level))}`);
  return index;
}

/**
 * True if a clearance (or ceiling) at `clearance` covers material at `classification`: rank(clearance) ≥ rank(level).
 *
 * @example
 * ```ts
 * dominates('CONFIDENTIAL', 'RESTRICTED'); // true
 * dominates('LIMITED', 'SECRET'); // false
 * ```
 */
export function dominates(clearance: Classification, classification: Classification): boolean {
  return rank(clearance) >= rank(classification);
}

/**
 * A comparator for sorting levels lowest first: negative, zero or positive.
 *
 * @example
 * ```ts
 * ['SECRET', 'LIMITED'].sort(compareClassification); // ['LIMITED', 'SECRET']
 * ```
 */
export function compareClassification(a: Classification, b: Classification): number {
  return rank(a) - rank(b);
}
