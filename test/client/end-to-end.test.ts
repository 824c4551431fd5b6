// The client library against a real node over HTTP: an officer sets up offices, users, epochs and grants; a drafter
// drafts, a releasing officer releases, the drafter sends; addressees read the exact text; and every refusal that
// matters — no clearance, unreleased draft, tampered envelope, replaced root — is seen from the client's side.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CableId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { ChanceryError } from '../../src/errors.ts';
import { fromBase64, toBase64 } from '../../src/bytes.ts';
import { decodeEnvelope, encodeEnvelope } from '../../src/envelope/codec.ts';
import { addRoles, approveDevice, createOffice, createUser } from '../../src/client/admin.ts';
import { closeEpoch, issueGrants, openEpochs, resealGrants } from '../../src/client/key-admin.ts';
import { enrollDevice } from '../../src/client/enroll.ts';
import { draftCable, fetchDraft, listDrafts } from '../../src/client/drafts.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import { fetchInbox, markRead, openVerified, readCable } from '../../src/client/reading.ts';
import { signerResolver } from '../../src/client/key-directory.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { RemoteError, type Fetch } from '../../src/client/http.ts';
import { openSession, type Session } from '../../src/client/session.ts';
import { deviceKeysFromMaterial } from '../../src/client/device-keys.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { checkDetails, decodePersonalDetails } from '../../src/log/personal-details.ts';
import { p, PASSPHRASE, startTestNode, type TestNode } from './fixtures.ts';

const DEL = 'EEAS.DEL.WASHINGTON' as OfficeCode;
const HQ = 'EEAS.HQ.AMERICAS' as OfficeCode;
const u = (id: string) => id as UserId;
const BODY = 'The Deputy Secretary asked for the EU view on sanctions relief before the PSC meets.\n\nComment: the timetable is tight.';

async function refusal(promise: Promise<unknown>): Promise<ChanceryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof ChanceryError, `expected a ChanceryError, got ${String(error)}`);
  return error;
}

/** The node's refusal: its HTTP status and code. */
async function remote(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await refusal(promise);
  assert.ok(error instanceof RemoteError, `expected the node to refuse, got ${error.code}: ${error.message}`);
  return error;
}

