// Returning a draft with a comment (issue 6 "Release queue"), against a real node: the releasing officer's comment
// is stored only sealed to the drafter's devices and the officer's own (the database never holds its text), the
// return is logged as `draft.returned` without it, the drafter opens it and re-files the draft under the same id,
// which clears the return; a member who is not a releasing officer, a draft not awaiting release, a note for a
// stranger's device and oversize notes are refused, with nothing written.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { toBase64, utf8 } from '../../src/bytes.ts';
import { createOffice, createUser } from '../../src/client/admin.ts';
import { fetchReturn, resubmitDraft, returnDraft } from '../../src/client/draft-returns.ts';
import { draftCable, fetchDraft, listDrafts, openSealedDraft, type DraftInput } from '../../src/client/drafts.ts';
import { RemoteError } from '../../src/client/http.ts';
import { issueGrants, openEpochs } from '../../src/client/key-admin.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import type { Session } from '../../src/client/session.ts';
import { sealReturnNote, signReturnComment } from '../../src/envelope/draft-return.ts';
import { decodeLogEntry, type LogEntry } from '../../src/log/events.ts';
import { startTestNode, type TestNode } from './fixtures.ts';

const DEL = 'EEAS.DEL.WASHINGTON' as OfficeCode;
const HQ = 'EEAS.HQ.AMERICAS' as OfficeCode;
const u = (id: string) => id as UserId;
const COMMENT = 'Paragraph 2 quotes Minister Varga verbatim on the interconnector veto: paraphrase it, then re-submit.';

async function remote(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof RemoteError, `expected a refusal by the node, got ${String(error)}`);
  return error;
}

