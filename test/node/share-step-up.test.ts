// The share's last look at step_up alerts (issue 7; docs/detection.md "Step-up"): the route checks policy, then
// appends the read; a step_up alert the detector raises between the two must still demand a step-up. Taking the
// step-up inside the append's write is what closes that gap: here the alert lands exactly there (as in
// share-standing.test.ts for a freeze).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CableId } from '../../src/cable/types.ts';
import { ChanceryError } from '../../src/errors.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { raiseAlert } from '../../src/node/detection/raise.ts';
import { logThenHandOut, type ShareInput } from '../../src/node/routes/shares.ts';
import { newSession, STEP_UP_MS } from '../../src/node/web-auth/sessions.ts';
import type { WebSessionRow } from '../../src/store/web-auth.ts';
import { AMERICAS, OLGA, OLGA_DEVICE, makeNode, type TestNode } from './fixtures.ts';

describe('a share whose policy check passed before a step_up alert was raised', () => {
  let node: TestNode;
  let trigger = 100;
  beforeEach(async () => {
    node = await makeNode();
  });
  afterEach(() => node.close());

  const cable = 'MFA.CY.AMERICAS/2026/000001' as CableId;
  const share = () => ({ cable, office: AMERICAS, event: { kind: 'cable.read' as const, user: OLGA, device: OLGA_DEVICE, cable, office: AMERICAS, level: 'LIMITED' as const, tags: [] } });
  const caller = { user: OLGA, device: OLGA_DEVICE };
  const input = (session: WebSessionRow | null): ShareInput => ({ now: node.context.now(), client: null, session });
  const logSize = () => node.context.store.transaction((tx) => tx.logSize());
  const counted = () => node.context.store.transaction((tx) => tx.countShareReleases(OLGA, 0));
  const raise = async (action: 'step_up' | 'freeze' = 'step_up') => {
    const raised = await raiseAlert(node.context, { at: node.context.now(), user: OLGA, rule: action === 'freeze' ? 'canary' : 'new_device_or_network', severity: 'low', action, evidence: [0] }, trigger++);
    assert.ok(raised?.fresh);
    return raised.row;
  };
  /** A browser session of Olga's device whose step-up was made `ago` ms before now (null: none). */
  const session = (ago: number | null): WebSessionRow => {
    const now = node.context.now();
    const { row } = newSession(node.context, OLGA, OLGA_DEVICE, now);
    const stored = { ...row, stepUpAt: ago === null ? null : now - ago };
    node.context.store.transaction((tx) => tx.putWebSession(stored));
    return stored;
  };
  const attempt = (s: WebSessionRow | null) => logThenHandOut(node.context, input(s), caller, share()).then(() => null, (e: unknown) => e);
  const stepUpAt = (s: WebSessionRow) => node.context.store.transaction((tx) => tx.getWebSession(s.idHash)?.stepUpAt ?? null);

  it('is refused in the append itself (401 auth.step_up_required), nothing logged or counted, for a device without a step-up', async () => {
    const alert = await raise();
    const before = logSize();
    for (const s of [null, session(null), session(STEP_UP_MS + 1000)]) {
      const refused = await attempt(s);
      assert.ok(refused instanceof ChanceryError);
      assert.equal(refused.code, 'auth.step_up_required');
    }
    assert.equal(logSize(), before, 'no read appended');
    assert.equal(counted(), 0, 'nothing counted against the rate');
    assert.equal(node.context.store.transaction((tx) => tx.getAlert(alert.id)?.state), 'open');
  });

  it('takes a fresh step-up in the same write as the read, and acknowledges the alert in the user\'s name', async () => {
    const alert = await raise();
    const s = session(10_000);
    const before = logSize();
    // No such cable at the release service: the read is logged, then the keeper finds nothing to open.
    await attempt(s);
    assert.equal(logSize(), before + 2, 'the acknowledgement and the read are logged');
    const [ack, read] = node.context.store.transaction((tx) => tx.logEntries(before, 2)).map((r) => decodeLogEntry(r.leaf));
    assert.deepEqual(ack, { kind: 'alert.acknowledged', at: ack?.at, node: ack?.node, alert: alert.id, officer: OLGA }, 'in the user\'s name, without personal details');
    assert.equal(read?.kind, 'cable.read');
    assert.equal(stepUpAt(s), null, 'the step-up is spent');
    const row = node.context.store.transaction((tx) => tx.getAlert(alert.id));
    assert.deepEqual([row?.state, row?.acknowledgedBy], ['acknowledged', OLGA]);
    // The requirement lifted: the CLI path (no session) goes as far as the logged read too.
    await attempt(null);
    assert.equal(logSize(), before + 3);
  });

  it('a freeze wins over a step-up: refused 403, the step-up not spent, the alert still open', async () => {
    const alert = await raise();
    await raise('freeze');
    const s = session(10_000);
    const before = logSize();
    const refused = await attempt(s);
    assert.ok(refused instanceof ChanceryError);
    assert.equal(refused.code, 'policy.denied');
    assert.equal(logSize(), before);
    assert.notEqual(stepUpAt(s), null);
    assert.equal(node.context.store.transaction((tx) => tx.getAlert(alert.id)?.state), 'open');
  });

  it('a refusal after the step-up was taken (the rate) rolls the taking back with the write', async () => {
    const alert = await raise();
    const s = session(10_000);
    const tight = { ...node.context, shareRate: { perMinute: 0, perHour: 0 } };
    const refused = await logThenHandOut(tight, input(s), caller, share()).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof ChanceryError);
    assert.equal(refused.code, 'request.rate_limited');
    assert.notEqual(stepUpAt(s), null, 'the step-up is still there');
    assert.equal(node.context.store.transaction((tx) => tx.getAlert(alert.id)?.state), 'open');
  });
});
