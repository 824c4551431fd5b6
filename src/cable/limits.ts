// Every size and shape limit of the cable model in one place, so validation, the codec's size caps, the docs
// (docs/cable.md) and other implementations all read the same numbers. Limits exist so that a node or client can
// bound the memory and time it spends on attacker-supplied cables before it has checked a single signature.

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Counts and sizes. "chars" are Unicode code points (not UTF-16 units), so a limit means the same thing in every
 * language; "bytes" are UTF-8 bytes for text and raw bytes for attachment data.
 *
 * @example
 * if (cable.content.references.length > CableLimits.referencesMax) refuse();
 */
export const CableLimits = {
  /** Subject: non-empty, one line. */
  subjectMaxChars: 200,
  /** References to earlier cables, each a CableId. */
  referencesMax: 32,
  /** Body text in UTF-8 bytes. Long reports travel as attachments. */
  bodyMaxBytes: 1 * MiB,
  attachmentsMax: 20,
  attachmentMaxBytes: 25 * MiB,
  /** All attachments of one cable together. */
  attachmentsTotalMaxBytes: 50 * MiB,
  attachmentNameMaxChars: 255,
  /** `type/subtype`, both parts included. */
  mediaTypeMaxChars: 127,
  /** Action addressees: at least one. */
  toMin: 1,
  /** Action plus information addressees: a wrap per office is paid at sealing, so this bounds sealing cost. */
  addresseesMax: 500,
  tagsMax: 32,
  caveatsMax: 8,
  releasableToMax: 32,
  officeCodeMaxChars: 64,
  nodeNameMaxChars: 32,
  userIdMaxChars: 64,
  deviceIdMaxChars: 64,
  /** Cable serials are six digits, 000001–999999, per originating office per year. */
  serialMin: 1,
  serialMax: 999_999,
  /** DTG and cable-id years: four digits, proleptic Gregorian calendar. */
  yearMin: 1,
  yearMax: 9999,
  /**
   * Cap on an encoded routing header handed to the decoder. The largest valid header (501 offices of 64 chars,
   * every list full) encodes to about 34 KB; test/cable/codec.test.ts checks that it fits.
   */
  encodedRoutingHeaderMaxBytes: 64 * KiB,
  /**
   * Cap on an encoded protected part: the body and attachment limits plus 64 KiB for subject, references,
   * names, media types and CBOR framing (about 27 KB of it can be used; checked by the codec tests).
   */
  encodedProtectedPartMaxBytes: 1 * MiB + 50 * MiB + 64 * KiB,
} as const;

/**
 * The grammars of identifiers and codes. Lengths are checked separately against `CableLimits`, so these patterns
 * stay readable.
 */
export const CablePatterns = {
  /** Dotted upper-case segments: `EEAS.DEL.WASHINGTON`, `MFA.CY.AMERICAS`. Also the grammar of node names. */
  officeCode: /^[A-Z][A-Z0-9]*(?:\.[A-Z][A-Z0-9-]*)*$/,
  /** Lower-case: `anna.schmidt`, `u-0042`. Also the grammar of device ids (`d-0042-1`). */
  userId: /^[a-z0-9][a-z0-9._-]{0,63}$/,
  /** Subject codes and country codes, 2–8 chars: `PREL`, `PGOV`, `ECON`, `US`, `CY`. */
  tag: /^[A-Z][A-Z0-9]{1,7}$/,
  /**
   * Handling caveats (compartments), 2–32 chars, single spaces allowed inside: `CRYPTO`, `EYES ONLY`. No trailing
   * or doubled space, so `EYES  ONLY` cannot pass for a second spelling of `EYES ONLY` in a policy check.
   */
  caveat: /^(?=.{2,32}$)[A-Z][A-Z0-9]*(?: [A-Z0-9]+)*$/,
  /** Releasability communities: ISO 3166 alpha-2 or organisation codes, `EU`, `NATO`, `CY`. */
  community: /^[A-Z]{2,8}$/,
  /**
   * RFC 6838 §4.2 restricted names, lower case only (media types are case-insensitive, so one spelling is chosen
   * for one encoding), without parameters: `application/pdf`, `text/plain`.
   */
  mediaType: /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/,
  /** `YYYY-MM-DDTHH:MM:SSZ`: ISO 8601 UTC with seconds, nothing more or less. */
  dtg: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/,
} as const;
