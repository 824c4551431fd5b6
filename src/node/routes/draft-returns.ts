// Returning a draft with a comment (issue 6 "Release queue"): a releasing officer of the originating office — not
// its drafter — sends the comment sealed by their device to each approved device of the drafter and to their own
// device (src/envelope/draft-return.ts); the node stores the sealed notes, marks the draft returned and logs
// `draft.returned` in one write. It never sees the comment. The drafter replacing the draft clears the return
// (schema v11). Returning needs no step-up: it releases nothing.
import type { CableId, DeviceId, UserId } from '../../cable/types.ts';
import { parseCableId, parseDeviceId, parseUserId } from '../../cable/ids.ts';
import { fromBase64 } from '../../bytes.ts';
import { DecodeError, RequestError } from '../../errors.ts';
import type { Fields } from '../../encoding/fields.ts';
import { MAX_SEALED_RETURN_NOTE } from '../../envelope/draft-return.ts';
import { isMember, releaseCeiling } from '../../policy/membership.ts';
import type { DraftReturnNoteRow, DraftRow, StoreTx } from '../../store/store.ts';
import { callerOf, policyUser } from '../access.ts';
import { loggedWrite } from '../logged-write.ts';
import { b64, jsonBody } from '../request-body.ts';
import type { Caller, Route } from '../route.ts';

/** Enough for every device of a drafter and the officer's own, with room to spare. */
export const MAX_RETURN_NOTES = 64;
const MAX_BODY = MAX_RETURN_NOTES * (Math.ceil(MAX_SEALED_RETURN_NOTE / 3) * 4 + 256) + 1024;

function isReleasingOfficer(tx: StoreTx, caller: Caller, d: DraftRow): boolean {
  return releaseCeiling(policyUser(tx, caller.user), d.from) !== undefined;
}

function draftFor(tx: StoreTx, id: CableId, caller: Caller): DraftRow {
  const d = tx.getDraft(id);
  if (!d) throw new RequestError('request.not_found', `no draft ${id}`);
  if (!isMember(policyUser(tx, caller.user), d.from)) throw new RequestError('request.forbidden', 'drafts are for members of the originating office');
  return d;
}

/** A sealed note, base64; an oversize one is `request.too_large` (413), not a malformed body. */
function sealedNote(f: Fields): Uint8Array {
  const text = f.token('sealed', MAX_BODY);
  if (text.length > Math.ceil(MAX_SEALED_RETURN_NOTE / 3) * 4) throw new RequestError('request.too_large', `a sealed note is at most ${MAX_SEALED_RETURN_NOTE} bytes`);
  try {
    return fromBase64(text);
  } catch (cause) {
    throw new DecodeError('encoding.malformed', 'sealed must be base64', { cause });
  }
}

function returnBody(body: unknown): { notes: DraftReturnNoteRow[]; updatedAt: number } {
  const raw = jsonBody(body, 'return', ['notes', 'updatedAt']);
  const notes = raw.mapList('notes', MAX_RETURN_NOTES, ['user', 'device', 'sealed'], (f) => ({ user: f.id('user', parseUserId), device: f.id('device', parseDeviceId), sealed: sealedNote(f) }));
  if (new Set(notes.map((n) => `${n.user}/${n.device}`)).size !== notes.length) throw new RequestError('request.malformed', 'one note per device');
  return { notes: [...notes], updatedAt: raw.uint('updatedAt') };
}

/**
 * Each note goes to an approved device of the drafter or to the caller's own device, and at least one reaches the
 * drafter: otherwise the comment would be stored for nobody who needs it.
 */
function checkRecipients(tx: StoreTx, caller: Caller, drafter: UserId, notes: readonly DraftReturnNoteRow[]): void {
  const approved = (user: UserId, device: DeviceId) => tx.getDevice(user, device)?.status === 'approved';
  for (const n of notes) {
    const own = n.user === caller.user && n.device === caller.device;
    if (!own && !(n.user === drafter && approved(n.user, n.device))) throw new RequestError('request.forbidden', `a note is for the drafter's approved devices or your own, not ${n.user}/${n.device}`);
  }
  if (!notes.some((n) => n.user === drafter)) throw new RequestError('request.malformed', "seal the comment to at least one of the drafter's devices");
}

const postReturn: Route = {
  method: 'POST',
  path: '/api/v1/drafts/:id/return',
  summary:
    "Return a draft ({notes, updatedAt}: the version reviewed, as listed) to its drafter with a comment sealed to the drafter's approved devices and the caller's own (a releasing officer of the originating office, not the drafter); stored sealed and logged (draft.returned) in one write",
  auth: 'device',
  maxBody: MAX_BODY,
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    const { notes, updatedAt } = returnBody(input.body);
    const result = await loggedWrite(node, input, (tx, log) => {
      const d = draftFor(tx, id, caller);
      if (!isReleasingOfficer(tx, caller, d) || d.drafter === caller.user) {
        throw new RequestError('request.forbidden', 'a releasing officer of the originating office, other than its drafter, returns a draft');
      }
      if (d.status !== 'draft') throw new RequestError('request.conflict', `the draft is ${d.status}, not awaiting release`);
      // The comment speaks of the version the officer read (`updatedAt` as listed): a newer one is not returned by it.
      if (d.updatedAt !== updatedAt) throw new RequestError('request.conflict', 'the drafter replaced the draft meanwhile: review the new version');
      if (tx.getDraftReturn(id)) throw new RequestError('request.conflict', 'the draft is already returned: its drafter has not re-submitted it');
      checkRecipients(tx, caller, d.drafter, notes);
      const appended = log([{ kind: 'draft.returned', cable: id, by: caller.user }]);
      const row = { draft: id, by: caller.user, at: input.now, logIndex: appended.first };
      tx.putDraftReturn(row, notes);
      return row;
    });
    node.log.info({ cable: id, by: caller.user }, 'draft returned to its drafter');
    return { status: 201, body: { draft: id, by: result.by, at: result.at, logIndex: result.logIndex } };
  },
};

const getReturn: Route = {
  method: 'GET',
  path: '/api/v1/drafts/:id/return',
  summary: "A returned draft's return: who, when, and the comment sealed to the calling device, or null (its drafter, or a releasing officer of the originating office)",
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    return node.store.transaction((tx) => {
      const d = draftFor(tx, id, caller);
      if (d.drafter !== caller.user && !isReleasingOfficer(tx, caller, d)) throw new RequestError('request.forbidden', 'only the drafter or a releasing officer of the originating office reads a return');
      const r = tx.getDraftReturn(id);
      if (!r) throw new RequestError('request.not_found', `${id} is not returned`);
      const note = tx.getDraftReturnNote(id, caller.user, caller.device);
      return { body: { draft: id, by: r.by, at: r.at, logIndex: r.logIndex, note: note ? b64(note) : null } };
    });
  },
};

/** The return state a draft listing shows (GET /api/v1/drafts), or nothing when the draft is not returned. */
export function returnedState(tx: StoreTx, id: CableId): { readonly returned?: { readonly by: UserId; readonly at: number } } {
  const r = tx.getDraftReturn(id);
  return r ? { returned: { by: r.by, at: r.at } } : {};
}

export const draftReturnRoutes: readonly Route[] = [postReturn, getReturn];
