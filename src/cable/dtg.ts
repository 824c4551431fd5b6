// The date-time group (DTG): the instant a cable was released. Stored as ISO 8601 UTC with seconds
// (`2026-11-26T14:30:00Z`, one spelling per instant); rendered and imported in the ACP-127 telegram style
// (`261430Z NOV 26`).
import { IssueCodes } from './issue-codes.ts';
import { CableLimits, CablePatterns } from './limits.ts';
import { fail, ok, orThrow } from './issues.ts';
import type { Checked } from './issues.ts';

/** The fields of a DTG, all integers; `month` is 1–12. */
export interface DtgParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Upper-case English month abbreviations, as ACP-127 DTGs use them. */
export const MonthAbbreviations = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Checks that parts name a real instant: a proleptic Gregorian date in years 1–9999 and a time from 00:00:00 to
 * 23:59:59. Leap seconds (`:60`) are refused: UTC clocks in the network never show them, and allowing them would give
 * one instant two spellings.
 */
function checkRange(p: DtgParts): Checked<DtgParts> {
  const within = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;
  const dateOk =
    within(p.year, CableLimits.yearMin, CableLimits.yearMax) && within(p.month, 1, 12) && within(p.day, 1, daysInMonth(p.year, p.month));
  const timeOk = within(p.hour, 0, 23) && within(p.minute, 0, 59) && within(p.second, 0, 59);
  return dateOk && timeOk ? ok(p) : fail(IssueCodes.dtgRange, 'not a real date and time (UTC, years 0001–9999)');
}

/** Checks a DTG string `YYYY-MM-DDTHH:MM:SSZ` and returns its parts. */
export function checkDtg(value: unknown): Checked<DtgParts> {
  if (typeof value !== 'string') return fail(IssueCodes.fieldType, 'DTG must be a string');
  const m = CablePatterns.dtg.exec(value);
  if (!m) return fail(IssueCodes.dtgFormat, 'DTG must be exactly YYYY-MM-DDTHH:MM:SSZ');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return checkRange({ year, month, day, hour, minute, second });
}

/**
 * Parses a DTG. Throws ValidationError (`cable.dtg.format`, `cable.dtg.range`, `cable.field.type`).
 *
 * @example
 * parseDtg('2026-11-26T14:30:00Z'); // { year: 2026, month: 11, day: 26, hour: 14, minute: 30, second: 0 }
 */
export function parseDtg(value: unknown, path = 'dtg'): DtgParts {
  return orThrow(checkDtg(value), path);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Formats parts as a DTG. Throws ValidationError (`cable.dtg.range`) unless they name a real instant.
 *
 * @example
 * formatDtg({ year: 2026, month: 11, day: 26, hour: 14, minute: 30, second: 0 }); // '2026-11-26T14:30:00Z'
 */
export function formatDtg(parts: DtgParts): string {
  const p = orThrow(checkRange(parts), 'dtg');
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}Z`;
}

/**
 * The DTG of a Date, milliseconds dropped (a DTG has whole seconds). Throws RangeError for an invalid Date.
 *
 * @example
 * dtgFromDate(new Date(Date.UTC(2026, 10, 26, 14, 30, 0, 999))); // '2026-11-26T14:30:00Z'
 */
export function dtgFromDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('dtgFromDate: invalid Date');
  return formatDtg({
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  });
}

/**
 * The Date of a DTG. Throws ValidationError for a bad DTG.
 *
 * @example
 * dtgToDate('2026-11-26T14:30:00Z').getTime(); // 1795703400000
 */
export function dtgToDate(dtg: string): Date {
  const p = parseDtg(dtg);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(p.year, p.month - 1, p.day);
  date.setUTCHours(p.hour, p.minute, p.second, 0);
  return date;
}

/**
 * Renders a DTG in the ACP-127 telegram style: day, hour and minute, `Z`, month, two-digit year. Seconds are
 * dropped, as in every telegram.
 *
 * @example
 * renderAcpDtg('2026-11-26T14:30:00Z'); // '261430Z NOV 26'
 */
export function renderAcpDtg(dtg: string): string {
  const p = parseDtg(dtg);
  return `${pad(p.day, 2)}${pad(p.hour, 2)}${pad(p.minute, 2)}Z ${MonthAbbreviations[p.month - 1]!} ${pad(p.year % 100, 2)}`;
}

const ACP_DTG = /^(\d{2})(\d{2})(\d{2})Z ([A-Za-z]{3}) (\d{2})$/;

/**
 * Parses an ACP-127 DTG such as `261430Z NOV 26` (legacy import) into a DTG with seconds `00`. A two-digit year is
 * ambiguous, so the caller names the year it expects the text to be near: the result is the year ending in those
 * digits within `nearYear - 50 … nearYear + 49`. Months may be in any case. Throws ValidationError
 * (`cable.dtg.format`, `cable.dtg.range`), or RangeError for a `nearYear` outside 1–9999.
 *
 * @example
 * parseAcpDtg('261430Z NOV 26', 2026); // '2026-11-26T14:30:00Z'
 * parseAcpDtg('031200Z MAR 30', 1931); // '1930-03-03T12:00:00Z'
 */
export function parseAcpDtg(text: string, nearYear: number): string {
  if (!Number.isInteger(nearYear) || nearYear < CableLimits.yearMin || nearYear > CableLimits.yearMax) {
    throw new RangeError('parseAcpDtg: nearYear must be an integer 1–9999');
  }
  const m = ACP_DTG.exec(text);
  const month = m ? MonthAbbreviations.findIndex((abbr) => abbr === m[4]!.toUpperCase()) + 1 : 0;
  if (!m || month === 0) {
    return orThrow(fail<string>(IssueCodes.dtgFormat, 'ACP-127 DTG must be DDHHMMZ MON YY'), 'dtg');
  }
  const lowest = nearYear - 50;
  const year = lowest + ((((Number(m[5]) - lowest) % 100) + 100) % 100);
  const parts = { year, month, day: Number(m[1]), hour: Number(m[2]), minute: Number(m[3]), second: 0 };
  return formatDtg(parts);
}
