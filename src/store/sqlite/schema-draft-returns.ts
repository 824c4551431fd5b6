// Schema step 11: returned drafts (issue 6 "return with a comment"). A return and one sealed copy of the comment per
// reading device; no column holds the comment in clear. Any later change of the draft row (the drafter replacing it,
// a release, the send) clears the return, so "returned" always speaks of the version the officer read.
export const V11_DRAFT_RETURNS = `
CREATE TABLE draft_returns (
  draft TEXT PRIMARY KEY REFERENCES drafts (id),
  returned_by TEXT NOT NULL,
  returned_at INTEGER NOT NULL CHECK (returned_at >= 0),
  log_index INTEGER NOT NULL CHECK (log_index >= 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE draft_return_notes (
  draft TEXT NOT NULL REFERENCES draft_returns (draft),
  user TEXT NOT NULL,
  device TEXT NOT NULL,
  sealed BLOB NOT NULL,
  PRIMARY KEY (draft, user, device)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER draft_returns_cleared AFTER UPDATE ON drafts BEGIN
  DELETE FROM draft_return_notes WHERE draft = OLD.id;
  DELETE FROM draft_returns WHERE draft = OLD.id;
END;
`;
