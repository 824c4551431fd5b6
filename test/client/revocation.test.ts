// Revoking a device through the client library, against a real node over HTTP: Anna revokes her lost laptop from
// her phone (which the laptop approved), an officer revokes her tablet, a stranger's attempt changes nothing. The
// revoked device is refused at its very next request — within the node's trust-cache minute — and gets no release
// share; the log holds device.revoked; readers refuse the revoked device as a signer from its revocation on, while
// the phone it approved before keeps verifying (src/client/revoke.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { CableId, DeviceId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { equalBytes } from '../../src/bytes.ts';
import { approveDevice, createOffice, createUser } from '../../src/client/admin.ts';
import { draftCable } from '../../src/client/drafts.ts';
import { enrollDevice } from '../../src/client/enroll.ts';
import { RemoteError } from '../../src/client/http.ts';
import { issueGrants, openEpochs, resealGrants } from '../../src/client/key-admin.ts';
import { officerCertificate } from '../../src/client/key-directory.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { readCable } from '../../src/client/reading.ts';
import { deviceStanding, isStandingRevokedAt, listDevicesWithRevocations, revokeDevice, verifyChainAsOfRevocations, verifyDeviceStanding } from '../../src/client/revoke.ts';
import { sendCable } from '../../src/client/send.ts';
import type { Session } from '../../src/client/session.ts';
import { ChanceryError } from '../../src/errors.ts';
import { encodeDeviceRevocation } from '../../src/keys/device-revocation.ts';
import { decodeLogEntry, type LogEntry } from '../../src/log/events.ts';
import { p, PASSPHRASE, startTestNode, type TestNode } from './fixtures.ts';

const DEL = 'EEAS.DEL.WASHINGTON' as OfficeCode;
const HQ = 'EEAS.HQ.AMERICAS' as OfficeCode;
const u = (id: string) => id as UserId;
const ANNA = u('anna.schmidt');
const LAPTOP = 'd-anna-1' as DeviceId;
const PHONE = 'd-anna-2' as DeviceId;
const TABLET = 'd-anna-3' as DeviceId;
const member = { clearance: 'LIMITED' as const, nationality: 'DE', organisations: ['EU'] };

async function remote(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof RemoteError, `expected the node to refuse, got ${String(error)}`);
  return error;
}

