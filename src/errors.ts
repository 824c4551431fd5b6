// One error base for all of Chancery: a closed union of stable codes, a subclass per failing operation.
// Messages never carry secrets or content; the HTTP layer maps codes to statuses in one place.

export const ErrorCodes = [
  // wire decoding
  'encoding.malformed',
  'encoding.not_canonical',
  'encoding.too_large',
  'encoding.unsupported_version',
  // the cable model
  'cable.invalid',
  // sealing
  'seal.invalid_input',
  'seal.epoch_closed',
  'seal.policy_denied',
  // opening: deliberately coarse so an oracle learns nothing
  'open.failed',
  'open.not_addressed',
  'open.share_required',
  // verification of signatures, manifests and key records
  'verify.bad_signature',
  'verify.missing_signature',
  'verify.manifest_mismatch',
  'verify.untrusted_key',
  'verify.record_invalid',
  // key transparency: a key record not on the audit log, or a view of the log too old to trust
  'verify.not_logged',
  'verify.stale_log',
  // primitives
  'crypto.invalid_key',
  'crypto.invalid_input',
  'crypto.decrypt_failed',
  'crypto.unsupported',
  // policy
  'policy.denied',
  // an action that takes two security officers, attempted by fewer (appointing an officer)
  'policy.two_officers_required',
  // the store
  'store.conflict',
  'store.not_found',
  // request authentication (RFC 9421 signatures)
  'auth.missing_signature',
  'auth.malformed_signature',
  'auth.bad_signature',
  'auth.unknown_device',
  'auth.device_not_approved',
  'auth.clock_skew',
  'auth.replay',
  'auth.digest_mismatch',
  // a node-signed request (federation) from a node that is not an active, verified peer, or on a route peers may not call
  'auth.unknown_peer',
  'auth.peer_not_allowed',
  // a browser device's request without a live passkey session, or a protected action without a fresh step-up (docs/web-auth.md)
  'auth.session_required',
  'auth.session_expired',
  'auth.step_up_required',
  // passkeys (WebAuthn): a response that does not verify, a synced (backup-eligible) passkey, a node not served under a host name
  'webauthn.failed',
  'webauthn.backup_eligible',
  'webauthn.unsupported_origin',
  // one-time enrollment codes for browser devices: wrong, used or expired; too many wrong ones for this user
  'enrollment.bad_code',
  'enrollment.locked',
  // requests
  'request.malformed',
  'request.too_large',
  'request.not_found',
  'request.forbidden',
  'request.conflict',
  'request.unsupported_media_type',
  'request.dtg_skew',
  'request.rate_limited',
  // the audit log (RFC 9162 proofs, C2SP checkpoints)
  'log.bad_proof',
  'log.inconsistent',
  'log.out_of_range',
  'log.bad_checkpoint',
  'log.bad_signature',
  'log.bad_key',
  // the node's own processes: its keeper (release and log keys) did not answer
  'node.keeper_unavailable',
  // federation: a peer did not answer, or answered with an error
  'node.peer_unavailable',
  // the detector's input: a trace line that is not issue 7's format (docs/detection.md)
  'detect.bad_trace',
  // local files (key files, node data)
  'file.bad_passphrase',
  'file.malformed',
  'file.exists',
  'file.missing',
  // cannot happen
  'internal',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

/** The base of every error Chancery throws on purpose. */
export class ChanceryError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bytes from outside did not decode into a well-formed, canonical structure. */
export class DecodeError extends ChanceryError {}

/** A cable (or part of one) failed validation; `issues` lists every problem, not just the first. */
export class ValidationError extends ChanceryError {
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[]) {
    const first = issues[0];
    super('cable.invalid', first ? `${issues.length} problem(s); first: ${first.path}: ${first.message}` : 'invalid');
    this.issues = issues;
  }
}

/** One validation problem: a stable code and the path of the field it concerns. */
export interface ValidationIssue {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

/** Sealing a cable was refused (bad input, a closed epoch, a policy denial). */
export class SealError extends ChanceryError {}

/** Opening a cable failed. Says as little as possible about why. */
export class OpenError extends ChanceryError {}

/** A signature, manifest or key record did not verify. */
export class VerificationError extends ChanceryError {}

/** A primitive refused its input (wrong key length, failed authentication). */
export class CryptoError extends ChanceryError {}

/** Policy denied an action. */
export class PolicyError extends ChanceryError {}

/** The store refused a write (a conflict) or lacks a row. */
export class StoreError extends ChanceryError {}

/** A request's signature, device or freshness did not check out. */
export class AuthError extends ChanceryError {}

/** A passkey ceremony or an enrollment code was refused (docs/web-auth.md). */
export class WebAuthError extends ChanceryError {}

/** A request was malformed, too large, not allowed, or in conflict with stored state. */
export class RequestError extends ChanceryError {}

/**
 * A process the node relies on did not answer in time: its keeper, which holds the release and log keys apart from
 * the web-facing code (docs/node.md "Deployment"). Nothing was handed out; the caller may retry.
 */
export class UnavailableError extends ChanceryError {}

/** A local file (key file, node data) could not be used. */
export class FileError extends ChanceryError {}

/**
 * The audit log refused something: a proof that does not verify (`log.bad_proof`), two tree heads a consistency
 * proof does not reconcile (`log.inconsistent`), a proof asked for beyond the tree (`log.out_of_range`), a
 * malformed checkpoint (`log.bad_checkpoint`) or one whose signatures are missing or wrong (`log.bad_signature`),
 * a malformed note key (`log.bad_key`).
 */
export class LogError extends ChanceryError {}

/** A trace or labels line the detector cannot take (`detect.bad_trace`): the message names the line number. */
export class DetectError extends ChanceryError {}

/** A broken invariant: reaching this is a bug, never a user's fault. */
export class InternalError extends ChanceryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('internal', message, options);
  }
}
