// The node's administration routes end to end, in-process: the initial officer builds offices and users, enrolls
// and approves devices, opens office epochs and grants their keys — and the node refuses what policy, the office
// ceiling, epoch order or the caller's role forbid, with `{code, message}` and the right status.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Classification, DeviceId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { fromBase64, toBase64 } from '../../src/bytes.ts';
import { generateDeviceKeys, type DeviceKeys } from '../../src/client/device-keys.ts';
import { xwingGenerateKeyPair, type XWingKeyPair } from '../../src/crypto/xwing.ts';
import { encodeEpochClosure, signEpochClosure } from '../../src/keys/epoch-closure.ts';
import { issueGrant, resealGrant } from '../../src/keys/grant-seal.ts';
import { decodeKeyGrant, encodeKeyGrant } from '../../src/keys/key-grant.ts';
import { encodeOfficeEpoch, signOfficeEpoch } from '../../src/keys/office-epoch.ts';
import { verifyDeviceChain, type VerifiedDevice } from '../../src/keys/device-chain.ts';
import { signDeviceRecord } from '../../src/keys/device-record.ts';
import { decodeOfficerCertificate } from '../../src/keys/officer-certificate.ts';
import { pinnedRoot, verifiedDevice, verifiedEpoch } from '../../src/node/trust.ts';
import {
  AMERICAS, approve, approvedUser, codeOf, enroll, LOW, makeNode, NODE, officeBody, OLGA, p, send, sessionOf, tableDigest, userBody,
  type Reply, type TestNode,
} from './fixtures.ts';

const ANNA = 'anna' as UserId;
const BOB = 'bob' as UserId;
const CARL = 'carl' as UserId;
const FRED = 'fred' as UserId;

function assertError(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(codeOf(reply), code, reply.text);
}

