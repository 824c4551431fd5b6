// Validation of the routing header (DESIGN.md "The envelope" step 1): the clear part that nodes route, enforce
// policy and detect on. Every problem is reported with its path; a header is returned only when there are none.
import { Classifications, Precedences } from './types.ts';
import type { Marking, OfficeCode, RoutingHeader } from './types.ts';
import { IssueCodes } from './issue-codes.ts';
import type { IssueCode } from './issue-codes.ts';
import { CableLimits, CablePatterns } from './limits.ts';
import { checkCableId, checkOfficeCode, checkUserId } from './ids.ts';
import type { CableIdParts } from './ids.ts';
import { checkDtg, formatDtg } from './dtg.ts';
import type { DtgParts } from './dtg.ts';
import { addIssue, fail, fieldPath, ok } from './issues.ts';
import type { Checked, Issues } from './issues.ts';
import { allDefined, checkAscending, checkCount, checkUnique, cleanly, present, readList, readRecord, readWith } from './fields.ts';

/** The fields of a routing header, in the order of the type (the encoding orders keys itself). */
export const RoutingHeaderFields = ['id', 'dtg', 'precedence', 'marking', 'from', 'to', 'info', 'tags', 'drafter', 'releaser'] as const;
/** The fields of a marking. */
export const MarkingFields = ['classification', 'caveats', 'releasableTo'] as const;

/** A checker for a string that must be one of `allowed`. */
function oneOf<T extends string>(allowed: readonly T[], code: IssueCode, what: string): (value: unknown) => Checked<T> {
  return (value) => {
    if (typeof value !== 'string') return fail(IssueCodes.fieldType, `${what} must be a string`);
    const found = allowed.find((a) => a === value);
    return found === undefined ? fail(code, `unknown ${what}; one of ${allowed.join(', ')}`) : ok(found);
  };
}

/** A checker for a string matching `pattern`. */
function matching(pattern: RegExp, code: IssueCode, what: string): (value: unknown) => Checked<string> {
  return (value) => {
    if (typeof value !== 'string') return fail(IssueCodes.fieldType, `${what} must be a string`);
    return pattern.test(value) ? ok(value) : fail(code, `not a valid ${what} (${String(pattern)})`);
  };
}

const checkPrecedence = oneOf(Precedences, IssueCodes.precedenceUnknown, 'precedence');
const checkClassification = oneOf(Classifications, IssueCodes.classificationUnknown, 'classification');
const checkCaveat = matching(CablePatterns.caveat, IssueCodes.caveatFormat, 'caveat');
const checkCommunity = matching(CablePatterns.community, IssueCodes.releasableToFormat, 'community code');
const checkTag = matching(CablePatterns.tag, IssueCodes.tagFormat, 'tag');

/**
 * Reads a marking. Caveats and releasability communities are sets, stored strictly ascending so one marking has one
 * encoding; a reader must hold every caveat, and an empty `releasableTo` means no releasability restriction.
 */
export function readMarking(value: unknown, path: string, out: Issues): Marking | undefined {
  return cleanly(out, () => {
    const r = readRecord(value, path, MarkingFields, out);
    if (r === undefined) return undefined;
    const classification = readWith(r.classification, fieldPath(path, 'classification'), out, checkClassification);
    const caveatsPath = fieldPath(path, 'caveats');
    const caveats = readList(r.caveats, caveatsPath, out, (v, p) => readWith(v, p, out, checkCaveat));
    checkCount(caveats, CableLimits.caveatsMax, IssueCodes.caveatsTooMany, caveatsPath, out);
    checkAscending(caveats, IssueCodes.caveatsOrder, caveatsPath, out);
    const relPath = fieldPath(path, 'releasableTo');
    const releasableTo = readList(r.releasableTo, relPath, out, (v, p) => readWith(v, p, out, checkCommunity));
    checkCount(releasableTo, CableLimits.releasableToMax, IssueCodes.releasableToTooMany, relPath, out);
    checkAscending(releasableTo, IssueCodes.releasableToOrder, relPath, out);
    const m = allDefined({ classification, caveats, releasableTo });
    return m && { classification: m.classification, caveats: present(m.caveats), releasableTo: present(m.releasableTo) };
  });
}

