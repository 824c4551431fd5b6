// Schema step 8: federation (issue 5; src/store/federation.ts says what each table is for).
export const V8 = `
CREATE TABLE peers (
  node TEXT PRIMARY KEY,
  org TEXT NOT NULL,
  url TEXT NOT NULL,
  certificate BLOB NOT NULL,
  root BLOB NOT NULL,
  node_certificate BLOB NOT NULL,
  added_at INTEGER NOT NULL CHECK (added_at >= 0),
  removed_at INTEGER CHECK (removed_at >= 0)
) STRICT;

CREATE TABLE peer_offices (
  code TEXT PRIMARY KEY,
  peer TEXT NOT NULL REFERENCES peers (node),
  name TEXT NOT NULL,
  ceiling INTEGER NOT NULL CHECK (ceiling BETWEEN 0 AND 4),
  communities TEXT NOT NULL,
  synced_at INTEGER NOT NULL CHECK (synced_at >= 0)
) STRICT;
CREATE INDEX peer_offices_by_peer ON peer_offices (peer);

-- precedence is copied from the cable so the due index alone orders a peer's queue FLASH first.
CREATE TABLE outbox (
  peer TEXT NOT NULL REFERENCES peers (node),
  seq INTEGER NOT NULL REFERENCES cables (seq),
  precedence INTEGER NOT NULL CHECK (precedence BETWEEN 0 AND 3),
  offices TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL CHECK (enqueued_at >= 0),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL CHECK (next_attempt_at >= 0),
  last_attempt_at INTEGER,
  last_error TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'conflict')),
  delivered_at INTEGER,
  receipt BLOB,
  PRIMARY KEY (peer, seq),
  CHECK ((state = 'delivered') = (receipt IS NOT NULL AND delivered_at IS NOT NULL))
) STRICT, WITHOUT ROWID;
CREATE INDEX outbox_pending ON outbox (peer, precedence, seq) WHERE state = 'pending';
CREATE INDEX outbox_by_cable ON outbox (seq);

CREATE TABLE peer_checkpoints (
  peer TEXT NOT NULL REFERENCES peers (node),
  size INTEGER NOT NULL CHECK (size >= 0),
  root BLOB NOT NULL,
  note TEXT NOT NULL,
  received_at INTEGER NOT NULL CHECK (received_at >= 0),
  PRIMARY KEY (peer, size)
) STRICT, WITHOUT ROWID;
`;
