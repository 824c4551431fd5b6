// Request nonces (RFC 9421 signatures, docs/node.md): remembered until they expire, so a replay inside the
// freshness window is caught, and forgotten after, so the table stays as small as the window.
import type { Sql } from './sql.ts';
import { intArg } from './columns.ts';

/**
 * Records (keyId, nonce) until `expiresAt`; false if it is still remembered — a replay. Expired rows go first, on
 * every call: the index on expires_at makes that a short range delete, and no background sweeper is needed.
 */
export function rememberNonce(sql: Sql, keyId: string, nonce: string, expiresAt: number, now: number): boolean {
  if (typeof keyId !== 'string' || typeof nonce !== 'string') throw new TypeError('store: key id and nonce must be strings');
  sql.run('DELETE FROM nonces WHERE expires_at <= ?', intArg(now, 'now'));
  const result = sql.run(
    'INSERT INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT (key_id, nonce) DO NOTHING',
    keyId,
    nonce,
    intArg(expiresAt, 'expiresAt'),
  );
  return result.changes === 1;
}
