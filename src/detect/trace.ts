// Trace lines (issue 7 "Trace line format"; docs/detection.md) parsed strictly into typed events for the detector.
// Two paths with one meaning: a hand-written scanner for lines in the documented key order with no whitespace or
// escapes (what the simulator and JSON.stringify write: the common case), and JSON.parse with field checks for
// anything else. The scanner only ever accepts; every refusal, and so every error message, comes from the strict
// path (test/detect/trace-scan.test.ts checks they agree). The replay target is 500,000 events/s on one core.
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
  return timeAt(t, 0, t.length);
}

/** timeOf for `s` from `from` to `to` (exclusive), read in place so the scanner slices nothing. */
function timeAt(s: string, from: number, to: number): number {
  const len = to - from;
  // '-' 45, 'T' 84, ':' 58, 'Z' 90, '.' 46 (no helper closure: this runs for every line)
  if (len < 20 || len > 24) return Number.NaN;
  if (s.charCodeAt(from + 4) !== 45 || s.charCodeAt(from + 7) !== 45 || s.charCodeAt(from + 10) !== 84) return Number.NaN;
  if (s.charCodeAt(from + 13) !== 58 || s.charCodeAt(from + 16) !== 58 || s.charCodeAt(to - 1) !== 90) return Number.NaN;
  let ms = 0;
  if (len > 20) {
    if (s.charCodeAt(from + 19) !== 46 || len === 21) return Number.NaN;
    ms = digits(s, from + 20, to - 1) * 10 ** (24 - len);
  }
  const year = digits(s, from, from + 4);
  const month = digits(s, from + 5, from + 7);
  const day = digits(s, from + 8, from + 10);
  const hour = digits(s, from + 11, from + 13);
  const minute = digits(s, from + 14, from + 16);
  const second = digits(s, from + 17, from + 19);
  if (!(year >= 1970 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
  const date = year * 10_000 + month * 100 + day;
  if (date !== lastDate) {
    // A trace's lines come in time order, so the date is nearly always the last line's: its checks and its
    // Date.UTC are done once per day rather than once per line.
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !leap)) return Number.NaN;
    lastDate = date;
    lastDayMs = Date.UTC(year, month - 1, day);
  }
  return lastDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** The last valid date timeAt saw (YYYYMMDD) and its midnight in Unix milliseconds. */
let lastDate = -1;
let lastDayMs = 0;

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
 * Parses one trace line (without its newline): the scanner when it recognises the line, else the strict path. `lineNo` (1-based) is only for the error message.
 * Throws DetectError `detect.bad_trace` for anything not in issue 7's format, including unknown fields: a typo in
 * a field name would otherwise silently blind a rule.
 *
 * @example
 * ```ts
 * parseTraceLine('{"t":"2026-03-02T09:14:07Z","kind":"login","user":"u-0042","device":"d-0042-1"}', 1).kind; // 'login'
 * ```
 */
export function parseTraceLine(line: string, lineNo: number): TraceEvent {
  return scanTraceLine(line) ?? parseTraceLineStrict(line, lineNo);
}

/** The strict path alone: JSON.parse, then every field checked. Exported for the agreement test. */
export function parseTraceLineStrict(line: string, lineNo: number): TraceEvent {
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

// The scanner. Keys in issue 7's order, each at most once; a key out of order, a repeat, whitespace, an escape, a
// number that is not a plain whole number: undefined, and the strict path decides.
const KEY_ORDER = ['t', 'kind', 'user', 'device', 'ip', 'cable', 'office', 'level', 'tags', 'age_days', 'canary'] as const;
/** `,"key":` for each key: matched in place with startsWith, so no key is sliced out. */
const KEY_PREFIX = KEY_ORDER.map((k) => `,"${k}":`);
/** A backslash or a control character anywhere: the line has an escape (or is not JSON), so the strict path. */
// eslint-disable-next-line no-control-regex -- JSON refuses raw control characters in strings: finding them is the point
const NOT_PLAIN = /[\\\x00-\x1f]/;
const QUOTE = 0x22;
const COMMA = 0x2c;
/** Kinds and levels with their quotes, matched in place: the event then holds the constant, not a slice. */
const QUOTED_KINDS = TraceEventKinds.map((k) => `"${k}"`);
const QUOTED_LEVELS = Classifications.map((l) => `"${l}"`);

/** Index of the quoted constant at `from` (followed by `,` or `}`), or -1. */
function constantAt(line: string, from: number, quoted: readonly string[]): number {
  for (let i = 0; i < quoted.length; i++) {
    const q = quoted[i]!;
    if (line.startsWith(q, from)) {
      const next = line.charCodeAt(from + q.length);
      return next === COMMA || next === 0x7d ? i : -1;
    }
  }
  return -1;
}

/** End (index of the closing quote) of the JSON string whose opening quote is at `from`, or -1. The line has been
 * checked for escapes and control characters (NOT_PLAIN), so the next quote closes the string. */
function stringEnd(line: string, from: number): number {
  return line.charCodeAt(from) === QUOTE ? line.indexOf('"', from + 1) : -1;
}

/** A field's text as the strict path would accept it (non-empty, at most MAX_FIELD), or undefined. */
function fieldAt(line: string, from: number, end: number): string | undefined {
  return end < 0 || end - from - 1 === 0 || end - from - 1 > MAX_FIELD ? undefined : line.slice(from + 1, end);
}

/**
 * The event for a line in the documented key order, or undefined when the line is anything else (which includes
 * every malformed line). Never throws.
 */
export function scanTraceLine(line: string): TraceEvent | undefined {
  if (line.length > MAX_TRACE_LINE || !line.startsWith('{"t":') || NOT_PLAIN.test(line)) return undefined;
  const end = stringEnd(line, 5);
  if (end < 0) return undefined;
  const at = timeAt(line, 6, end);
  if (Number.isNaN(at)) return undefined;
  const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { at, kind: 'read', user: '' };
  let pos = end + 1;
  let rank = 0;
  let seen = 1; // bit per KEY_ORDER rank
  while (line.charCodeAt(pos) === COMMA) {
    let r = rank + 1;
    while (r < KEY_ORDER.length && !line.startsWith(KEY_PREFIX[r]!, pos)) r++;
    if (r === KEY_ORDER.length) return undefined; // unknown, repeated or out of order
    rank = r;
    seen |= 1 << r;
    pos = scanValue(line, pos + KEY_PREFIX[r]!.length, r, event);
    if (pos < 0) return undefined;
  }
  if (pos !== line.length - 1 || line.charCodeAt(pos) !== 0x7d) return undefined; // '}' and nothing after
  // kind and user are required; a read also names its cable and office.
  if ((seen & 0b110) !== 0b110 || (event.kind === 'read' && (seen & 0b1100000) !== 0b1100000)) return undefined;
  return event;
}

/** Scans the value of the key of rank `r` at `from` into `event`; returns the position after it, or -1. */
function scanValue(line: string, from: number, r: number, event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] }): number {
  switch (r) {
    case 8:
      return scanTags(line, from, event);
    case 9: {
      // JSON's whole numbers without sign, fraction or exponent; a leading zero is not JSON, so the strict path
      // refuses it as such.
      let i = from;
      let n = 0;
      for (; i < line.length && i - from < 8; i++) {
        const d = line.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        n = n * 10 + d;
      }
      if (i === from || i - from >= 8 || (line.charCodeAt(from) === 48 && i - from > 1) || n > 1_000_000) return -1;
      event.ageDays = n;
      return i;
    }
    case 10:
      if (line.startsWith('true', from)) event.canary = true;
      else if (line.startsWith('false', from)) event.canary = false;
      else return -1;
      return from + (event.canary ? 4 : 5);
    case 1: {
      const k = constantAt(line, from, QUOTED_KINDS);
      if (k < 0) return -1;
      event.kind = TraceEventKinds[k]!;
      return from + QUOTED_KINDS[k]!.length;
    }
    case 7: {
      const l = constantAt(line, from, QUOTED_LEVELS);
      if (l < 0) return -1;
      event.level = Classifications[l]!;
      return from + QUOTED_LEVELS[l]!.length;
    }
    default: {
      const end = stringEnd(line, from);
      const value = fieldAt(line, from, end);
      if (value === undefined) return -1;
      setText(event, r, value);
      return end + 1;
    }
  }
}

function setText(event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] }, r: number, value: string): void {
  if (r === 2) event.user = value;
  else if (r === 3) event.device = value;
  else if (r === 4) event.ip = value;
  else if (r === 5) event.cable = value;
  else event.office = value;
}

function scanTags(line: string, from: number, event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] }): number {
  if (line.charCodeAt(from) !== 0x5b) return -1; // '['
  const tags: string[] = [];
  let pos = from + 1;
  if (line.charCodeAt(pos) !== 0x5d) {
    for (;;) {
      const end = stringEnd(line, pos);
      const tag = fieldAt(line, pos, end);
      if (tag === undefined || tags.length === MAX_TAGS) return -1;
      tags.push(tag);
      pos = end + 1;
      if (line.charCodeAt(pos) !== COMMA) break;
      pos++;
    }
    if (line.charCodeAt(pos) !== 0x5d) return -1; // ']'
  }
  event.tags = tags;
  return pos + 1;
}
