// Issue 4's promise, tested literally (DESIGN.md "The envelope" step 4): an attacker handed a copy of the node's
// database and every office private key one member holds — the member's device key file, and the grants sealed to
// it, opened — still cannot open a LIMITED cable: the second share is sealed to the release service's key, which is
// neither in the database nor in any member's hands. The member's own read goes through the release service and
// leaves a `cable.read` entry on the audit log; and the database holds no byte of the cable's subject or body.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { equalBytes, fromBase64, utf8 } from '../../src/bytes.ts';
import { createOffice, createUser } from '../../src/client/admin.ts';
import { draftCable } from '../../src/client/drafts.ts';
import { issueGrants, openEpochs } from '../../src/client/key-admin.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { readCable } from '../../src/client/reading.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import type { Session } from '../../src/client/session.ts';
import { CHANCERY_SUITE, hpkeOpen, publicKeyOf } from '../../src/crypto/hpke.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { openCable, openReleaseShares } from '../../src/envelope/open.ts';
import { verifyEnvelope, type VerifiedEnvelope } from '../../src/envelope/verify.ts';
import { ChanceryError } from '../../src/errors.ts';
import { decodeKeyGrant } from '../../src/keys/key-grant.ts';
import { grantInfo } from '../../src/keys/grant-seal.ts';
import { decodeOfficeEpoch } from '../../src/keys/office-epoch.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { Store } from '../../src/store/store.ts';
import { p, PASSPHRASE, startTestNode, type TestNode } from './fixtures.ts';

const DEL = 'EEAS.DEL.WASHINGTON' as OfficeCode;
const HQ = 'EEAS.HQ.AMERICAS' as OfficeCode;
const u = (id: string) => id as UserId;
const SUBJECT = 'Minister Varga: private assurances on the gas interconnector';
const BODY = 'In confidence, Minister Varga said Budapest would drop its veto if the interconnector is funded before June.\n\nComment: not to be shared with the Council secretariat.';

/** Where `needle` first occurs in `haystack`, or -1. */
const find = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);

interface OfficeKey {
  readonly office: OfficeCode;
  readonly epoch: number;
  readonly level: string;
  readonly secretKey: Uint8Array;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof ChanceryError, `expected a refusal, got ${String(error)}`);
  return error.code;
}

