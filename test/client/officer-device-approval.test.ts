// An officer approving from a second device of theirs, end to end through the client: approveDevice names that
// device when it is not the certificate's key; every other client accepts the approved device only through the
// officer's device as listed under `approvers` with its log entry (key transparency), and not once it is revoked.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { ChanceryError } from '../../src/errors.ts';
import { approveDevice, createUser } from '../../src/client/admin.ts';
import { enrollDevice } from '../../src/client/enroll.ts';
import type { Fetch } from '../../src/client/http.ts';
import { listDevices, verifiedDevice } from '../../src/client/key-directory.ts';
import { revokeDevice } from '../../src/client/revoke.ts';
import type { Session } from '../../src/client/session.ts';
import { p, PASSPHRASE, startTestNode, type TestNode } from './fixtures.ts';

const u = (id: string) => id as UserId;
const INES = u('ines.moreau');
const CARLA = u('carla.ruiz');
const INES_2 = 'd-ines-2' as DeviceId;
const CARLA_1 = 'd-carla-1' as DeviceId;

async function refusal(promise: Promise<unknown>): Promise<ChanceryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChanceryError, `expected a ChanceryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

/** A fetch that rewrites the `approvers` of device listings. */
function rewritingApprovers(rewrite: (approvers: Record<string, unknown>[]) => Record<string, unknown>[] | undefined): Fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!String(input).includes('/api/v1/devices/')) return res;
    const body = (await res.json()) as { approvers?: Record<string, unknown>[] };
    const approvers = rewrite(body.approvers ?? []);
    const { approvers: _dropped, ...rest } = body;
    void _dropped;
    return Response.json(approvers === undefined ? rest : { ...rest, approvers });
  };
}

describe('client: approvals by an officer’s second device', () => {
  let t: TestNode;
  let ines2: Session;
  let ben: Session;

  before(async () => {
    t = await startTestNode();
    // Ines's second device, approved by her first (her own device, as a user approves her own).
    await enrollDevice(p, { url: t.node.url, user: INES, device: INES_2, keyFile: t.keyFile(INES, INES_2), passphrase: PASSPHRASE, rootFingerprint: t.rootFingerprint, keyFileOptions: { scryptN: 1 << 10 } });
    await approveDevice(t.officer, INES, INES_2);
    ines2 = await t.session(INES, INES_2);
    ben = await t.addUser({ id: u('ben.weber'), name: 'Ben Weber', clearance: 'RESTRICTED', nationality: 'DE', organisations: ['EU'], memberships: [] });
    await createUser(t.officer, { id: CARLA, name: 'Carla Ruiz', clearance: 'RESTRICTED', nationality: 'ES', organisations: ['EU'], memberships: [] });
    await enrollDevice(p, { url: t.node.url, user: CARLA, device: CARLA_1, keyFile: t.keyFile(CARLA, CARLA_1), passphrase: PASSPHRASE, rootFingerprint: t.rootFingerprint, keyFileOptions: { scryptN: 1 << 10 } });
  });
  after(() => t.close());

  it('signs with the second device and names it; others verify the chain through it', async () => {
    const r = await approveDevice(ines2, CARLA, CARLA_1);
    assert.deepEqual(r.approval, { kind: 'officer', officer: INES, device: INES_2 });
    assert.deepEqual((await listDevices(ben, CARLA)).find((d) => d.device === CARLA_1)?.record?.approval, r.approval);
    const verified = await verifiedDevice(ben, CARLA, CARLA_1);
    assert.deepEqual(verified.path.map((d) => `${d.user}/${d.device}`), [`${INES}/${INES_2}`, `${INES}/d-ines-1`]);
    assert.equal(verified.officer.user, INES);
    // From the certificate's own key, the approval stays as it always was.
    assert.deepEqual((await refusal(approveDevice(t.officer, CARLA, CARLA_1))).code, 'request.not_found', 'no longer pending');
  });

  it('refuses the chain when the node does not show the approving device on the log, or not at all', async () => {
    const unlogged = await t.session('ben.weber', 'd-ben-1', { fetch: rewritingApprovers((a) => a.map((d) => ({ ...d, logged: null }))) });
    assert.equal((await refusal(verifiedDevice(unlogged, CARLA, CARLA_1))).code, 'verify.untrusted_key');
    const hidden = await t.session('ben.weber', 'd-ben-1', { fetch: rewritingApprovers(() => undefined) });
    assert.equal((await refusal(verifiedDevice(hidden, CARLA, CARLA_1))).code, 'verify.untrusted_key');
    unlogged.close();
    hidden.close();
  });

  it('refuses the approved device once the officer’s approving device is revoked', async () => {
    await revokeDevice(t.officer, INES, INES_2);
    const fresh = await t.session('ben.weber', 'd-ben-1');
    assert.equal((await refusal(verifiedDevice(fresh, CARLA, CARLA_1))).code, 'verify.untrusted_key');
    fresh.close();
  });
});
