// Trace lines (issue 7 "Trace line format"; docs/detection.md) parsed strictly into typed events for the detector.
// One JSON.parse per line, then cheap field checks: the replay target is 500,000 events/s on one core.
import { Classifications, type Classification } from '../cable/types.ts';
import { DetectError } from '../errors.ts';

export const TraceEventKinds = ['read', 'login', 'search', 'device_enrolled'] as const;
export type TraceEventKind = (typeof TraceEventKinds)[number];

/**
 * One trace line as a typed value. `at` is Unix milliseconds. Fields a kind does not carry are absent; a read
 * always names its cable and office (the rules are about what was read), the rest may be unknown.
 */
export interface TraceEvent {
  readonly at: number;
  readonly kind: TraceEventKind;
  readonly user: string;
  readonly device?: string;
  readonly ip?: string;
  readonly cable?: string;
  readonly office?: string;
  readonly level?: Classification;
  readonly tags?: readonly string[];
  readonly ageDays?: number;
  readonly canary?: boolean;
}

/** A line longer than this is not a trace line: refused before JSON.parse sees it. */
export const MAX_TRACE_LINE = 4096;
const MAX_TAGS = 32;
const MAX_FIELD = 200;
const KNOWN_FIELDS = new Set(['t', 'kind', 'user', 'device', 'ip', 'cable', 'office', 'level', 'tags', 'age_days', 'canary']);
const LEVELS: ReadonlySet<string> = new Set(Classifications);
const KINDS: ReadonlySet<string> = new Set(TraceEventKinds);

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Digits of `s` from `from` to `to` (exclusive) as a number, or NaN if any is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff]Z` as Unix milliseconds, NaN if malformed or not a real date. Hand-parsed: Date.parse
 * costs more than the rest of a line's checks, and it rolls 2026-02-31 over into March instead of refusing it.
 */
function timeOf(t: string): number {
  const len = t.length;
  if (len < 20 || len > 24 || t[4] !== '-' || t[7] !== '-' || t[10] !== 'T' || t[13] !== ':' || t[16] !== ':' || t[len - 1] !== 'Z') return Number.NaN;
  let ms = 0;
  if (len > 20) {
    if (t[19] !== '.' || len === 21) return Number.NaN;
    ms = digits(t, 20, len - 1) * 10 ** (24 - len);
  }
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 7);
  const day = digits(t, 8, 10);
  const hour = digits(t, 11, 13);
  const minute = digits(t, 14, 16);
  const second = digits(t, 17, 19);
  if (!(year >= 1970 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !leap)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function bad(lineNo: number, why: string): DetectError {
  return new DetectError('detect.bad_trace', `trace line ${lineNo}: ${why}`);
}

function text(o: Record<string, unknown>, key: string, lineNo: number, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw bad(lineNo, `"${key}" is missing`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_FIELD) throw bad(lineNo, `"${key}" is not a non-empty string of at most ${MAX_FIELD} characters`);
  return v;
}

function tagsOf(v: unknown, lineNo: number): readonly string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > MAX_TAGS) throw bad(lineNo, `"tags" is not an array of at most ${MAX_TAGS} strings`);
  for (const tag of v) if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_FIELD) throw bad(lineNo, '"tags" holds something other than a non-empty string');
  return v as string[]; // each element checked just above
}

/**
 * Parses one trace line (without its newline). `lineNo` (1-based) is only for the error message.
 * Throws DetectError `detect.bad_trace` for anything not in issue 7's format, including unknown fields: a typo in
 * a field name would otherwise silently blind a rule.
 *
 * @example
 * ```ts
 * parseTraceLine('{"t":"2026-03-02T09:14:07Z","kind":"login","user":"u-0042","device":"d-0042-1"}', 1).kind; // 'login'
 * ```
 */
export function parseTraceLine(line: string, lineNo: number): TraceEvent {
  if (line.length > MAX_TRACE_LINE) throw bad(lineNo, `longer than ${MAX_TRACE_LINE} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw bad(lineNo, 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad(lineNo, 'not a JSON object');
  const o = parsed as Record<string, unknown>;
  for (const key in o) if (!KNOWN_FIELDS.has(key)) throw bad(lineNo, `unknown field "${key}"`);
  const at = typeof o.t === 'string' ? timeOf(o.t) : Number.NaN;
  if (Number.isNaN(at)) throw bad(lineNo, '"t" is not an ISO 8601 UTC time like 2026-03-02T09:14:07Z');
  const kind = o.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) throw bad(lineNo, `"kind" is not one of ${TraceEventKinds.join(', ')}`);
  const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { at, kind: kind as TraceEventKind, user: text(o, 'user', lineNo, true)! };
  const device = text(o, 'device', lineNo, false);
  if (device !== undefined) event.device = device;
  const ip = text(o, 'ip', lineNo, false);
  if (ip !== undefined) event.ip = ip;
  const isRead = kind === 'read';
  const cable = text(o, 'cable', lineNo, isRead);
  if (cable !== undefined) event.cable = cable;
  const office = text(o, 'office', lineNo, isRead);
  if (office !== undefined) event.office = office;
  const level = o.level;
  if (level !== undefined) {
    if (typeof level !== 'string' || !LEVELS.has(level)) throw bad(lineNo, `"level" is not one of ${Classifications.join(', ')}`);
    event.level = level as Classification;
  }
  const tags = tagsOf(o.tags, lineNo);
  if (tags !== undefined) event.tags = tags;
  const age = o.age_days;
  if (age !== undefined) {
    if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 1_000_000) throw bad(lineNo, '"age_days" is not a whole number of days ≥ 0');
    event.ageDays = age;
  }
  const canary = o.canary;
  if (canary !== undefined) {
    if (typeof canary !== 'boolean') throw bad(lineNo, '"canary" is not true or false');
    event.canary = canary;
  }
  return event;
}
