// The stable codes of cable validation issues (ValidationIssue.code). Clients map them to messages and tests match
// them; a code never changes meaning once published, new problems get new codes. Listed in docs/cable.md.

/**
 * Validation issue codes, grouped by the field they concern.
 *
 * @example
 * const issues = validateCable(input);
 * if (issues.some((i) => i.code === IssueCodes.toEmpty)) askForAnAddressee();
 */
export const IssueCodes = {
  // Shape of unknown input: checked field by field, never cast.
  /** A required field is absent (every field of the model is required). */
  fieldMissing: 'cable.field.missing',
  /** A field has the wrong type (a number where a string belongs, an object where an array belongs...). */
  fieldType: 'cable.field.type',
  /** A field the model does not know: refused, so nothing unvalidated rides along. */
  fieldUnknown: 'cable.field.unknown',

  // Identifiers.
  /** Not `OFFICE/YYYY/NNNNNN` with a valid office, a year 0001–9999 and a serial 000001–999999. */
  idFormat: 'cable.id.format',
  /** The office part of the cable id is not the `from` office. */
  idOfficeMismatch: 'cable.id.office_mismatch',
  /** The year part of the cable id is not the DTG's year. */
  idYearMismatch: 'cable.id.year_mismatch',
  /** An office code (from, to, info) breaks the grammar or is longer than 64 chars. */
  officeFormat: 'cable.office.format',
  /** A node name breaks the office grammar or is longer than 32 chars. */
  nodeFormat: 'cable.node.format',
  /** A user id (drafter, releaser) breaks the grammar. */
  userFormat: 'cable.user.format',
  /** A device id breaks the grammar. */
  deviceFormat: 'cable.device.format',

  // Date-time group.
  /** Not exactly `YYYY-MM-DDTHH:MM:SSZ` (or, when parsing legacy text, not `DDHHMMZ MON YY`). */
  dtgFormat: 'cable.dtg.format',
  /** Well-formed but not a real instant: 30 February, hour 24, second 60, year 0000. */
  dtgRange: 'cable.dtg.range',

  // Precedence and marking.
  precedenceUnknown: 'cable.precedence.unknown',
  classificationUnknown: 'cable.classification.unknown',
  caveatFormat: 'cable.caveat.format',
  caveatsTooMany: 'cable.caveats.too_many',
  /** Caveats must be strictly ascending (sorted, no duplicates): a set has one encoding. */
  caveatsOrder: 'cable.caveats.order',
  releasableToFormat: 'cable.releasable_to.format',
  releasableToTooMany: 'cable.releasable_to.too_many',
  /** Releasability communities must be strictly ascending (sorted, no duplicates). */
  releasableToOrder: 'cable.releasable_to.order',

  // Addressees.
  toEmpty: 'cable.to.empty',
  /** More than 500 offices in to and info together. */
  addresseesTooMany: 'cable.addressees.too_many',
  /** An office appears twice across to and info. */
  addresseeDuplicate: 'cable.addressee.duplicate',
  /** The originating office is also addressed: it always reads what it sent, so it is never listed. */
  addresseeIsOriginator: 'cable.addressee.is_originator',

  // Tags.
  tagFormat: 'cable.tag.format',
  tagsTooMany: 'cable.tags.too_many',
  /** Tags keep the drafter's order, but each appears once. */
  tagDuplicate: 'cable.tag.duplicate',

  // Protected part.
  subjectEmpty: 'cable.subject.empty',
  subjectTooLong: 'cable.subject.too_long',
  /** A control, line break or bidi control, or leading/trailing white space. */
  subjectFormat: 'cable.subject.format',
  referencesTooMany: 'cable.references.too_many',
  referenceFormat: 'cable.reference.format',
  referenceDuplicate: 'cable.reference.duplicate',
  /** A cable cites its own id. */
  referenceSelf: 'cable.reference.self',
  bodyTooLarge: 'cable.body.too_large',
  /** A control other than tab and newline (carriage return included) or an unpaired surrogate. */
  bodyFormat: 'cable.body.format',
  attachmentsTooMany: 'cable.attachments.too_many',
  /** All attachments together exceed 50 MiB. */
  attachmentsTooLarge: 'cable.attachments.too_large',
  /** One attachment exceeds 25 MiB. */
  attachmentTooLarge: 'cable.attachment.too_large',
  /** Empty, `.` or `..`, a path separator, a control or bidi control, or leading/trailing white space. */
  attachmentNameFormat: 'cable.attachment.name_format',
  attachmentNameTooLong: 'cable.attachment.name_too_long',
  /** Two attachments with the same name: saving both would overwrite one. */
  attachmentNameDuplicate: 'cable.attachment.name_duplicate',
  mediaTypeFormat: 'cable.attachment.media_type',
} as const;

/** One of the codes in `IssueCodes`. */
export type IssueCode = (typeof IssueCodes)[keyof typeof IssueCodes];
