// A peer's device keys as the receiving node verifies them (src/node/federation/remote-signers.ts), against two real
// peered nodes: the key of an approved device of the peer, checked to the peer's root and on its log; an unknown or
// pending device, or a node that is not a peer, refused; a peer that is down is unavailable, not a forger.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { equalBytes, toBase64 } from '../../src/bytes.ts';
import { generateDeviceKeys, type DeviceKeys } from '../../src/client/device-keys.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { ChanceryError } from '../../src/errors.ts';
import { encodeDeviceRecord, signDeviceRecord } from '../../src/keys/device-record.ts';
import { encodeDeviceRevocation, signDeviceRevocation } from '../../src/keys/device-revocation.ts';
import { remoteSignerKey } from '../../src/node/federation/remote-signers.ts';
import type { NodeContext } from '../../src/node/node-context.ts';
import { request, startPeeredNodes, type PeeredNode, type PeeredNodes } from './two-nodes.ts';

const EEAS = 'EEAS' as NodeName;
const CY = 'MFA.CY' as NodeName;
const ANNA = 'anna' as UserId;

function ctx(n: PeeredNode): NodeContext {
  assert.ok(n.running, `${n.name} is running`);
  return n.running.context;
}

async function refused(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof ChanceryError && error.code === code);
}

async function enroll(n: PeeredNode, user: UserId, device: DeviceId): Promise<DeviceKeys> {
  const keys = await generateDeviceKeys(p, user, device, n.name);
  const reply = await request(n.url, keys, 'POST', '/api/v1/enrollments', { user, device, signingKey: toBase64(keys.signingKey), encryptionKey: toBase64(keys.encryptionKey) });
  assert.equal(reply.status, 201, reply.text);
  return keys;
}

async function approve(n: PeeredNode, keys: DeviceKeys): Promise<void> {
  const record = await signDeviceRecord(
    p,
    { user: keys.user, device: keys.device, node: n.name, signingKey: keys.signingKey, encryptionKey: keys.encryptionKey, createdAt: Date.now(), approval: { kind: 'officer', officer: n.officer.user } },
    n.officer.signingSeed,
  );
  const reply = await request(n.url, n.officer, 'POST', `/api/v1/devices/${keys.user}/${keys.device}/approval`, { record: toBase64(encodeDeviceRecord(record)) });
  assert.equal(reply.status, 200, reply.text);
}

describe('remote signer keys', () => {
  let net: PeeredNodes;
  let eeas: PeeredNode;
  let cy: PeeredNode;
  let anna: DeviceKeys;

  before(async () => {
    net = await startPeeredNodes([EEAS, CY]);
    eeas = net.node(EEAS);
    cy = net.node(CY);
    const user = { id: ANNA, name: 'Anna Drafter', clearance: 'SECRET', nationality: 'CY', organisations: ['EU'], caveats: [], memberships: [] };
    const created = await request(cy.url, cy.officer, 'POST', '/api/v1/users', user);
    assert.equal(created.status, 201, created.text);
    anna = await enroll(cy, ANNA, 'd-anna-1' as DeviceId);
    await approve(cy, anna);
    await enroll(cy, ANNA, 'd-anna-2' as DeviceId); // left pending
  });
  after(async () => {
    await net.stop();
  });

  it("returns the signing key of an approved device of the peer, verified to the peer's root", async () => {
    const key = await remoteSignerKey(ctx(eeas), CY, ANNA, 'd-anna-1' as DeviceId);
    assert.ok(equalBytes(key, anna.signingKey));
    // The founding officer's device chains through the root's founding certificate.
    const officer = await remoteSignerKey(ctx(eeas), CY, cy.officer.user, cy.officer.device);
    assert.equal(officer.length, 32);
  });

  it('refuses a pending device, an unknown one, and a node that is not a peer', async () => {
    await refused(remoteSignerKey(ctx(eeas), CY, ANNA, 'd-anna-2' as DeviceId), 'verify.untrusted_key');
    await refused(remoteSignerKey(ctx(eeas), CY, ANNA, 'd-anna-9' as DeviceId), 'verify.untrusted_key');
    await refused(remoteSignerKey(ctx(eeas), CY, 'nobody' as UserId, 'd-nobody-1' as DeviceId), 'verify.untrusted_key');
    await refused(remoteSignerKey(ctx(eeas), 'MFA.FR' as NodeName, ANNA, 'd-anna-1' as DeviceId), 'verify.untrusted_key');
    // The peer's device is not one of ours: our own node does not vouch for it.
    await refused(remoteSignerKey(ctx(cy), EEAS, ANNA, 'd-anna-1' as DeviceId), 'verify.untrusted_key');
  });

  it('refuses a device the peer has revoked', async () => {
    const bert = await enroll(cy, ANNA, 'd-anna-4' as DeviceId);
    await approve(cy, bert);
    assert.ok(equalBytes(await remoteSignerKey(ctx(eeas), CY, ANNA, bert.device), bert.signingKey));
    const revocation = await signDeviceRevocation(p, { user: ANNA, device: bert.device, node: CY, revokedAt: Date.now(), by: { kind: 'officer', officer: cy.officer.user } }, cy.officer.signingSeed);
    const reply = await request(cy.url, cy.officer, 'POST', '/api/v1/device-revocations', { record: toBase64(encodeDeviceRevocation(revocation)) });
    assert.equal(reply.status, 201, reply.text);
    // Another node's context has no cached key: it verifies afresh and sees the revocation (a cached key lives 60 s).
    const fresh = { ...ctx(eeas) };
    await refused(remoteSignerKey(fresh, CY, ANNA, bert.device), 'verify.untrusted_key');
  });

  it('reuses a verified key while the peer is down, and reports an unverified one unavailable', async () => {
    await net.stopNode(CY);
    const key = await remoteSignerKey(ctx(eeas), CY, ANNA, 'd-anna-1' as DeviceId);
    assert.ok(equalBytes(key, anna.signingKey));
    await refused(remoteSignerKey(ctx(eeas), CY, ANNA, 'd-anna-3' as DeviceId), 'node.peer_unavailable');
  });
});
