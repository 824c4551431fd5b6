// Checking the Admin forms before anything is sent: each field's problems with the stable code the core uses for
// the same grammar (src/cable/ids.ts, CablePatterns), so the officer sees at once what the node would refuse.
import { checkOfficeCode, checkUserId } from '../../../src/cable/ids.ts';
import { IssueCodes } from '../../../src/cable/issue-codes.ts';
import { CableLimits, CablePatterns } from '../../../src/cable/limits.ts';
import type { Classification, OfficeCode, UserId } from '../../../src/cable/types.ts';
import type { OfficeInput } from '../../../src/client/admin.ts';

export interface Problem {
  readonly code: string;
  readonly message: string;
}

export type Problems<K extends string> = Partial<Record<K, readonly Problem[]>>;

/** A form's outcome: the input to send, or the problems per field (never both). */
export type Checked<T, K extends string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: Problems<K> };

/** Words typed as a list: separated by commas, or spaces where the grammar has none inside a code. */
export function splitList(text: string, spacesInside = false): string[] {
  return text
    .split(spacesInside ? /,/ : /[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

// The node's own limit on a name (src/node/routes/directory.ts: 1–200 characters of text, no control characters).
const NAME_MAX = 200;
// eslint-disable-next-line no-control-regex -- control characters are exactly what the node refuses in a name
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function nameProblems(name: string): Problem[] {
  if (name.trim().length === 0) return [{ code: IssueCodes.fieldMissing, message: 'a name is required' }];
  if (name.length > NAME_MAX || CONTROL.test(name)) return [{ code: IssueCodes.fieldType, message: `a name is 1–${NAME_MAX} characters of text on one line` }];
  return [];
}

function listProblems(items: readonly string[], pattern: RegExp, max: number, code: string, what: string): Problem[] {
  const problems: Problem[] = items.filter((c) => !pattern.test(c)).map((c) => ({ code, message: `${c} is not a ${what} (${String(pattern)})` }));
  if (items.length > max) problems.push({ code, message: `at most ${max} ${what}s` });
  if (new Set(items).size !== items.length) problems.push({ code, message: `a ${what} is listed twice` });
  return problems;
}

export type OfficeField = 'code' | 'name' | 'communities';

export interface OfficeDraft {
  readonly code: string;
  readonly name: string;
  readonly ceiling: Classification;
  readonly communities: string;
}

/** Checks the New office form; communities are releasability communities such as `EU`, `CY`. */
export function checkOffice(d: OfficeDraft): Checked<OfficeInput, OfficeField> {
  const problems: Problems<OfficeField> = {};
  const code = checkOfficeCode(d.code.trim());
  if (!code.ok) problems.code = [code.issue];
  const name = nameProblems(d.name);
  if (name.length) problems.name = name;
  const communities = splitList(d.communities.toUpperCase());
  const bad = listProblems(communities, CablePatterns.community, 16, IssueCodes.releasableToFormat, 'community');
  if (bad.length) problems.communities = bad;
  if (!code.ok || Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, value: { code: code.value, name: d.name.trim(), ceiling: d.ceiling, communities } };
}

export type UserField = 'id' | 'name' | 'nationality' | 'organisations' | 'caveats' | 'office';

export interface UserDraft {
  readonly id: string;
  readonly name: string;
  readonly clearance: Classification;
  readonly nationality: string;
  readonly organisations: string;
  readonly caveats: string;
  readonly office: string;
}

export interface CheckedUser {
  readonly id: UserId;
  readonly name: string;
  readonly clearance: Classification;
  readonly nationality: string;
  readonly organisations: string[];
  readonly caveats: string[];
  readonly office: OfficeCode;
}

/** Checks the New user form (its first role's office is chosen from the node's offices, so only its presence). */
export function checkUser(d: UserDraft): Checked<CheckedUser, UserField> {
  const problems: Problems<UserField> = {};
  const id = checkUserId(d.id.trim());
  if (!id.ok) problems.id = [id.issue];
  const name = nameProblems(d.name);
  if (name.length) problems.name = name;
  const nationality = d.nationality.trim().toUpperCase();
  // A community code of exactly two letters: ISO 3166 alpha-2, as the node requires of a nationality.
  if (nationality.length !== 2 || !CablePatterns.community.test(nationality)) {
    problems.nationality = [{ code: IssueCodes.releasableToFormat, message: 'a nationality is an ISO 3166 alpha-2 code such as FR' }];
  }
  const organisations = splitList(d.organisations.toUpperCase());
  const badOrgs = listProblems(organisations, CablePatterns.community, 16, IssueCodes.releasableToFormat, 'community');
  if (badOrgs.length) problems.organisations = badOrgs;
  const caveats = splitList(d.caveats.toUpperCase(), true);
  const badCaveats = listProblems(caveats, CablePatterns.caveat, CableLimits.caveatsMax, IssueCodes.caveatFormat, 'caveat');
  if (badCaveats.length) problems.caveats = badCaveats;
  const office = checkOfficeCode(d.office);
  if (!office.ok) problems.office = [{ code: IssueCodes.fieldMissing, message: 'choose the office of the first role' }];
  if (!id.ok || !office.ok || Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, value: { id: id.value, name: d.name.trim(), clearance: d.clearance, nationality, organisations, caveats, office: office.value } };
}