describe('a stolen database and every office key of one member open no LIMITED cable without the release service', { timeout: 60_000 }, () => {
  let t: TestNode;
  let piet: Session; // the member whose device is stolen: a reader at HQ
  let id: CableId;
  const dbPath = () => join(t.dir, 'data', 'node.sqlite');
  const releaseSecret = () => fromBase64((JSON.parse(readFileSync(join(t.dir, 'data', 'release-service.key'), 'utf8')) as { secretKey: string }).secretKey);
  const readsOf = (cable: CableId) =>
    t.node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((r) => decodeLogEntry(r.leaf)).filter((e) => e.kind === 'cable.read' && e.cable === cable);

  before(async () => {
    t = await startTestNode();
    for (const code of [DEL, HQ]) await createOffice(t.officer, { code, name: code, ceiling: 'LIMITED', communities: ['EU'] });
    const officers = [DEL, HQ].map((office) => ({ office, role: 'security-officer' as const }));
    const base = { clearance: 'LIMITED' as const, organisations: ['EU'] };
    await createUser(t.officer, { ...base, id: u('ines.moreau'), name: 'Inès Moreau', nationality: 'FR', memberships: officers });
    const co = await t.addOfficer({ ...base, id: u('piotr.nowak'), name: 'Piotr Nowak', nationality: 'PL', memberships: officers });
    const anna = await t.addUser({ ...base, id: u('anna.schmidt'), name: 'Anna Schmidt', nationality: 'DE', memberships: [{ office: DEL, role: 'member' }] });
    const marc = await t.addUser({ ...base, id: u('marc.dupont'), name: 'Marc Dupont', nationality: 'FR', memberships: [{ office: DEL, role: 'releasing-officer', releaseCeiling: 'LIMITED' }] });
    piet = await t.addUser({ ...base, id: u('piet.janssens'), name: 'Piet Janssens', nationality: 'BE', memberships: [{ office: HQ, role: 'member' }] });
    // LIMITED keys only: the level of the cable, and all this test needs (the others would only cost time).
    for (const office of [DEL, HQ]) await openEpochs(t.officer, office, { levels: ['LIMITED'], coOfficers: [co] });
    for (const [s, office] of [[anna, DEL], [marc, DEL], [piet, HQ]] as const) {
      await issueGrants(t.officer, { user: s.keys.user, device: s.keys.device, office, levels: ['LIMITED'], coOfficers: [co] });
    }
    id = await draftCable(anna, { from: DEL, to: [HQ], tags: ['PREL'], precedence: 'IMMEDIATE', level: 'LIMITED', subject: SUBJECT, body: BODY, releaser: u('marc.dupont') });
    await releaseCandidate(marc, await prepareRelease(marc, id));
    await sendCable(anna, id);
  });
  after(() => t.close());

  /** What the attacker holds: the database files copied as they lie on disk (main file and write-ahead log). */
  function copyDatabase(to: string): string {
    mkdirSync(to);
    const copy = join(to, 'node.sqlite');
    copyFileSync(dbPath(), copy);
    if (existsSync(`${dbPath()}-wal`)) copyFileSync(`${dbPath()}-wal`, `${copy}-wal`);
    return copy;
  }

  /** The cable from the stolen database, checked as any reader would (the device keys are in the database too). */
  async function stolenCable(stolen: Store): Promise<VerifiedEnvelope> {
    const row = stolen.transaction((tx) => tx.getCable(id));
    assert.ok(row, 'the stolen database holds the cable');
    return verifyEnvelope(p, decodeEnvelope(row.envelope), (user, device) => {
      const d = stolen.transaction((tx) => tx.getDevice(user, device));
      assert.ok(d);
      return Promise.resolve(d.signingKey);
    });
  }

  /**
   * Every office private key the member holds: each grant to each of the member's devices, opened with the
   * device's key file (the attacker has its passphrase too), checked against the epoch's public key.
   */
  async function memberOfficeKeys(stolen: Store): Promise<OfficeKey[]> {
    const keys: OfficeKey[] = [];
    for (const device of stolen.transaction((tx) => tx.listDevices(piet.keys.user))) {
      const material = await readKeyFile(t.keyFile(device.user, device.device), PASSPHRASE);
      for (const g of stolen.transaction((tx) => tx.listGrants(device.user, device.device))) {
        const grant = decodeKeyGrant(g.record);
        const epoch = decodeOfficeEpoch(stolen.transaction((tx) => tx.getEpoch(grant.office, grant.level, grant.epoch))!.record);
        const secretKey = await hpkeOpen(p, CHANCERY_SUITE, material.encryptionSeed, { enc: grant.enc, cipherText: grant.cipherText }, grantInfo(grant), new Uint8Array(0));
        assert.ok(equalBytes(await publicKeyOf(p, secretKey), epoch.publicKey), 'the attacker really holds the office key');
        keys.push({ office: grant.office, epoch: grant.epoch, level: grant.level, secretKey });
      }
    }
    return keys;
  }

  it('with a copy of the database and the member’s opened office keys, the attacker cannot open the cable', async () => {
    const copy = copyDatabase(join(t.dir, 'attacker'));
    const logSize = t.node.context.store.transaction((tx) => tx.logSize());
    const stolen = openSqliteStore(copy);
    try {
      const verified = await stolenCable(stolen);
      const wrap = verified.envelope.header.manifest.find((m) => m.office === HQ);
      assert.ok(wrap);
      const officeKeys = await memberOfficeKeys(stolen);
      const key = officeKeys.find((k) => k.office === HQ && k.level === 'LIMITED' && k.epoch === wrap.epoch);
      assert.ok(key, 'among them the very key the cable was wrapped to');

      // 1. The office key alone: the cable is split, and the other share is not there.
      assert.equal(await refusal(openCable(p, verified, { office: HQ, epoch: wrap.epoch, secretKey: key.secretKey })), 'open.share_required');
      // 2. Guessed shares: the key commitment refuses every content key but the real one.
      for (const guess of [new Uint8Array(32), new Uint8Array(32).fill(0xff), p.randomBytes(32)]) {
        assert.equal(await refusal(openCable(p, verified, { office: HQ, epoch: wrap.epoch, secretKey: key.secretKey, releaseShare: guess })), 'open.failed');
      }
      // 3. The attacker's own code skips the split: the office wrap is then taken for the content key, and is not it.
      const unsplit: VerifiedEnvelope = { ...verified, routing: { ...verified.routing, marking: { ...verified.routing.marking, classification: 'UNCLASSIFIED' } } };
      assert.equal(await refusal(openCable(p, unsplit, { office: HQ, epoch: wrap.epoch, secretKey: key.secretKey })), 'open.failed');
      // 4. The second shares in the database are sealed to the release service: no member's key opens them.
      for (const k of officeKeys) assert.equal(await refusal(openReleaseShares(p, verified, t.node.context.identity.node, k.secretKey)), 'open.failed');
    } finally {
      stolen.close();
    }
    assert.equal(t.node.context.store.transaction((tx) => tx.logSize()), logSize, 'the attack never reached the node');
    assert.equal(readsOf(id).length, 0, 'and nobody has read the cable');

    // Nor does the database hold the text, or the release service's key that would open the shares.
    const files = [copy, `${copy}-wal`].filter(existsSync).map((f) => new Uint8Array(readFileSync(f)));
    assert.ok(files.reduce((n, f) => n + f.length, 0) > 100_000, 'a real database was searched');
    const needles = [utf8(SUBJECT), utf8(BODY), utf8('Minister Varga'), utf8('interconnector'), releaseSecret()];
    for (const file of files) for (const needle of needles) assert.equal(find(file, needle), -1, `found ${needle.length} bytes of secret in the database`);
  });

  // The control: the same steps succeed with the one thing the attacker lacks, so the refusals above are the
  // missing share and not a broken attack. The release key alone, without a member's office key, still opens nothing.
  it('the same steps open the cable with the release service’s key added, and not with that key alone', async () => {
    const stolen = openSqliteStore(copyDatabase(join(t.dir, 'control')));
    try {
      const verified = await stolenCable(stolen);
      const wrap = verified.envelope.header.manifest.find((m) => m.office === HQ)!;
      const shares = await openReleaseShares(p, verified, t.node.context.identity.node, releaseSecret());
      const share = shares.get(HQ);
      assert.ok(share);
      const key = (await memberOfficeKeys(stolen)).find((k) => k.office === HQ && k.level === 'LIMITED' && k.epoch === wrap.epoch)!;
      const opened = await openCable(p, verified, { office: HQ, epoch: wrap.epoch, secretKey: key.secretKey, releaseShare: share });
      assert.deepEqual([opened.content.subject, opened.content.body], [SUBJECT, BODY]);
      // Without an office key: the release key in the office key's place opens no office wrap.
      assert.equal(await refusal(openCable(p, verified, { office: HQ, epoch: wrap.epoch, secretKey: releaseSecret(), releaseShare: share })), 'open.failed');
    } finally {
      stolen.close();
    }
  });

  it('the member reads the cable through the release service, and the read is on the audit log', async () => {
    const opened = await readCable(piet, id);
    assert.deepEqual([opened.cable.content.subject, opened.cable.content.body], [SUBJECT, BODY]);
    const reads = readsOf(id);
    assert.equal(reads.length, 1);
    assert.ok(reads[0]?.kind === 'cable.read');
    assert.deepEqual([reads[0].user, reads[0].device, reads[0].office, reads[0].level], [piet.keys.user, piet.keys.device, HQ, 'LIMITED']);
    assert.ok(piet.log.last && piet.log.last.size > reads.length, 'the reader holds a checkpoint covering its read');
  });
});
