// Key transparency (issue 4): clients trust a device, an office epoch or an officer certificate only when the node
// shows the audit-log entry that put it on the record, with its inclusion proof under a fresh checkpoint; a key
// written straight into the node's database (not through enrollment or the API) is refused by every sender and
// reader and flagged by its own user's client; and a device watches its user's devices and offices.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DeviceId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { ChanceryError } from '../../src/errors.ts';
import { fromBase64, toBase64 } from '../../src/bytes.ts';
import { xwingGenerateKeyPair } from '../../src/crypto/xwing.ts';
import { createOffice, addRoles } from '../../src/client/admin.ts';
import { generateDeviceKeys } from '../../src/client/device-keys.ts';
import { appointmentVerifier, currentEpoch, listDevices, officeEpochs, officerCertificate, verifiedDevice } from '../../src/client/key-directory.ts';
import { readRootKeyFile, wipeRootKey } from '../../src/client/root-key.ts';
import { signOfficerCertificate } from '../../src/keys/officer-certificate.ts';
import { openEpochs } from '../../src/client/key-admin.ts';
import { checkKeys, watchKeys } from '../../src/client/key-watch.ts';
import type { Fetch } from '../../src/client/http.ts';
import { openSession, type Session } from '../../src/client/session.ts';
import { readClientConfig } from '../../src/client/config.ts';
import { deviceKeysFromMaterial } from '../../src/client/device-keys.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { encodeDeviceRecord, signDeviceRecord } from '../../src/keys/device-record.ts';
import { encodeOfficeEpoch, keyHash, signOfficeEpoch } from '../../src/keys/office-epoch.ts';
import { nodePath } from '../../src/node/node-files.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { p, PASSPHRASE, startTestNode, type TestNode } from './fixtures.ts';

const DEL = 'EEAS.DEL.OTTAWA' as OfficeCode;
const u = (id: string) => id as UserId;

