// The peers' key directory answers kept for when a peer is down (src/store/federation.ts `PeerDirectoryRow`).
import type { NodeName } from '../../cable/types.ts';
import { isNodeName } from '../../cable/ids.ts';
import type { PeerDirectoryRow } from '../federation.ts';
import type { Row, Sql } from './sql.ts';
import { branded, int, intArg, text } from './columns.ts';

function directoryRow(row: Row): PeerDirectoryRow {
  return { peer: branded(row, 'peer', isNodeName), path: text(row, 'path'), body: text(row, 'answer'), fetchedAt: int(row, 'fetched_at') };
}

export function putPeerDirectory(sql: Sql, r: PeerDirectoryRow): void {
  sql.run(
    `INSERT INTO peer_directory (peer, path, answer, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (peer, path) DO UPDATE SET answer = excluded.answer, fetched_at = excluded.fetched_at`,
    r.peer, r.path, r.body, intArg(r.fetchedAt, 'fetchedAt'),
  );
}

export function getPeerDirectory(sql: Sql, peer: NodeName, path: string): PeerDirectoryRow | null {
  const row = sql.get('SELECT peer, path, answer, fetched_at FROM peer_directory WHERE peer = ? AND path = ?', peer, path);
  return row === undefined ? null : directoryRow(row);
}
