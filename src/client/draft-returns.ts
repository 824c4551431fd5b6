// Returning a draft with a comment (issue 6 "Release queue"; docs/node.md "Returned drafts"): the releasing
// officer's device signs the comment and seals a copy to each of the drafter's devices that verify to the root (as a
// sender verifies its recipients) and one to itself; the node stores only those copies. The drafter's device opens
// its copy and checks the officer's signature against the officer's verified device.
import type { CableId, UserId } from '../cable/types.ts';
import { parseCableId, parseUserId, splitCableId } from '../cable/ids.ts';
import { toBase64 } from '../bytes.ts';
import { SealError } from '../errors.ts';
import { commentBytes, openReturnNote, sealReturnNote, signReturnComment, verifyReturnComment, MAX_SEALED_RETURN_NOTE } from '../envelope/draft-return.ts';
import { encodeSealedDraft, sealDraft } from '../envelope/draft.ts';
import { assertAllowed } from '../policy/decision.ts';
import { mayDraft } from '../policy/release.ts';
import { mayReceive } from '../policy/receive.ts';
import { getUser, policyUserOf } from './directory.ts';
import { buildCable, fetchDraft, type DraftInput } from './drafts.ts';
import { currentEpoch, listDevices, verifiedDevice } from './key-directory.ts';
import { hostedOffices } from './peer-directory.ts';
import { cableSigner, type Session } from './session.ts';
import { base64Of, fieldsOf } from './wire.ts';

/** A return as the node reports it, with this device's copy of the comment opened (null: none sealed to it). */
export interface DraftReturn {
  readonly draft: CableId;
  readonly by: UserId;
  readonly at: number;
  readonly comment: string | null;
}

function returnPath(id: CableId): string {
  return `/api/v1/drafts/${encodeURIComponent(id)}/return`;
}

/**
 * Returns a draft awaiting release to its drafter with `comment`. Refuses locally an empty or oversize comment
 * (RangeError) and a drafter with no device that verifies (`seal.invalid_input`); the node refuses a caller who is
 * not a releasing officer of the office (`request.forbidden`) and a draft not awaiting release (`request.conflict`).
 *
 * @example
 * await returnDraft(s, id, 'Para 2 names the source: take it out, then re-submit.');
 */
export async function returnDraft(s: Session, id: CableId, comment: string): Promise<{ by: UserId; at: number }> {
  commentBytes(comment);
  const { draft, summary } = await fetchDraft(s, id);
  const me = { user: s.keys.user, device: s.keys.device };
  const listed = (await listDevices(s, draft.drafter)).filter((d) => d.status === 'approved' && d.onLog);
  // A device that does not verify (revoked, a ghost, a broken chain) gets no copy: the comment may quote the cable.
  const verified = await Promise.all(listed.map((d) => verifiedDevice(s, draft.drafter, d.device).then((v) => v.record, () => null)));
  const recipients = verified.filter((r) => r !== null);
  if (recipients.length === 0) throw new SealError('seal.invalid_input', `${draft.drafter} has no approved device that verifies: the comment could not be sealed to them`);
  const signature = await signReturnComment(s.p, id, me, comment, s.keys.signingSeed);
  const others = recipients.filter((r) => r.user !== me.user || r.device !== me.device);
  const targets = [...others.map((r) => ({ user: r.user, device: r.device, key: r.encryptionKey })), { ...me, key: s.keys.encryptionKey }];
  const notes = await Promise.all(
    targets.map(async (t) => ({ user: t.user, device: t.device, sealed: toBase64(await sealReturnNote(s.p, id, me, comment, signature, t.key, t)) })),
  );
  const f = fieldsOf('return', await s.http.post(returnPath(id), { notes, updatedAt: summary.updatedAt }), ['draft', 'by', 'at', 'logIndex']);
  return { by: f.id('by', parseUserId), at: f.uint('at') };
}

/**
 * The return of a draft: who, when, and the comment as this device opens it, its author's signature checked against
 * the author's verified device (`verify.bad_signature`, `verify.untrusted_key` otherwise). A comment signed by anyone
 * but the officer the node names as returning the draft is refused.
 */
export async function fetchReturn(s: Session, id: CableId): Promise<DraftReturn> {
  const f = fieldsOf('return', await s.http.get(returnPath(id)), ['draft', 'by', 'at', 'logIndex'], ['note']);
  const draft = f.id('draft', parseCableId);
  const by = f.id('by', parseUserId);
  const at = f.uint('at');
  if (draft !== id) throw new SealError('seal.invalid_input', 'the node answered with the return of another draft');
  if (!f.has('note')) return { draft, by, at, comment: null };
  const sealed = base64Of(f, 'note', MAX_SEALED_RETURN_NOTE);
  const note = await openReturnNote(s.p, id, sealed, s.keys.encryptionSeed, { user: s.keys.user, device: s.keys.device });
  if (note.author.user !== by) throw new SealError('seal.invalid_input', `the comment is signed by ${note.author.user}, not by ${by} who returned the draft`);
  await verifyReturnComment(s.p, id, note, (await verifiedDevice(s, note.author.user, note.author.device)).record.signingKey);
  return { draft, by, at, comment: note.comment };
}

/**
 * Files a new version of one's own draft under the same id (the node replaces a draft awaiting release for its
 * drafter), sealed to the office's current epoch: how a returned draft is edited and re-submitted. The new version
 * clears the return. `input.from` must be the id's office.
 */
export async function resubmitDraft(s: Session, id: CableId, input: DraftInput): Promise<CableId> {
  const me = policyUserOf(await getUser(s, s.keys.user));
  const from = splitCableId(id).office;
  if (input.from !== undefined && input.from !== from) throw new SealError('seal.invalid_input', `${id} belongs to ${from}, not ${input.from}`);
  const epoch = await currentEpoch(s, from, input.level);
  const cable = buildCable(s, { ...input, from }, id, new Date(s.now()));
  assertAllowed(mayDraft(me, cable.header));
  for (const { office } of await hostedOffices(s, [cable.header.from, ...cable.header.to, ...cable.header.info])) assertAllowed(mayReceive(office, cable.header.marking));
  const releaseService = { node: s.node.name, publicKey: s.node.certificate.releaseKey };
  const sealed = await sealDraft(s.p, cable, { epoch: epoch.epoch.epoch, publicKey: epoch.epoch.publicKey }, releaseService, cableSigner(s, 'drafter'));
  await s.http.post('/api/v1/drafts', { draft: toBase64(encodeSealedDraft(sealed)) });
  return id;
}
