// Peers between two real nodes (docs/federation.md "Peers", "Requests between nodes", "Remote keys"): adding one is
// a verified, logged write by an officer; node-signed requests are admitted only from peers, only on peer routes,
// and only once; the peers' offices are synchronised; the relay serves a peer's key directory, and its last
// answers while the peer is down.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeviceId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { equalBytes, toBase64 } from '../../src/bytes.ts';
import { generateDeviceKeys } from '../../src/client/device-keys.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { xwingGenerateKeyPair } from '../../src/crypto/xwing.ts';
import { encodeDeviceRecord, signDeviceRecord } from '../../src/keys/device-record.ts';
import { encodeOfficeEpoch, signOfficeEpoch } from '../../src/keys/office-epoch.ts';
import { rootFingerprint } from '../../src/keys/organisation-root.ts';
import { decodeLogEntry, type LogEntry } from '../../src/log/events.ts';
import { syncPeerOffices } from '../../src/node/federation/directory-sync.ts';
import type { NodeContext } from '../../src/node/node-context.ts';
import { addPeer, peerBody, request, startPeeredNodes, type PeeredNode, type PeeredNodes, type Reply } from './two-nodes.ts';

const EEAS = 'EEAS' as NodeName;
const CY = 'MFA.CY' as NodeName;
const AMERICAS = 'MFA.CY.AMERICAS' as OfficeCode;

function ctx(n: PeeredNode): NodeContext {
  assert.ok(n.running, `${n.name} is running`);
  return n.running.context;
}

function codeOf(reply: Reply): unknown {
  return (reply.json as { code?: unknown } | undefined)?.code;
}

function assertError(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(codeOf(reply), code, reply.text);
}

function logSize(n: PeeredNode): number {
  return ctx(n).store.transaction((tx) => tx.logSize());
}

function entriesSince(n: PeeredNode, from: number): LogEntry[] {
  return ctx(n).store.transaction((tx) => tx.logEntries(from, 1000)).map((row) => decodeLogEntry(row.leaf));
}

