// Enrollment codes for browser devices (docs/web-auth.md): a security officer — or the user, from an approved device
// — asks the node for a one-time code the person types into the web app's enrollment screen within 24 hours.
import { parseUserId } from '../cable/ids.ts';
import type { UserId } from '../cable/types.ts';
import { RequestError } from '../errors.ts';
import type { Session } from './session.ts';
import { fieldsOf } from './wire.ts';

export interface EnrollmentCode {
  readonly user: UserId;
  /** 16 Crockford base32 characters in four groups: a bearer secret until used. */
  readonly code: string;
  /** Unix ms. */
  readonly expiresAt: number;
}

/**
 * Issues a one-time enrollment code for `user`.
 *
 * @example
 * ```ts
 * const { code, expiresAt } = await issueEnrollmentCode(session, 'anna.schmidt' as UserId);
 * ```
 */
export async function issueEnrollmentCode(s: Session, user: UserId): Promise<EnrollmentCode> {
  const f = fieldsOf('enrollment code', await s.http.post('/api/v1/enrollment-codes', { user }), ['user', 'code', 'expiresAt']);
  const answered = f.id('user', parseUserId);
  if (answered !== user) throw new RequestError('request.malformed', 'the node answered with a code for another user');
  const code = f.token('code', 19);
  if (!/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/.test(code)) throw new RequestError('request.malformed', 'the node answered with a malformed code');
  return { user, code, expiresAt: f.uint('expiresAt') };
}
