// Returned drafts (src/store/draft-returns.ts) in SQLite: sealed notes only.
import { isCableId, isUserId } from '../../cable/ids.ts';
import type { DraftReturnRow, DraftReturnStoreTx } from '../draft-returns.ts';
import { blob, branded, bytesArg, int, intArg } from './columns.ts';
import type { Row, Sql } from './sql.ts';

function returnRow(row: Row): DraftReturnRow {
  return { draft: branded(row, 'draft', isCableId), by: branded(row, 'returned_by', isUserId), at: int(row, 'returned_at'), logIndex: int(row, 'log_index') };
}

/** The DraftReturnStoreTx methods over one connection's statements. */
export function draftReturnTx(s: () => Sql): DraftReturnStoreTx {
  return {
    putDraftReturn: (r, notes) => {
      const sql = s();
      sql.run('DELETE FROM draft_return_notes WHERE draft = ?', r.draft);
      sql.run('DELETE FROM draft_returns WHERE draft = ?', r.draft);
      sql.run('INSERT INTO draft_returns (draft, returned_by, returned_at, log_index) VALUES (?, ?, ?, ?)', r.draft, r.by, intArg(r.at, 'at'), intArg(r.logIndex, 'logIndex'));
      for (const n of notes) sql.run('INSERT INTO draft_return_notes (draft, user, device, sealed) VALUES (?, ?, ?, ?)', r.draft, n.user, n.device, bytesArg(n.sealed, 'sealed'));
    },
    getDraftReturn: (draft) => {
      const row = s().get('SELECT draft, returned_by, returned_at, log_index FROM draft_returns WHERE draft = ?', draft);
      return row === undefined ? null : returnRow(row);
    },
    getDraftReturnNote: (draft, user, device) => {
      const row = s().get('SELECT sealed FROM draft_return_notes WHERE draft = ? AND user = ? AND device = ?', draft, user, device);
      return row === undefined ? null : blob(row, 'sealed');
    },
  };
}
