// Whether a user may read a cable through one of their offices: the question the release service answers before
// it hands a device its key share (DESIGN.md "The envelope" step 4) and the client asks before it shows a word.
import type { Marking, OfficeCode, RoutingHeader } from '../cable/types.ts';
import { checkContentAccess, checkMember } from './checks.ts';
import { DenialCodes, decide } from './decision.ts';
import type { Decision, DenialReason } from './decision.ts';
import type { PolicyUser } from './subjects.ts';

/**
 * True if `office` is the header's originating office or one of its action or information addressees.
 *
 * @example
 * ```ts
 * isAddressed(header, header.from); // always true
 * ```
 */
export function isAddressed(header: RoutingHeader, office: OfficeCode): boolean {
  return header.from === office || header.to.includes(office) || header.info.includes(office);
}

/**
 * May `user` read the cable with `header` through `viaOffice` (the office whose wrap the user's device opens)?
 * Needs, all at once: not frozen, active, clearance dominating the level, every caveat held, releasable to one of
 * the user's communities, any role in `viaOffice` (need-to-know), and `viaOffice` addressed by the header (from, to
 * or info). Whether `viaOffice` could hold the cable at all is {@link mayReceive}'s question, asked by the sender.
 *
 * @example
 * ```ts
 * const d = mayRead(anna, header, 'MFA.CY.AMERICAS' as OfficeCode);
 * if (!d.allowed) console.log(d.reasons.map((r) => r.code)); // e.g. ['policy.caveat.missing']
 * ```
 */
export function mayRead(user: PolicyUser, header: RoutingHeader, viaOffice: OfficeCode): Decision {
  const reasons: DenialReason[] = [...checkContentAccess(user, header.marking), ...checkMember(user, viaOffice)];
  if (!isAddressed(header, viaOffice)) {
    const message = `office ${viaOffice} is not addressed by cable ${header.id}`;
    reasons.push({ code: DenialCodes.officeNotAddressed, message });
  }
  return decide(reasons);
}

/**
 * May `user` open a draft originating at `draft.from` with `draft.marking` (the draft's clear fields, which its
 * drafter signed)? A draft has not left its office, so only that office's members read it: standing, clearance,
 * caveats, releasability and any role in `from` — what `mayRead` asks through the originating office. The release
 * service asks it before it hands out a draft share (docs/decisions/015-release-gated-drafts.md).
 *
 * @example
 * ```ts
 * mayReadDraft(anna, { from: 'MFA.CY.AMERICAS' as OfficeCode, marking }).allowed; // true for a cleared member
 * ```
 */
export function mayReadDraft(user: PolicyUser, draft: { readonly from: OfficeCode; readonly marking: Marking }): Decision {
  return decide([...checkContentAccess(user, draft.marking), ...checkMember(user, draft.from)]);
}
