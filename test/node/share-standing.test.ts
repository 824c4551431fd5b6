// The share's last look at the caller's standing (issue 7 "Containment is real"): the route checks policy, then
// appends the read; a freeze the detector commits between the two must still stop the share. The standing check
// inside the append's write is what closes that gap: here the freeze lands exactly there.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CableId } from '../../src/cable/types.ts';
import { ChanceryError } from '../../src/errors.ts';
import { logThenHandOut } from '../../src/node/routes/shares.ts';
import { AMERICAS, OLGA, OLGA_DEVICE, makeNode, type TestNode } from './fixtures.ts';

describe('a share whose policy check passed before a freeze committed', () => {
  let node: TestNode;
  beforeEach(async () => {
    node = await makeNode();
  });
  afterEach(() => node.close());

  const share = () => ({
    cable: 'MFA.CY.AMERICAS/2026/000001' as CableId,
    office: AMERICAS,
    event: { kind: 'cable.read' as const, user: OLGA, device: OLGA_DEVICE, cable: 'MFA.CY.AMERICAS/2026/000001' as CableId, office: AMERICAS, level: 'LIMITED' as const, tags: [] },
  });
  const caller = { user: OLGA, device: OLGA_DEVICE };
  const input = () => ({ now: node.context.now(), client: null });
  const logSize = () => node.context.store.transaction((tx) => tx.logSize());

  it('is refused in the append itself, with nothing logged or counted, once the user is frozen', async () => {
    // The freeze commits after the route's policy check (which logThenHandOut's callers run before it).
    node.context.store.transaction((tx) => tx.putUser({ ...tx.getUser(OLGA)!, frozen: true }));
    const before = logSize();
    const refused = await logThenHandOut(node.context, input(), caller, share()).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof ChanceryError);
    assert.equal(refused.code, 'policy.denied');
    assert.equal(logSize(), before, 'no read appended');
    assert.equal(node.context.store.transaction((tx) => tx.countShareReleases(OLGA, 0)), 0, 'nothing counted against the rate');
  });

  it('goes as far as the logged read for a user in good standing (control)', async () => {
    const before = logSize();
    // No such cable at the release service: the read is logged, then the keeper finds nothing to open.
    await logThenHandOut(node.context, input(), caller, share()).catch(() => undefined);
    assert.equal(logSize(), before + 1);
  });
});