describe('device revocation through the client', { timeout: 120_000 }, () => {
  let t: TestNode;
  let laptop: Session;
  let phone: Session;
  let tablet: Session;
  let bob: Session;
  let cable: CableId;
  const sessions: Session[] = [];
  const entries = (): LogEntry[] => t.node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((e) => decodeLogEntry(e.leaf));
  const certificates = (s: Session) => (user: UserId) => officerCertificate(s, user);
  const share = (s: Session) => s.http.post(`/api/v1/cables/${encodeURIComponent(cable)}/share`, { office: DEL });

  /** Enrolls another device of Anna's and has `approver` (an officer's session or one of her devices) approve it. */
  async function annaDevice(device: DeviceId, approver: Session): Promise<Session> {
    await enrollDevice(p, { url: t.node.url, user: ANNA, device, keyFile: t.keyFile(ANNA, device), passphrase: PASSPHRASE, rootFingerprint: t.rootFingerprint, keyFileOptions: { scryptN: 1024 } });
    await approveDevice(approver, ANNA, device);
    const s = await t.session(ANNA, device);
    sessions.push(s);
    return s;
  }

  before(async () => {
    t = await startTestNode();
    for (const [code, name] of [[DEL, 'EU Delegation to the United States'], [HQ, 'Americas Department']] as const) {
      await createOffice(t.officer, { code, name, ceiling: 'LIMITED', communities: ['EU'] });
    }
    const officer = { ...member, nationality: 'FR', memberships: [DEL, HQ].map((office) => ({ office, role: 'security-officer' as const })) };
    await createUser(t.officer, { ...officer, id: u('ines.moreau'), name: 'Inès Moreau' });
    // An officer grants no key to themself: a second one is needed to open epochs.
    const piotr = await t.addOfficer({ ...officer, id: u('piotr.nowak'), name: 'Piotr Nowak' });
    laptop = await t.addUser({ ...member, id: ANNA, name: 'Anna Schmidt', memberships: [{ office: DEL, role: 'member' }] }, LAPTOP);
    bob = await t.addUser({ ...member, id: u('bob.martin'), name: 'Bob Martin', nationality: 'FR', memberships: [{ office: DEL, role: 'member' }] });
    const marc = await t.addUser({ ...member, id: u('marc.dupont'), name: 'Marc Dupont', nationality: 'FR', memberships: [{ office: DEL, role: 'releasing-officer', releaseCeiling: 'LIMITED' }] });
    sessions.push(piotr, laptop, bob, marc);
    for (const office of [DEL, HQ]) await openEpochs(t.officer, office, { coOfficers: [piotr] });
    for (const s of [laptop, bob, marc]) await issueGrants(t.officer, { user: s.keys.user, device: s.keys.device, office: DEL });
    phone = await annaDevice(PHONE, laptop);
    await resealGrants(laptop, PHONE);
    tablet = await annaDevice(TABLET, t.officer);
    cable = await draftCable(bob, { from: DEL, to: [HQ], precedence: 'PRIORITY', level: 'LIMITED', releasableTo: ['EU'], subject: 'Visit', body: 'The visit is confirmed.', releaser: marc.keys.user });
    await releaseCandidate(marc, await prepareRelease(marc, cable));
    await sendCable(bob, cable);
  });
  after(async () => {
    for (const s of sessions) s.close();
    await t.close();
  });

  it('Anna revokes her lost laptop from her phone: the laptop is refused at once and gets no release share', async () => {
    // The laptop reads (a logged share): its chain is now in the node's trust cache.
    assert.equal((await readCable(laptop, cable)).cable.content.body, 'The visit is confirmed.');
    const logged = entries().length;

    const result = await revokeDevice(phone, ANNA, LAPTOP);
    assert.deepEqual([result.by, result.duplicate], [{ kind: 'device', device: PHONE }, false]);
    assert.deepEqual(result.heldEpochs.map((e) => `${e.office} ${e.level} ${e.epoch}`).sort(), [`${DEL} LIMITED 0`, `${DEL} UNCLASSIFIED 0`]);

    for (const refused of [await remote(readCable(laptop, cable)), await remote(share(laptop)), await remote(laptop.http.get('/api/v1/grants'))]) {
      assert.deepEqual([refused.status, refused.code], [401, 'auth.device_not_approved']);
    }
    const after = entries().slice(logged);
    assert.deepEqual(after.map((e) => e.kind), ['device.revoked'], 'no read, no share: only the revocation');
    const revoked = after[0];
    assert.ok(revoked?.kind === 'device.revoked');
    assert.deepEqual([revoked.user, revoked.device, revoked.by], [ANNA, LAPTOP, ANNA]);
    const listing = await listDevicesWithRevocations(bob, ANNA);
    assert.equal(listing.revocations.length, 1);
    assert.ok(equalBytes(revoked.recordHash, p.sha256(encodeDeviceRevocation(listing.revocations[0]!))), 'the entry names the record the listing serves');

    // The phone, which the laptop approved, still authenticates; a second revocation of the laptop is a conflict.
    await phone.http.get(`/api/v1/users/${ANNA}`);
    const again = await remote(revokeDevice(phone, ANNA, LAPTOP));
    assert.deepEqual([again.status, again.code], [409, 'request.conflict']);
  });

  it('readers refuse the revoked laptop as a signer from its revocation on; the phone it approved keeps verifying', async () => {
    const standing = await deviceStanding(bob, ANNA, LAPTOP, certificates(bob));
    const revokedAt = standing.revocation?.revokedAt;
    assert.ok(revokedAt !== undefined);
    assert.equal(isStandingRevokedAt(standing, revokedAt - 1), false, 'a cable it signed before then still verifies');
    assert.equal(isStandingRevokedAt(standing, revokedAt), true);
    await verifyDeviceStanding(bob, ANNA, LAPTOP, certificates(bob), revokedAt - 1);
    await assert.rejects(verifyDeviceStanding(bob, ANNA, LAPTOP, certificates(bob)), (e: unknown) => e instanceof ChanceryError && e.code === 'verify.untrusted_key');
    const verifiedPhone = await verifyDeviceStanding(bob, ANNA, PHONE, certificates(bob));
    assert.deepEqual(verifiedPhone.path.map((d) => d.device), [LAPTOP]);

    // As key-directory.ts's verifyDevice would call it, with its own vetted records (revoked devices' included).
    const records = (await listDevicesWithRevocations(bob, ANNA)).records.map((d) => d.record);
    const officers = [await officerCertificate(bob, u('ines.moreau'))];
    const input = (device: DeviceId) => ({ device: records.find((r) => r.device === device)!, devices: records, officers, root: bob.node.root, at: bob.now() });
    assert.equal((await verifyChainAsOfRevocations(bob, input(PHONE), certificates(bob))).record.device, PHONE);
    await assert.rejects(verifyChainAsOfRevocations(bob, input(LAPTOP), certificates(bob)), (e: unknown) => e instanceof ChanceryError && e.code === 'verify.untrusted_key');
    await verifyChainAsOfRevocations(bob, { ...input(LAPTOP), at: revokedAt - 1 }, certificates(bob));
  });

  it('an officer revokes her tablet', async () => {
    const result = await revokeDevice(t.officer, ANNA, TABLET);
    assert.deepEqual(result.by, { kind: 'officer', officer: 'ines.moreau' });
    const refused = await remote(tablet.http.get(`/api/v1/users/${ANNA}`));
    assert.deepEqual([refused.status, refused.code], [401, 'auth.device_not_approved']);
    const last = entries().at(-1);
    assert.ok(last?.kind === 'device.revoked' && last.by === 'ines.moreau' && last.device === TABLET);
  });

  it("a stranger's revocation is refused with 403 and nothing changes", async () => {
    const logged = entries().length;
    const refused = await remote(revokeDevice(bob, ANNA, PHONE));
    assert.deepEqual([refused.status, refused.code], [403, 'request.forbidden']);
    assert.equal(entries().length, logged);
    assert.equal(t.node.context.store.transaction((tx) => tx.getDevice(ANNA, PHONE)?.status), 'approved');
    assert.equal(t.node.context.store.transaction((tx) => tx.getDeviceRevocation(ANNA, PHONE)), null);
    await phone.http.get(`/api/v1/users/${ANNA}`);
  });

  it('the phone the revoked laptop approved still gets its release share', async () => {
    assert.equal(((await share(phone)) as { cable: string }).cable, cable);
  });

  it('chancery device revoke: the phone retires itself from the command line', async () => {
    const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [bin, 'device', 'revoke', '--key', t.keyFile(ANNA, PHONE), '--json', ANNA, PHONE], {
      env: { ...process.env, CHANCERY_PASSPHRASE: PASSPHRASE }, timeout: 60_000,
    });
    const printed = JSON.parse(stdout) as { user: string; device: string; by: unknown; duplicate: boolean };
    assert.deepEqual([printed.user, printed.device, printed.by, printed.duplicate], [ANNA, PHONE, { kind: 'device', device: PHONE }, false]);
    const refused = await remote(phone.http.get(`/api/v1/users/${ANNA}`));
    assert.deepEqual([refused.status, refused.code], [401, 'auth.device_not_approved']);
  });
});