describe('node routes as the initial officer', () => {
  let node: TestNode;
  let tables: ReturnType<typeof tableDigest>;
  let anna: DeviceKeys;
  let epochKey: XWingKeyPair;

  async function epochRecord(office: OfficeCode, level: Classification, epoch: number, key: XWingKeyPair): Promise<{ record: string }> {
    const signed = await signOfficeEpoch(p, { office, node: NODE, level, epoch, publicKey: key.publicKey, openedAt: node.context.now(), certifiedBy: OLGA }, node.officer.signingSeed);
    return { record: toBase64(encodeOfficeEpoch(signed)) };
  }

  /** The officer's grant of the AMERICAS RESTRICTED epoch 0 key to `keys`' device, as its client would build it. */
  async function grantTo(keys: DeviceKeys, recipient?: VerifiedDevice): Promise<{ record: string }> {
    const row = node.context.store.transaction((tx) => tx.getEpoch(AMERICAS, 'RESTRICTED', 0));
    assert.ok(row);
    const grant = await issueGrant(p, {
      epochSecret: epochKey.secretKey,
      epoch: await verifiedEpoch(node.context, row),
      recipient: recipient ?? (await verifiedDevice(node.context, keys.user, keys.device)),
      officers: [{ user: OLGA, signingSeed: node.officer.signingSeed }],
      issuedAt: node.context.now(),
    });
    return { record: toBase64(encodeKeyGrant(grant)) };
  }

  before(async () => {
    node = await makeNode();
    tables = tableDigest(node.dataDir);
    epochKey = await xwingGenerateKeyPair(p);
  });
  after(() => {
    tables.close();
    node.close();
  });

  it('creates offices', async () => {
    const americas = await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS, 'SECRET') });
    assert.equal(americas.status, 201, americas.text);
    const low = await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(LOW, 'RESTRICTED') });
    assert.equal(low.status, 201, low.text);
    const list = await send(node, node.officer, 'GET', '/api/v1/offices');
    assert.deepEqual((list.json as { offices: { code: string; ceiling: string }[] }).offices.map((o) => [o.code, o.ceiling]).sort(), [
      [AMERICAS, 'SECRET'],
      [LOW, 'RESTRICTED'],
    ]);
  });

  it('creates users with memberships, and makes the officer a security officer of the office', async () => {
    const officer = await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody(OLGA, 'SECRET', [{ office: AMERICAS, role: 'security-officer' }]) });
    assert.equal(officer.status, 201, officer.text);
    const created = await send(node, node.officer, 'POST', '/api/v1/users', {
      body: userBody(ANNA, 'SECRET', [{ office: AMERICAS, role: 'member' }, { office: LOW, role: 'releasing-officer', releaseCeiling: 'RESTRICTED' }]),
    });
    assert.equal(created.status, 201, created.text);
    const read = await send(node, node.officer, 'GET', '/api/v1/users/anna');
    assert.equal(read.status, 200);
    const { user, memberships } = read.json as { user: { clearance: string }; memberships: { office: string; role: string }[] };
    assert.equal(user.clearance, 'SECRET');
    assert.deepEqual(memberships.map((m) => [m.office, m.role]).sort(), [[AMERICAS, 'member'], [LOW, 'releasing-officer']]);
    const members = await send(node, node.officer, 'GET', `/api/v1/offices/${AMERICAS}/members`);
    assert.deepEqual((members.json as { members: { user: string }[] }).members.map((m) => m.user).sort(), [ANNA, OLGA]);
  });

  it('refuses a membership in an unknown office (404) without writing the user', async () => {
    const before = tables.digest();
    const reply = await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody('dora', 'SECRET', [{ office: 'MFA.CY.NOWHERE', role: 'member' }]) });
    assertError(reply, 404, 'request.not_found');
    assert.deepEqual(tables.digest(), before);
  });

  // Regressions: a membership list naming one (office, role) twice was a 500 (the store's invariant check), and a
  // releasing officer's releaseCeiling was refused as an unknown field, so no releasing officer could be created.
  it('refuses a membership listed twice, or a release ceiling on another role (400, nothing written)', async () => {
    const before = tables.digest();
    const twice = await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody('dora', 'SECRET', [{ office: AMERICAS, role: 'member' }, { office: AMERICAS, role: 'member' }]) });
    assertError(twice, 400, 'request.malformed');
    const ceiling = await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody('dora', 'SECRET', [{ office: AMERICAS, role: 'member', releaseCeiling: 'SECRET' }]) });
    assertError(ceiling, 400, 'request.malformed');
    assertError(await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody('dora', 'SECRET', [{ office: AMERICAS, role: 'releasing-officer' }]) }), 400, 'encoding.malformed');
    assert.deepEqual(tables.digest(), before);
  });

  // Regression: an update without `frozen` unfroze a frozen user (and one without `active` reactivated a user).
  it('an update that omits active or frozen keeps them; a new user is active and not frozen; unfreezing is explicit', async () => {
    const post = async (body: object) => {
      const reply = await send(node, node.officer, 'POST', '/api/v1/users', { body });
      assert.equal(reply.status, 201, reply.text);
      const { active, frozen } = (reply.json as { user: { active: boolean; frozen: boolean } }).user;
      return { active, frozen };
    };
    const stored = async () => {
      const reply = await send(node, node.officer, 'GET', '/api/v1/users/erik');
      const { active, frozen, clearance } = (reply.json as { user: { active: boolean; frozen: boolean; clearance: string } }).user;
      return { active, frozen, clearance };
    };
    const member = [{ office: AMERICAS, role: 'member' }];
    assert.deepEqual(await post(userBody('erik', 'SECRET', member)), { active: true, frozen: false });
    await post({ ...userBody('erik', 'SECRET', member), frozen: true });
    assert.deepEqual(await post(userBody('erik', 'CONFIDENTIAL', [])), { active: true, frozen: true }, 'the answer says it stays frozen');
    assert.deepEqual(await stored(), { active: true, frozen: true, clearance: 'CONFIDENTIAL' });
    await post({ ...userBody('erik', 'CONFIDENTIAL', member), active: false });
    await post(userBody('erik', 'SECRET', member));
    assert.deepEqual(await stored(), { active: false, frozen: true, clearance: 'SECRET' });
    await post({ ...userBody('erik', 'SECRET', member), frozen: false });
    assert.deepEqual(await stored(), { active: false, frozen: false, clearance: 'SECRET' });
  });

  it("enrolls a device signed by its own key, pending until the officer's signed record approves it", async () => {
    const enrolled = await enroll(node, ANNA, 'd-anna-1' as DeviceId);
    anna = enrolled.keys;
    assert.equal(enrolled.reply.status, 201, enrolled.reply.text);
    assert.equal((enrolled.reply.json as { device: { status: string } }).device.status, 'pending');
    assertError(await send(node, sessionOf(anna), 'GET', '/api/v1/users/anna'), 401, 'auth.device_not_approved');
    assertError((await enroll(node, ANNA, 'd-anna-1' as DeviceId)).reply, 409, 'request.conflict');
    assertError((await enroll(node, 'nobody' as UserId, 'd-x' as DeviceId)).reply, 404, 'request.not_found');

    const approved = await approve(node, anna);
    assert.equal(approved.status, 200, approved.text);
    assert.equal((approved.json as { device: { status: string } }).device.status, 'approved');
    assertError(await approve(node, anna), 404, 'request.not_found');
    const self = await send(node, sessionOf(anna), 'GET', '/api/v1/users/anna');
    assert.equal(self.status, 200, self.text);
    const devices = await send(node, node.officer, 'GET', '/api/v1/devices/anna');
    assert.deepEqual((devices.json as { devices: { device: string; status: string }[] }).devices.map((d) => [d.device, d.status]), [['d-anna-1', 'approved']]);
  });

  it('opens an epoch; the wrong next epoch number is 409; a level above the office ceiling is 403', async () => {
    const opened = await send(node, node.officer, 'POST', '/api/v1/epochs', { body: await epochRecord(AMERICAS, 'RESTRICTED', 0, epochKey) });
    assert.equal(opened.status, 201, opened.text);
    const before = tables.digest();
    const other = await xwingGenerateKeyPair(p);
    assertError(await send(node, node.officer, 'POST', '/api/v1/epochs', { body: await epochRecord(AMERICAS, 'RESTRICTED', 0, other) }), 409, 'request.conflict');
    assertError(await send(node, node.officer, 'POST', '/api/v1/epochs', { body: await epochRecord(AMERICAS, 'RESTRICTED', 5, other) }), 409, 'request.conflict');
    assertError(await send(node, node.officer, 'POST', '/api/v1/epochs', { body: await epochRecord(LOW, 'SECRET', 0, other) }), 403, 'request.forbidden');
    assert.deepEqual(tables.digest(), before);
    const list = await send(node, sessionOf(anna), 'GET', `/api/v1/epochs?office=${AMERICAS}`);
    assert.deepEqual((list.json as { epochs: { level: string; epoch: number }[] }).epochs.map((e) => [e.level, e.epoch]), [['RESTRICTED', 0]]);
  });

  it('stores a grant policy allows; the recipient device lists it', async () => {
    const stored = await send(node, node.officer, 'POST', '/api/v1/grants', { body: await grantTo(anna) });
    assert.equal(stored.status, 201, stored.text);
    const grants = await send(node, sessionOf(anna), 'GET', '/api/v1/grants');
    assert.deepEqual((grants.json as { grants: { office: string; level: string; epoch: number }[] }).grants.map((g) => [g.office, g.level, g.epoch]), [
      [AMERICAS, 'RESTRICTED', 0],
    ]);
  });

  it('refuses a grant policy denies: not a member, clearance too low (403 policy.denied, nothing stored)', async () => {
    const carl = await approvedUser(node, CARL, 'SECRET', []);
    const bob = await approvedUser(node, BOB, 'LIMITED', [{ office: AMERICAS, role: 'member' }]);
    const before = tables.digest();
    for (const keys of [carl, bob]) {
      const reply = await send(node, node.officer, 'POST', '/api/v1/grants', { body: await grantTo(keys) });
      assertError(reply, 403, 'policy.denied');
      assert.ok(Array.isArray((reply.json as { reasons?: unknown }).reasons), 'the denial lists its reasons');
    }
    assert.deepEqual(tables.digest(), before);
    assert.deepEqual((await send(node, sessionOf(bob), 'GET', '/api/v1/grants')).json, { grants: [] });
  });

  // Regression: the node answered 401 auth.unknown_device here, though the officer's own request was fine.
  it('refuses a grant to a device the node has not approved with 422, not 401', async () => {
    const { keys } = await enroll(node, ANNA, 'd-anna-2' as DeviceId);
    // The officer's client believes in an approval it signed but never uploaded.
    const record = await signDeviceRecord(
      p,
      { user: ANNA, device: keys.device, node: NODE, signingKey: keys.signingKey, encryptionKey: keys.encryptionKey, createdAt: node.context.now(), approval: { kind: 'officer', officer: OLGA } },
      node.officer.signingSeed,
    );
    const officers = node.context.store.transaction((tx) => tx.listOfficerCertificates().map(decodeOfficerCertificate));
    const recipient = await verifyDeviceChain(p, { device: record, devices: [], officers, root: await pinnedRoot(node.context), at: node.context.now() });
    const before = tables.digest();
    assertError(await send(node, node.officer, 'POST', '/api/v1/grants', { body: await grantTo(keys, recipient) }), 422, 'verify.untrusted_key');
    assert.deepEqual(tables.digest(), before);
  });

  it('a non-officer may not administer the node (403 request.forbidden)', async () => {
    const before = tables.digest();
    assertError(await send(node, sessionOf(anna), 'POST', '/api/v1/offices', { body: officeBody('MFA.CY.ROGUE') }), 403, 'request.forbidden');
    assertError(await send(node, sessionOf(anna), 'POST', '/api/v1/users', { body: userBody(ANNA, 'SECRET', [{ office: AMERICAS, role: 'security-officer' }]) }), 403, 'request.forbidden');
    assertError(await send(node, sessionOf(anna), 'GET', '/api/v1/users/olga'), 403, 'request.forbidden');
    assertError(await send(node, sessionOf(anna), 'POST', '/api/v1/epochs', { body: await epochRecord(AMERICAS, 'RESTRICTED', 1, epochKey) }), 403, 'request.forbidden');
    assert.deepEqual(tables.digest(), before);
  });

  // Regression: the node refused every grant of a closed epoch, so a user's new device could not read their history.
  it('stores a grant of a closed epoch only for a user who holds it already, never afresh (409 otherwise)', async () => {
    const fred = await approvedUser(node, FRED, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
    const newDevice = async (user: UserId, device: string) => {
      const { keys } = await enroll(node, user, device as DeviceId);
      assert.equal((await approve(node, keys)).status, 200);
      return keys;
    };
    const [fred2, anna3, anna4] = [await newDevice(FRED, 'd-fred-2'), await newDevice(ANNA, 'd-anna-3'), await newDevice(ANNA, 'd-anna-4')];
    const closure = await signEpochClosure(p, { office: AMERICAS, node: NODE, level: 'RESTRICTED', epoch: 0, closedAt: node.context.now(), reason: 'member-left', closedBy: OLGA }, node.officer.signingSeed);
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/epoch-closures', { body: { record: toBase64(encodeEpochClosure(closure)) } })).status, 200);
    const row = node.context.store.transaction((tx) => tx.getEpoch(AMERICAS, 'RESTRICTED', 0));
    assert.ok(row?.closure);
    const epoch = await verifiedEpoch(node.context, row);
    /** `keys`' device passing on `grant` (to it) to the same user's `to` device. */
    const passOn = async (keys: DeviceKeys, grant: { record: string }, to: DeviceKeys) => {
      const holder = { record: (await verifiedDevice(node.context, keys.user, keys.device)).record, encryptionSecret: keys.encryptionSeed, signingSeed: keys.signingSeed };
      const recipient = await verifiedDevice(node.context, to.user, to.device);
      const record = await resealGrant(p, { grant: decodeKeyGrant(fromBase64(grant.record)), epoch, holder, recipient, issuedAt: node.context.now() });
      return send(node, sessionOf(keys), 'POST', '/api/v1/grants', { body: { record: toBase64(encodeKeyGrant(record)) } });
    };

    const before = tables.digest();
    // Fred never held epoch 0: no officer grants it to him now, and his device cannot pass on a grant it never had
    // (one made for it but never stored — the node cannot see inside a sealed key, so it goes by what it stored).
    assertError(await send(node, node.officer, 'POST', '/api/v1/grants', { body: await grantTo(fred) }), 409, 'request.conflict');
    assertError(await passOn(fred, await grantTo(fred), fred2), 409, 'request.conflict');
    assert.deepEqual(tables.digest(), before);

    // Anna holds it on d-anna-1: that device re-seals it to d-anna-4, and officers may grant it to d-anna-3.
    assert.equal((await passOn(anna, await grantTo(anna), anna4)).status, 201);
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/grants', { body: await grantTo(anna3) })).status, 201);
    for (const keys of [anna3, anna4]) {
      const listed = await send(node, sessionOf(keys), 'GET', '/api/v1/grants');
      assert.deepEqual((listed.json as { grants: { office: string; epoch: number }[] }).grants.map((g) => [g.office, g.epoch]), [[AMERICAS, 0]]);
    }
  });

  it('unknown things are 404 with {code, message}', async () => {
    const paths = [
      '/api/v1/users/nobody',
      '/api/v1/officers/anna',
      `/api/v1/drafts/${encodeURIComponent(`${AMERICAS}/2026/000001`)}`,
      `/api/v1/cables/${encodeURIComponent(`${AMERICAS}/2026/000001`)}`,
      '/api/v1/no-such-route',
    ];
    const replies = await Promise.all(paths.map(async (path) => [path, await send(node, node.officer, 'GET', path)] as const));
    // An approval for a device that never enrolled: the record is well formed and signed, the enrollment missing.
    const ghost = await generateDeviceKeys(p, ANNA, 'd-ghost' as DeviceId, NODE);
    replies.push(['approval of d-ghost', await approve(node, ghost)], ['DELETE /api/v1/offices', await send(node, node.officer, 'DELETE', '/api/v1/offices')]);
    for (const [what, reply] of replies) {
      assertError(reply, 404, 'request.not_found');
      assert.equal(typeof (reply.json as { message: unknown }).message, 'string', what);
    }
  });
});
