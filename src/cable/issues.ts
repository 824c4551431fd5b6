// Collecting validation issues: validators append every problem they find (never just the first) to one list,
// with a path such as `header.to[3]`, and small checkers report a result instead of throwing.
import { ValidationError } from '../errors.ts';
import type { ValidationIssue } from '../errors.ts';
import type { IssueCode } from './issue-codes.ts';

/** The list a validator appends to. */
export type Issues = ValidationIssue[];

/** The outcome of checking one value: the parsed value, or why it was refused. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: Problem };

/** A refusal not yet placed at a path. */
export interface Problem {
  readonly code: IssueCode;
  readonly message: string;
}

/** A successful check. */
export function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

/** A failed check. */
export function fail<T>(code: IssueCode, message: string): Checked<T> {
  return { ok: false, issue: { code, message } };
}

/** Appends one issue. */
export function addIssue(out: Issues, code: IssueCode, path: string, message: string): void {
  out.push({ code, path, message });
}

/** Appends a failed check's problem at `path` and returns its value (or `undefined`). */
export function take<T>(checked: Checked<T>, path: string, out: Issues): T | undefined {
  if (checked.ok) return checked.value;
  addIssue(out, checked.issue.code, path, checked.issue.message);
  return undefined;
}

/** `header` + `to` → `header.to`; the root path is the empty string. */
export function fieldPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `header.to` + 3 → `header.to[3]`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Returns the checked value, or throws a ValidationError with the single issue at `path`. */
export function orThrow<T>(checked: Checked<T>, path: string): T {
  if (checked.ok) return checked.value;
  throw new ValidationError([{ code: checked.issue.code, path, message: checked.issue.message }]);
}
