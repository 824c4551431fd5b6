// What a node keeps of a returned draft (issue 6 "return with a comment"): who returned it, when, where its
// `draft.returned` entry sits in the audit log, and the comment sealed to each device that may read it — never the
// comment itself. Part of StoreTx. Replacing, releasing or sending the draft clears its return (schema v11 trigger).
import type { CableId, DeviceId, UserId } from '../cable/types.ts';

/** One device's sealed copy of the comment (src/envelope/draft-return.ts). */
export interface DraftReturnNoteRow {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly sealed: Uint8Array;
}

export interface DraftReturnRow {
  readonly draft: CableId;
  /** The releasing officer who returned it. */
  readonly by: UserId;
  readonly at: number;
  readonly logIndex: number;
}

export interface DraftReturnStoreTx {
  /**
   * Stores a draft's return and its sealed notes, replacing an earlier return of that draft with its notes; the draft
   * must be stored (`store.not_found`).
   */
  putDraftReturn(row: DraftReturnRow, notes: readonly DraftReturnNoteRow[]): void;
  /** The draft's current return, or null (never returned, or cleared since by a new version of the draft). */
  getDraftReturn(draft: CableId): DraftReturnRow | null;
  /** The copy sealed to one device, or null. */
  getDraftReturnNote(draft: CableId, user: UserId, device: DeviceId): Uint8Array | null;
}
