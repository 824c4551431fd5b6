// The cable model: a routing header in clear (so nodes can route, enforce policy and detect) and a protected part
// that only ever travels inside the ciphertext. DESIGN.md "Words" and "The envelope" step 1.

/** Order of delivery and attention, highest first. */
export const Precedences = ['FLASH', 'IMMEDIATE', 'PRIORITY', 'ROUTINE'] as const;
export type Precedence = (typeof Precedences)[number];

/** Classification levels, lowest first: the index is the rank used for dominance. */
export const Classifications = ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET'] as const;
export type Classification = (typeof Classifications)[number];

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** `ORIGINATOR.OFFICE/YYYY/NNNNNN`, e.g. `EEAS.DEL.WASHINGTON/2026/000123`. */
export type CableId = Brand<string, 'CableId'>;
/** A dotted office code, e.g. `MFA.CY.AMERICAS`. */
export type OfficeCode = Brand<string, 'OfficeCode'>;
/** A node's name, e.g. `EEAS`, `MFA.CY`. */
export type NodeName = Brand<string, 'NodeName'>;
/** A user's stable id at its node, e.g. `u-0042` or `anna.schmidt`. */
export type UserId = Brand<string, 'UserId'>;
/** A device's id, e.g. `d-0042-1`. */
export type DeviceId = Brand<string, 'DeviceId'>;

/**
 * Classification with its handling restrictions.
 * - `caveats`: special-access compartments; a reader must hold every one (e.g. `CRYPTO`).
 * - `releasableTo`: communities (nationalities as ISO 3166 alpha-2, organisations such as `EU`, `NATO`) the cable
 *   may be released to; empty means no releasability restriction. `['EU']` renders as `EU ONLY`.
 */
export interface Marking {
  readonly classification: Classification;
  readonly caveats: readonly string[];
  readonly releasableTo: readonly string[];
}

/** The routing header: in clear, authenticated as the associated data of the content and by both signatures. */
export interface RoutingHeader {
  readonly id: CableId;
  /** Date-time group as ISO 8601 UTC with seconds, e.g. `2026-11-26T14:30:00Z`. */
  readonly dtg: string;
  readonly precedence: Precedence;
  readonly marking: Marking;
  readonly from: OfficeCode;
  /** Action addressees. At least one. */
  readonly to: readonly OfficeCode[];
  /** Information addressees. */
  readonly info: readonly OfficeCode[];
  /** Routing tags (subject codes like `PREL`, country codes like `US`): metadata on purpose. */
  readonly tags: readonly string[];
  readonly drafter: UserId;
  readonly releaser: UserId;
}

/** A file carried inside the ciphertext. */
export interface Attachment {
  readonly name: string;
  readonly mediaType: string;
  readonly data: Uint8Array;
}

/** The protected part: subject, references, body and attachments never leave a client in clear. */
export interface ProtectedPart {
  readonly subject: string;
  readonly references: readonly CableId[];
  /** Plain text; paragraphs separated by a blank line and numbered when rendered. */
  readonly body: string;
  readonly attachments: readonly Attachment[];
}

/** A whole cable as a client holds it before sealing or after opening. */
export interface Cable {
  readonly header: RoutingHeader;
  readonly content: ProtectedPart;
}
