// fast-check generators of valid cables and their parts, for the cable module's property tests and for any other
// module's tests that need realistic routing headers or contents. Every value is built through the cable module's
// own parsers (no casts to branded types) and passes validateCable; the generators mix real-looking codes with
// random ones across the whole grammar, including non-ASCII text and astral code points.
import fc from 'fast-check';
import { Classifications, Precedences } from '../../src/cable/types.ts';
import type { Attachment, Cable, CableId, Marking, OfficeCode, ProtectedPart, RoutingHeader, UserId } from '../../src/cable/types.ts';
import { formatCableId, parseOfficeCode, parseUserId } from '../../src/cable/ids.ts';
import { dtgFromDate, parseDtg } from '../../src/cable/dtg.ts';

/** Plain objects only: decoded values have Object.prototype, and deepStrictEqual compares prototypes. */
const PLAIN = { noNullPrototype: true } as const;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const DIGITS = '0123456789'.split('');
const upper = fc.constantFrom(...UPPER);
const upperOrDigit = fc.constantFrom(...UPPER, ...DIGITS);
const lowerOrDigit = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));

/** A string of `first` followed by `minRest`–`maxRest` units of `rest`. */
function word(first: fc.Arbitrary<string>, rest: fc.Arbitrary<string>, minRest: number, maxRest: number): fc.Arbitrary<string> {
  return fc.tuple(first, fc.string({ unit: rest, minLength: minRest, maxLength: maxRest })).map(([a, b]) => a + b);
}

/** Office codes: real-looking ones and random ones (1–4 segments, later segments may hold `-`). */
export const arbOfficeCode: fc.Arbitrary<OfficeCode> = fc
  .oneof(
    fc.constantFrom('EEAS.DEL.WASHINGTON', 'EEAS.HQ.AMERICAS', 'MFA.CY.AMERICAS', 'MFA.DE.USA', 'EEAS.DEL.OTTAWA', 'MFA.CY'),
    fc
      .tuple(
        word(upper, upperOrDigit, 0, 9),
        fc.array(word(upper, fc.constantFrom(...UPPER, ...DIGITS, '-'), 0, 9), { maxLength: 3 }),
      )
      .map(([first, more]) => [first, ...more].join('.')),
  )
  .map((code) => parseOfficeCode(code));

/** User ids: `anna.schmidt`, `u-0042` and random ones. */
export const arbUserId: fc.Arbitrary<UserId> = fc
  .oneof(
    fc.constantFrom('anna.schmidt', 'u-0042', 'jan_novak', 'c.papadopoulou'),
    word(lowerOrDigit, fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._-'.split('')), 0, 20),
  )
  .map((id) => parseUserId(id));

const YEAR_1_START = new Date('0001-01-01T00:00:00Z').getTime();
const YEAR_9999_END = Date.UTC(9999, 11, 31, 23, 59, 59);

/** DTGs: mostly around the present, sometimes anywhere in years 0001–9999. */
export const arbDtg: fc.Arbitrary<string> = fc
  .oneof(
    { arbitrary: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), weight: 4 },
    { arbitrary: fc.integer({ min: YEAR_1_START, max: YEAR_9999_END }), weight: 1 },
  )
  .map((ms) => dtgFromDate(new Date(ms)));

const arbSerial = fc.integer({ min: 1, max: 999_999 });

/** Cable ids of any office and year (for references). */
export const arbCableId: fc.Arbitrary<CableId> = fc
  .tuple(arbOfficeCode, fc.integer({ min: 1, max: 9999 }), arbSerial)
  .map(([office, year, serial]) => formatCableId(office, year, serial));

const arbCaveat = fc.oneof(
  fc.constantFrom('CRYPTO', 'ATOMAL', 'EYES ONLY', 'SIGINT'),
  fc
    .tuple(word(upper, upperOrDigit, 1, 10), fc.option(fc.string({ unit: upperOrDigit, minLength: 1, maxLength: 10 })))
    .map(([a, b]) => (b === null ? a : `${a} ${b}`)),
);
const arbCommunity = fc.oneof(fc.constantFrom('EU', 'NATO', 'CY', 'DE', 'US', 'FR'), fc.string({ unit: upper, minLength: 2, maxLength: 8 }));
const arbTag = fc.oneof(fc.constantFrom('PREL', 'PGOV', 'ECON', 'ETRD', 'US', 'CY'), word(upper, upperOrDigit, 1, 7));