/** The cable id names the originating office and the DTG's year: one office numbers its own cables per year. */
function checkIdConsistency(
  id: CableIdParts | undefined,
  dtg: DtgParts | undefined,
  from: OfficeCode | undefined,
  path: string,
  out: Issues,
): void {
  const idPath = fieldPath(path, 'id');
  if (id !== undefined && from !== undefined && id.office !== from) {
    addIssue(out, IssueCodes.idOfficeMismatch, idPath, `office part ${id.office} is not the from office ${from}`);
  }
  if (id !== undefined && dtg !== undefined && id.year !== dtg.year) {
    addIssue(out, IssueCodes.idYearMismatch, idPath, `year part ${id.year} is not the DTG's year ${dtg.year}`);
  }
}

/**
 * Addressees across `to` and `info`: each office once, never the originating office (its own wrap is implied by
 * the envelope, DESIGN.md "The envelope" step 3), at most 500 in all, and at least one action addressee.
 */
function checkAddressees(
  from: OfficeCode | undefined,
  to: readonly (OfficeCode | undefined)[] | undefined,
  info: readonly (OfficeCode | undefined)[] | undefined,
  path: string,
  out: Issues,
): void {
  const toPath = fieldPath(path, 'to');
  if (to !== undefined && to.length < CableLimits.toMin) addIssue(out, IssueCodes.toEmpty, toPath, 'needs at least one action addressee');
  const total = (to?.length ?? 0) + (info?.length ?? 0);
  if (total > CableLimits.addresseesMax) {
    addIssue(out, IssueCodes.addresseesTooMany, path, `addresses ${total} offices in to and info; at most ${CableLimits.addresseesMax}`);
  }
  const seen = new Set<OfficeCode>();
  const walk = (list: readonly (OfficeCode | undefined)[] | undefined, listPath: string): void => {
    list?.forEach((office, i) => {
      if (office === undefined) return;
      const at = `${listPath}[${i}]`;
      if (office === from) addIssue(out, IssueCodes.addresseeIsOriginator, at, 'is the originating office');
      else if (seen.has(office)) addIssue(out, IssueCodes.addresseeDuplicate, at, 'is addressed more than once across to and info');
      seen.add(office);
    });
  };
  walk(to, toPath);
  walk(info, fieldPath(path, 'info'));
}

/** Reads a list of office codes. */
function readOffices(value: unknown, path: string, out: Issues): readonly (OfficeCode | undefined)[] | undefined {
  return readList(value, path, out, (v, p) => readWith(v, p, out, checkOfficeCode));
}

/** Reads and validates a routing header; `undefined` unless it is entirely valid. */
export function readRoutingHeader(value: unknown, path: string, out: Issues): RoutingHeader | undefined {
  return cleanly(out, () => {
    const r = readRecord(value, path, RoutingHeaderFields, out);
    if (r === undefined) return undefined;
    const at = (key: string): string => fieldPath(path, key);
    const id = readWith(r.id, at('id'), out, checkCableId);
    const dtg = readWith(r.dtg, at('dtg'), out, checkDtg);
    const precedence = readWith(r.precedence, at('precedence'), out, checkPrecedence);
    const marking = r.marking === undefined ? undefined : readMarking(r.marking, at('marking'), out);
    const from = readWith(r.from, at('from'), out, checkOfficeCode);
    const to = readOffices(r.to, at('to'), out);
    const info = readOffices(r.info, at('info'), out);
    const tags = readList(r.tags, at('tags'), out, (v, p) => readWith(v, p, out, checkTag));
    checkCount(tags, CableLimits.tagsMax, IssueCodes.tagsTooMany, at('tags'), out);
    checkUnique(tags, IssueCodes.tagDuplicate, at('tags'), out);
    const drafter = readWith(r.drafter, at('drafter'), out, checkUserId);
    const releaser = readWith(r.releaser, at('releaser'), out, checkUserId);
    checkIdConsistency(id, dtg, from, path, out);
    checkAddressees(from, to, info, path, out);
    const h = allDefined({ id, dtg, precedence, marking, from, to, info, tags, drafter, releaser });
    if (h === undefined) return undefined;
    return {
      id: h.id.id,
      dtg: formatDtg(h.dtg), // a DTG has one spelling, so this is the accepted string itself
      precedence: h.precedence,
      marking: h.marking,
      from: h.from,
      to: present(h.to),
      info: present(h.info),
      tags: present(h.tags),
      drafter: h.drafter,
      releaser: h.releaser,
    };
  });
}
