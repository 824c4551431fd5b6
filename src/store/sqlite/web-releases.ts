// Web release rows (src/store/web-releases.ts) in SQLite.
import type { WebReleaseRow, WebReleaseStoreTx } from '../web-releases.ts';
import { blob, bytesArg, int, intArg } from './columns.ts';
import type { Row, Sql } from './sql.ts';

const COLUMNS = 'manifest_hash, record, log_index, released_at';

function releaseRow(row: Row): WebReleaseRow {
  return { manifestHash: blob(row, 'manifest_hash'), record: blob(row, 'record'), logIndex: int(row, 'log_index'), releasedAt: int(row, 'released_at') };
}

/** The WebReleaseStoreTx methods over one connection's statements. */
export function webReleaseTx(s: () => Sql): WebReleaseStoreTx {
  return {
    putWebRelease: (r) => {
      s().run(
        `INSERT INTO web_releases (${COLUMNS}) VALUES (?, ?, ?, ?)`,
        bytesArg(r.manifestHash, 'manifestHash'), bytesArg(r.record, 'record'), intArg(r.logIndex, 'logIndex'), intArg(r.releasedAt, 'releasedAt'),
      );
    },
    getWebRelease: (manifestHash) => {
      const row = s().get(`SELECT ${COLUMNS} FROM web_releases WHERE manifest_hash = ?`, bytesArg(manifestHash, 'manifestHash'));
      return row === undefined ? null : releaseRow(row);
    },
  };
}
