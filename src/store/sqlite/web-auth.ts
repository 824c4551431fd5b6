// Passkey rows (src/store/web-auth.ts) in SQLite.
import { isDeviceId, isUserId } from '../../cable/ids.ts';
import type { EnrollmentCodeRow, WebAuthStoreTx, WebCredentialRow, WebSessionRow } from '../web-auth.ts';
import type { Row, Sql } from './sql.ts';
import { blob, branded, bytesArg, corrupt, int, intArg, optBranded, optInt, text } from './columns.ts';

function transports(row: Row): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(row, 'transports'));
  } catch {
    throw corrupt('transports');
  }
  if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) throw corrupt('transports');
  return parsed;
}

function credential(row: Row): WebCredentialRow {
  return {
    id: text(row, 'credential_id'),
    user: branded(row, 'user', isUserId),
    device: branded(row, 'device', isDeviceId),
    publicKey: blob(row, 'public_key'),
    signCount: int(row, 'sign_count'),
    transports: transports(row),
    createdAt: int(row, 'created_at'),
    lastUsedAt: optInt(row, 'last_used_at'),
  };
}

function code(row: Row): EnrollmentCodeRow {
  return {
    codeHash: blob(row, 'code_hash'),
    user: branded(row, 'user', isUserId),
    issuedBy: branded(row, 'issued_by', isUserId),
    issuedAt: int(row, 'issued_at'),
    expiresAt: int(row, 'expires_at'),
    usedAt: optInt(row, 'used_at'),
    usedByDevice: optBranded(row, 'used_by_device', isDeviceId),
  };
}

function session(row: Row): WebSessionRow {
  return {
    idHash: blob(row, 'id_hash'),
    user: branded(row, 'user', isUserId),
    device: branded(row, 'device', isDeviceId),
    createdAt: int(row, 'created_at'),
    lastSeenAt: int(row, 'last_seen_at'),
    expiresAt: int(row, 'expires_at'),
    stepUpAt: optInt(row, 'step_up_at'),
  };
}

function idArg(value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) throw new TypeError(`store: ${what} must be a non-empty string`);
  return value;
}

/** The WebAuthStoreTx methods over one connection's statements. */
export function webAuthTx(s: () => Sql): WebAuthStoreTx {
  return {
    putWebCredential(r) {
      s().run(
        'INSERT INTO web_credentials (credential_id, user, device, public_key, sign_count, transports, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        idArg(r.id, 'credential id'), r.user, r.device, bytesArg(r.publicKey, 'publicKey'), intArg(r.signCount, 'signCount'),
        JSON.stringify([...r.transports]), intArg(r.createdAt, 'createdAt'), r.lastUsedAt === null ? null : intArg(r.lastUsedAt, 'lastUsedAt'),
      );
    },
    getWebCredential(id) {
      const row = s().get('SELECT * FROM web_credentials WHERE credential_id = ?', idArg(id, 'credential id'));
      return row ? credential(row) : null;
    },
    getWebCredentialOfDevice(user, device) {
      const row = s().get('SELECT * FROM web_credentials WHERE user = ? AND device = ?', user, device);
      return row ? credential(row) : null;
    },
    listWebCredentials(user) {
      return s().all('SELECT * FROM web_credentials WHERE user = ? ORDER BY created_at, credential_id', user).map(credential);
    },
    useWebCredential(id, expectedCount, signCount, at) {
      const result = s().run(
        'UPDATE web_credentials SET sign_count = ?, last_used_at = ? WHERE credential_id = ? AND sign_count = ?',
        intArg(signCount, 'signCount'), intArg(at, 'at'), idArg(id, 'credential id'), intArg(expectedCount, 'expectedCount'),
      );
      return result.changes === 1;
    },
    putEnrollmentCode(r) {
      s().run(
        'INSERT INTO enrollment_codes (code_hash, user, issued_by, issued_at, expires_at, used_at, used_by_device) VALUES (?, ?, ?, ?, ?, ?, ?)',
        bytesArg(r.codeHash, 'codeHash'), r.user, r.issuedBy, intArg(r.issuedAt, 'issuedAt'), intArg(r.expiresAt, 'expiresAt'),
        r.usedAt === null ? null : intArg(r.usedAt, 'usedAt'), r.usedByDevice,
      );
    },
    getEnrollmentCode(codeHash) {
      const row = s().get('SELECT * FROM enrollment_codes WHERE code_hash = ?', bytesArg(codeHash, 'codeHash'));
      return row ? code(row) : null;
    },
    useEnrollmentCode(codeHash, device, at) {
      const result = s().run('UPDATE enrollment_codes SET used_at = ?, used_by_device = ? WHERE code_hash = ? AND used_at IS NULL', intArg(at, 'at'), device, bytesArg(codeHash, 'codeHash'));
      return result.changes === 1;
    },
    putWebSession(r) {
      s().run(
        'INSERT INTO web_sessions (id_hash, user, device, created_at, last_seen_at, expires_at, step_up_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        bytesArg(r.idHash, 'idHash'), r.user, r.device, intArg(r.createdAt, 'createdAt'), intArg(r.lastSeenAt, 'lastSeenAt'), intArg(r.expiresAt, 'expiresAt'),
        r.stepUpAt === null ? null : intArg(r.stepUpAt, 'stepUpAt'),
      );
    },
    getWebSession(idHash) {
      const row = s().get('SELECT * FROM web_sessions WHERE id_hash = ?', bytesArg(idHash, 'idHash'));
      return row ? session(row) : null;
    },
    touchWebSession(idHash, at) {
      // Never backwards: two requests touching at once leave the later time.
      s().run('UPDATE web_sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE id_hash = ?', intArg(at, 'at'), bytesArg(idHash, 'idHash'));
    },
    setWebSessionStepUp(idHash, at) {
      s().run('UPDATE web_sessions SET step_up_at = ? WHERE id_hash = ?', intArg(at, 'at'), bytesArg(idHash, 'idHash'));
    },
    consumeWebSessionStepUp(idHash, stepUpAt) {
      return s().run('UPDATE web_sessions SET step_up_at = NULL WHERE id_hash = ? AND step_up_at = ?', bytesArg(idHash, 'idHash'), intArg(stepUpAt, 'stepUpAt')).changes === 1;
    },
    deleteWebSession(idHash) {
      s().run('DELETE FROM web_sessions WHERE id_hash = ?', bytesArg(idHash, 'idHash'));
    },
    deleteExpiredWebSessions(now, idleBefore) {
      return s().run('DELETE FROM web_sessions WHERE expires_at <= ? OR last_seen_at < ?', intArg(now, 'now'), intArg(idleBefore, 'idleBefore')).changes;
    },
  };
}
