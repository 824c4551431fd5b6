// Validation of whole cables and their two parts, from unknown input: every problem is returned (never just the
// first), each with a stable code from issue-codes.ts and a path such as `header.to[3]`. The assert functions
// return a freshly built, fully checked value (nothing of the input but its strings and byte arrays is kept).
import type { ValidationIssue } from '../errors.ts';
import { ValidationError } from '../errors.ts';
import type { Cable, ProtectedPart, RoutingHeader } from './types.ts';
import { IssueCodes } from './issue-codes.ts';
import { addIssue, indexPath } from './issues.ts';
import type { Issues } from './issues.ts';
import { cleanly, ownField, readRecord } from './fields.ts';
import { readRoutingHeader } from './validate-header.ts';
import { readProtectedPart } from './validate-content.ts';

/** The fields of a cable. */
export const CableFields = ['header', 'content'] as const;

/** A cable may not cite itself (checked on the raw input, so it is reported even when other fields are broken). */
function checkSelfReference(header: unknown, content: unknown, out: Issues): void {
  const id = ownField(header, 'id');
  const references = ownField(content, 'references');
  if (typeof id !== 'string' || !Array.isArray(references)) return;
  references.forEach((ref: unknown, i) => {
    if (ref === id) addIssue(out, IssueCodes.referenceSelf, indexPath('content.references', i), 'is the cable itself');
  });
}

function readCable(value: unknown, out: Issues): Cable | undefined {
  return cleanly(out, () => {
    const r = readRecord(value, '', CableFields, out);
    if (r === undefined) return undefined;
    const header = r.header === undefined ? undefined : readRoutingHeader(r.header, 'header', out);
    const content = r.content === undefined ? undefined : readProtectedPart(r.content, 'content', out);
    checkSelfReference(r.header, r.content, out);
    return header && content && { header, content };
  });
}

function orThrow<T>(value: T | undefined, issues: Issues): T {
  if (value === undefined || issues.length > 0) throw new ValidationError(issues);
  return value;
}

/**
 * Every problem of a routing header, or an empty list. Paths start with `header`.
 *
 * @example
 * validateRoutingHeader({ ...header, to: [] }); // [{ code: 'cable.to.empty', path: 'header.to', ... }]
 */
export function validateRoutingHeader(h: unknown): readonly ValidationIssue[] {
  const out: Issues = [];
  readRoutingHeader(h, 'header', out);
  return out;
}

/**
 * Every problem of a protected part, or an empty list. Paths start with `content`.
 *
 * @example
 * validateProtectedPart({ ...content, subject: '' }); // [{ code: 'cable.subject.empty', path: 'content.subject', ... }]
 */
export function validateProtectedPart(p: unknown): readonly ValidationIssue[] {
  const out: Issues = [];
  readProtectedPart(p, 'content', out);
  return out;
}

/**
 * Every problem of a cable, or an empty list: both parts, plus the checks across them (a cable may not cite
 * itself). Paths start with `header` or `content`; a problem with the cable object itself has the path `''`.
 *
 * @example
 * const issues = validateCable(JSON.parse(text));
 * for (const { code, path } of issues) console.log(code, path);
 */
export function validateCable(c: unknown): readonly ValidationIssue[] {
  const out: Issues = [];
  readCable(c, out);
  return out;
}

/**
 * The routing header, checked and rebuilt; throws ValidationError listing every problem.
 *
 * @example
 * const header = assertValidRoutingHeader(untrusted);
 */
export function assertValidRoutingHeader(h: unknown): RoutingHeader {
  const out: Issues = [];
  return orThrow(readRoutingHeader(h, 'header', out), out);
}

/**
 * The protected part, checked and rebuilt; throws ValidationError listing every problem.
 *
 * @example
 * const content = assertValidProtectedPart(untrusted);
 */
export function assertValidProtectedPart(p: unknown): ProtectedPart {
  const out: Issues = [];
  return orThrow(readProtectedPart(p, 'content', out), out);
}

/**
 * The cable, checked and rebuilt; throws ValidationError listing every problem.
 *
 * @example
 * const cable = assertValidCable({ header, content });
 */
export function assertValidCable(c: unknown): Cable {
  const out: Issues = [];
  return orThrow(readCable(c, out), out);
}
