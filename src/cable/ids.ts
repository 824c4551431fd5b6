// Parsers for the cable model's identifiers: the only places a string becomes a branded CableId, OfficeCode,
// NodeName, UserId or DeviceId. Each has a checker (for validators), a guard and a parser that throws.
import type { CableId, DeviceId, NodeName, OfficeCode, UserId } from './types.ts';
import { IssueCodes } from './issue-codes.ts';
import type { IssueCode } from './issue-codes.ts';
import { CableLimits, CablePatterns } from './limits.ts';
import { fail, ok, orThrow } from './issues.ts';
import type { Checked } from './issues.ts';

/** The three parts of a cable id. */
export interface CableIdParts {
  readonly office: OfficeCode;
  readonly year: number;
  readonly serial: number;
}

function checkGrammar(value: unknown, pattern: RegExp, maxChars: number, code: IssueCode, what: string): Checked<string> {
  if (typeof value !== 'string') return fail(IssueCodes.fieldType, `${what} must be a string`);
  // Patterns are ASCII-only, so string length is the char count once the pattern matches.
  if (value.length > maxChars || !pattern.test(value)) {
    return fail(code, `not a valid ${what} (at most ${maxChars} chars of ${String(pattern)})`);
  }
  return ok(value);
}

/** Checks an office code: dotted upper-case segments, at most 64 chars. */
export function checkOfficeCode(value: unknown): Checked<OfficeCode> {
  const r = checkGrammar(value, CablePatterns.officeCode, CableLimits.officeCodeMaxChars, IssueCodes.officeFormat, 'office code');
  return r as Checked<OfficeCode>; // the brand is the only difference, and it is earned by the check above
}

/** Checks a node name: the office grammar, at most 32 chars. */
export function checkNodeName(value: unknown): Checked<NodeName> {
  const r = checkGrammar(value, CablePatterns.officeCode, CableLimits.nodeNameMaxChars, IssueCodes.nodeFormat, 'node name');
  return r as Checked<NodeName>;
}

/** Checks a user id: lower-case letters, digits, `.`, `_`, `-`, starting with a letter or digit, at most 64 chars. */
export function checkUserId(value: unknown): Checked<UserId> {
  const r = checkGrammar(value, CablePatterns.userId, CableLimits.userIdMaxChars, IssueCodes.userFormat, 'user id');
  return r as Checked<UserId>;
}

/** Checks a device id: the user-id grammar. */
export function checkDeviceId(value: unknown): Checked<DeviceId> {
  const r = checkGrammar(value, CablePatterns.userId, CableLimits.deviceIdMaxChars, IssueCodes.deviceFormat, 'device id');
  return r as Checked<DeviceId>;
}

const CABLE_ID = /^([^/]*)\/(\d{4})\/(\d{6})$/;

/** Checks a cable id `OFFICE/YYYY/NNNNNN` and returns its parts. */
export function checkCableId(value: unknown): Checked<CableIdParts & { readonly id: CableId }> {
  if (typeof value !== 'string') return fail(IssueCodes.fieldType, 'cable id must be a string');
  const m = CABLE_ID.exec(value);
  if (m) {
    const office = checkOfficeCode(m[1]);
    const year = Number(m[2]);
    const serial = Number(m[3]);
    if (office.ok && year >= CableLimits.yearMin && serial >= CableLimits.serialMin) {
      return ok({ id: value as CableId, office: office.value, year, serial });
    }
  }
  return fail(IssueCodes.idFormat, 'not a cable id OFFICE/YYYY/NNNNNN (year 0001–9999, serial 000001–999999)');
}

/**
 * Parses an office code. Throws ValidationError (`cable.office.format`, `cable.field.type`).
 *
 * @example
 * const office = parseOfficeCode('EEAS.DEL.WASHINGTON');
 */
export function parseOfficeCode(value: unknown, path = 'office'): OfficeCode {
  return orThrow(checkOfficeCode(value), path);
}

/**
 * Parses a node name. Throws ValidationError (`cable.node.format`, `cable.field.type`).
 *
 * @example
 * const node = parseNodeName('MFA.CY');
 */
export function parseNodeName(value: unknown, path = 'node'): NodeName {
  return orThrow(checkNodeName(value), path);
}

/**
 * Parses a user id. Throws ValidationError (`cable.user.format`, `cable.field.type`).
 *
 * @example
 * const user = parseUserId('anna.schmidt');
 */
export function parseUserId(value: unknown, path = 'user'): UserId {
  return orThrow(checkUserId(value), path);
}

/**
 * Parses a device id. Throws ValidationError (`cable.device.format`, `cable.field.type`).
 *
 * @example
 * const device = parseDeviceId('d-0042-1');
 */
export function parseDeviceId(value: unknown, path = 'device'): DeviceId {
  return orThrow(checkDeviceId(value), path);
}

/**
 * Parses a cable id. Throws ValidationError (`cable.id.format`, `cable.field.type`).
 *
 * @example
 * const id = parseCableId('EEAS.DEL.WASHINGTON/2026/000123');
 */
export function parseCableId(value: unknown, path = 'id'): CableId {
  return orThrow(checkCableId(value), path).id;
}

/**
 * The parts of a cable id (office, year, serial).
 *
 * @example
 * splitCableId(id); // { office: 'EEAS.DEL.WASHINGTON', year: 2026, serial: 123 }
 */
export function splitCableId(id: CableId): CableIdParts {
  const { office, year, serial } = orThrow(checkCableId(id), 'id');
  return { office, year, serial };
}

/**
 * Builds a cable id from its parts; the serial is zero-padded to six digits. Throws ValidationError
 * (`cable.id.format`) for a year outside 1–9999, a serial outside 1–999999 or a bad office.
 *
 * @example
 * formatCableId('EEAS.DEL.WASHINGTON', 2026, 123); // 'EEAS.DEL.WASHINGTON/2026/000123'
 */
export function formatCableId(office: string, year: number, serial: number): CableId {
  const inRange = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;
  if (!inRange(year, CableLimits.yearMin, CableLimits.yearMax) || !inRange(serial, CableLimits.serialMin, CableLimits.serialMax)) {
    return orThrow(fail<CableId>(IssueCodes.idFormat, 'year must be 1–9999 and serial 1–999999'), 'id');
  }
  const text = `${office}/${String(year).padStart(4, '0')}/${String(serial).padStart(6, '0')}`;
  return parseCableId(text);
}

/**
 * Guards for the branded ids, for code that must branch rather than throw.
 *
 * @example
 * if (isOfficeCode(input)) route(input);
 */
export function isOfficeCode(value: unknown): value is OfficeCode {
  return checkOfficeCode(value).ok;
}

/** Guard for a node name. */
export function isNodeName(value: unknown): value is NodeName {
  return checkNodeName(value).ok;
}

/** Guard for a user id. */
export function isUserId(value: unknown): value is UserId {
  return checkUserId(value).ok;
}

/** Guard for a device id. */
export function isDeviceId(value: unknown): value is DeviceId {
  return checkDeviceId(value).ok;
}

/** Guard for a cable id. */
export function isCableId(value: unknown): value is CableId {
  return checkCableId(value).ok;
}
