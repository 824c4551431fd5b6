// Schema step 10: the web app (issue 6). Passkeys (docs/web-auth.md): credentials bound to one device each, one-time
// enrollment codes (only their hash is kept), browser sessions (only the hash of the cookie's secret is kept). Client
// integrity (docs/web-integrity.md): the web releases the organisation root signed, each with its audit log entry.
export const V10_WEB_AUTH = `
CREATE TABLE web_credentials (
  credential_id TEXT PRIMARY KEY,
  user TEXT NOT NULL,
  device TEXT NOT NULL,
  public_key BLOB NOT NULL,
  sign_count INTEGER NOT NULL CHECK (sign_count >= 0),
  transports TEXT NOT NULL,
  created_at INTEGER NOT NULL CHECK (created_at >= 0),
  last_used_at INTEGER CHECK (last_used_at >= 0),
  FOREIGN KEY (user, device) REFERENCES devices (user, device)
) STRICT;
CREATE UNIQUE INDEX web_credentials_device ON web_credentials (user, device);

CREATE TABLE enrollment_codes (
  code_hash BLOB PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users (id),
  issued_by TEXT NOT NULL,
  issued_at INTEGER NOT NULL CHECK (issued_at >= 0),
  expires_at INTEGER NOT NULL CHECK (expires_at >= issued_at),
  used_at INTEGER CHECK (used_at >= 0),
  used_by_device TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE web_sessions (
  id_hash BLOB PRIMARY KEY,
  user TEXT NOT NULL,
  device TEXT NOT NULL,
  created_at INTEGER NOT NULL CHECK (created_at >= 0),
  last_seen_at INTEGER NOT NULL CHECK (last_seen_at >= created_at),
  expires_at INTEGER NOT NULL CHECK (expires_at >= created_at),
  step_up_at INTEGER CHECK (step_up_at >= 0),
  FOREIGN KEY (user, device) REFERENCES devices (user, device)
) STRICT, WITHOUT ROWID;
CREATE INDEX web_sessions_device ON web_sessions (user, device);
`;

export const V10_WEB_RELEASES = `
CREATE TABLE web_releases (
  manifest_hash BLOB PRIMARY KEY,
  record BLOB NOT NULL,
  log_index INTEGER NOT NULL CHECK (log_index >= 0),
  released_at INTEGER NOT NULL CHECK (released_at >= 0)
) STRICT, WITHOUT ROWID;
`;
