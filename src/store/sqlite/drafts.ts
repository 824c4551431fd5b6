// Drafts on their way through the release workflow (docs/node.md "Release workflow"): sealed bytes only.
import type { CableId, OfficeCode } from '../../cable/types.ts';
import { isCableId, isOfficeCode, isUserId } from '../../cable/ids.ts';
import type { DraftRow, DraftStatus } from '../store.ts';
import type { Row, Sql } from './sql.ts';
import { blob, branded, bytesArg, classification, classificationArg, int, intArg, oneOf, optBlob, optBranded } from './columns.ts';

const DraftStatuses: readonly DraftStatus[] = ['draft', 'released', 'sent'];

const DRAFT_COLUMNS =
  'id, from_office, level, drafter, status, sealed_draft, released_envelope, releaser, created_at, updated_at';

function draftRow(row: Row): DraftRow {
  return {
    id: branded(row, 'id', isCableId),
    from: branded(row, 'from_office', isOfficeCode),
    level: classification(row, 'level'),
    drafter: branded(row, 'drafter', isUserId),
    status: oneOf(row, 'status', DraftStatuses),
    sealedDraft: blob(row, 'sealed_draft'),
    releasedEnvelope: optBlob(row, 'released_envelope'),
    releaser: optBranded(row, 'releaser', isUserId),
    createdAt: int(row, 'created_at'),
    updatedAt: int(row, 'updated_at'),
  };
}

/**
 * Inserts or replaces a draft by id. A draft in status `draft` has no released envelope and no releaser; once
 * `released` (or `sent`) it has both — checked here with a clear message, and again by the schema.
 */
export function putDraft(sql: Sql, d: DraftRow): void {
  if (!DraftStatuses.includes(d.status)) throw new RangeError('store: draft status is not a status');
  if ((d.status === 'draft') !== (d.releasedEnvelope === null) || (d.releasedEnvelope === null) !== (d.releaser === null)) {
    throw new RangeError('store: a draft has a released envelope and a releaser exactly when it is released or sent');
  }
  sql.run(
    `INSERT INTO drafts (${DRAFT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET from_office = excluded.from_office, level = excluded.level,
       drafter = excluded.drafter, status = excluded.status, sealed_draft = excluded.sealed_draft,
       released_envelope = excluded.released_envelope, releaser = excluded.releaser,
       created_at = excluded.created_at, updated_at = excluded.updated_at`,
    d.id,
    d.from,
    classificationArg(d.level, 'level'),
    d.drafter,
    d.status,
    bytesArg(d.sealedDraft, 'sealedDraft'),
    d.releasedEnvelope === null ? null : bytesArg(d.releasedEnvelope, 'releasedEnvelope'),
    d.releaser,
    intArg(d.createdAt, 'createdAt'),
    intArg(d.updatedAt, 'updatedAt'),
  );
}

export function getDraft(sql: Sql, id: CableId): DraftRow | null {
  const row = sql.get(`SELECT ${DRAFT_COLUMNS} FROM drafts WHERE id = ?`, id);
  return row === undefined ? null : draftRow(row);
}

/** An office's drafts, most recently updated first. */
export function listDrafts(sql: Sql, office: OfficeCode): DraftRow[] {
  return sql
    .all(`SELECT ${DRAFT_COLUMNS} FROM drafts WHERE from_office = ? ORDER BY updated_at DESC, id`, office)
    .map(draftRow);
}
