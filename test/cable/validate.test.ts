// Validation of cables from unknown input: each broken field gives its stable code at its path, every problem is
// reported at once, and only own, known fields of the right types pass.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../src/errors.ts';
import type { ValidationIssue } from '../../src/errors.ts';
import { IssueCodes } from '../../src/cable/issue-codes.ts';
import { CableLimits } from '../../src/cable/limits.ts';
import {
  assertValidCable,
  assertValidProtectedPart,
  assertValidRoutingHeader,
  validateCable,
  validateProtectedPart,
  validateRoutingHeader,
} from '../../src/cable/validate.ts';
import { sampleCable, sampleCopy } from './fixtures.ts';

type Copy = ReturnType<typeof sampleCopy>;
type Row = readonly [name: string, change: (c: Copy) => void, code: string, path: string];

const MiB = 1024 * 1024;
const offices = (n: number, prefix = 'X'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const marking = (c: Copy): Record<string, unknown> => c.header.marking as Record<string, unknown>;
const attachment = (c: Copy, i = 0): Record<string, unknown> => (c.content.attachments as Record<string, unknown>[])[i]!;
const file = (name: string, size = 1): Record<string, unknown> => ({ name, mediaType: 'text/plain', data: new Uint8Array(size) });

const C = IssueCodes;
const MEDIA_TYPE = 'content.attachments[0].mediaType';
const rows: readonly Row[] = [
  // shape
  ['missing id', (c) => delete c.header.id, C.fieldMissing, 'header.id'],
  ['id set to undefined', (c) => (c.header.id = undefined), C.fieldMissing, 'header.id'],
  ['id of the wrong type', (c) => (c.header.id = 123), C.fieldType, 'header.id'],
  ['unknown header field', (c) => (c.header.subject = 'leaked'), C.fieldUnknown, 'header.subject'],
  ['unknown cable field', (c) => (c.signature = 'x'), C.fieldUnknown, 'signature'],
  ['header is an array', (c) => (c.header = [] as unknown as Record<string, unknown>), C.fieldType, 'header'],
  ['missing content', (c) => delete (c as Partial<Copy>).content, C.fieldMissing, 'content'],
  ['marking is missing', (c) => delete c.header.marking, C.fieldMissing, 'header.marking'],
  ['marking is a string', (c) => (c.header.marking = 'SECRET'), C.fieldType, 'header.marking'],
  ['unknown marking field', (c) => (marking(c).owner = 'EU'), C.fieldUnknown, 'header.marking.owner'],
  ['to is a string', (c) => (c.header.to = 'MFA.CY'), C.fieldType, 'header.to'],
  ['to holds a number', (c) => (c.header.to = [7]), C.fieldType, 'header.to[0]'],
  // eslint-disable-next-line no-sparse-arrays -- the hole is the point
  ['to has a hole', (c) => (c.header.to = [, 'MFA.CY']), C.fieldType, 'header.to[0]'],
  // identifiers
  ['id without serial', (c) => (c.header.id = 'EEAS.DEL.WASHINGTON/2026'), C.idFormat, 'header.id'],
  ['id with serial 0', (c) => (c.header.id = 'EEAS.DEL.WASHINGTON/2026/000000'), C.idFormat, 'header.id'],
  ['id with a 5-digit serial', (c) => (c.header.id = 'EEAS.DEL.WASHINGTON/2026/12345'), C.idFormat, 'header.id'],
  ['id with a lower-case office', (c) => (c.header.id = 'eeas/2026/000123'), C.idFormat, 'header.id'],
  ['id of another office', (c) => (c.header.id = 'EEAS.DEL.OTTAWA/2026/000123'), C.idOfficeMismatch, 'header.id'],
  ['id of another year', (c) => (c.header.id = 'EEAS.DEL.WASHINGTON/2025/000123'), C.idYearMismatch, 'header.id'],
  ['lower-case from', (c) => (c.header.from = 'eeas.del'), C.officeFormat, 'header.from'],
  ['from of 65 chars', (c) => (c.header.from = 'A'.repeat(65)), C.officeFormat, 'header.from'],
  ['from with an empty segment', (c) => (c.header.from = 'EEAS..DEL'), C.officeFormat, 'header.from'],
  ['to with a space', (c) => (c.header.to = ['MFA CY']), C.officeFormat, 'header.to[0]'],
  ['upper-case drafter', (c) => (c.header.drafter = 'Anna'), C.userFormat, 'header.drafter'],
  ['releaser of 65 chars', (c) => (c.header.releaser = 'a'.repeat(65)), C.userFormat, 'header.releaser'],
  ['releaser starting with a dot', (c) => (c.header.releaser = '.anna'), C.userFormat, 'header.releaser'],
  // DTG
  ['DTG with a space', (c) => (c.header.dtg = '2026-11-26 14:30:00Z'), C.dtgFormat, 'header.dtg'],
  ['DTG without seconds', (c) => (c.header.dtg = '2026-11-26T14:30Z'), C.dtgFormat, 'header.dtg'],
  ['DTG with milliseconds', (c) => (c.header.dtg = '2026-11-26T14:30:00.000Z'), C.dtgFormat, 'header.dtg'],
  ['DTG with an offset', (c) => (c.header.dtg = '2026-11-26T14:30:00+00:00'), C.dtgFormat, 'header.dtg'],
  ['DTG on 30 February', (c) => (c.header.dtg = '2026-02-30T14:30:00Z'), C.dtgRange, 'header.dtg'],
  ['DTG at hour 24', (c) => (c.header.dtg = '2026-11-26T24:00:00Z'), C.dtgRange, 'header.dtg'],
  ['DTG with a leap second', (c) => (c.header.dtg = '2026-12-31T23:59:60Z'), C.dtgRange, 'header.dtg'],
  // precedence and marking
  ['unknown precedence', (c) => (c.header.precedence = 'URGENT'), C.precedenceUnknown, 'header.precedence'],
  ['lower-case precedence', (c) => (c.header.precedence = 'flash'), C.precedenceUnknown, 'header.precedence'],
  ['precedence of the wrong type', (c) => (c.header.precedence = 1), C.fieldType, 'header.precedence'],
  ['unknown classification', (c) => (marking(c).classification = 'TOP SECRET'), C.classificationUnknown, 'header.marking.classification'],
  ['lower-case caveat', (c) => (marking(c).caveats = ['crypto']), C.caveatFormat, 'header.marking.caveats[0]'],
  ['caveat with a double space', (c) => (marking(c).caveats = ['EYES  ONLY']), C.caveatFormat, 'header.marking.caveats[0]'],
  ['caveat with a trailing space', (c) => (marking(c).caveats = ['CRYPTO ']), C.caveatFormat, 'header.marking.caveats[0]'],
  ['caveats unsorted', (c) => (marking(c).caveats = ['CRYPTO', 'ATOMAL']), C.caveatsOrder, 'header.marking.caveats[1]'],
  ['caveat twice', (c) => (marking(c).caveats = ['CRYPTO', 'CRYPTO']), C.caveatsOrder, 'header.marking.caveats[1]'],
  ['nine caveats', (c) => (marking(c).caveats = offices(9, 'C').sort()), C.caveatsTooMany, 'header.marking.caveats'],
  ['lower-case community', (c) => (marking(c).releasableTo = ['eu']), C.releasableToFormat, 'header.marking.releasableTo[0]'],
  ['community with a digit', (c) => (marking(c).releasableTo = ['EU2']), C.releasableToFormat, 'header.marking.releasableTo[0]'],
  ['communities unsorted', (c) => (marking(c).releasableTo = ['NATO', 'EU']), C.releasableToOrder, 'header.marking.releasableTo[1]'],
  [
    '33 communities',
    (c) => (marking(c).releasableTo = Array.from({ length: 33 }, (_, i) => String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)))),
    C.releasableToTooMany,
    'header.marking.releasableTo',
  ],
  // addressees
  ['no action addressee', (c) => (c.header.to = []), C.toEmpty, 'header.to'],
  ['an office in to and info', (c) => (c.header.info = ['MFA.CY.AMERICAS']), C.addresseeDuplicate, 'header.info[0]'],
  ['an office twice in to', (c) => (c.header.to = ['MFA.CY', 'MFA.CY']), C.addresseeDuplicate, 'header.to[1]'],
  ['the originator in to', (c) => (c.header.to = ['MFA.CY', 'EEAS.DEL.WASHINGTON']), C.addresseeIsOriginator, 'header.to[1]'],
  ['the originator in info', (c) => (c.header.info = ['EEAS.DEL.WASHINGTON']), C.addresseeIsOriginator, 'header.info[0]'],
  ['501 addressees', (c) => ((c.header.to = offices(300)), (c.header.info = offices(201, 'Y'))), C.addresseesTooMany, 'header'],
  // tags
  ['lower-case tag', (c) => (c.header.tags = ['prel']), C.tagFormat, 'header.tags[0]'],
  ['one-letter tag', (c) => (c.header.tags = ['P']), C.tagFormat, 'header.tags[0]'],
  ['nine-letter tag', (c) => (c.header.tags = ['PRELPGOVX']), C.tagFormat, 'header.tags[0]'],
  ['tag twice', (c) => (c.header.tags = ['PREL', 'US', 'PREL']), C.tagDuplicate, 'header.tags[2]'],
  ['33 tags', (c) => (c.header.tags = offices(33, 'T')), C.tagsTooMany, 'header.tags'],
  // subject
  ['empty subject', (c) => (c.content.subject = ''), C.subjectEmpty, 'content.subject'],
  ['subject of 201 chars', (c) => (c.content.subject = 'x'.repeat(201)), C.subjectTooLong, 'content.subject'],
  ['two-line subject', (c) => (c.content.subject = 'one\ntwo'), C.subjectFormat, 'content.subject'],
  ['subject with a tab', (c) => (c.content.subject = 'one\ttwo'), C.subjectFormat, 'content.subject'],
  ['subject with U+2028', (c) => (c.content.subject = 'one\u2028two'), C.subjectFormat, 'content.subject'],
  ['subject with a bidi override', (c) => (c.content.subject = 'pay \u202eeno'), C.subjectFormat, 'content.subject'],
  ['subject with a leading space', (c) => (c.content.subject = ' Meeting'), C.subjectFormat, 'content.subject'],
  ['blank subject', (c) => (c.content.subject = '   '), C.subjectFormat, 'content.subject'],
  ['subject with a lone surrogate', (c) => (c.content.subject = 'a\ud800b'), C.subjectFormat, 'content.subject'],
  ['subject with a C1 control', (c) => (c.content.subject = 'a\u0085b'), C.subjectFormat, 'content.subject'],
  ['subject of the wrong type', (c) => (c.content.subject = ['x']), C.fieldType, 'content.subject'],
  // references
  ['malformed reference', (c) => (c.content.references = ['see above']), C.referenceFormat, 'content.references[0]'],
  ['reference of the wrong type', (c) => (c.content.references = [1]), C.fieldType, 'content.references[0]'],
  ['reference twice', (c) => (c.content.references = ['A/2026/000001', 'A/2026/000001']), C.referenceDuplicate, 'content.references[1]'],
  ['self reference', (c) => (c.content.references = ['EEAS.DEL.WASHINGTON/2026/000123']), C.referenceSelf, 'content.references[0]'],
  ['33 references', (c) => (c.content.references = offices(33, 'A').map((o) => `${o}/2026/000001`)), C.referencesTooMany, 'content.references'],
  // body
  ['body with CR LF', (c) => (c.content.body = 'one\r\ntwo'), C.bodyFormat, 'content.body'],
  ['body with NUL', (c) => (c.content.body = 'one\u0000two'), C.bodyFormat, 'content.body'],
  ['body with a form feed', (c) => (c.content.body = 'one\ftwo'), C.bodyFormat, 'content.body'],
  ['body with DEL', (c) => (c.content.body = 'one\u007ftwo'), C.bodyFormat, 'content.body'],
  ['body with a lone low surrogate', (c) => (c.content.body = 'one\udc00two'), C.bodyFormat, 'content.body'],
  ['body of 1 MiB + 1 bytes', (c) => (c.content.body = 'x'.repeat(MiB + 1)), C.bodyTooLarge, 'content.body'],
  ['body of 1 MiB + 2 UTF-8 bytes in fewer units', (c) => (c.content.body = 'é'.repeat(MiB / 2 + 1)), C.bodyTooLarge, 'content.body'],
  // attachments
  ['21 attachments', (c) => (c.content.attachments = offices(21, 'f').map((n) => file(n))), C.attachmentsTooMany, 'content.attachments'],
  ['attachment over 25 MiB', (c) => (attachment(c).data = new Uint8Array(25 * MiB + 1)), C.attachmentTooLarge, 'content.attachments[0].data'],
  [
    'attachments over 50 MiB together',
    (c) => (c.content.attachments = [file('a', 20 * MiB), file('b', 20 * MiB), file('c', 10 * MiB + 1)]),
    C.attachmentsTooLarge,
    'content.attachments',
  ],
  ['attachment data as numbers', (c) => (attachment(c).data = [1, 2, 3]), C.fieldType, 'content.attachments[0].data'],
  ['attachment name with a slash', (c) => (attachment(c).name = '../etc/passwd'), C.attachmentNameFormat, 'content.attachments[0].name'],
  ['attachment name with a backslash', (c) => (attachment(c).name = 'a\\b.txt'), C.attachmentNameFormat, 'content.attachments[0].name'],
  ['attachment named ..', (c) => (attachment(c).name = '..'), C.attachmentNameFormat, 'content.attachments[0].name'],
  ['empty attachment name', (c) => (attachment(c).name = ''), C.attachmentNameFormat, 'content.attachments[0].name'],
  ['attachment name with NUL', (c) => (attachment(c).name = 'a\u0000.pdf'), C.attachmentNameFormat, 'content.attachments[0].name'],
  ['attachment name with RLO', (c) => (attachment(c).name = 'report\u202efdp.exe'), C.attachmentNameFormat, 'content.attachments[0].name'],
  ['attachment name of 256 chars', (c) => (attachment(c).name = 'n'.repeat(256)), C.attachmentNameTooLong, 'content.attachments[0].name'],
  [
    'two attachments of one name',
    (c) => (c.content.attachments = [file('a.txt'), file('b.txt'), file('a.txt')]),
    C.attachmentNameDuplicate,
    'content.attachments[2].name',
  ],
  ['upper-case media type', (c) => (attachment(c).mediaType = 'application/PDF'), C.mediaTypeFormat, MEDIA_TYPE],
  ['media type without subtype', (c) => (attachment(c).mediaType = 'pdf'), C.mediaTypeFormat, MEDIA_TYPE],
  ['media type with parameters', (c) => (attachment(c).mediaType = 'text/plain; charset=utf-8'), C.mediaTypeFormat, MEDIA_TYPE],
  ['media type of 128 chars', (c) => (attachment(c).mediaType = `a/${'b'.repeat(126)}`), C.mediaTypeFormat, MEDIA_TYPE],
  ['unknown attachment field', (c) => (attachment(c).size = 1), C.fieldUnknown, 'content.attachments[0].size'],
  ['attachment is null', (c) => (c.content.attachments = [null]), C.fieldType, 'content.attachments[0]'],
];

