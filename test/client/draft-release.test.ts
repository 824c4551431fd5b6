// Release-gated drafts (docs/decisions/015-release-gated-drafts.md), against a real node and its keeper: a LIMITED
// draft opens for nobody with the office key alone — not even for someone holding a copy of the node's database and
// every office key a member holds — and every device's opening of it goes through the release service, which logs a
// `draft.read` first, under the share rate; an UNCLASSIFIED draft opens with the office key and logs nothing; a
// stranger, or a member whom the draft's marking excludes, is refused before anything is written.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { equalBytes, utf8 } from '../../src/bytes.ts';
import { createOffice, createUser } from '../../src/client/admin.ts';
import { draftCable, fetchDraft, openSealedDraft, type DraftInput } from '../../src/client/drafts.ts';
import { RemoteError } from '../../src/client/http.ts';
import { issueGrants, openEpochs } from '../../src/client/key-admin.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import type { Session } from '../../src/client/session.ts';
import { CHANCERY_SUITE, hpkeOpen, publicKeyOf } from '../../src/crypto/hpke.ts';
import { decodeSealedDraft, openDraft } from '../../src/envelope/draft.ts';
import { openDraftRelease } from '../../src/envelope/draft-release.ts';
import { ChanceryError } from '../../src/errors.ts';
import { decodeKeyGrant } from '../../src/keys/key-grant.ts';
import { grantInfo } from '../../src/keys/grant-seal.ts';
import { decodeOfficeEpoch } from '../../src/keys/office-epoch.ts';
import { decodeLogEntry, type LogEntry } from '../../src/log/events.ts';
import { DEFAULT_SHARE_RATE } from '../../src/node/share-rate.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { p, PASSPHRASE, startTestNode, type TestNode } from './fixtures.ts';

const DEL = 'EEAS.DEL.WASHINGTON' as OfficeCode;
const HQ = 'EEAS.HQ.AMERICAS' as OfficeCode;
const u = (id: string) => id as UserId;
const SUBJECT = 'Draft: Minister Varga on the gas interconnector';
const BODY = 'In confidence, Minister Varga said Budapest would drop its veto if the interconnector is funded before June.';

async function refusal(promise: Promise<unknown>): Promise<ChanceryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof ChanceryError, `expected a refusal, got ${String(error)}`);
  return error;
}

