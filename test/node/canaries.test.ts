// Canary cables at the node (issue 7 "canary cable"; docs/detection.md "In the node"): only security officers mark
// and list canaries, a mark is one logged `canary.marked` (naming no user), marking twice is idempotent, and a read
// of a marked cable is judged live by the detector as a high `canary` alert that freezes the reader; a read from
// before the mark stays ordinary.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserId } from '../../src/cable/types.ts';
import type { DeviceKeys } from '../../src/client/device-keys.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import type { LogEntry } from '../../src/log/event-types.ts';
import { DetectionService } from '../../src/node/detection.ts';
import { loggedWrite } from '../../src/node/logged-write.ts';
import { cable } from '../store/fixtures.ts';
import { AMERICAS, approvedUser, codeOf, makeNode, officeBody, OLGA, send, sessionOf, type TestNode } from './fixtures.ts';

const SAM = 'sam' as UserId;

describe('canary cables at the node', { timeout: 15_000 }, () => {
  let node: TestNode;
  let sam: DeviceKeys;
  const canaryCable = cable(1);
  const ordinaryCable = cable(2);
  const openCable = { ...cable(3), classification: 'UNCLASSIFIED' as const, caveats: [] };
  const entries = (): LogEntry[] => node.context.store.transaction((tx) => tx.logEntries(0, 10_000)).map((r) => decodeLogEntry(r.leaf));
  const read = (c: typeof canaryCable) =>
    loggedWrite(node.context, { now: node.context.now(), client: null }, (_tx, record) =>
      record([{ kind: 'cable.read', user: SAM, device: sam.device, cable: c.id, office: AMERICAS, level: c.classification, tags: c.tags }]),
    );
  const mark = (by: 'olga' | DeviceKeys, body: unknown) => send(node, by === 'olga' ? node.officer : sessionOf(by), 'POST', '/api/v1/canaries', { body });

  before(async () => {
    node = await makeNode();
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) })).status, 201);
    sam = await approvedUser(node, SAM, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
    const now = node.context.now();
    node.context.store.transaction((tx) => {
      tx.putCable({ ...canaryCable, to: [AMERICAS], info: [] }, [AMERICAS], now);
      tx.putCable({ ...ordinaryCable, to: [AMERICAS], info: [] }, [AMERICAS], now);
      tx.putCable({ ...openCable, to: [AMERICAS], info: [] }, [AMERICAS], now);
    });
  });
  after(() => node.close());

  it('only security officers mark and list canaries; the cable must be stored here and LIMITED or higher', async () => {
    const refused = await mark(sam, { cable: canaryCable.id });
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'request.forbidden']);
    const list = await send(node, sessionOf(sam), 'GET', '/api/v1/canaries');
    assert.equal(list.status, 403);
    const missing = await mark('olga', { cable: 'MFA.CY.AMERICAS/2026/999999' });
    assert.deepEqual([missing.status, codeOf(missing)], [404, 'request.not_found']);
    // Its openings are never logged (no release share), so a mark would promise a detection that cannot happen.
    const unclassified = await mark('olga', { cable: openCable.id });
    assert.deepEqual([unclassified.status, codeOf(unclassified)], [409, 'request.conflict']);
    const malformed = await mark('olga', { cable: 'not a cable' });
    assert.equal(malformed.status, 400);
    assert.equal(node.context.store.transaction((tx) => tx.listCanaries()).length, 0);
  });

  it('marks a cable once, as canary.marked with no user field; marking again is idempotent', async () => {
    const before = entries().length;
    const first = await mark('olga', { cable: canaryCable.id });
    assert.equal(first.status, 201, first.text);
    const added = entries().slice(before);
    assert.deepEqual(added.map((e) => e.kind), ['canary.marked']);
    assert.ok(added[0]?.kind === 'canary.marked');
    assert.deepEqual([added[0].cable, added[0].officer], [canaryCable.id, OLGA]);
    assert.equal('user' in added[0], false, 'no ordinary device is shown the mark');
    const again = await mark('olga', { cable: canaryCable.id });
    assert.equal(again.status, 200, again.text);
    assert.equal(entries().length, before + 1, 'nothing logged twice');
    const list = await send(node, node.officer, 'GET', '/api/v1/canaries');
    assert.equal(list.status, 200, list.text);
    const body = JSON.parse(list.text) as { canaries: { cable: string; officer: string }[] };
    assert.deepEqual(body.canaries.map((c) => [c.cable, c.officer]), [[canaryCable.id, OLGA]]);
  });

  it('a read of the canary is judged live: a high canary alert that freezes the reader', async () => {
    const detection = new DetectionService(node.context);
    await detection.start();
    try {
      await read(ordinaryCable);
      await detection.settled();
      assert.equal(node.context.store.transaction((tx) => tx.getUser(SAM)?.frozen), false, 'an ordinary read freezes no one');
      await read(canaryCable);
      await detection.settled();
      const alerts = node.context.store.transaction((tx) => tx.listAlerts(['open']));
      assert.deepEqual(alerts.map((a) => [a.user, a.rule, a.severity, a.action]), [[SAM, 'canary', 'high', 'freeze']]);
      assert.equal(node.context.store.transaction((tx) => tx.getUser(SAM)?.frozen), true);
      const kinds = entries().map((e) => e.kind);
      assert.deepEqual(kinds.slice(-2), ['alert.raised', 'user.frozen']);
    } finally {
      await detection.stop();
    }
  });

  it('a read from before a mark stays ordinary when the log is replayed', async () => {
    const marked = await mark('olga', { cable: ordinaryCable.id });
    assert.equal(marked.status, 201, marked.text);
    const detection = new DetectionService(node.context);
    await detection.start();
    await detection.stop();
    assert.equal(node.context.store.transaction((tx) => tx.listAlerts(['open', 'acknowledged', 'cleared'])).length, 1, 'only the canary read raised');
  });
});
