// Acknowledging and escalating alerts at the node (issue 7 "security officers … can acknowledge, clear or
// escalate"; docs/node.md "HTTP API"): each is an audit-log entry in the same write as the change; an escalation to
// freeze freezes the user as the detector's freeze does (the release service refuses them, two officers clear it);
// one to step_up makes the next share need a fresh passkey step-up; an escalation never lowers an action; the
// officer's note stays out of the log; only security officers escalate.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CableId, UserId } from '../../src/cable/types.ts';
import type { DeviceKeys } from '../../src/client/device-keys.ts';
import type { Alert } from '../../src/detect/alert.ts';
import { ChanceryError } from '../../src/errors.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import type { LogEntry } from '../../src/log/event-types.ts';
import { pendingStepUps } from '../../src/node/detection/step-up.ts';
import { raiseAlert } from '../../src/node/detection/raise.ts';
import { logThenHandOut } from '../../src/node/routes/shares.ts';
import { AMERICAS, approvedUser, codeOf, makeNode, sessionOf, send, type Reply, type TestNode } from './fixtures.ts';

const SAM = 'sam' as UserId;
const TESS = 'tess' as UserId;
const NOTE = 'called the embassy: not her, escalate';

describe('acknowledging and escalating alerts', () => {
  let node: TestNode;
  let sam: DeviceKeys;
  let tess: DeviceKeys;
  let trigger = 100;
  const logSize = () => node.context.store.transaction((tx) => tx.logSize());
  const entriesFrom = (from: number): LogEntry[] => node.context.store.transaction((tx) => tx.logEntries(from, 1000)).map((r) => decodeLogEntry(r.leaf));
  const leavesFrom = (from: number): string => node.context.store.transaction((tx) => tx.logEntries(from, 1000)).map((r) => Buffer.from(r.leaf).toString('latin1')).join('');
  const row = (id: string) => node.context.store.transaction((tx) => tx.listAlerts(['open', 'acknowledged', 'cleared']).find((a) => a.id === id));
  const frozen = (user: UserId) => node.context.store.transaction((tx) => tx.getUser(user)?.frozen);
  const raise = async (user: UserId, action: Alert['action'] = 'alert') => {
    const raised = await raiseAlert(node.context, { at: node.context.now(), user, rule: 'off_hours', severity: 'low', action, evidence: [1] }, trigger++);
    assert.ok(raised?.fresh);
    return raised.row.id;
  };
  const escalate = (id: string, body: object, by: DeviceKeys | null = null): Promise<Reply> =>
    send(node, by === null ? node.officer : sessionOf(by), 'POST', `/api/v1/alerts/${id}/escalate`, { body });
  /**
   * A share for `keys`' user through the release service's common tail: the refusal's code, or `open.not_addressed`
   * when it went through policy, the read was logged and the release service found no such cable (none is sent here).
   */
  const share = (keys: DeviceKeys) => {
    const cable = 'MFA.CY.AMERICAS/2026/000001' as CableId;
    const event = { kind: 'cable.read' as const, user: keys.user, device: keys.device, cable, office: AMERICAS, level: 'LIMITED' as const, tags: [] };
    return logThenHandOut(node.context, { now: node.context.now(), client: null, session: null }, { user: keys.user, device: keys.device }, { cable, office: AMERICAS, event }).then(
      () => 'handed out',
      (e: unknown) => (e instanceof ChanceryError ? e.code : String(e)),
    );
  };

  before(async () => {
    node = await makeNode();
    sam = await approvedUser(node, SAM, 'SECRET', []);
    tess = await approvedUser(node, TESS, 'SECRET', []);
  });
  after(() => node.close());

  it('an acknowledgement is the alert.acknowledged entry, in the write that marks the alert', async () => {
    const id = await raise(SAM);
    const before = logSize();
    const reply = await send(node, node.officer, 'POST', `/api/v1/alerts/${id}/acknowledge`, { body: {} });
    assert.equal(reply.status, 200, reply.text);
    const added = entriesFrom(before);
    assert.deepEqual(added.map((e) => e.kind), ['alert.acknowledged']);
    assert.ok(added[0]?.kind === 'alert.acknowledged');
    assert.deepEqual([added[0].alert, added[0].officer, 'user' in added[0]], [id, 'olga', false]);
    assert.deepEqual([row(id)?.state, row(id)?.acknowledgedBy], ['acknowledged', 'olga']);
    const refused = await send(node, sessionOf(sam), 'POST', `/api/v1/alerts/${id}/acknowledge`, { body: {} });
    assert.equal(refused.status, 403);
    assert.equal(logSize(), before + 1, 'nothing more logged');
  });

  it('only security officers escalate', async () => {
    const id = await raise(SAM);
    const before = logSize();
    const reply = await escalate(id, { action: 'freeze' }, sam);
    assert.deepEqual([reply.status, codeOf(reply)], [403, 'request.forbidden']);
    assert.equal(logSize(), before);
    assert.equal(row(id)?.action, 'alert');
    assert.equal(frozen(SAM), false);
  });

  it('escalating to freeze freezes the user in the same write; the release service refuses them; clearing needs two officers', async () => {
    const id = await raise(SAM);
    assert.equal(await share(sam), 'open.not_addressed', 'reading goes through before');
    const before = logSize();
    const reply = await escalate(id, { action: 'freeze', reason: NOTE });
    assert.equal(reply.status, 200, reply.text);
    const body = JSON.parse(reply.text) as { alert: { action: string; state: string }; froze: boolean };
    assert.deepEqual([body.alert.action, body.alert.state, body.froze], ['freeze', 'open', true]);
    assert.equal(frozen(SAM), true);
    const added = entriesFrom(before);
    assert.deepEqual(added.map((e) => e.kind), ['alert.escalated', 'user.frozen']);
    assert.ok(added[0]?.kind === 'alert.escalated' && added[1]?.kind === 'user.frozen');
    assert.deepEqual([added[0].alert, added[0].officer, added[0].action], [id, 'olga', 'freeze']);
    assert.deepEqual([added[1].user, added[1].reason], [SAM, { kind: 'alert', alert: id }]);
    assert.ok(!leavesFrom(0).includes('embassy'), "the officer's note is in no leaf");

    assert.equal(await share(sam), 'policy.denied');
    assert.equal(logSize(), before + 2, 'the refused read is not logged');

    const first = await send(node, node.officer, 'POST', `/api/v1/alerts/${id}/clear`, { body: {} });
    assert.equal(first.status, 202, 'a second, different officer must clear the escalated freeze');
    assert.equal(frozen(SAM), true);
  });

  it('never lowers an action, nor sets the same again: 409 and nothing logged; a malformed escalation is 400', async () => {
    const frozenAlert = node.context.store.transaction((tx) => tx.listAlerts(['open']).find((a) => a.user === SAM && a.action === 'freeze'));
    assert.ok(frozenAlert);
    const stepUp = await raise(TESS, 'step_up');
    const before = logSize();
    for (const [id, action] of [[frozenAlert.id, 'step_up'], [frozenAlert.id, 'freeze'], [stepUp, 'step_up']] as const) {
      const reply = await escalate(id, { action });
      assert.deepEqual([reply.status, codeOf(reply)], [409, 'request.conflict'], `${id} to ${action}`);
    }
    for (const body of [{ action: 'alert' }, { action: 'delete' }, {}, { action: 'freeze', reason: 'x'.repeat(501) }, { action: 'freeze', reason: 'a\u0007b' }, { action: 'freeze', extra: 1 }]) {
      const reply = await escalate(stepUp, body);
      assert.equal(reply.status, 400, JSON.stringify(body));
    }
    assert.equal((await escalate('a-20990101-9999', { action: 'freeze' })).status, 404);
    assert.equal(logSize(), before, 'nothing logged');
    assert.equal(row(stepUp)?.action, 'step_up');
    assert.equal(frozen(TESS), false);
  });

  it('escalating an acknowledged alert to step_up reopens it: the next share needs a passkey step-up', async () => {
    const id = await raise(TESS);
    assert.equal((await send(node, node.officer, 'POST', `/api/v1/alerts/${id}/acknowledge`, { body: {} })).status, 200);
    // The step_up alert of the test above would ask already: acknowledge it so that only the escalated one asks.
    for (const a of node.context.store.transaction((tx) => pendingStepUps(tx, TESS))) {
      assert.equal((await send(node, node.officer, 'POST', `/api/v1/alerts/${a.id}/acknowledge`, { body: {} })).status, 200);
    }
    assert.equal(await share(tess), 'open.not_addressed', 'no step-up asked yet');
    const before = logSize();
    const reply = await escalate(id, { action: 'step_up' });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual([row(id)?.action, row(id)?.state], ['step_up', 'open']);
    assert.deepEqual(node.context.store.transaction((tx) => pendingStepUps(tx, TESS).map((a) => a.id)), [id]);
    const added = entriesFrom(before);
    assert.deepEqual(added.map((e) => e.kind), ['alert.escalated']);
    assert.ok(added[0]?.kind === 'alert.escalated' && added[0].action === 'step_up');
    assert.equal(await share(tess), 'auth.step_up_required');
    assert.equal(frozen(TESS), false);
    // And on from step_up to freeze.
    assert.equal((await escalate(id, { action: 'freeze' })).status, 200);
    assert.equal(frozen(TESS), true);
  });
});
