// The alerts API at the node (docs/node.md "HTTP API"): raising is one logged write and idempotent over replays; a
// non-freeze alert clears with one security officer, a freeze with two different ones; a freeze held by another
// open alert survives clearing one; only security officers see or handle alerts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserId } from '../../src/cable/types.ts';
import { toBase64 } from '../../src/bytes.ts';
import type { DeviceKeys } from '../../src/client/device-keys.ts';
import { readRootKeyFile, wipeRootKey } from '../../src/client/root-key.ts';
import { wipeHybridSecret } from '../../src/crypto/hybrid-signature.ts';
import type { Alert } from '../../src/detect/alert.ts';
import { encodeOfficerCertificate, signOfficerCertificate } from '../../src/keys/officer-certificate.ts';
import { officerSigningKey } from '../../src/keys/officer-keys.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import type { LogEntry } from '../../src/log/event-types.ts';
import { raiseAlert } from '../../src/node/detection/raise.ts';
import { approvedUser, codeOf, makeNode, NODE, p, PASSPHRASE, send, sessionOf, userBody, type TestNode } from './fixtures.ts';

const OSCAR = 'oscar' as UserId;
const SAM = 'sam' as UserId;
const HOUR = 3_600_000;

describe('alerts at the node', () => {
  let node: TestNode;
  let oscar: DeviceKeys;
  let sam: DeviceKeys;
  const entries = (): LogEntry[] => node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((r) => decodeLogEntry(r.leaf));
  const frozen = () => node.context.store.transaction((tx) => tx.getUser(SAM)?.frozen);
  const alertOf = (rule: Alert['rule'], action: Alert['action']): Alert => ({ at: node.context.now(), user: SAM, rule, severity: action === 'alert' ? 'low' : 'high', action, evidence: [1, 2] });
  const clear = (by: DeviceKeys | 'olga', id: string) => send(node, by === 'olga' ? node.officer : sessionOf(by), 'POST', `/api/v1/alerts/${id}/clear`, { body: {} });

  before(async () => {
    node = await makeNode();
    oscar = await approvedUser(node, OSCAR, 'SECRET', []);
    sam = await approvedUser(node, SAM, 'SECRET', []);
    // Oscar becomes the node's second, founding officer (the root's signature alone).
    const root = await readRootKeyFile(node.rootKeyFile, PASSPHRASE);
    const signing = await officerSigningKey(p, oscar.signingSeed);
    wipeHybridSecret(signing.secret);
    const now = node.context.now();
    const cert = await signOfficerCertificate(p, { org: root.org, user: OSCAR, scope: NODE, signingKey: signing.public, validFrom: now - HOUR, validUntil: now + HOUR, founding: true }, root.secret);
    wipeRootKey(root);
    const reply = await send(node, node.officer, 'POST', '/api/v1/officers', { body: { certificate: toBase64(encodeOfficerCertificate(cert)) } });
    assert.equal(reply.status, 201, reply.text);
  });
  after(() => node.close());

  it('raises a freeze as alert.raised and user.frozen in one write, and never twice for the same judged entry', async () => {
    const before = entries().length;
    const raised = await raiseAlert(node.context, alertOf('bulk_read', 'freeze'), 7);
    assert.ok(raised?.fresh && raised.froze);
    assert.equal(frozen(), true);
    const added = entries().slice(before);
    assert.deepEqual(added.map((e) => e.kind), ['alert.raised', 'user.frozen']);
    assert.ok(added[1]?.kind === 'user.frozen');
    assert.deepEqual(added[1].reason, { kind: 'alert', alert: raised.row.id });
    const again = await raiseAlert(node.context, alertOf('bulk_read', 'freeze'), 7);
    assert.equal(again?.fresh, false);
    assert.equal(entries().length, before + 2);
    assert.equal(await raiseAlert(node.context, { ...alertOf('bulk_read', 'freeze'), user: 'nobody' }, 8), null, 'no alert for a user the node does not know');
  });

  it('one officer cannot lift a freeze the detector imposed through a user update', async () => {
    assert.equal(frozen(), true);
    const before = entries().length;
    const reply = await send(node, node.officer, 'POST', '/api/v1/users', { body: { ...userBody(SAM, 'SECRET', []), frozen: false } });
    assert.deepEqual([reply.status, codeOf(reply)], [403, 'policy.two_officers_required']);
    assert.match(reply.text, /chancery alerts clear a-/);
    assert.equal(frozen(), true);
    assert.equal(entries().length, before, 'nothing logged');
  });

  it('only security officers list and handle alerts', async () => {
    const list = await send(node, sessionOf(sam), 'GET', '/api/v1/alerts');
    assert.equal(list.status, 403);
    const [id] = node.context.store.transaction((tx) => tx.listAlerts(['open']).map((a) => a.id));
    const refused = await clear(sam, id!);
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'request.forbidden']);
    const bad = await send(node, node.officer, 'POST', '/api/v1/alerts/NOT%20AN%20ID/clear', { body: {} });
    assert.equal(bad.status, 400);
    const missing = await clear('olga', 'a-20990101-9999');
    assert.equal(missing.status, 404);
  });

  it('a non-freeze alert clears with one officer', async () => {
    const raised = await raiseAlert(node.context, alertOf('off_hours', 'alert'), 9);
    assert.ok(raised);
    const reply = await clear('olga', raised.row.id);
    assert.equal(reply.status, 200, reply.text);
    const last = entries().at(-1);
    assert.ok(last?.kind === 'alert.cleared');
    assert.deepEqual([last.alert, last.by], [raised.row.id, ['olga']]);
    const again = await clear(oscar, raised.row.id);
    assert.deepEqual([again.status, codeOf(again)], [409, 'request.conflict']);
  });

  it('with two freezes open, clearing one (by two officers) keeps the user frozen; clearing the other unfreezes', async () => {
    const first = node.context.store.transaction((tx) => tx.listAlerts(['open']).find((a) => a.action === 'freeze'));
    assert.ok(first);
    const second = await raiseAlert(node.context, alertOf('low_and_slow', 'freeze'), 10);
    assert.ok(second?.fresh && !second.froze, 'already frozen: no second user.frozen');
    assert.equal((await clear('olga', first.id)).status, 202);
    const same = await clear('olga', first.id);
    assert.deepEqual([same.status, codeOf(same)], [403, 'policy.two_officers_required']);
    const done = await clear(oscar, first.id);
    assert.equal(done.status, 200, done.text);
    assert.equal((JSON.parse(done.text) as { unfrozen: boolean }).unfrozen, false);
    assert.equal(frozen(), true, 'the other freeze still holds');
    const before = entries().length;
    assert.equal((await clear(oscar, second.row.id)).status, 202);
    assert.equal((await clear('olga', second.row.id)).status, 200);
    assert.equal(frozen(), false);
    const added = entries().slice(before);
    assert.deepEqual(added.map((e) => e.kind), ['alert.cleared', 'user.unfrozen']);
    assert.ok(added[1]?.kind === 'user.unfrozen');
    assert.deepEqual(added[1].by, [OSCAR, 'olga']);
  });
});