describe('drafts from LIMITED up open only through the release service, which logs draft.read first', { timeout: 120_000 }, () => {
  let t: TestNode;
  let anna: Session; // drafter at the Delegation
  let marc: Session; // its releasing officer
  let bea: Session; // another member of the Delegation, cleared
  let otto: Session; // a member of the Delegation cleared below LIMITED
  let sam: Session; // a member of the Delegation outside the EU community
  let piet: Session; // a reader at HQ: a stranger to the Delegation's drafts
  let limited: CableId;
  const entries = (): LogEntry[] => t.node.context.store.transaction((tx) => tx.logEntries(0, 100_000)).map((r) => decodeLogEntry(r.leaf));
  const draftReads = (id: CableId) => entries().filter((e) => e.kind === 'draft.read' && e.cable === id);
  const logSize = () => t.node.context.store.transaction((tx) => tx.logSize());
  const askShare = (s: Session, id: CableId) => s.http.post(`/api/v1/drafts/${encodeURIComponent(id)}/draft-share`, {});
  const draft = (s: Session, input: Partial<DraftInput> = {}) =>
    draftCable(s, { from: DEL, to: [HQ], tags: ['PREL'], precedence: 'PRIORITY', level: 'LIMITED', releasableTo: ['EU'], subject: SUBJECT, body: BODY, releaser: u('marc.dupont'), ...input });

  before(async () => {
    t = await startTestNode();
    for (const code of [DEL, HQ]) await createOffice(t.officer, { code, name: code, ceiling: 'LIMITED', communities: ['EU'] });
    const officers = [DEL, HQ].map((office) => ({ office, role: 'security-officer' as const }));
    const base = { clearance: 'LIMITED' as const, organisations: ['EU'] };
    const member = [{ office: DEL, role: 'member' as const }];
    await createUser(t.officer, { ...base, id: u('ines.moreau'), name: 'Inès Moreau', nationality: 'FR', memberships: officers });
    const co = await t.addOfficer({ ...base, id: u('piotr.nowak'), name: 'Piotr Nowak', nationality: 'PL', memberships: officers });
    anna = await t.addUser({ ...base, id: u('anna.schmidt'), name: 'Anna Schmidt', nationality: 'DE', memberships: member });
    marc = await t.addUser({ ...base, id: u('marc.dupont'), name: 'Marc Dupont', nationality: 'FR', memberships: [{ office: DEL, role: 'releasing-officer', releaseCeiling: 'LIMITED' }] });
    bea = await t.addUser({ ...base, id: u('bea.lindqvist'), name: 'Bea Lindqvist', nationality: 'SE', memberships: member });
    otto = await t.addUser({ ...base, clearance: 'UNCLASSIFIED', id: u('otto.weber'), name: 'Otto Weber', nationality: 'AT', memberships: member });
    sam = await t.addUser({ ...base, organisations: [], id: u('sam.carter'), name: 'Sam Carter', nationality: 'US', memberships: member });
    piet = await t.addUser({ ...base, id: u('piet.janssens'), name: 'Piet Janssens', nationality: 'BE', memberships: [{ office: HQ, role: 'member' }] });
    for (const office of [DEL, HQ]) await openEpochs(t.officer, office, { levels: ['UNCLASSIFIED', 'LIMITED'], coOfficers: [co] });
    for (const s of [anna, marc, bea, sam]) await issueGrants(t.officer, { user: s.keys.user, device: s.keys.device, office: DEL, levels: ['UNCLASSIFIED', 'LIMITED'], coOfficers: [co] });
    await issueGrants(t.officer, { user: otto.keys.user, device: otto.keys.device, office: DEL, levels: ['UNCLASSIFIED'], coOfficers: [co] });
    limited = await draft(anna);
  });
  after(() => t.close());

  /** The database files as they lie on disk (main file and write-ahead log), copied to `to`. */
  function copyDatabase(to: string): string {
    const db = join(t.dir, 'data', 'node.sqlite');
    mkdirSync(to);
    const copy = join(to, 'node.sqlite');
    copyFileSync(db, copy);
    if (existsSync(`${db}-wal`)) copyFileSync(`${db}-wal`, `${copy}-wal`);
    return copy;
  }

  it('does not open with the office key alone, nor from a copy of the database and every office key of a member', async () => {
    const before = logSize();
    const copy = copyDatabase(join(t.dir, 'attacker'));
    const stolen = openSqliteStore(copy);
    try {
      const sealed = decodeSealedDraft(stolen.transaction((tx) => tx.getDraft(limited))!.sealedDraft);
      assert.ok(sealed.release, 'a LIMITED draft carries a release bundle');
      // Every office key the drafter's devices hold, opened from the grants in the database with the key file.
      const keys: Uint8Array[] = [];
      for (const device of stolen.transaction((tx) => tx.listDevices(anna.keys.user))) {
        const material = await readKeyFile(t.keyFile(device.user, device.device), PASSPHRASE);
        for (const g of stolen.transaction((tx) => tx.listGrants(device.user, device.device))) {
          const grant = decodeKeyGrant(g.record);
          const epoch = decodeOfficeEpoch(stolen.transaction((tx) => tx.getEpoch(grant.office, grant.level, grant.epoch))!.record);
          const secret = await hpkeOpen(p, CHANCERY_SUITE, material.encryptionSeed, { enc: grant.enc, cipherText: grant.cipherText }, grantInfo(grant), new Uint8Array(0));
          assert.ok(equalBytes(await publicKeyOf(p, secret), epoch.publicKey), 'the attacker really holds the office key');
          keys.push(secret);
        }
      }
      assert.equal(keys.length, 2, 'the UNCLASSIFIED and LIMITED keys of the Delegation');
      for (const key of keys) {
        assert.equal((await refusal(openDraft(p, sealed, key))).code, 'open.share_required');
        for (const guess of [new Uint8Array(32), p.randomBytes(32)]) assert.equal((await refusal(openDraft(p, sealed, key, guess))).code, 'open.failed');
        // Nor is the bundle any office key's to open: it is sealed to the release service.
        assert.equal((await refusal(openDraftRelease(p, sealed, sealed.release, t.node.context.identity.node, key))).code, 'open.not_addressed');
      }
    } finally {
      stolen.close();
    }
    assert.equal(logSize(), before, 'the attack never reached the node');
    assert.equal(draftReads(limited).length, 0, 'and nobody has opened the draft');
    const files = [copy, `${copy}-wal`].filter(existsSync).map((f) => new Uint8Array(readFileSync(f)));
    for (const file of files) for (const needle of [utf8(SUBJECT), utf8('interconnector')]) assert.equal(Buffer.from(file).indexOf(needle), -1);
  });

  it('the drafter opens it through the release service, and each opening is a draft.read on the log', async () => {
    const { draft: sealed } = await fetchDraft(anna, limited);
    for (let n = 1; n <= 2; n++) {
      const cable = await openSealedDraft(anna, sealed);
      assert.deepEqual([cable.content.subject, cable.content.body], [SUBJECT, BODY]);
      const reads = draftReads(limited);
      assert.equal(reads.length, n, 'content keys are kept in memory only: every opening is logged');
      const last = reads.at(-1);
      assert.ok(last?.kind === 'draft.read');
      assert.deepEqual([last.user, last.device, last.cable, last.office, last.level], [anna.keys.user, anna.keys.device, limited, DEL, 'LIMITED']);
      assert.ok(last.details, 'with the address and user agent committed to');
    }
    assert.ok(anna.log.last && anna.log.last.size >= logSize(), 'the drafter holds a checkpoint covering its reads');
  });

  it('the releasing officer opens it to release it, and the drafter to send it: each a draft.read', async () => {
    const before = draftReads(limited).length;
    const candidate = await prepareRelease(marc, limited);
    assert.equal(candidate.cable.content.body, BODY);
    const reads = draftReads(limited);
    const last = reads.at(-1);
    assert.equal(reads.length, before + 1);
    assert.ok(last?.kind === 'draft.read' && last.user === marc.keys.user);
    await releaseCandidate(marc, candidate);
    const size = logSize();
    await sendCable(anna, limited);
    const sent = entries().slice(size);
    const opened = sent.flatMap((e) => (e.kind === 'draft.read' || e.kind === 'share.released' ? [`${e.kind} ${e.user}`] : []));
    assert.deepEqual(opened, [`draft.read ${anna.keys.user}`, `share.released ${anna.keys.user}`], 'the draft, then the released cable');
  });

  it('an UNCLASSIFIED draft opens with the office key alone and logs nothing; the route says there is no share', async () => {
    const id = await draft(anna, { level: 'UNCLASSIFIED', releasableTo: [], subject: 'Draft: visitor programme' });
    const { draft: sealed } = await fetchDraft(bea, id);
    assert.equal(sealed.release, null);
    const before = logSize();
    assert.equal((await openSealedDraft(bea, sealed)).content.subject, 'Draft: visitor programme');
    assert.equal(logSize(), before, 'nothing was logged');
    const refused = await refusal(askShare(bea, id));
    assert.ok(refused instanceof RemoteError);
    assert.deepEqual([refused.status, refused.code], [409, 'request.conflict']);
    // With only a releasability on it, an UNCLASSIFIED draft is release-gated like a LIMITED one.
    const gated = await draft(anna, { level: 'UNCLASSIFIED', releasableTo: ['EU'], subject: 'Draft: EU only' });
    const opened = await openSealedDraft(bea, (await fetchDraft(bea, gated)).draft);
    assert.equal(opened.content.subject, 'Draft: EU only');
    assert.equal(draftReads(gated).length, 1);
  });

  it('refuses a stranger, and a member the marking excludes, before anything is written', async () => {
    const before = logSize();
    const stranger = await refusal(askShare(piet, limited));
    assert.ok(stranger instanceof RemoteError);
    assert.deepEqual([stranger.status, stranger.code], [403, 'request.forbidden']);
    for (const [s, reason] of [[otto, 'policy.clearance.insufficient'], [sam, 'policy.releasability.excluded']] as const) {
      const denied = await refusal(askShare(s, limited));
      assert.ok(denied instanceof RemoteError);
      assert.deepEqual([denied.status, denied.code], [403, 'policy.denied']);
      assert.ok(denied.reasons.some((r) => r.code === reason), JSON.stringify(denied.reasons));
    }
    // Sam holds the Delegation's LIMITED key, yet cannot open a draft releasable to the EU only.
    assert.equal((await refusal(openSealedDraft(sam, (await fetchDraft(sam, limited)).draft))).code, 'policy.denied');
    assert.equal(logSize(), before);
  });

  it('the release service gives a draft share only against a draft.read of that very draft', async () => {
    const other = await draft(anna, { subject: 'Draft: another' });
    const index = entries().findIndex((e) => e.kind === 'draft.read' && e.cable === limited);
    assert.ok(index >= 0);
    const refused = await refusal(t.node.context.release.shareFor({ routing: { id: other } }, DEL, { index }));
    assert.equal(refused.code, 'internal');
    assert.equal((await refusal(t.node.context.release.shareFor({ routing: { id: limited } }, HQ, { index }))).code, 'internal');
  });

  it('draft shares count against the hard per-user rate', async () => {
    const counted = () => t.node.context.store.transaction((tx) => tx.countShareReleases(bea.keys.user, 0));
    const id = await draft(anna, { subject: 'Draft: rate' });
    const start = counted();
    assert.equal(start, 1, "bea's opening of the EU-only draft above");
    for (let n = start; n < DEFAULT_SHARE_RATE.perMinute; n++) await askShare(bea, id);
    assert.equal(counted(), DEFAULT_SHARE_RATE.perMinute);
    const before = logSize();
    const limitedOut = await refusal(askShare(bea, id));
    assert.ok(limitedOut instanceof RemoteError);
    assert.deepEqual([limitedOut.status, limitedOut.code], [429, 'request.rate_limited']);
    assert.equal(logSize(), before, 'a refused share is not logged');
    assert.equal(draftReads(id).length, DEFAULT_SHARE_RATE.perMinute - start);
  });
});
