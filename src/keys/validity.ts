// Times in key records and the validity windows of certificates. Times are Unix milliseconds (what `Date.now()`
// and the node's clock give): non-negative safe integers, encoded as CBOR unsigned integers.
import { VerificationError } from '../errors.ts';

/** Milliseconds since 1970-01-01T00:00:00Z. */
export type UnixMillis = number;

/** A validity window, both ends inclusive. */
export interface ValidityWindow {
  readonly validFrom: UnixMillis;
  readonly validUntil: UnixMillis;
}

/**
 * Refuses a certificate whose window is empty (`verify.record_invalid`) or does not contain `at`
 * (`verify.untrusted_key`: expired or not yet valid).
 */
export function checkValidAt(what: string, window: ValidityWindow, at: UnixMillis): void {
  if (!Number.isSafeInteger(at) || at < 0) throw new RangeError('at must be a non-negative integer of milliseconds');
  if (window.validFrom > window.validUntil) throw new VerificationError('verify.record_invalid', `${what}: validity window is empty`);
  if (at < window.validFrom) throw new VerificationError('verify.untrusted_key', `${what}: not yet valid`);
  if (at > window.validUntil) throw new VerificationError('verify.untrusted_key', `${what}: expired`);
}
