// The one place error codes become HTTP statuses (STYLE.md: errors thrown as typed codes, mapped in one place).
import type { ErrorCode } from '../errors.ts';

/** Status for every code a request can end in; anything unmapped is a 500 (a bug, logged). */
export function httpStatusOf(code: ErrorCode): number {
  if (code === 'auth.peer_not_allowed') return 403;
  if (code.startsWith('auth.')) return 401;
  if (code.startsWith('webauthn.')) return 400;
  if (code.startsWith('encoding.') || code === 'cable.invalid' || code === 'request.malformed') return code === 'encoding.too_large' ? 413 : 400;
  switch (code) {
    case 'request.too_large':
      return 413;
    case 'request.unsupported_media_type':
      return 415;
    case 'request.not_found':
    case 'store.not_found':
    case 'open.not_addressed':
    case 'log.out_of_range':
      return 404;
    case 'request.forbidden':
    case 'enrollment.bad_code':
    case 'policy.denied':
    case 'policy.two_officers_required':
    case 'seal.policy_denied':
      return 403;
    case 'request.conflict':
    case 'store.conflict':
    case 'seal.epoch_closed':
      return 409;
    case 'request.rate_limited':
    case 'enrollment.locked':
      return 429;
    case 'node.keeper_unavailable':
    case 'node.peer_unavailable':
      return 503;
    case 'request.dtg_skew':
    case 'seal.invalid_input':
    case 'verify.bad_signature':
    case 'verify.missing_signature':
    case 'verify.manifest_mismatch':
    case 'verify.untrusted_key':
    case 'verify.record_invalid':
    case 'verify.not_logged':
    case 'verify.stale_log':
    case 'crypto.invalid_key':
    case 'crypto.invalid_input':
    case 'log.bad_proof': // proofs, checkpoints and note keys a client sent that do not check out
    case 'log.inconsistent':
    case 'log.bad_checkpoint':
    case 'log.bad_signature':
    case 'log.bad_key':
      return 422;
    default:
      return 500;
  }
}
