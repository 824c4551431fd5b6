// POST /api/v1/device-revocations (src/node/routes/revocations.ts): the user's own other device, the device itself or
// a security officer revokes; the node checks the record's chain, marks the device revoked, stores the record and
// logs device.revoked in one transaction, and the device is refused at once — within the trust cache's minute. What
// it approved before stands; anything else (a stranger, an unknown or pending device, a second record) is refused
// with a stable code and writes nothing. In-process node, on a clock the test moves.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { equalBytes, fromBase64, toBase64 } from '../../src/bytes.ts';
import type { DeviceKeys } from '../../src/client/device-keys.ts';
import { encodeDeviceRecord, signDeviceRecord } from '../../src/keys/device-record.ts';
import { encodeDeviceRevocation, signDeviceRevocation, type DeviceRevocation, type DeviceRevocationBody } from '../../src/keys/device-revocation.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { TRUST_CACHE_TTL_MS } from '../../src/node/trust.ts';
import { AMERICAS, approvedUser, codeOf, enroll, makeNode, NODE, officeBody, OLGA, p, send, sessionOf, tableDigest, type Reply, type TestNode } from './fixtures.ts';

const ANNA = 'anna' as UserId;
const BORIS = 'boris' as UserId;

describe('device revocation at the node', () => {
  let node: TestNode;
  let clock = Date.now();
  let laptop: DeviceKeys; // officer-approved
  let phone: DeviceKeys; // approved by the laptop
  let boris: DeviceKeys;

  const whoAmI = (keys: DeviceKeys) => send(node, sessionOf(keys), 'GET', `/api/v1/users/${keys.user}`);
  const post = (uploader: { user: UserId; device: DeviceId; signingSeed: Uint8Array }, r: DeviceRevocation) =>
    send(node, uploader, 'POST', '/api/v1/device-revocations', { body: { record: toBase64(encodeDeviceRevocation(r)) } });
  const body = (user: UserId, device: DeviceId, by: DeviceRevocationBody['by'], revokedAt = clock): DeviceRevocationBody => ({ user, device, node: NODE, revokedAt, by });
  const byDevice = (target: DeviceKeys, revoker: DeviceKeys, revokedAt = clock) =>
    signDeviceRevocation(p, body(target.user, target.device, { kind: 'device', device: revoker.device }, revokedAt), revoker.signingSeed);
  const status = (user: UserId, device: DeviceId) => node.context.store.transaction((tx) => tx.getDevice(user, device)?.status);
  const logKinds = () => node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((e) => decodeLogEntry(e.leaf));
  const expect = (reply: Reply, code: number, error?: string) => assert.deepEqual([reply.status, codeOf(reply)], [code, error], reply.text);

  /** Enrolls `id` for `user` and has `approver` (a device of the user) approve it now. */
  async function approvedBy(user: UserId, id: string, approver: DeviceKeys): Promise<DeviceKeys> {
    const { keys } = await enroll(node, user, id as DeviceId);
    const record = await signDeviceRecord(
      p,
      { user, device: keys.device, node: NODE, signingKey: keys.signingKey, encryptionKey: keys.encryptionKey, createdAt: clock, approval: { kind: 'device', device: approver.device } },
      approver.signingSeed,
    );
    expect(await send(node, sessionOf(approver), 'POST', `/api/v1/devices/${user}/${keys.device}/approval`, { body: { record: toBase64(encodeDeviceRecord(record)) } }), 200);
    return keys;
  }

  before(async () => {
    node = await makeNode({ now: () => clock });
    clock = Date.now(); // the first officer's certificate is valid from the moment the node was initialised
    expect(await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) }), 201);
    laptop = await approvedUser(node, ANNA, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
    boris = await approvedUser(node, BORIS, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
    clock += 1000;
    phone = await approvedBy(ANNA, 'd-anna-2', laptop);
  });
  beforeEach(() => {
    clock += 1000;
  });
  after(() => node.close());

  it("refuses a stranger's revocation with 403 and writes nothing", async () => {
    const digest = tableDigest(node.dataDir);
    try {
      const before = digest.digest();
      // Boris's own device signing for Anna's phone, as a device and as an officer he is not; and Anna's phone
      // uploading a record her laptop signed.
      expect(await post(sessionOf(boris), await byDevice(phone, boris)), 403, 'request.forbidden');
      expect(await post(sessionOf(boris), await signDeviceRevocation(p, body(ANNA, phone.device, { kind: 'officer', officer: BORIS }), boris.signingSeed)), 403, 'request.forbidden');
      expect(await post(sessionOf(phone), await byDevice(laptop, laptop)), 403, 'request.forbidden');
      // A revocation naming Anna's phone as revoker, signed by Boris's key, uploaded by the phone: the signature fails.
      const forged = await signDeviceRevocation(p, body(ANNA, laptop.device, { kind: 'device', device: phone.device }), boris.signingSeed);
      expect(await post(sessionOf(phone), forged), 422, 'verify.bad_signature');
      assert.deepEqual(digest.digest(), before);
    } finally {
      digest.close();
    }
    for (const keys of [laptop, phone]) expect(await whoAmI(keys), 200);
  });

  it('refuses an unknown or pending device, another node, and a time far from the clock', async () => {
    const { keys: pending } = await enroll(node, ANNA, 'd-anna-9' as DeviceId);
    expect(await post(sessionOf(phone), await signDeviceRevocation(p, body(ANNA, 'd-anna-8' as DeviceId, { kind: 'device', device: phone.device }), phone.signingSeed)), 404, 'request.not_found');
    expect(await post(sessionOf(phone), await byDevice(pending, phone)), 409, 'request.conflict');
    const elsewhere = await signDeviceRevocation(p, { ...body(ANNA, laptop.device, { kind: 'device', device: phone.device }), node: 'EEAS' as NodeName }, phone.signingSeed);
    expect(await post(sessionOf(phone), elsewhere), 400, 'request.malformed');
    expect(await post(sessionOf(phone), await byDevice(laptop, phone, clock - 11 * 60_000)), 400, 'request.malformed');
    expect(await post(sessionOf(phone), await byDevice(laptop, phone, clock + 11 * 60_000)), 400, 'request.malformed');
    assert.equal(status(ANNA, laptop.device), 'approved');
  });

  it("the user's other device revokes a lost one: refused at once, inside the trust cache's minute; logged; idempotent", async () => {
    // The laptop's chain is in the trust cache now; the revocation must bite before the minute is out.
    expect(await whoAmI(laptop), 200);
    const logged = logKinds().length;
    const revocation = await byDevice(laptop, phone);
    const reply = await post(sessionOf(phone), revocation);
    expect(reply, 201);
    const answer = reply.json as { revocation: { user: string; device: string; revokedAt: number; record: string }; duplicate: boolean; heldEpochs: unknown[] };
    assert.ok(equalBytes(fromBase64(answer.revocation.record), encodeDeviceRevocation(revocation)));
    assert.deepEqual([answer.revocation.revokedAt, answer.duplicate, answer.heldEpochs], [revocation.revokedAt, false, []]);
    clock += 1000; // well inside TRUST_CACHE_TTL_MS
    assert.ok(1000 < TRUST_CACHE_TTL_MS);
    expect(await whoAmI(laptop), 401, 'auth.device_not_approved');
    expect(await send(node, sessionOf(laptop), 'GET', '/api/v1/grants'), 401, 'auth.device_not_approved');
    expect(await send(node, sessionOf(laptop), 'POST', '/api/v1/cables/MFA.CY.AMERICAS%2F2026%2F000001/share', { body: { office: AMERICAS } }), 401, 'auth.device_not_approved');
    // The phone, approved by the laptop before the revocation, stands.
    expect(await whoAmI(phone), 200);
    assert.equal(status(ANNA, laptop.device), 'revoked');

    const entries = logKinds();
    assert.equal(entries.length, logged + 1);
    const entry = entries.at(-1);
    assert.ok(entry?.kind === 'device.revoked');
    assert.deepEqual([entry.user, entry.device, entry.by], [ANNA, laptop.device, ANNA]);
    assert.ok(equalBytes(entry.recordHash, p.sha256(encodeDeviceRevocation(revocation))), 'the entry names the stored record');

    // The same record again (a lost acknowledgement): nothing changes, nothing is logged. Another record: a conflict.
    const again = await post(sessionOf(phone), revocation);
    expect(again, 200);
    assert.equal((again.json as { duplicate: boolean }).duplicate, true);
    expect(await post(sessionOf(phone), await byDevice(laptop, phone)), 409, 'request.conflict');
    expect(await post(node.officer, await signDeviceRevocation(p, body(ANNA, laptop.device, { kind: 'officer', officer: OLGA }), node.officer.signingSeed)), 409, 'request.conflict');
    assert.equal(logKinds().length, logged + 1);
  });

  it('a revoked device approves nothing and revokes nothing', async () => {
    const { keys: late } = await enroll(node, ANNA, 'd-anna-5' as DeviceId);
    const record = await signDeviceRecord(
      p,
      { user: ANNA, device: late.device, node: NODE, signingKey: late.signingKey, encryptionKey: late.encryptionKey, createdAt: clock - 60_000, approval: { kind: 'device', device: laptop.device } },
      laptop.signingSeed,
    );
    // Uploaded by the revoked laptop: refused at the door; by the phone: the laptop is no approver any more.
    expect(await send(node, sessionOf(laptop), 'POST', `/api/v1/devices/${ANNA}/${late.device}/approval`, { body: { record: toBase64(encodeDeviceRecord(record)) } }), 401, 'auth.device_not_approved');
    expect(await send(node, sessionOf(phone), 'POST', `/api/v1/devices/${ANNA}/${late.device}/approval`, { body: { record: toBase64(encodeDeviceRecord(record)) } }), 422, 'verify.untrusted_key');
    expect(await post(sessionOf(laptop), await byDevice(phone, laptop)), 401, 'auth.device_not_approved');
    assert.equal(status(ANNA, phone.device), 'approved');
  });

  it('lists revoked devices with their revocation to any member, and stays valid after the cache minute', async () => {
    const reply = await send(node, sessionOf(boris), 'GET', `/api/v1/devices/${ANNA}`);
    expect(reply, 200);
    const listing = reply.json as { devices: { device: string; status: string }[]; revocations: { user: string; device: string; revokedAt: number; record: string }[] };
    assert.deepEqual(listing.devices.map((d) => [d.device, d.status]), [[laptop.device, 'revoked'], [phone.device, 'approved']], 'no pending device for another member');
    assert.deepEqual(listing.revocations.map((r) => [r.user, r.device]), [[ANNA, laptop.device]]);
    clock += TRUST_CACHE_TTL_MS + 1;
    expect(await whoAmI(phone), 200);
    expect(await whoAmI(laptop), 401, 'auth.device_not_approved');
  });

  it('an officer revokes a device; a device may revoke itself', async () => {
    const tablet = await approvedBy(BORIS, 'd-boris-2', boris);
    const byOfficer = await signDeviceRevocation(p, body(BORIS, tablet.device, { kind: 'officer', officer: OLGA }), node.officer.signingSeed);
    // The officer's record uploaded by someone else is refused: the uploader must be the signer.
    expect(await post(sessionOf(boris), byOfficer), 403, 'request.forbidden');
    expect(await post(node.officer, byOfficer), 201);
    expect(await whoAmI(tablet), 401, 'auth.device_not_approved');
    const entry = logKinds().at(-1);
    assert.ok(entry?.kind === 'device.revoked');
    assert.equal(entry.by, OLGA);

    expect(await post(sessionOf(boris), await byDevice(boris, boris)), 201);
    expect(await whoAmI(boris), 401, 'auth.device_not_approved');
  });
});