/** Markings: caveats and communities are strictly ascending sets, as the model requires. */
export const arbMarking: fc.Arbitrary<Marking> = fc.record({
  classification: fc.constantFrom(...Classifications),
  caveats: fc.uniqueArray(arbCaveat, { maxLength: 8 }).map((list) => [...list].sort()),
  releasableTo: fc.uniqueArray(arbCommunity, { maxLength: 6 }).map((list) => [...list].sort()),
}, PLAIN);

/** From, to and info: distinct offices, at least one action addressee, the originator never addressed. */
const arbAddressees = fc
  .tuple(fc.uniqueArray(arbOfficeCode, { minLength: 2, maxLength: 12 }), fc.nat())
  .map(([offices, split]) => {
    const [from, ...rest] = offices as [OfficeCode, ...OfficeCode[]];
    const toCount = 1 + (split % rest.length);
    return { from, to: rest.slice(0, toCount), info: rest.slice(toCount) };
  });

/** Valid routing headers; the id's office is `from` and its year the DTG's. */
export const arbRoutingHeader: fc.Arbitrary<RoutingHeader> = fc
  .record({
    addressees: arbAddressees,
    dtg: arbDtg,
    serial: arbSerial,
    precedence: fc.constantFrom(...Precedences),
    marking: arbMarking,
    tags: fc.uniqueArray(arbTag, { maxLength: 8 }),
    drafter: arbUserId,
    releaser: arbUserId,
  }, PLAIN)
  .map(({ addressees, dtg, serial, ...rest }) => ({
    id: formatCableId(addressees.from, parseDtg(dtg).year, serial),
    dtg,
    precedence: rest.precedence,
    marking: rest.marking,
    ...addressees,
    tags: rest.tags,
    drafter: rest.drafter,
    releaser: rest.releaser,
  }));

/** Characters for free text: printable ASCII, Latin, Greek, Cyrillic, Arabic, CJK, emoji (surrogate pairs). */
const arbTextChar = fc.oneof(
  { arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), weight: 8 },
  { arbitrary: fc.constantFrom('é', 'ß', 'Ω', 'Ж', 'ش', '中', '\u00a0', '\u200e', '😀', '🇪🇺', '𝕏'), weight: 2 },
);
const oneLine = (maxChars: number): fc.Arbitrary<string> =>
  fc
    .array(arbTextChar, { minLength: 1, maxLength: maxChars })
    .map((chars) => chars.join('').trim())
    .filter((s) => s.length > 0);

/** Bodies: lines of text and tabs, with blank lines between paragraphs; sometimes empty. */
const arbBody = fc
  .array(fc.array(fc.oneof({ arbitrary: arbTextChar, weight: 9 }, { arbitrary: fc.constant('\t'), weight: 1 }), { maxLength: 60 }), {
    maxLength: 8,
  })
  .map((lines) => lines.map((chars) => chars.join('')).join('\n'));

const arbMediaType = fc.oneof(
  fc.constantFrom('application/pdf', 'text/plain', 'image/png', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
  fc
    .tuple(word(lowerOrDigit, lowerOrDigit, 0, 10), word(lowerOrDigit, fc.constantFrom(...'abcxyz019.+-_'.split('')), 0, 20))
    .map(([type, subtype]) => `${type}/${subtype}`),
);

const arbAttachmentName = oneLine(40)
  .map((name) => name.replace(/[/\\]/g, '_'))
  .filter((name) => name !== '.' && name !== '..');

export const arbAttachment: fc.Arbitrary<Attachment> = fc.record({
  name: arbAttachmentName,
  mediaType: arbMediaType,
  data: fc.uint8Array({ maxLength: 64 }),
}, PLAIN);

/** Valid protected parts (attachments kept small so properties run fast). */
export const arbProtectedPart: fc.Arbitrary<ProtectedPart> = fc.record({
  subject: oneLine(80),
  references: fc.uniqueArray(arbCableId, { maxLength: 5 }),
  body: arbBody,
  attachments: fc.uniqueArray(arbAttachment, { maxLength: 3, selector: (a) => a.name }),
}, PLAIN);

/** Valid cables: a header and a content that does not cite the cable itself. */
export const arbCable: fc.Arbitrary<Cable> = fc.tuple(arbRoutingHeader, arbProtectedPart).map(([header, content]) => ({
  header,
  content: { ...content, references: content.references.filter((ref) => ref !== header.id) },
}));