describe('client library end to end over HTTP', () => {
  let t: TestNode;
  let anna: Session; // drafter, CONFIDENTIAL, Washington
  let marc: Session; // releasing officer, SECRET, Washington
  let piet: Session; // SECRET reader at HQ
  let lisa: Session; // RESTRICTED reader at HQ
  let cableId: CableId;

  before(async () => {
    t = await startTestNode();
    const officers = [{ office: DEL, role: 'security-officer' as const }, { office: HQ, role: 'security-officer' as const }];
    for (const o of [{ code: DEL, name: 'EU Delegation to the United States' }, { code: HQ, name: 'Americas Department' }]) {
      await createOffice(t.officer, { ...o, ceiling: 'SECRET', communities: ['EU'] });
    }
    const so = { clearance: 'SECRET' as const, nationality: 'BE', organisations: ['EU'], memberships: officers };
    await createUser(t.officer, { ...so, id: u('ines.moreau'), name: 'Inès Moreau', nationality: 'FR' }); // the officer from init
    const co1 = await t.addOfficer({ ...so, id: u('piotr.nowak'), name: 'Piotr Nowak', nationality: 'PL' });
    const co2 = await t.addOfficer({ ...so, id: u('lena.berg'), name: 'Lena Berg', nationality: 'SE' });
    anna = await t.addUser({ id: u('anna.schmidt'), name: 'Anna Schmidt', clearance: 'CONFIDENTIAL', nationality: 'DE', organisations: ['EU'], memberships: [{ office: DEL, role: 'member' }] });
    marc = await t.addUser({ id: u('marc.dupont'), name: 'Marc Dupont', clearance: 'SECRET', nationality: 'FR', organisations: ['EU'], memberships: [{ office: DEL, role: 'releasing-officer', releaseCeiling: 'SECRET' }] });
    piet = await t.addUser({ id: u('piet.janssens'), name: 'Piet Janssens', clearance: 'SECRET', nationality: 'BE', organisations: ['EU'], memberships: [{ office: HQ, role: 'member' }] });
    lisa = await t.addUser({ id: u('lisa.rossi'), name: 'Lisa Rossi', clearance: 'RESTRICTED', nationality: 'IT', organisations: ['EU'], memberships: [{ office: HQ, role: 'member' }] });
    for (const office of [DEL, HQ]) await openEpochs(t.officer, office, { coOfficers: [co1, co2] });
    for (const [s, office] of [[anna, DEL], [marc, DEL], [piet, HQ], [lisa, HQ]] as const) {
      await issueGrants(t.officer, { user: s.keys.user, device: s.keys.device, office, coOfficers: [co1] });
    }
  });
  after(() => t.close());

  it('drafts, releases and sends a CONFIDENTIAL cable; the addressee reads the exact text', async () => {
    cableId = await draftCable(anna, { from: DEL, to: [HQ], tags: ['PREL', 'US'], precedence: 'IMMEDIATE', level: 'CONFIDENTIAL', releasableTo: ['EU'], subject: 'Sanctions relief: next steps', body: BODY });
    assert.match(cableId, /^EEAS\.DEL\.WASHINGTON\/\d{4}\/000001$/);

    // Unreleased: invisible to the addressee, and the drafter cannot send it yet.
    assert.equal((await fetchInbox(piet)).entries.length, 0);
    assert.equal((await remote(readCable(piet, cableId))).status, 404);
    assert.equal((await refusal(sendCable(anna, cableId))).code, 'request.conflict');

    const candidate = await prepareRelease(marc, cableId);
    assert.match(candidate.telegram, /^CONFIDENTIAL \/\/ EU ONLY$/m);
    assert.match(candidate.telegram, /RELEASED BY: marc\.dupont/);
    await releaseCandidate(marc, candidate);
    assert.equal((await fetchInbox(piet)).entries.length, 0, 'released but not sent: still invisible');
    const sent = await sendCable(anna, cableId);
    assert.deepEqual([...sent.deliveredTo].sort(), [DEL, HQ].sort());

    const inbox = await fetchInbox(piet);
    assert.deepEqual(inbox.entries.map((e) => [e.id, e.precedence, e.office, e.readAt]), [[cableId, 'IMMEDIATE', HQ, null]]);
    const opened = await readCable(piet, cableId);
    assert.equal(opened.cable.content.body, BODY);
    assert.equal(opened.cable.header.releaser, 'marc.dupont');
    assert.equal(opened.telegram, candidate.telegram);
    await markRead(piet, cableId);
    assert.notEqual((await fetchInbox(piet)).entries[0]?.readAt, null);
    assert.deepEqual((await listDrafts(anna, DEL)).map((d) => d.status), ['sent']);
  });

  it('an UNCLASSIFIED cable opens with the office key alone: the release service holds no share of it', async () => {
    const id = await draftCable(anna, { from: DEL, to: [HQ], precedence: 'ROUTINE', level: 'UNCLASSIFIED', subject: 'Press summary', body: 'Nothing of note.', releaser: u('marc.dupont') });
    await releaseCandidate(marc, await prepareRelease(marc, id));
    const unsplit = await remote(anna.http.post(`/api/v1/drafts/${encodeURIComponent(id)}/share`, { office: DEL }));
    assert.deepEqual([unsplit.status, unsplit.code], [409, 'request.conflict']);
    assert.deepEqual((await sendCable(anna, id)).deliveredTo, [DEL, HQ]);
    assert.equal((await readCable(lisa, id)).cable.content.body, 'Nothing of note.');
  });

  // Regression: from LIMITED up (or with caveats or releasability) the drafter countersigned a text it had not seen
  // (`contentChecked: false`): the releasing officer's device could have sealed another body under the same header.
  it('the drafter opens the released cable in full and refuses one whose text is not the draft, split or not', async () => {
    for (const level of ['CONFIDENTIAL', 'UNCLASSIFIED'] as const) {
      const marking = level === 'UNCLASSIFIED' ? {} : { releasableTo: ['EU'] };
      const id = await draftCable(anna, { from: DEL, to: [HQ], precedence: 'PRIORITY', level, ...marking, subject: 'Line to take', body: 'Support the proposal.', releaser: u('marc.dupont') });
      const candidate = await prepareRelease(marc, id);
      await releaseCandidate(marc, { ...candidate, cable: { ...candidate.cable, content: { ...candidate.cable.content, body: 'Oppose the proposal.' } } });
      const refused = await refusal(sendCable(anna, id));
      assert.equal(refused.code, 'verify.manifest_mismatch', level);
      assert.match(refused.message, /text differs from the draft/);
      assert.ok(!(await fetchInbox(piet)).entries.some((e) => e.id === id), 'nothing was delivered');
      assert.equal((await listDrafts(anna, DEL)).find((d) => d.id === id)?.status, 'released');
    }
  });

  it("hands a released draft's share only to its drafter or a releasing officer, for the originating office, until it is sent", async () => {
    const id = await draftCable(anna, { from: DEL, to: [HQ], precedence: 'PRIORITY', level: 'CONFIDENTIAL', releasableTo: ['EU'], subject: 'Demarche', body: BODY, releaser: u('marc.dupont') });
    const ask = async (s: Session, office: OfficeCode) => {
      const error = await remote(s.http.post(`/api/v1/drafts/${encodeURIComponent(id)}/share`, { office }));
      return [error.status, error.code];
    };
    assert.deepEqual(await ask(anna, DEL), [409, 'request.conflict'], 'not released yet');
    await releaseCandidate(marc, await prepareRelease(marc, id));
    assert.deepEqual(await ask(t.officer, DEL), [403, 'request.forbidden'], "a security officer of the office is neither its drafter nor a releaser");
    assert.deepEqual(await ask(piet, DEL), [403, 'request.forbidden'], 'not a member of the originating office');
    assert.deepEqual(await ask(anna, HQ), [403, 'request.forbidden'], "an addressee's share");
    // The releasing officer may open the released draft too, and reads the very text released.
    const { released } = await fetchDraft(marc, id);
    assert.ok(released);
    const verified = await verifyEnvelope(p, released, signerResolver(marc), { roles: ['releaser'] });
    assert.equal((await openVerified(marc, verified, DEL, verified.envelope.header.manifest[0]!.epoch, 'drafts')).content.body, BODY);
    await sendCable(anna, id);
    assert.deepEqual(await ask(anna, DEL), [409, 'request.conflict'], 'sent: readers ask for the cable share now');
  });

  it('refuses a reader without clearance: no listing, no envelope, and the release service says policy.denied', async () => {
    assert.ok(!(await fetchInbox(lisa)).entries.some((e) => e.id === cableId));
    assert.equal((await remote(readCable(lisa, cableId))).status, 403);
    const denied = await remote(lisa.http.post(`/api/v1/cables/${encodeURIComponent(cableId)}/share`, { office: HQ }));
    assert.deepEqual([denied.status, denied.code], [403, 'policy.denied']);
    assert.ok(denied.reasons.some((r) => r.code === 'policy.clearance.insufficient'), JSON.stringify(denied.reasons));
    // Nor can an officer grant her the CONFIDENTIAL key.
    assert.equal((await refusal(issueGrants(t.officer, { user: lisa.keys.user, device: lisa.keys.device, office: HQ, levels: ['CONFIDENTIAL'] }))).code, 'policy.denied');
  });

  it('refuses a tampered envelope before decrypting anything', async () => {
    const tamper = (change: (e: ReturnType<typeof decodeEnvelope>) => ReturnType<typeof decodeEnvelope>): Fetch => async (input, init) => {
      const res = await fetch(input, init);
      if (!input.includes('/api/v1/cables/') || init.method !== 'GET') return res;
      const body = (await res.json()) as { envelope: string };
      body.envelope = toBase64(encodeEnvelope(change(decodeEnvelope(fromBase64(body.envelope)))));
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const flipContent = tamper((e) => ({ ...e, content: e.content.map((b, i) => (i === 0 ? b ^ 1 : b)) }));
    const dropSignature = tamper((e) => ({ ...e, signatures: e.signatures.filter((s) => s.role !== 'releaser') }));
    for (const [fetchImpl, code] of [[flipContent, 'verify.manifest_mismatch'], [dropSignature, 'verify.missing_signature']] as const) {
      const reader = await t.session('piet.janssens', undefined, { fetch: fetchImpl });
      assert.equal((await refusal(readCable(reader, cableId))).code, code);
      reader.close();
    }
  });

  it('a new device approved by the user’s own device gets its keys re-sealed and reads', async () => {
    await enrollDevice(p, { url: t.node.url, user: u('piet.janssens'), device: 'd-piet-2' as never, keyFile: t.keyFile('piet.janssens', 'd-piet-2'), passphrase: PASSPHRASE, keyFileOptions: { scryptN: 1024 } });
    assert.equal((await approveDevice(piet, u('piet.janssens'), 'd-piet-2' as never)).approval.kind, 'device');
    assert.ok((await resealGrants(piet, 'd-piet-2' as never)).length > 0);
    const second = await t.session('piet.janssens', 'd-piet-2');
    assert.equal((await readCable(second, cableId)).cable.content.body, BODY);
  });

  // Regression: createUser sent `active: true` whenever the caller omitted it, and the node took an omitted `frozen`
  // for false, so an update reactivated or unfroze a user.
  it('an update keeps a user inactive or frozen unless the officer says otherwise', async () => {
    const omar = { id: u('omar.haddad'), name: 'Omar Haddad', clearance: 'RESTRICTED' as const, nationality: 'BE', memberships: [{ office: HQ, role: 'member' as const }] };
    const fresh = await createUser(t.officer, omar);
    assert.deepEqual([fresh.active, fresh.frozen], [true, false]);
    await createUser(t.officer, { ...omar, active: false, frozen: true });
    assert.deepEqual([(await createUser(t.officer, { ...omar, clearance: 'CONFIDENTIAL' })).active, (await addRoles(t.officer, omar.id, [{ office: DEL, role: 'member' }])).frozen], [false, true]);
    const after = await createUser(t.officer, { ...omar, active: true, frozen: false });
    assert.deepEqual([after.active, after.frozen, after.memberships.length], [true, false, 1]);
  });

  // Regression: re-sealing skipped closed epochs (the node refused them), so a new device could not read history.
  it('a new device inherits closed epochs too, and reads cables sealed to them', async () => {
    // The HQ CONFIDENTIAL epoch the cable was sealed to is rotated out: closed, so senders need a new one.
    await closeEpoch(t.officer, { office: HQ, level: 'CONFIDENTIAL', epoch: 0 }, 'rotation');
    const id = u('piet.janssens');
    await enrollDevice(p, { url: t.node.url, user: id, device: 'd-piet-3' as never, keyFile: t.keyFile(id, 'd-piet-3'), passphrase: PASSPHRASE, keyFileOptions: { scryptN: 1024 } });
    await approveDevice(piet, id, 'd-piet-3' as never);
    const passed = await resealGrants(piet, 'd-piet-3' as never);
    assert.ok(passed.some((g) => g.office === HQ && g.level === 'CONFIDENTIAL' && g.epoch === 0), JSON.stringify(passed));
    assert.equal((await readCable(await t.session(id, 'd-piet-3'), cableId)).cable.content.body, BODY);
  });

  it('every change made above is on the audit log, in order, with the request address and user agent beside it', () => {
    const rows = t.node.context.store.transaction((tx) => tx.logEntries(0, 1000));
    const entries = rows.map((r) => decodeLogEntry(r.leaf));
    const kinds = new Set(entries.map((e) => e.kind));
    for (const kind of ['officer.appointed', 'device.enrolled', 'device.approved', 'clearance.changed', 'membership.changed', 'epoch.opened', 'epoch.closed',
      'grant.issued', 'user.frozen', 'user.unfrozen', 'cable.sent', 'cable.delivered'] as const) {
      assert.ok(kinds.has(kind), `no ${kind} entry`);
    }
    const sent = entries.find((e) => e.kind === 'cable.sent' && e.cable === cableId);
    assert.ok(sent?.kind === 'cable.sent');
    assert.deepEqual([sent.from, sent.to, sent.level, sent.drafter, sent.releaser], [DEL, [HQ], 'CONFIDENTIAL', 'anna.schmidt', 'marc.dupont']);
    const delivered = entries.filter((e) => e.kind === 'cable.delivered' && e.cable === cableId).map((e) => e.kind === 'cable.delivered' && e.office);
    assert.deepEqual(delivered.sort(), [DEL, HQ].sort());
    const grants = entries.filter((e) => e.kind === 'grant.issued' && e.user === 'piet.janssens');
    assert.ok(grants.some((g) => g.kind === 'grant.issued' && g.issuer.kind === 'device'), 're-sealed grants are logged with the device as issuer');
    // The peer's address and the User-Agent sit beside the leaf and open its commitment.
    const withDetails = rows.filter((r) => r.details !== null);
    assert.ok(withDetails.length >= rows.length - 2, 'every entry a request made has details (init made the first two)');
    for (const row of withDetails.slice(0, 20)) {
      const details = decodePersonalDetails(row.details!);
      assert.match(details.ip ?? '', /^(::ffff:)?127\.0\.0\.1$/);
      const entry = decodeLogEntry(row.leaf);
      assert.ok(entry.details && checkDetails(p, entry.details, row.salt!, details));
    }
    // Every entry is under the latest checkpoint: each request waited for it.
    assert.equal(t.node.context.auditLog.latest()?.size, rows.length);
  });

  it('refuses a node whose organisation root is not the pinned one', async () => {
    const keys = await deviceKeysFromMaterial(p, await readKeyFile(t.keyFile('anna.schmidt'), PASSPHRASE));
    const error = await refusal(openSession(p, keys, { url: t.node.url, rootFingerprint: '00'.repeat(32) }));
    assert.equal(error.code, 'verify.untrusted_key');
    assert.match(error.message, /not the pinned/);
  });
});
