// Who may draft and who may release a cable (DESIGN.md "Words": release — a drafter writes, a releasing officer
// approves, both sign; a cable leaves the originating office only when released).
import type { RoutingHeader } from '../cable/types.ts';
import { dominates } from './clearance.ts';
import { checkContentAccess, checkMember } from './checks.ts';
import { DenialCodes, decide } from './decision.ts';
import type { Decision, DenialReason } from './decision.ts';
import { releaseCeiling } from './membership.ts';
import type { PolicyUser } from './subjects.ts';

/**
 * May `user` draft the cable with `header`? The drafter writes the content, so needs everything a reader at
 * `header.from` needs (standing, clearance, caveats, releasability, any role in `from`), and must be the drafter
 * the header names.
 *
 * @example
 * ```ts
 * mayDraft(anna, { ...header, drafter: anna.id, from: 'MFA.CY.AMERICAS' as OfficeCode }).allowed; // true
 * ```
 */
export function mayDraft(user: PolicyUser, header: RoutingHeader): Decision {
  const reasons: DenialReason[] = [...checkContentAccess(user, header.marking), ...checkMember(user, header.from)];
  if (header.drafter !== user.id) {
    const message = `cable ${header.id} names ${header.drafter} as drafter, not ${user.id}`;
    reasons.push({ code: DenialCodes.draftNotDrafter, message, user: user.id });
  }
  return decide(reasons);
}

/**
 * May `user` release the cable with `header`? The releasing officer is shown the exact content, so needs standing,
 * clearance, caveats and releasability; and must be a releasing officer of `header.from` whose release ceiling
 * there dominates the level, be the releaser the header names, and not be its drafter (release takes two people).
 *
 * @example
 * ```ts
 * const d = mayRelease(nikos, { ...header, releaser: nikos.id });
 * // denied with policy.release.above_ceiling if the cable is above nikos's release ceiling
 * ```
 */
export function mayRelease(user: PolicyUser, header: RoutingHeader): Decision {
  const reasons: DenialReason[] = [...checkContentAccess(user, header.marking)];
  const ceiling = releaseCeiling(user, header.from);
  if (ceiling === undefined) {
    const message = `user ${user.id} is not a releasing officer of ${header.from}`;
    reasons.push({ code: DenialCodes.releaseNoAuthority, message, user: user.id });
  } else if (!dominates(ceiling, header.marking.classification)) {
    const level = header.marking.classification;
    const message = `user ${user.id} may release up to ${ceiling} for ${header.from}, below ${level}`;
    reasons.push({ code: DenialCodes.releaseAboveCeiling, message, user: user.id });
  }
  if (header.releaser !== user.id) {
    const message = `cable ${header.id} names ${header.releaser} as releaser, not ${user.id}`;
    reasons.push({ code: DenialCodes.releaseNotReleaser, message, user: user.id });
  }
  if (header.drafter === user.id) {
    const message = `user ${user.id} drafted cable ${header.id} and may not also release it`;
    reasons.push({ code: DenialCodes.releaseOwnDraft, message, user: user.id });
  }
  return decide(reasons);
}
