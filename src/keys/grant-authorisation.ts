// Issuing a key grant only when policy allows it (DESIGN.md "Keys, trust": grants follow clearance and membership;
// CONFIDENTIAL and above take two officers). The one entry point an officer's client uses; `issueGrant` below it
// only seals and signs.
import { PolicyError } from '../errors.ts';
import { assertAllowed } from '../policy/decision.ts';
import { mayIssueGrant } from '../policy/grant.ts';
import type { PolicyOffice, PolicyUser } from '../policy/subjects.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { issueGrant, type IssueGrantInput } from './grant-seal.ts';
import type { KeyGrant } from './key-grant.ts';

/** The policy view of who issues, who receives, and the office whose key is granted. */
export interface GrantPolicyView {
  readonly officers: readonly PolicyUser[];
  readonly recipient: PolicyUser;
  readonly office: PolicyOffice;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Issues a grant if and only if `mayIssueGrant` allows it for the epoch's level; throws `PolicyDeniedError`
 * (`policy.denied`, with every reason) otherwise. The policy view must describe the same people and office as the
 * grant (`policy.denied` if not), so a caller cannot check one user and grant to another.
 *
 * @example
 * ```ts
 * const grant = await issueAuthorisedGrant(p, { epochSecret, epoch, recipient, officers, issuedAt }, { officers: [olgaPolicy, ottoPolicy], recipient: annaPolicy, office });
 * ```
 */
export async function issueAuthorisedGrant(p: CryptoProvider, input: IssueGrantInput, view: GrantPolicyView): Promise<KeyGrant> {
  const epoch = input.epoch.epoch;
  if (view.recipient.id !== input.recipient.record.user) throw new PolicyError('policy.denied', 'policy view names another recipient');
  if (!sameSet(view.officers.map((o) => o.id), input.officers.map((o) => o.user))) {
    throw new PolicyError('policy.denied', 'policy view names other issuing officers');
  }
  if (view.office.code !== epoch.office || view.office.node !== epoch.node) throw new PolicyError('policy.denied', 'policy view names another office');
  assertAllowed(mayIssueGrant(view.officers, view.recipient, view.office, epoch.level));
  return issueGrant(p, input);
}
