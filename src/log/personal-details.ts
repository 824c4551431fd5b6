// Personal details of an event (network address, user agent) kept beside its leaf, not in it (DESIGN.md "The audit
// log"): the leaf holds only a salted commitment, so the details and the salt can be erased (data protection, a
// retention period) without changing a leaf hash, and a leaf alone reveals nothing about them.
import { concatBytes, equalBytes, utf8, wipe } from '../bytes.ts';
import { encodeCanonical } from '../encoding/canonical-cbor.ts';
import { decodeVersioned, Fields, type CborMap } from '../encoding/fields.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { DecodeError } from '../errors.ts';

/**
 * What may be known of where an event came from. At least one field is present: an event without details carries
 * no commitment at all, so "no details" has one representation.
 * - `ip`: IPv4 dotted decimal (no leading zeros) or IPv6 text in lower case (no zone), as the node saw the peer.
 * - `userAgent`: the User-Agent header, 1–512 characters without control characters.
 */
export interface PersonalDetails {
  readonly ip?: string;
  readonly userAgent?: string;
}

/**
 * Domain separation: a commitment is `SHA-256(label ‖ 0x00 ‖ salt ‖ canonical CBOR of the details)`, so it can
 * never equal a hash made for another purpose. The salt is 32 random bytes: an address space is small enough to
 * enumerate, and only a secret salt keeps a leaf from confirming a guessed address.
 */
export const DETAILS_LABEL = 'chancery/v1 log-personal-details';
export const DETAILS_SALT_LENGTH = 32;
export const DETAILS_COMMITMENT_LENGTH = 32;
const USER_AGENT_MAX_CHARS = 512;
/** A full user agent and an IPv6 address with framing fit easily. */
export const MAX_DETAILS_BYTES = 2048;

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_GROUP = /^[0-9a-f]{1,4}$/;

/**
 * Whether `text` is an IPv4 or IPv6 address in the form `PersonalDetails.ip` takes.
 *
 * @example
 * ```ts
 * isNetworkAddress('10.20.1.7'); // true
 * isNetworkAddress('2001:db8::1'); // true
 * ```
 */
export function isNetworkAddress(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (text.length > 45 || !/^[0-9a-f:.]+$/.test(text)) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  let count = groups.length;
  // An embedded IPv4 address (`::ffff:10.0.0.1`) is the last group and counts as two.
  if (groups.at(-1)?.includes('.') === true) {
    if (!IPV4.test(groups.pop() ?? '')) return false;
    count += 1;
  }
  if (!groups.every((g) => IPV6_GROUP.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}

function parseIp(value: string): string {
  if (!isNetworkAddress(value)) throw new RangeError('not a network address');
  return value;
}

function fromFields(f: Fields): PersonalDetails {
  if (!f.has('ip') && !f.has('userAgent')) throw new DecodeError('encoding.malformed', 'personal-details: empty');
  return {
    ...(f.has('ip') ? { ip: f.id('ip', parseIp) } : {}),
    ...(f.has('userAgent') ? { userAgent: f.text('userAgent', USER_AGENT_MAX_CHARS) } : {}),
  };
}

function toMap(details: PersonalDetails): CborMap {
  if (typeof details !== 'object' || details === null) throw new TypeError('personal details must be an object');
  const map: CborMap = {
    v: 1,
    ...(details.ip === undefined ? {} : { ip: details.ip }),
    ...(details.userAgent === undefined ? {} : { userAgent: details.userAgent }),
  };
  try {
    fromFields(Fields.of('personal-details', map, ['v'], ['ip', 'userAgent']));
  } catch (cause) {
    if (cause instanceof DecodeError) throw new RangeError(cause.message, { cause });
    throw cause;
  }
  return map;
}

/**
 * The canonical encoding of details, as the store keeps them beside the leaf (with the salt). Throws RangeError
 * for details that would not decode.
 *
 * @example
 * ```ts
 * const stored = encodePersonalDetails({ ip: '10.20.1.7' });
 * ```
 */
export function encodePersonalDetails(details: PersonalDetails): Uint8Array {
  return encodeCanonical(toMap(details));
}

/** Decodes stored details strictly (DecodeError, as `decodeLogEntry`). */
export function decodePersonalDetails(bytes: Uint8Array): PersonalDetails {
  return fromFields(decodeVersioned(bytes, MAX_DETAILS_BYTES, 'personal-details', 1, ['v'], ['ip', 'userAgent']));
}

function commitment(p: CryptoProvider, salt: Uint8Array, encoded: Uint8Array): Uint8Array {
  const preimage = concatBytes(utf8(DETAILS_LABEL), Uint8Array.of(0x00), salt, encoded);
  const digest = p.sha256(preimage);
  wipe(preimage); // it holds the salt, which is what keeps the commitment from being brute-forced
  return digest;
}

/**
 * Commits to details with a fresh 32-byte salt. The commitment goes in the leaf (`details`); the salt and
 * `encodePersonalDetails(details)` go beside it. Erasing those two leaves the commitment opaque for good.
 *
 * @example
 * ```ts
 * const { commitment, salt } = commitDetails(p, { ip: '10.20.1.7', userAgent: 'Mozilla/5.0' });
 * const entry = { kind: 'login', at, node, user, device, details: commitment };
 * ```
 */
export function commitDetails(p: CryptoProvider, details: PersonalDetails): { readonly commitment: Uint8Array; readonly salt: Uint8Array } {
  const encoded = encodePersonalDetails(details);
  const salt = p.randomBytes(DETAILS_SALT_LENGTH);
  return { commitment: commitment(p, salt, encoded), salt };
}

/**
 * Whether `details` and `salt` open `commitment`. False (never a throw) for anything that does not: wrong details,
 * wrong salt, wrong lengths, details that do not encode.
 *
 * @example
 * ```ts
 * if (!checkDetails(p, entry.details, row.salt, decodePersonalDetails(row.details))) refuse();
 * ```
 */
export function checkDetails(p: CryptoProvider, commitmentBytes: Uint8Array, salt: Uint8Array, details: PersonalDetails): boolean {
  if (!(commitmentBytes instanceof Uint8Array) || commitmentBytes.length !== DETAILS_COMMITMENT_LENGTH) return false;
  if (!(salt instanceof Uint8Array) || salt.length !== DETAILS_SALT_LENGTH) return false;
  let encoded: Uint8Array;
  try {
    encoded = encodePersonalDetails(details);
  } catch {
    return false;
  }
  return equalBytes(commitment(p, salt, encoded), commitmentBytes);
}