describe('validateCable: one broken field, one issue', () => {
  for (const [name, change, code, path] of rows) {
    it(`${name} → ${code} at ${path || "''"}`, () => {
      const copy = sampleCopy();
      change(copy);
      assert.deepEqual(
        validateCable(copy).map((i) => [i.code, i.path]),
        [[code, path]],
      );
    });
  }
});

describe('validateCable: limits are inclusive', () => {
  const accepted: readonly (readonly [string, (c: Copy) => void])[] = [
    ['subject of 200 chars', (c) => (c.content.subject = 'x'.repeat(200))],
    ['subject of 200 astral chars (400 UTF-16 units)', (c) => (c.content.subject = '😀'.repeat(200))],
    ['body of exactly 1 MiB', (c) => (c.content.body = 'x'.repeat(MiB))],
    ['empty body', (c) => (c.content.body = '')],
    ['body with tabs, newlines and RTL text', (c) => (c.content.body = 'a\tb\n\nمرحبا\u200f\n')],
    ['500 addressees', (c) => ((c.header.to = offices(300)), (c.header.info = offices(200, 'Y')))],
    ['32 tags', (c) => (c.header.tags = offices(32, 'T'))],
    ['8 caveats', (c) => (marking(c).caveats = offices(8, 'C').sort())],
    ['empty info, tags, caveats, communities, references, attachments', (c) => {
      c.header.info = [];
      c.header.tags = [];
      marking(c).caveats = [];
      marking(c).releasableTo = [];
      c.content.references = [];
      c.content.attachments = [];
    }],
    ['attachment name of 255 chars', (c) => (attachment(c).name = 'n'.repeat(255))],
    ['attachment name with dots', (c) => (attachment(c).name = '...pdf')],
    ['an empty attachment', (c) => (attachment(c).data = new Uint8Array(0))],
    ['attachments of exactly 25 + 25 MiB', (c) => (c.content.attachments = [file('a', 25 * MiB), file('b', 25 * MiB)])],
    ['a Buffer as attachment data', (c) => (attachment(c).data = Buffer.from('hello'))],
    ['drafter who releases', (c) => (c.header.releaser = c.header.drafter)],
    ['office segments with hyphens', (c) => (c.header.to = ['MFA.CY.NEW-YORK'])],
    ['DTG on 29 February of a leap year', (c) => ((c.header.dtg = '2024-02-29T00:00:00Z'), (c.header.id = 'EEAS.DEL.WASHINGTON/2024/000123'))],
  ];
  for (const [name, change] of accepted) {
    it(name, () => {
      const copy = sampleCopy();
      change(copy);
      assert.deepEqual(validateCable(copy), []);
    });
  }
});

