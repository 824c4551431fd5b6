// The node's trust cache (src/node/trust.ts): a signed request reuses the verified chain of its device for a minute
// instead of verifying the officer's certificate (ML-DSA-65) and every record again, yet a revoked device or
// approver, and an expired officer certificate, are refused at once, and everything is verified again after the
// minute. Counted with a crypto provider that tallies verifications, on a clock the test moves.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { toBase64 } from '../../src/bytes.ts';
import type { DeviceKeys } from '../../src/client/device-keys.ts';
import { readRootKeyFile, wipeRootKey } from '../../src/client/root-key.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { encodeDeviceRecord, signDeviceRecord, type DeviceApproval } from '../../src/keys/device-record.ts';
import { encodeOfficerCertificate, signOfficerCertificate } from '../../src/keys/officer-certificate.ts';
import { officerSigningKey } from '../../src/keys/officer-keys.ts';
import { TRUST_CACHE_TTL_MS } from '../../src/node/trust.ts';
import { AMERICAS, approvedUser, codeOf, enroll, makeNode, NODE, officeBody, p, PASSPHRASE, send, sessionOf, type TestNode } from './fixtures.ts';

const ANNA = 'anna' as UserId;

describe('trust cache: verified officer certificates and device chains', () => {
  let node: TestNode;
  let clock = Date.now();
  const count = { ed25519: 0, mlDsa: 0 };
  const counting: CryptoProvider = {
    ...p,
    ed25519Verify: (...args) => {
      count.ed25519 += 1;
      return p.ed25519Verify(...args);
    },
    mlDsa65Verify: (...args) => {
      count.mlDsa += 1;
      return p.mlDsa65Verify(...args);
    },
  };
  let anna: DeviceKeys;

  /** A request by `keys`' device; returns its status and the verifications it took. */
  async function request(keys: DeviceKeys): Promise<{ status: number; code: string | undefined; ed25519: number; mlDsa: number }> {
    count.ed25519 = 0;
    count.mlDsa = 0;
    const reply = await send(node, sessionOf(keys), 'GET', `/api/v1/users/${keys.user}`);
    return { status: reply.status, code: codeOf(reply), ...count };
  }

  /** Enrolls a device of `user` and has `approver` (an officer's or the user's device) approve it. */
  async function device(user: UserId, id: string, approver: DeviceKeys | null, approval?: DeviceApproval): Promise<DeviceKeys> {
    const { keys } = await enroll(node, user, id as DeviceId);
    const signer = approver ?? { ...node.officer, signingSeed: node.officer.signingSeed };
    const record = await signDeviceRecord(
      p,
      { user, device: keys.device, node: NODE, signingKey: keys.signingKey, encryptionKey: keys.encryptionKey, createdAt: clock, approval: approval ?? { kind: 'officer', officer: node.officer.user } },
      signer.signingSeed,
    );
    const uploader = approver ? sessionOf(approver) : node.officer;
    const reply = await send(node, uploader, 'POST', `/api/v1/devices/${user}/${keys.device}/approval`, { body: { record: toBase64(encodeDeviceRecord(record)) } });
    assert.equal(reply.status, 200, reply.text);
    return keys;
  }

  function revoke(user: UserId, id: DeviceId): void {
    // Straight in the store, as another node process would: nothing in this process is told.
    node.context.store.transaction((tx) => {
      const row = tx.getDevice(user, id);
      assert.ok(row);
      tx.putDevice({ ...row, status: 'revoked' });
    });
  }

  before(async () => {
    node = await makeNode({ p: counting, now: () => clock });
    clock = Date.now(); // the first officer's certificate is valid from the moment the node was initialised
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) })).status, 201);
    anna = await approvedUser(node, ANNA, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
  });
  beforeEach(() => {
    clock += 1000;
  });
  after(() => node.close());

  it('verifies a chain once, then reuses it for a minute; after the minute everything is verified again', async () => {
    await request(anna);
    assert.deepEqual(await request(anna), { status: 200, code: undefined, ed25519: 1, mlDsa: 0 }, 'only the request signature');
    clock += TRUST_CACHE_TTL_MS;
    const again = await request(anna);
    assert.equal(again.status, 200);
    assert.ok(again.mlDsa >= 1 && again.ed25519 >= 3, `officer certificate and device record verified again: ${JSON.stringify(again)}`);
    assert.deepEqual(await request(anna), { status: 200, code: undefined, ed25519: 1, mlDsa: 0 });
  });

  it("verifies a user's chains afresh once one of their devices is approved here (the officer's certificate stays verified)", async () => {
    await device(ANNA, 'd-anna-2', null);
    const after = await request(anna);
    assert.equal(after.status, 200);
    assert.deepEqual([after.ed25519, after.mlDsa], [2, 0], 'the request and the device record; not the officer certificate');
  });

  it('refuses at once a device revoked, or approved by a device revoked, by another process', async () => {
    const second = await device(ANNA, 'd-anna-3', anna, { kind: 'device', device: anna.device });
    const third = await device(ANNA, 'd-anna-4', second, { kind: 'device', device: second.device });
    for (const keys of [second, third]) assert.equal((await request(keys)).status, 200);
    assert.equal((await request(third)).ed25519, 1, 'cached');
    revoke(ANNA, second.device);
    for (const keys of [second, third]) assert.deepEqual(Object.values(await request(keys)).slice(0, 2), [401, 'auth.device_not_approved'], keys.device);
    assert.equal((await request(anna)).status, 200, 'the first device is untouched');
  });

  it('refuses at once a device whose approving officer’s certificate has expired, within the minute', async () => {
    const oscar = await approvedUser(node, 'oscar' as UserId, 'SECRET', [{ office: AMERICAS, role: 'security-officer' }]);
    const root = await readRootKeyFile(node.rootKeyFile, PASSPHRASE);
    const signing = await officerSigningKey(p, oscar.signingSeed);
    try {
      const cert = await signOfficerCertificate(p, { org: root.org, user: oscar.user, scope: NODE, signingKey: signing.public, validFrom: clock - 1000, validUntil: clock + 10_000, founding: true }, root.secret);
      const appointed = await send(node, node.officer, 'POST', '/api/v1/officers', { body: { certificate: toBase64(encodeOfficerCertificate(cert)) } });
      assert.equal(appointed.status, 201, appointed.text);
    } finally {
      wipeRootKey(root);
    }
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/users', { body: { id: 'vera', name: 'Vera', clearance: 'SECRET', nationality: 'CY', organisations: ['EU'], caveats: [], memberships: [] } })).status, 201);
    const vera = await device('vera' as UserId, 'd-vera-1', oscar, { kind: 'officer', officer: oscar.user });
    assert.equal((await request(vera)).status, 200);
    assert.equal((await request(vera)).ed25519, 1, 'cached');
    clock += 11_000; // past its validUntil, well within the minute
    assert.deepEqual(Object.values(await request(vera)).slice(0, 2), [401, 'auth.device_not_approved']);
  });
});