describe('a releasing officer returns a draft with a comment only the drafter and the officer can read', { timeout: 120_000 }, () => {
  let t: TestNode;
  let anna: Session; // drafter at the Delegation
  let marc: Session; // its releasing officer
  let bea: Session; // another member of the Delegation, not a releasing officer
  let piet: Session; // a member of HQ
  let id: CableId;
  const input: DraftInput = { from: DEL, to: [HQ], tags: ['PREL'], precedence: 'PRIORITY', level: 'LIMITED', releasableTo: ['EU'], subject: 'Gas interconnector', body: 'Minister Varga on the veto.', releaser: u('marc.dupont') };
  const entries = (): LogEntry[] => t.node.context.store.transaction((tx) => tx.logEntries(0, 100_000)).map((r) => decodeLogEntry(r.leaf));
  const logSize = () => t.node.context.store.transaction((tx) => tx.logSize());
  const returnPath = (draft: CableId) => `/api/v1/drafts/${encodeURIComponent(draft)}/return`;
  const updatedAt = () => t.node.context.store.transaction((tx) => tx.getDraft(id))!.updatedAt;

  before(async () => {
    t = await startTestNode();
    for (const code of [DEL, HQ]) await createOffice(t.officer, { code, name: code, ceiling: 'LIMITED', communities: ['EU'] });
    const officers = [DEL, HQ].map((office) => ({ office, role: 'security-officer' as const }));
    const base = { clearance: 'LIMITED' as const, organisations: ['EU'] };
    await createUser(t.officer, { ...base, id: u('ines.moreau'), name: 'Inès Moreau', nationality: 'FR', memberships: officers });
    const co = await t.addOfficer({ ...base, id: u('piotr.nowak'), name: 'Piotr Nowak', nationality: 'PL', memberships: officers });
    anna = await t.addUser({ ...base, id: u('anna.schmidt'), name: 'Anna Schmidt', nationality: 'DE', memberships: [{ office: DEL, role: 'member' }] });
    marc = await t.addUser({ ...base, id: u('marc.dupont'), name: 'Marc Dupont', nationality: 'FR', memberships: [{ office: DEL, role: 'releasing-officer', releaseCeiling: 'LIMITED' }] });
    bea = await t.addUser({ ...base, id: u('bea.lindqvist'), name: 'Bea Lindqvist', nationality: 'SE', memberships: [{ office: DEL, role: 'member' }] });
    piet = await t.addUser({ ...base, id: u('piet.janssens'), name: 'Piet Janssens', nationality: 'BE', memberships: [{ office: HQ, role: 'member' }] });
    for (const office of [DEL, HQ]) await openEpochs(t.officer, office, { levels: ['UNCLASSIFIED', 'LIMITED'], coOfficers: [co] });
    for (const s of [anna, marc, bea]) await issueGrants(t.officer, { user: s.keys.user, device: s.keys.device, office: DEL, levels: ['UNCLASSIFIED', 'LIMITED'], coOfficers: [co] });
    id = await draftCable(anna, input);
  });
  after(() => t.close());

  it('refuses a member who is not a releasing officer, and a note for anyone but the drafter or the officer', async () => {
    const before = logSize();
    assert.equal((await remote(returnDraft(bea, id, COMMENT))).status, 403);
    assert.equal((await remote(returnDraft(anna, id, COMMENT))).status, 403, 'nor does the drafter return their own draft');
    // Marc's client, tampered with, adds a copy for a stranger: the node refuses the whole return.
    const sig = await signReturnComment(marc.p, id, { user: marc.keys.user, device: marc.keys.device }, COMMENT, marc.keys.signingSeed);
    const note = async (s: Session) => ({ user: s.keys.user, device: s.keys.device, sealed: toBase64(await sealReturnNote(marc.p, id, { user: marc.keys.user, device: marc.keys.device }, COMMENT, sig, s.keys.encryptionKey, { user: s.keys.user, device: s.keys.device })) });
    const stranger = await remote(marc.http.post(returnPath(id), { notes: [await note(anna), await note(piet)], updatedAt: updatedAt() }));
    assert.equal(stranger.status, 403);
    const noDrafter = await remote(marc.http.post(returnPath(id), { notes: [await note(marc)], updatedAt: updatedAt() }));
    assert.equal(noDrafter.status, 400, "a comment nobody on the drafter's side can read is refused");
    assert.equal(logSize(), before, 'nothing was logged');
    assert.equal((await listDrafts(anna, DEL)).find((d) => d.id === id)?.returned, null);
  });

  it('refuses oversize notes (413) and too many notes (400)', async () => {
    const big = toBase64(new Uint8Array(70 * 1024));
    const oversize = await remote(marc.http.post(returnPath(id), { notes: [{ user: anna.keys.user, device: anna.keys.device, sealed: big }], updatedAt: updatedAt() }));
    assert.equal(oversize.status, 413);
    const many = Array.from({ length: 65 }, (_, i) => ({ user: anna.keys.user, device: `d-anna-${i}`, sealed: 'AAAA' }));
    assert.equal((await remote(marc.http.post(returnPath(id), { notes: many, updatedAt: updatedAt() }))).status, 400);
    await assert.rejects(returnDraft(marc, id, ''), RangeError);
    await assert.rejects(returnDraft(marc, id, 'x'.repeat(16_001)), RangeError);
  });

  it('stores the comment sealed, logs draft.returned without it, and the drafter and the officer open it', async () => {
    const before = logSize();
    const answer = await returnDraft(marc, id, COMMENT);
    assert.equal(answer.by, marc.keys.user);
    const logged = entries().slice(before);
    assert.deepEqual(logged.map((e) => e.kind), ['draft.returned']);
    const entry = logged[0];
    assert.ok(entry?.kind === 'draft.returned' && entry.cable === id && entry.by === marc.keys.user && entry.at === answer.at);
    // The database as it lies on disk (main file and write-ahead log) holds no word of the comment.
    const db = join(t.dir, 'data', 'node.sqlite');
    for (const file of [db, `${db}-wal`].filter(existsSync)) {
      const bytes = Buffer.from(readFileSync(file));
      for (const needle of [COMMENT, 'verbatim', 'paraphrase']) assert.equal(bytes.indexOf(utf8(needle)), -1, `${needle} is not in ${file}`);
    }
    const notes = t.node.context.store.transaction((tx) => [anna, marc, bea].map((s) => tx.getDraftReturnNote(id, s.keys.user, s.keys.device)));
    assert.ok(notes[0] && notes[1], 'a copy for the drafter and one for the officer');
    assert.equal(notes[2], null, 'none for another member');

    const listed = (await listDrafts(anna, DEL)).find((d) => d.id === id);
    assert.deepEqual(listed?.returned, { by: marc.keys.user, at: answer.at });
    assert.equal(listed?.status, 'draft');
    assert.deepEqual(await fetchReturn(anna, id), { draft: id, by: marc.keys.user, at: answer.at, comment: COMMENT });
    assert.equal((await fetchReturn(marc, id)).comment, COMMENT, 'the officer reads back what they wrote');
    assert.equal((await remote(fetchReturn(bea, id))).status, 403);
    assert.equal((await remote(returnDraft(marc, id, 'again'))).status, 409, 'returned already: the drafter has not re-submitted');
  });

  it('a swapped copy does not open as the comment (the node cannot put words in the officer\'s mouth)', async () => {
    // The node moves the officer's own copy to the drafter's slot: sealed to another device, it opens for nobody else.
    const own = t.node.context.store.transaction((tx) => tx.getDraftReturnNote(id, marc.keys.user, marc.keys.device))!;
    const row = t.node.context.store.transaction((tx) => tx.getDraftReturn(id))!;
    const drafters = t.node.context.store.transaction((tx) => tx.getDraftReturnNote(id, anna.keys.user, anna.keys.device))!;
    t.node.context.store.transaction((tx) => tx.putDraftReturn(row, [{ user: anna.keys.user, device: anna.keys.device, sealed: own }]));
    try {
      await assert.rejects(fetchReturn(anna, id), (e: { code?: string }) => e.code === 'open.failed');
    } finally {
      t.node.context.store.transaction((tx) => tx.putDraftReturn(row, [{ user: anna.keys.user, device: anna.keys.device, sealed: drafters }, { user: marc.keys.user, device: marc.keys.device, sealed: own }]));
    }
  });

  it('re-filing the draft under the same id clears the return, and it can be returned again', async () => {
    const cable = await openSealedDraft(anna, (await fetchDraft(anna, id)).draft);
    assert.equal(cable.content.body, input.body);
    assert.equal(await resubmitDraft(anna, id, { ...input, body: 'Minister Varga indicated flexibility on the veto.' }), id);
    const listed = (await listDrafts(anna, DEL)).find((d) => d.id === id);
    assert.equal(listed?.returned, null);
    assert.equal((await remote(fetchReturn(anna, id))).status, 404);
    assert.equal(t.node.context.store.transaction((tx) => tx.getDraftReturnNote(id, anna.keys.user, anna.keys.device)), null, 'the old copies are gone');
    const reopened = await openSealedDraft(marc, (await fetchDraft(marc, id)).draft);
    assert.equal(reopened.content.body, 'Minister Varga indicated flexibility on the veto.');
    await returnDraft(marc, id, 'Better. One more: add the date of the meeting.');
    assert.equal((await fetchReturn(anna, id)).comment, 'Better. One more: add the date of the meeting.');
  });

  it('refuses a return of a version the officer did not review (409)', async () => {
    const other = await draftCable(anna, input);
    const reviewed = t.node.context.store.transaction((tx) => tx.getDraft(other))!.updatedAt;
    const sig = await signReturnComment(marc.p, other, { user: marc.keys.user, device: marc.keys.device }, COMMENT, marc.keys.signingSeed);
    const sealed = toBase64(await sealReturnNote(marc.p, other, { user: marc.keys.user, device: marc.keys.device }, COMMENT, sig, anna.keys.encryptionKey, { user: anna.keys.user, device: anna.keys.device }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await resubmitDraft(anna, other, { ...input, body: 'A newer version.' });
    const stale = await remote(marc.http.post(returnPath(other), { notes: [{ user: anna.keys.user, device: anna.keys.device, sealed }], updatedAt: reviewed }));
    assert.equal(stale.status, 409);
    assert.equal(t.node.context.store.transaction((tx) => tx.getDraftReturn(other)), null);
  });

  it('refuses a comment on a draft not awaiting release (409)', async () => {
    const other = await draftCable(anna, input);
    await releaseCandidate(marc, await prepareRelease(marc, other));
    const before = logSize();
    assert.equal((await remote(returnDraft(marc, other, COMMENT))).status, 409);
    assert.equal(logSize(), before);
    assert.equal((await remote(fetchReturn(anna, other))).status, 404);
  });
});