async function refusal(promise: Promise<unknown>): Promise<ChanceryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChanceryError, `expected a ChanceryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('key transparency: key records are trusted only on the audit log', () => {
  let t: TestNode;
  let ana: Session;
  let ben: Session;
  let storePath: string;

  /** Writes into the node's database what no API call made: the ghost an attacker with the database would plant. */
  function plant(write: Parameters<ReturnType<typeof openSqliteStore>['transaction']>[0]): void {
    const store = openSqliteStore(storePath);
    try {
      store.transaction(write);
    } finally {
      store.close();
    }
  }

  before(async () => {
    t = await startTestNode();
    storePath = nodePath(join(t.dir, 'data'), 'store');
    await createOffice(t.officer, { code: DEL, name: 'EU Delegation to Canada', ceiling: 'RESTRICTED', communities: ['EU'] });
    const so = { clearance: 'SECRET' as const, nationality: 'BE', organisations: ['EU'], memberships: [{ office: DEL, role: 'security-officer' as const }] };
    await addRoles(t.officer, u('ines.moreau'), so.memberships);
    const co = await t.addOfficer({ ...so, id: u('piotr.nowak'), name: 'Piotr Nowak', nationality: 'PL' });
    ana = await t.addUser({ id: u('ana.silva'), name: 'Ana Silva', clearance: 'RESTRICTED', nationality: 'PT', organisations: ['EU'], memberships: [{ office: DEL, role: 'member' }] });
    ben = await t.addUser({ id: u('ben.weber'), name: 'Ben Weber', clearance: 'RESTRICTED', nationality: 'DE', organisations: ['EU'], memberships: [{ office: DEL, role: 'member' }] });
    await openEpochs(t.officer, DEL, { levels: ['RESTRICTED'], coOfficers: [co] });
  });
  after(() => t.close());

  it('serves every device, epoch and officer certificate with its entry, which the client verifies', async () => {
    const devices = await listDevices(ben, u('ana.silva'));
    assert.deepEqual(devices.map((d) => [d.device, d.onLog]), [['d-ana-1', true]]);
    assert.equal((await verifiedDevice(ben, u('ana.silva'), 'd-ana-1' as DeviceId)).record.device, 'd-ana-1');
    assert.equal((await currentEpoch(ben, DEL, 'RESTRICTED')).epoch.epoch, 0);
    assert.equal((await officerCertificate(ben, u('ines.moreau'))).user, 'ines.moreau');
    const body = (await ben.http.get('/api/v1/epochs', { office: DEL })) as { epochs: { logged: { index: number } }[] };
    assert.ok(Number.isSafeInteger(body.epochs[0]?.logged.index));
  });

  it('a device key written straight into the database is refused by others and flagged by its own user', async () => {
    const ghost = await generateDeviceKeys(p, u('ana.silva'), 'd-ana-9' as DeviceId, t.node.context.identity.node);
    // Signed by a real officer's key: the chain to the root verifies. Only the log says no one approved it.
    const record = await signDeviceRecord(
      p,
      { user: u('ana.silva'), device: 'd-ana-9' as DeviceId, node: t.node.context.identity.node, signingKey: ghost.signingKey, encryptionKey: ghost.encryptionKey, createdAt: Date.now(), approval: { kind: 'officer', officer: u('ines.moreau') } },
      t.officer.keys.signingSeed,
    );
    plant((tx) => tx.putDevice({ user: u('ana.silva'), device: 'd-ana-9' as DeviceId, status: 'approved', signingKey: ghost.signingKey, encryptionKey: ghost.encryptionKey, record: encodeDeviceRecord(record), createdAt: Date.now() }));

    const listed = await listDevices(ben, u('ana.silva'));
    assert.deepEqual(listed.map((d) => [d.device, d.onLog]).sort(), [['d-ana-1', true], ['d-ana-9', false]]);
    const refused = await refusal(verifiedDevice(ben, u('ana.silva'), 'd-ana-9' as DeviceId));
    assert.equal(refused.code, 'verify.not_logged');
    assert.match(refused.message, /ghost device/);

    // The node itself does not let it act: every signed request is refused.
    const planted = await openSession(p, ghost, { url: t.node.url, rootFingerprint: t.rootFingerprint });
    after(() => planted.close());
    const denied = await refusal(planted.http.get('/api/v1/inbox'));
    assert.equal(denied.code, 'auth.device_not_approved');

    const { warnings } = await checkKeys(ana, undefined);
    assert.deepEqual(warnings.map((w) => [w.kind, w.severity, w.device]), [['ghost_device', 'high', 'd-ana-9']]);
    assert.match(warnings[0]!.message, /not on the audit log/);
  });

  it('an epoch written straight into the database is never sealed to', async () => {
    const pair = await xwingGenerateKeyPair(p);
    const epoch = await signOfficeEpoch(p, { office: DEL, node: t.node.context.identity.node, level: 'RESTRICTED', epoch: 1, publicKey: pair.publicKey, openedAt: Date.now(), certifiedBy: u('ines.moreau') }, t.officer.keys.signingSeed);
    plant((tx) => tx.putEpoch({ office: DEL, level: 'RESTRICTED', epoch: 1, keyHash: keyHash(p, pair.publicKey), record: encodeOfficeEpoch(epoch), closure: null }));
    const refused = await refusal(currentEpoch(ben, DEL, 'RESTRICTED'));
    assert.equal(refused.code, 'verify.not_logged');
    assert.match(refused.message, /epoch 1 of EEAS\.DEL\.OTTAWA at RESTRICTED is not on the audit log/);
  });

  it("refuses a real entry shown for another record, and a proof that does not verify", async () => {
    // Another officer's real appointment entry, shown as this officer's.
    const other = (await ben.http.get('/api/v1/officers/piotr.nowak')) as { logged: { index: number; entry: string; proof: string[] } };
    const swapEntry: Fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/api/v1/officers/')) return res;
      const body = (await res.json()) as typeof other;
      return Response.json({ ...body, logged: { ...body.logged, entry: other.logged.entry } });
    };
    const fooled = await sessionOf('ben.weber', 'd-ben-1', swapEntry);
    assert.equal((await refusal(officerCertificate(fooled, u('ines.moreau')))).code, 'log.bad_proof');

    const badProof: Fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/api/v1/officers/')) return res;
      const body = (await res.json()) as { logged: { proof: string[] } };
      const proof = body.logged.proof.map((h, i) => (i === 0 ? toBase64(fromBase64(h).map((b, j) => (j === 0 ? b ^ 1 : b))) : h));
      return Response.json({ ...body, logged: { ...body.logged, proof } });
    };
    const fooled2 = await sessionOf('ben.weber', 'd-ben-1', badProof);
    assert.equal((await refusal(officerCertificate(fooled2, u('ines.moreau')))).code, 'log.bad_proof');
  });

  it('trusts an officer certificate only as an appointment: founding, or endorsed by two other officers', async () => {
    const ines = await officerCertificate(ben, u('ines.moreau'));
    assert.equal((await appointmentVerifier(ben)(ines)).user, 'ines.moreau', 'the founding officer from init');
    // Root-signed, but neither founding nor endorsed: what one officer holding the root's signature alone could make.
    const root = await readRootKeyFile(t.rootKeyFile, PASSPHRASE);
    try {
      const now = Date.now() - 60_000;
      const alone = await signOfficerCertificate(p, { org: root.org, user: u('ben.weber'), scope: t.node.context.identity.node, signingKey: ines.signingKey, validFrom: now, validUntil: now + 3_600_000 }, root.secret);
      assert.equal((await refusal(appointmentVerifier(ben)(alone))).code, 'verify.missing_signature');
    } finally {
      wipeRootKey(root);
    }
  });

  it('refuses a view of the log older than the configured bound', async () => {
    const strict = await sessionOf('ben.weber', 'd-ben-1', fetch, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refused = await refusal(officeEpochs(strict, DEL));
    assert.equal(refused.code, 'verify.stale_log');
  });

  it('watches its own devices and its offices: a baseline first, then news of each change once', async () => {
    const keyFile = t.keyFile('ben.weber', 'd-ben-1');
    const first = await watchKeys(ben, keyFile);
    assert.equal(first.baseline, true);
    // Ghosts are reported at every check, the baseline included (the epoch planted above); news only after it.
    assert.deepEqual(first.warnings.map((w) => [w.kind, w.severity]), [['ghost_epoch', 'high']]);
    assert.deepEqual((await readClientConfig(keyFile)).watch?.devices, ['d-ben-1']);

    await t.addUser({ id: u('carla.ruiz'), name: 'Carla Ruiz', clearance: 'RESTRICTED', nationality: 'ES', organisations: ['EU'], memberships: [{ office: DEL, role: 'member' }] });
    const second = await watchKeys(ben, keyFile);
    assert.deepEqual(second.warnings.map((w) => [w.kind, w.user, w.office]), [['new_member', 'carla.ruiz', DEL], ['ghost_epoch', undefined, DEL]]);
    assert.deepEqual((await watchKeys(ben, keyFile)).warnings.map((w) => w.kind), ['ghost_epoch'], 'news is reported once');
  });

  async function sessionOf(user: string, device: string, fetchImpl: Fetch, maxLogAgeMs?: number): Promise<Session> {
    const keys = await deviceKeysFromMaterial(p, await readKeyFile(t.keyFile(user, device), PASSPHRASE));
    return openSession(p, keys, { url: t.node.url, rootFingerprint: t.rootFingerprint, fetch: fetchImpl, ...(maxLogAgeMs === undefined ? {} : { maxLogAgeMs }) });
  }
});
