// The policy module's public surface: clearance, need-to-know and releasability decisions (DESIGN.md
// "Architecture": core, pure, no I/O). See docs/policy.md for the rules and every denial code.
export type { Membership, PolicyOffice, PolicyUser, Role } from './subjects.ts';
export { Roles } from './subjects.ts';
export type { Decision, DenialCode, DenialReason } from './decision.ts';
export { DenialCodes, PolicyDeniedError, assertAllowed, decide, denialCodes } from './decision.ts';
export { compareClassification, dominates, isClassification, rank } from './clearance.ts';
export { isReleasableTo, missingCaveats, userCommunities } from './releasability.ts';
export { hasRole, isMember, releaseCeiling, rolesIn } from './membership.ts';
export { mayReceive } from './receive.ts';
export { isAddressed, mayRead, mayReadDraft } from './read.ts';
export { mayHoldOfficeKey, readableLevels } from './office-key.ts';
export { mayDraft, mayRelease } from './release.ts';
export { grantNeedsTwoOfficers, mayIssueGrant, officersRequired } from './grant.ts';
