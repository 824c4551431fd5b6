// The result of every policy question: allowed, or denied with every reason (never just the first), each under a
// stable code that callers, the audit log and the HTTP layer may match on.
import { PolicyError } from '../errors.ts';
import type { UserId } from '../cable/types.ts';

/**
 * Stable denial codes. Values are part of the API (logged, shown to security officers); never reuse or rename one.
 *
 * @example
 * ```ts
 * reason.code === DenialCodes.caveatMissing; // 'policy.caveat.missing'
 * ```
 */
export const DenialCodes = {
  /** The user's clearance does not dominate the level. */
  clearanceInsufficient: 'policy.clearance.insufficient',
  /** The user lacks a caveat of the marking (one reason per missing caveat). */
  caveatMissing: 'policy.caveat.missing',
  /** None of the user's communities is in the marking's non-empty `releasableTo`. */
  releasabilityExcluded: 'policy.releasability.excluded',
  /** The user holds no role in the office concerned. */
  needToKnowNotMember: 'policy.need_to_know.not_member',
  /** The office is neither `from` nor among `to`/`info` of the header. */
  officeNotAddressed: 'policy.office.not_addressed',
  /** The level is above the office's ceiling. */
  officeCeilingExceeded: 'policy.office.ceiling_exceeded',
  /** None of the office's communities is in the marking's non-empty `releasableTo`. */
  officeNotReleasable: 'policy.office.not_releasable',
  /** The user is not a releasing officer of the originating office. */
  releaseNoAuthority: 'policy.release.no_authority',
  /** The level is above the releasing officer's release ceiling for the office. */
  releaseAboveCeiling: 'policy.release.above_ceiling',
  /** The header names someone else as releaser. */
  releaseNotReleaser: 'policy.release.not_releaser',
  /** The releaser is also the drafter: release takes two people. */
  releaseOwnDraft: 'policy.release.own_draft',
  /** The header names someone else as drafter. */
  draftNotDrafter: 'policy.draft.not_drafter',
  /** The user is frozen (by the detector, until two security officers clear it). */
  userFrozen: 'policy.user.frozen',
  /** The user is not active. */
  userInactive: 'policy.user.inactive',
  /** An issuing officer is not a security officer of the office. */
  grantNotSecurityOfficer: 'policy.grant.not_security_officer',
  /** Fewer qualified, distinct issuing officers than the level needs. */
  grantTooFewOfficers: 'policy.grant.too_few_officers',
  /** The same officer is listed more than once. */
  grantDuplicateOfficer: 'policy.grant.duplicate_officer',
  /** An issuing officer is the recipient. */
  grantSelfGrant: 'policy.grant.self_grant',
} as const;
export type DenialCode = (typeof DenialCodes)[keyof typeof DenialCodes];

/**
 * One reason for a denial. `user` names whom the reason concerns when a decision involves several people (the
 * issuing officers of a grant). Messages carry ids, codes and levels only, never content.
 *
 * @example
 * ```ts
 * const r: DenialReason = { code: DenialCodes.userFrozen, message: 'user anna is frozen', user: 'anna' as UserId };
 * ```
 */
export interface DenialReason {
  readonly code: DenialCode;
  readonly message: string;
  readonly user?: UserId;
}

/**
 * A policy decision. A denial always has at least one reason.
 *
 * @example
 * ```ts
 * const d: Decision = mayRead(user, header, office);
 * if (!d.allowed) console.log(d.reasons.map((r) => r.code));
 * ```
 */
export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reasons: readonly [DenialReason, ...DenialReason[]] };

const ALLOWED: Decision = Object.freeze({ allowed: true });

/**
 * Allowed when there are no reasons, else denied with all of them (in the order given).
 *
 * @example
 * ```ts
 * decide([]).allowed; // true
 * decide([{ code: DenialCodes.userInactive, message: 'user x is not active' }]).allowed; // false
 * ```
 */
export function decide(reasons: readonly DenialReason[]): Decision {
  const [first, ...rest] = reasons;
  if (first === undefined) return ALLOWED;
  return Object.freeze({ allowed: false, reasons: Object.freeze([first, ...rest] as const) });
}

/**
 * The codes of a decision's reasons, in order; empty when allowed.
 *
 * @example
 * ```ts
 * denialCodes(mayReceive(office, marking)); // e.g. ['policy.office.ceiling_exceeded']
 * ```
 */
export function denialCodes(decision: Decision): readonly DenialCode[] {
  return decision.allowed ? [] : decision.reasons.map((r) => r.code);
}

/**
 * Thrown by {@link assertAllowed}: a {@link PolicyError} with code `policy.denied` and every reason.
 *
 * @example
 * ```ts
 * try { assertAllowed(d); } catch (e) { if (e instanceof PolicyDeniedError) log(e.reasons); }
 * ```
 */
export class PolicyDeniedError extends PolicyError {
  readonly reasons: readonly [DenialReason, ...DenialReason[]];
  constructor(reasons: readonly [DenialReason, ...DenialReason[]]) {
    super('policy.denied', `policy denied: ${reasons.map((r) => r.code).join(', ')}`);
    this.reasons = reasons;
  }
}

/**
 * Returns if the decision allows; otherwise throws a {@link PolicyDeniedError} (code `policy.denied`).
 *
 * @example
 * ```ts
 * assertAllowed(mayRelease(user, header)); // throws unless the user may release
 * ```
 */
export function assertAllowed(decision: Decision): void {
  if (!decision.allowed) throw new PolicyDeniedError(decision.reasons);
}