describe('peers between two nodes', () => {
  let net: PeeredNodes;
  let eeas: PeeredNode;
  let cy: PeeredNode;

  before(async () => {
    net = await startPeeredNodes([EEAS, CY], { peer: false });
    eeas = net.node(EEAS);
    cy = net.node(CY);
  });
  after(async () => {
    await net.stop();
  });

  it('refuses a peer certificate signed by another root (422), storing and logging nothing', async () => {
    const size = logSize(cy);
    // MFA.CY's root certifying EEAS, uploaded to EEAS: not the root EEAS pinned.
    const reply = await request(eeas.url, eeas.officer, 'POST', '/api/v1/peers', await peerBody(eeas, cy, cy.root));
    assertError(reply, 422, 'verify.untrusted_key');
    assert.equal(ctx(eeas).store.transaction((tx) => tx.getPeer(CY)), null);
    assert.equal(logSize(cy), size);
  });

  it('lets only a security officer add or remove a peer (403), and only a device list the peers', async () => {
    const user = { id: 'mark', name: 'Mark Member', clearance: 'SECRET', nationality: 'BE', organisations: ['EU'], caveats: [], memberships: [] };
    assert.equal((await request(eeas.url, eeas.officer, 'POST', '/api/v1/users', user)).status, 201);
    const keys = await generateDeviceKeys(p, 'mark' as UserId, 'd-mark-1' as DeviceId, EEAS);
    const enrolled = await request(eeas.url, keys, 'POST', '/api/v1/enrollments', { user: keys.user, device: keys.device, signingKey: toBase64(keys.signingKey), encryptionKey: toBase64(keys.encryptionKey) });
    assert.equal(enrolled.status, 201, enrolled.text);
    const record = await signDeviceRecord(
      p,
      { user: keys.user, device: keys.device, node: EEAS, signingKey: keys.signingKey, encryptionKey: keys.encryptionKey, createdAt: Date.now(), approval: { kind: 'officer', officer: eeas.officer.user } },
      eeas.officer.signingSeed,
    );
    const approved = await request(eeas.url, eeas.officer, 'POST', `/api/v1/devices/mark/d-mark-1/approval`, { record: toBase64(encodeDeviceRecord(record)) });
    assert.equal(approved.status, 200, approved.text);
    assertError(await request(eeas.url, keys, 'POST', '/api/v1/peers', await peerBody(eeas, cy)), 403, 'request.forbidden');
    assertError(await request(eeas.url, keys, 'POST', `/api/v1/peers/${CY}/removal`), 403, 'request.forbidden');
    assert.equal(ctx(eeas).store.transaction((tx) => tx.getPeer(CY)), null);
    assert.equal((await request(eeas.url, keys, 'GET', '/api/v1/peers')).status, 200);
    assertError(await request(eeas.url, null, 'GET', '/api/v1/peers'), 401, 'auth.missing_signature');
  });

  it('refuses a peer named like this node (409)', async () => {
    const reply = await request(eeas.url, eeas.officer, 'POST', '/api/v1/peers', await peerBody(eeas, eeas));
    assertError(reply, 409, 'request.conflict');
  });

  it('refuses a node-signed request from a node that is not a peer (401 auth.unknown_peer)', async () => {
    assertError(await request(cy.url, eeas.nodeSigner, 'GET', '/api/v1/offices'), 401, 'auth.unknown_peer');
  });

  it('adds a peer as an officer: 201, stored, peer.added logged with the root fingerprint and certificate hash', async () => {
    const size = logSize(eeas);
    const body = await peerBody(eeas, cy);
    const reply = await request(eeas.url, eeas.officer, 'POST', '/api/v1/peers', body);
    assert.equal(reply.status, 201, reply.text);
    const stored = ctx(eeas).store.transaction((tx) => tx.getPeer(CY));
    assert.ok(stored);
    assert.equal(stored.url, cy.url);
    assert.equal(stored.org, 'MFA.CY');
    assert.equal(stored.removedAt, null);
    const added = entriesSince(eeas, size).filter((e) => e.kind === 'peer.added');
    assert.equal(added.length, 1);
    const entry = added[0]!;
    assert.ok(entry.kind === 'peer.added');
    assert.equal(entry.peer, CY);
    assert.equal(entry.by, eeas.officer.user);
    assert.ok(equalBytes(entry.rootFingerprint, rootFingerprint(p, cy.root.root)));
    assert.ok(equalBytes(entry.certificateHash, p.sha256(stored.certificate)));

    const again = await request(eeas.url, eeas.officer, 'POST', '/api/v1/peers', body);
    assert.equal(again.status, 200, again.text);
    assert.equal((again.json as { duplicate?: unknown }).duplicate, true);
    assert.equal(entriesSince(eeas, size).filter((e) => e.kind === 'peer.added').length, 1, 'the duplicate is not logged');
  });

  it('admits a peer only on peer-callable routes, and each signed request once', async () => {
    await addPeer(cy, eeas);
    const offices = await request(cy.url, eeas.nodeSigner, 'GET', '/api/v1/offices');
    assert.equal(offices.status, 200, offices.text);
    assertError(await request(cy.url, eeas.nodeSigner, 'GET', '/api/v1/peers'), 403, 'auth.peer_not_allowed');
    const nonce = p.randomBytes(16);
    assert.equal((await request(cy.url, eeas.nodeSigner, 'GET', '/api/v1/offices', undefined, { nonce })).status, 200);
    assertError(await request(cy.url, eeas.nodeSigner, 'GET', '/api/v1/offices', undefined, { nonce }), 401, 'auth.replay');
  });

  it("shows a peer a user's approved devices, never a pending one", async () => {
    const keys = await generateDeviceKeys(p, cy.officer.user, 'd-olga-2' as DeviceId, CY);
    const enrolled = await request(cy.url, keys, 'POST', '/api/v1/enrollments', {
      user: keys.user, device: keys.device, signingKey: toBase64(keys.signingKey), encryptionKey: toBase64(keys.encryptionKey),
    });
    assert.equal(enrolled.status, 201, enrolled.text);
    const devicesOf = (reply: Reply) => (reply.json as { devices: { device: string; status: string }[] }).devices.map((d) => `${d.device}:${d.status}`).sort();
    const asPeer = await request(cy.url, eeas.nodeSigner, 'GET', `/api/v1/devices/${cy.officer.user}`);
    assert.equal(asPeer.status, 200, asPeer.text);
    assert.deepEqual(devicesOf(asPeer), ['d-olga-1:approved']);
    const asUser = await request(cy.url, cy.officer, 'GET', `/api/v1/devices/${cy.officer.user}`);
    assert.deepEqual(devicesOf(asUser), ['d-olga-1:approved', 'd-olga-2:pending']);
    const officer = await request(cy.url, eeas.nodeSigner, 'GET', `/api/v1/officers/${cy.officer.user}`);
    assert.equal(officer.status, 200, officer.text);
  });

  it("synchronises a peer's own offices, skipping a code hosted here", async () => {
    for (const code of [AMERICAS, 'MFA.CY.CLASH']) {
      const created = await request(cy.url, cy.officer, 'POST', '/api/v1/offices', { code, name: `office ${code}`, ceiling: 'SECRET', communities: ['EU'] });
      assert.equal(created.status, 201, created.text);
    }
    const clash = await request(eeas.url, eeas.officer, 'POST', '/api/v1/offices', { code: 'MFA.CY.CLASH', name: 'a local office', ceiling: 'SECRET', communities: ['EU'] });
    assert.equal(clash.status, 201, clash.text);
    assert.equal(await syncPeerOffices(ctx(eeas), CY), 1);
    const offices = ctx(eeas).store.transaction((tx) => tx.listPeerOffices(CY));
    assert.deepEqual(offices.map((o) => o.code), [AMERICAS]);
    const listed = await request(eeas.url, eeas.officer, 'GET', '/api/v1/peers');
    assert.equal(listed.status, 200, listed.text);
    const peers = (listed.json as { peers: { node: string; nodeCertificate: string; offices: { code: string }[] }[] }).peers;
    assert.deepEqual(peers.map((x) => x.node), [CY]);
    assert.deepEqual(peers[0]!.offices.map((o) => o.code), [AMERICAS]);
    assert.equal(peers[0]!.nodeCertificate, toBase64(ctx(cy).identity.certificate));
  });

  it("pulls its peers' offices when it starts", async () => {
    ctx(eeas).store.transaction((tx) => tx.setPeerOffices(CY, []));
    await net.stopNode(EEAS);
    await net.startNode(EEAS);
    eeas = net.node(EEAS);
    const deadline = Date.now() + 10_000;
    while (ctx(eeas).store.transaction((tx) => tx.listPeerOffices(CY)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(ctx(eeas).store.transaction((tx) => tx.listPeerOffices(CY)).map((o) => o.code), [AMERICAS]);
  });

  it('removes a peer (logged, 404 for an unknown one) and restores it when added again', async () => {
    const size = logSize(eeas);
    const removed = await request(eeas.url, eeas.officer, 'POST', `/api/v1/peers/${CY}/removal`);
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(entriesSince(eeas, size).map((e) => e.kind), ['peer.removed']);
    assertError(await request(eeas.url, eeas.officer, 'POST', '/api/v1/peers/MFA.FR/removal'), 404, 'request.not_found');
    const listed = await request(eeas.url, eeas.officer, 'GET', '/api/v1/peers');
    assert.deepEqual((listed.json as { peers: unknown[] }).peers, []);
    assertError(await request(eeas.url, eeas.officer, 'GET', `/api/v1/peers/${CY}/directory?path=${encodeURIComponent('/api/v1/offices')}`), 404, 'request.not_found');
    const readded = await addPeer(eeas, cy);
    assert.equal(readded.status, 201, readded.text);
    assert.equal(entriesSince(eeas, size).filter((e) => e.kind === 'peer.added').length, 1);
    assert.equal(ctx(eeas).store.transaction((tx) => tx.getPeer(CY))?.removedAt, null);
  });

  it("relays a peer's directory unchanged, and its last answer while the peer is down", async () => {
    const key = await xwingGenerateKeyPair(p);
    const epoch = await signOfficeEpoch(p, { office: AMERICAS, node: CY, level: 'SECRET', epoch: 0, publicKey: key.publicKey, openedAt: Date.now(), certifiedBy: cy.officer.user }, cy.officer.signingSeed);
    const opened = await request(cy.url, cy.officer, 'POST', '/api/v1/epochs', { record: toBase64(encodeOfficeEpoch(epoch)) });
    assert.equal(opened.status, 201, opened.text);

    const relayed = (path: string) => request(eeas.url, eeas.officer, 'GET', `/api/v1/peers/${CY}/directory?path=${encodeURIComponent(path)}`);
    const epochsPath = `/api/v1/epochs?office=${AMERICAS}`;
    const live = await relayed(epochsPath);
    assert.equal(live.status, 200, live.text);
    const direct = await request(cy.url, cy.officer, 'GET', epochsPath);
    type Epochs = { checkpoint: string; epochs: { record: string; logged: unknown }[] };
    assert.deepEqual((live.json as Epochs).epochs, (direct.json as Epochs).epochs);
    assert.equal((live.json as Epochs).epochs[0]?.record, toBase64(encodeOfficeEpoch(epoch)));

    const checkpoint = await relayed('/api/v1/log/checkpoint');
    assert.equal(checkpoint.status, 200, checkpoint.text);
    assert.match(checkpoint.text, /^chancery\/MFA\.CY\n\d+\n/);
    const node = await relayed('/api/v1/node');
    assert.equal((node.json as { node: string }).node, CY);
    for (const bad of ['/api/v1/inbox', '/api/v1/peers', '/api/v1/epochs?office=MFA.CY.AMERICAS&x=1', '/api/v1/devices/olga/d-olga-1', 'http://evil.test/api/v1/node']) {
      assertError(await relayed(bad), 400, 'request.malformed');
    }

    await net.stopNode(CY);
    const cached = await relayed(epochsPath);
    assert.equal(cached.status, 200, cached.text);
    assert.deepEqual(cached.json, live.json);
    assert.equal((await relayed('/api/v1/log/checkpoint')).text, checkpoint.text);
    assertError(await relayed('/api/v1/officers/nobody'), 503, 'node.peer_unavailable');
    // Kept on disk: the cache is in the store, not in memory.
    assert.ok(ctx(eeas).store.transaction((tx) => tx.getPeerDirectory(CY, epochsPath)));
    assert.equal(await syncPeerOffices(ctx(eeas), CY), 0, 'a peer that is down synchronises nothing and throws nothing');
    assert.deepEqual(ctx(eeas).store.transaction((tx) => tx.listPeerOffices(CY)).map((o) => o.code), [AMERICAS], 'its offices stay');
  });
});
