// Schema step 9: the last good answer of each peer's key directory, per relayed path (src/node/federation/peer-relay.ts),
// so senders can still seal to a peer's offices while it is down (store-and-forward). A cache, not evidence: clients
// verify what it holds exactly as they verify a live answer.
export const V9 = `
CREATE TABLE peer_directory (
  peer TEXT NOT NULL REFERENCES peers (node),
  path TEXT NOT NULL,
  answer TEXT NOT NULL,
  fetched_at INTEGER NOT NULL CHECK (fetched_at >= 0),
  PRIMARY KEY (peer, path)
) STRICT, WITHOUT ROWID;
`;
