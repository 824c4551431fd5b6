// The approval route with an officer approving from a second device of theirs (a browser is one: ADR 019): the
// record names that device and is signed by it. Accepted while the device is approved and logged and the officer
// certified; refused from a device of someone who is no officer; the approved device stops acting when the officer's
// device is revoked. GET /api/v1/devices/{user} lists the approving device under `approvers`, with its log entry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { toBase64 } from '../../src/bytes.ts';
import type { DeviceKeys } from '../../src/client/device-keys.ts';
import { encodeDeviceRecord, signDeviceRecord, type DeviceApproval } from '../../src/keys/device-record.ts';
import { encodeDeviceRevocation, signDeviceRevocation } from '../../src/keys/device-revocation.ts';
import { AMERICAS, approve, approvedUser, codeOf, enroll, makeNode, NODE, officeBody, OLGA, p, send, sessionOf, userBody, type Reply, type TestNode } from './fixtures.ts';

const CARLA = 'carla' as UserId;
const BORIS = 'boris' as UserId;
const DORA = 'dora' as UserId;

function expect(reply: Reply, status: number, code?: string): void {
  assert.equal(reply.status, status, reply.text);
  if (code !== undefined) assert.equal(codeOf(reply), code);
}

describe('approvals by an officer’s second device (route)', () => {
  let node: TestNode;
  let clock = 0;
  let olgaWeb: DeviceKeys;
  let boris: DeviceKeys;
  let carla: DeviceKeys;

  async function approveAs(approver: DeviceKeys, keys: DeviceKeys, approval: DeviceApproval): Promise<Reply> {
    const body = { user: keys.user, device: keys.device, node: NODE, signingKey: keys.signingKey, encryptionKey: keys.encryptionKey, createdAt: clock, approval };
    const record = await signDeviceRecord(p, body, approver.signingSeed);
    return send(node, sessionOf(approver), 'POST', `/api/v1/devices/${keys.user}/${keys.device}/approval`, { body: { record: toBase64(encodeDeviceRecord(record)) } });
  }

  async function pendingUser(user: UserId): Promise<DeviceKeys> {
    expect(await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody(user, 'SECRET', [{ office: AMERICAS, role: 'member' }]) }), 201);
    const { keys, reply } = await enroll(node, user, `d-${user}-1` as DeviceId);
    expect(reply, 201);
    return keys;
  }

  before(async () => {
    node = await makeNode({ now: () => clock });
    clock = Date.now();
    expect(await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) }), 201);
    // Olga's second device, approved with the key her certificate names (as `chancery device approve` does).
    const enrolled = await enroll(node, OLGA, 'd-olga-web' as DeviceId);
    expect(enrolled.reply, 201);
    olgaWeb = enrolled.keys;
    expect(await approve(node, olgaWeb), 200);
    boris = await approvedUser(node, BORIS, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
  });
  after(() => node.close());

  it('accepts an approval signed by the officer’s second device, and the approved device acts', async () => {
    clock += 1000;
    carla = await pendingUser(CARLA);
    expect(await approveAs(olgaWeb, carla, { kind: 'officer', officer: OLGA, device: olgaWeb.device }), 200);
    expect(await send(node, sessionOf(carla), 'GET', `/api/v1/devices/${CARLA}`), 200);
    const listed = (await send(node, sessionOf(carla), 'GET', `/api/v1/devices/${CARLA}`)).json as { approvers: { user: string; device: string; status: string; logged: unknown }[] };
    // All of Olga's approved devices: a chain may run through any of them.
    assert.deepEqual(listed.approvers.map((d) => `${d.user}/${d.device}/${d.status}`).sort(), ['olga/d-olga-1/approved', 'olga/d-olga-web/approved']);
    assert.ok(listed.approvers.some((d) => d.device === 'd-olga-web' && d.logged !== null), 'the approving device is served with its log entry');
  });

  it('refuses an approval by the device of someone who is no officer, or in an officer’s name by another’s device', async () => {
    clock += 1000;
    const dora = await pendingUser(DORA);
    expect(await approveAs(boris, dora, { kind: 'officer', officer: BORIS, device: boris.device }), 422, 'verify.untrusted_key');
    expect(await approveAs(boris, dora, { kind: 'officer', officer: OLGA, device: boris.device }), 403, 'request.forbidden');
    // Signed by Olga's second device but naming her first: the signature is not that key's.
    expect(await approveAs(olgaWeb, dora, { kind: 'officer', officer: OLGA, device: 'd-olga-1' as DeviceId }), 422, 'verify.bad_signature');
    // Signed by her second device with no device named: checked against her certificate's key, and refused (the old behaviour).
    expect(await approveAs(olgaWeb, dora, { kind: 'officer', officer: OLGA }), 422, 'verify.bad_signature');
    const listed = (await send(node, node.officer, 'GET', `/api/v1/devices/${DORA}`)).json as { devices: { status: string }[] };
    assert.deepEqual(listed.devices.map((d) => d.status), ['pending']);
  });

  it('once the officer’s second device is revoked, the device it approved no longer acts and it approves no more', async () => {
    clock += 1000;
    expect(await send(node, sessionOf(carla), 'GET', `/api/v1/devices/${CARLA}`), 200);
    const revocation = await signDeviceRevocation(p, { user: OLGA, device: olgaWeb.device, node: NODE, revokedAt: clock, by: { kind: 'officer', officer: OLGA } }, node.officer.signingSeed);
    expect(await send(node, node.officer, 'POST', '/api/v1/device-revocations', { body: { record: toBase64(encodeDeviceRevocation(revocation)) } }), 201);
    clock += 1000;
    expect(await send(node, sessionOf(carla), 'GET', `/api/v1/devices/${CARLA}`), 401);
    const listed = (await send(node, node.officer, 'GET', `/api/v1/devices/${CARLA}`)).json as { approvers: { device: string }[] };
    assert.ok(!listed.approvers.some((d) => d.device === olgaWeb.device), 'a revoked device is no approver');
    const { keys } = await enroll(node, CARLA, 'd-carla-2' as DeviceId);
    expect(await approveAs(olgaWeb, keys, { kind: 'officer', officer: OLGA, device: olgaWeb.device }), 401);
  });
});
