// Domain-separation labels of every key record Chancery signs or seals, in one place so no two purposes share one.
// A signed message is `utf8(label) ‖ 0x00 ‖ canonical CBOR of the record body` (docs/keys.md "Signed bytes").
import { concatBytes, utf8 } from '../bytes.ts';
import { encodeCanonical, type CborValue } from '../encoding/canonical-cbor.ts';

/**
 * The labels. Each is ASCII without NUL, so the 0x00 separator ends it unambiguously. The version in the label
 * changes only with an incompatible change of the signed bytes; records also carry their own `v` field.
 *
 * @example
 * ```ts
 * Labels.nodeCertificate; // 'chancery/v1 node-certificate'
 * ```
 */
export const Labels = {
  organisationRoot: 'chancery/v1 organisation-root',
  nodeCertificate: 'chancery/v1 node-certificate',
  officerCertificate: 'chancery/v1 officer-certificate',
  /** An officer's endorsement of another officer's appointment (two are needed, besides the root's signature). */
  officerEndorsement: 'chancery/v1 officer-endorsement',
  deviceRecord: 'chancery/v1 device-record',
  officeEpoch: 'chancery/v1 office-epoch',
  epochClosure: 'chancery/v1 epoch-closure',
  deviceRevocation: 'chancery/v1 device-revocation',
  /** Our organisation root's word that a peer node is part of the network, under the peer's own root. */
  peerCertificate: 'chancery/v1 peer-certificate',
  /** Our organisation root's word that a build of the web app (its manifest of file hashes) may run in browsers. */
  webRelease: 'chancery/v1 web-release',
  /** A receiving node's signed acknowledgement that it stored a cable for its offices. */
  deliveryReceipt: 'chancery/v1 delivery-receipt',
  /** The issuers' signatures over a key grant record. */
  keyGrant: 'chancery/v1 key-grant-record',
  /** The HPKE `info` of a key grant's sealed epoch secret (not a signature label). */
  keyGrantInfo: 'chancery/v1 key-grant',
} as const;

export type Label = (typeof Labels)[keyof typeof Labels];

const SEPARATOR = Uint8Array.of(0x00);

/**
 * The exact bytes a record's signatures cover: `utf8(label) ‖ 0x00 ‖ encodeCanonical(body)`.
 *
 * @example
 * ```ts
 * const message = labelledMessage(Labels.officeEpoch, { v: 1, office: 'MFA.CY.AMERICAS' });
 * ```
 */
export function labelledMessage(label: Label, body: CborValue): Uint8Array {
  return concatBytes(utf8(label), SEPARATOR, encodeCanonical(body));
}