describe('validateCable: every problem at once', () => {
  it('reports all five problems of a cable with five', () => {
    const copy = sampleCopy();
    copy.header.to = [];
    copy.header.tags = ['PREL', 'prel'];
    marking(copy).caveats = ['ZULU', 'ALPHA'];
    copy.content.body = 'line\r\n';
    attachment(copy).name = 'a/b';
    const issues = validateCable(copy);
    assert.deepEqual(
      issues.map((i: ValidationIssue) => [i.code, i.path]),
      [
        [C.caveatsOrder, 'header.marking.caveats[1]'],
        [C.tagFormat, 'header.tags[1]'],
        [C.toEmpty, 'header.to'],
        [C.bodyFormat, 'content.body'],
        [C.attachmentNameFormat, 'content.attachments[0].name'],
      ],
    );
    assert.throws(() => assertValidCable(copy), (e: unknown) => e instanceof ValidationError && e.issues.length === 5);
  });

  it('reports every missing field of an empty object', () => {
    const issues = validateRoutingHeader({});
    assert.equal(issues.length, 10);
    assert.ok(issues.every((i) => i.code === C.fieldMissing && i.path.startsWith('header.')));
  });

  it('a non-object cable is one type issue at the root path', () => {
    for (const bad of [null, 'cable', 42, [], new Uint8Array(1)]) {
      assert.deepEqual(
        validateCable(bad).map((i) => [i.code, i.path]),
        [[C.fieldType, '']],
      );
    }
  });
});

