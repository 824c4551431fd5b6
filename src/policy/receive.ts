// Whether a cable with a given marking may be wrapped to an office at all (DESIGN.md "The envelope" step 3).
// Senders wrap only to offices for which `mayReceive` allows; the originating office included.
import type { Marking } from '../cable/types.ts';
import { dominates } from './clearance.ts';
import { DenialCodes, decide } from './decision.ts';
import type { Decision, DenialReason } from './decision.ts';
import { isReleasableTo } from './releasability.ts';
import type { PolicyOffice } from './subjects.ts';

/**
 * May a cable with `marking` be wrapped to `office`? The office's ceiling must dominate the level, and if the
 * marking restricts releasability, one of the office's communities must be in `releasableTo`. Caveats are not an
 * office's property: they are enforced per reader ({@link mayRead}) by the release service.
 *
 * @example
 * ```ts
 * const delegation: PolicyOffice = {
 *   code: 'EEAS.DEL.WASHINGTON' as OfficeCode, node: 'EEAS' as NodeName, ceiling: 'CONFIDENTIAL', communities: ['EU'],
 * };
 * mayReceive(delegation, { classification: 'SECRET', caveats: [], releasableTo: ['CY'] });
 * // denied: policy.office.ceiling_exceeded, policy.office.not_releasable
 * ```
 */
export function mayReceive(office: PolicyOffice, marking: Marking): Decision {
  const reasons: DenialReason[] = [];
  if (!dominates(office.ceiling, marking.classification)) {
    const message = `office ${office.code} holds up to ${office.ceiling}, below ${marking.classification}`;
    reasons.push({ code: DenialCodes.officeCeilingExceeded, message });
  }
  if (!isReleasableTo(office.communities, marking)) {
    const message = `office ${office.code} is in none of the communities ${marking.releasableTo.join(', ')}`;
    reasons.push({ code: DenialCodes.officeNotReleasable, message });
  }
  return decide(reasons);
}
