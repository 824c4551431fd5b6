// Request authentication at the node (docs/node.md "Request signatures"): every refusal is a 401 with its own
// `auth.*` code, and a refused request changes nothing; a valid officer request is served.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { toBase64 } from '../../src/bytes.ts';
import { generateDeviceKeys } from '../../src/client/device-keys.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import {
  AMERICAS, buildRequest, codeOf, enroll, initTestNode, makeNode, NODE, officeBody, OLGA, OLGA_DEVICE, p, readReply, send, sessionOf,
  tableDigest, userBody, type InitialisedNode, type Reply, type TestNode,
} from './fixtures.ts';

function assertRefused(reply: Reply, code: string): void {
  assert.equal(reply.status, 401, reply.text);
  assert.equal(codeOf(reply), code, reply.text);
}

describe('request authentication', () => {
  let node: TestNode;
  let tables: ReturnType<typeof tableDigest>;
  before(async () => {
    node = await makeNode();
    tables = tableDigest(node.dataDir);
    const anna = await send(node, node.officer, 'POST', '/api/v1/users', { body: userBody('anna', 'SECRET', []) });
    assert.equal(anna.status, 201, anna.text);
  });
  after(() => {
    tables.close();
    node.close();
  });

  it('an unsigned request to a device route is auth.missing_signature', async () => {
    assertRefused(await send(node, null, 'GET', '/api/v1/offices'), 'auth.missing_signature');
    const before = tables.digest();
    assertRefused(await send(node, null, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) }), 'auth.missing_signature');
    assert.deepEqual(tables.digest(), before);
  });

  it('a signature by the wrong key is auth.bad_signature', async () => {
    const impostor = { ...node.officer, signingSeed: p.randomBytes(32) };
    const before = tables.digest();
    assertRefused(await send(node, impostor, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) }), 'auth.bad_signature');
    assert.deepEqual(tables.digest(), before);
  });

  it('an unknown device is auth.unknown_device', async () => {
    const ghost = { user: OLGA, device: 'd-ghost' as DeviceId, signingSeed: p.randomBytes(32) };
    assertRefused(await send(node, ghost, 'GET', '/api/v1/offices'), 'auth.unknown_device');
    const nobody = { user: 'nobody' as UserId, device: OLGA_DEVICE, signingSeed: node.officer.signingSeed };
    assertRefused(await send(node, nobody, 'GET', '/api/v1/offices'), 'auth.unknown_device');
  });

  it('a pending (enrolled, not approved) device is auth.device_not_approved', async () => {
    const { keys, reply } = await enroll(node, 'anna' as UserId, 'd-anna-1' as DeviceId);
    assert.equal(reply.status, 201, reply.text);
    assert.equal((reply.json as { device: { status: string } }).device.status, 'pending');
    assertRefused(await send(node, sessionOf(keys), 'GET', '/api/v1/users/anna'), 'auth.device_not_approved');
  });

  it('a stale or future `created` is auth.clock_skew', async () => {
    const now = node.context.now();
    assertRefused(await send(node, node.officer, 'GET', '/api/v1/offices', { signedAt: now - 120_000 }), 'auth.clock_skew');
    assertRefused(await send(node, node.officer, 'GET', '/api/v1/offices', { signedAt: now + 120_000 }), 'auth.clock_skew');
    assert.equal((await send(node, node.officer, 'GET', '/api/v1/offices', { signedAt: now - 30_000 })).status, 200, 'within the 60 s window');
  });

  it('a replayed nonce is auth.replay, even for the very same request', async () => {
    const request = await buildRequest(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody('MFA.CY.REPLAY') });
    const replay = request.clone();
    assert.equal((await readReply(await node.app.request(request))).status, 201);
    const before = tables.digest();
    assertRefused(await readReply(await node.app.request(replay)), 'auth.replay');
    assert.deepEqual(tables.digest(), before);
    // The same nonce on another request is a replay too: nonces are per device, not per request.
    const nonce = p.randomBytes(16);
    assert.equal((await send(node, node.officer, 'GET', '/api/v1/offices', { nonce })).status, 200);
    assertRefused(await send(node, node.officer, 'GET', '/api/v1/users/olga', { nonce }), 'auth.replay');
  });

  it('a body changed after signing is auth.digest_mismatch', async () => {
    const before = tables.digest();
    const tamper = (body: Uint8Array) => new TextEncoder().encode(new TextDecoder().decode(body).replace('SECRET', 'LIMITED'));
    assertRefused(await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody('MFA.CY.TAMPER'), tamper }), 'auth.digest_mismatch');
    assert.deepEqual(tables.digest(), before);
  });

  it('a request signed for another URL or method does not verify', async () => {
    const request = await buildRequest(node, node.officer, 'GET', '/api/v1/offices');
    const moved = new Request('http://node.test/api/v1/users/olga', { method: 'GET', headers: request.headers });
    assertRefused(await readReply(await node.app.request(moved)), 'auth.bad_signature');
  });

  it('garbage signature headers are auth.malformed_signature', async () => {
    const headers = { 'signature-input': 'sig1=("@method");created=1', signature: 'sig1=:AAAA:' };
    assertRefused(await send(node, null, 'GET', '/api/v1/offices', { headers }), 'auth.malformed_signature');
  });

  it('an enrollment signed by another key than the one it enrolls is refused', async () => {
    const enrolled = await generateDeviceKeys(p, 'anna' as UserId, 'd-anna-2' as DeviceId, NODE);
    const signer = await generateDeviceKeys(p, 'anna' as UserId, 'd-anna-2' as DeviceId, NODE);
    const body = { user: 'anna', device: 'd-anna-2', signingKey: toBase64(enrolled.signingKey), encryptionKey: toBase64(enrolled.encryptionKey) };
    const before = tables.digest();
    assertRefused(await send(node, sessionOf(signer), 'POST', '/api/v1/enrollments', { body }), 'auth.bad_signature');
    // …and one whose body names another device than its key id.
    assertRefused(await send(node, { ...sessionOf(enrolled), device: 'd-anna-3' as DeviceId }, 'POST', '/api/v1/enrollments', { body }), 'auth.unknown_device');
    assert.deepEqual(tables.digest(), before);
  });

  it('a valid officer request is served: 201, office created', async () => {
    const reply = await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) });
    assert.equal(reply.status, 201, reply.text);
    assert.deepEqual(reply.json, { office: { code: AMERICAS, node: NODE, name: `office ${AMERICAS}`, ceiling: 'SECRET', communities: ['EU'] } });
    const list = await send(node, node.officer, 'GET', '/api/v1/offices');
    assert.ok((list.json as { offices: { code: string }[] }).offices.some((o) => o.code === AMERICAS));
  });
});

describe('request authentication over real HTTP', () => {
  let init: InitialisedNode;
  let running: RunningNode;
  before(async () => {
    init = await initTestNode();
    running = await startNode(p, { dataDir: init.dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
  });
  after(async () => {
    await running.close();
    init.cleanup();
  });

  it('signs for the URL the node listens on; unsigned is 401, signed is 201', async () => {
    const target = { url: running.url, now: () => Date.now() };
    const unsigned = await readReply(await fetch(await buildRequest(target, null, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) })));
    assertRefused(unsigned, 'auth.missing_signature');
    const signed = await readReply(await fetch(await buildRequest(target, init.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) })));
    assert.equal(signed.status, 201, signed.text);
  });
});