describe('assertValid*', () => {
  it('returns a fresh value equal to a valid input', () => {
    const copy = sampleCopy();
    const cable = assertValidCable(copy);
    assert.deepStrictEqual(cable, sampleCable);
    assert.notEqual(cable, copy);
    assert.notEqual(cable.header.to, copy.header.to);
    assert.deepStrictEqual(assertValidRoutingHeader(copy.header), sampleCable.header);
    assert.deepStrictEqual(assertValidProtectedPart(copy.content), sampleCable.content);
  });

  it('throws ValidationError with code cable.invalid and every issue', () => {
    const copy = sampleCopy();
    copy.header.to = [];
    copy.header.drafter = 'X';
    assert.throws(
      () => assertValidCable(copy),
      (e: unknown) => e instanceof ValidationError && e.code === 'cable.invalid' && e.issues.length === 2,
    );
    assert.throws(() => assertValidRoutingHeader(copy.header), ValidationError);
    assert.throws(() => assertValidProtectedPart({ ...copy.content, body: 1 }), ValidationError);
  });

  it('ignores inherited fields: only own properties count', () => {
    const inherited = Object.create(sampleCable.header) as object;
    const issues = validateRoutingHeader(inherited);
    assert.equal(issues.length, 10);
    assert.ok(issues.every((i) => i.code === C.fieldMissing));
  });

  it('validates the parts on their own with header/content paths', () => {
    assert.deepEqual(
      validateProtectedPart({ ...sampleCable.content, subject: '' }).map((i) => i.path),
      ['content.subject'],
    );
    assert.deepEqual(validateRoutingHeader(sampleCable.header), []);
  });

  it('keeps the limits it documents', () => {
    assert.equal(CableLimits.bodyMaxBytes, MiB);
    assert.equal(CableLimits.attachmentsTotalMaxBytes, 50 * MiB);
  });
});
