// Two officers appoint a security officer, at the node (docs/decisions/012-two-officers-appoint.md): POST
// /api/v1/officers stores a certificate only with the endorsements of two of the node's officers, or a founding one
// while the node has fewer than two; anything less is 403 policy.two_officers_required and nothing is written. The
// officer.appointed entry names the endorsers, or none for a founding appointment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserId } from '../../src/cable/types.ts';
import { toBase64 } from '../../src/bytes.ts';
import type { DeviceKeys } from '../../src/client/device-keys.ts';
import { readRootKeyFile, wipeRootKey, type RootKey } from '../../src/client/root-key.ts';
import { wipeHybridSecret } from '../../src/crypto/hybrid-signature.ts';
import { decodeOfficerCertificate, encodeOfficerCertificate, officerCertificateHash, signOfficerCertificate, type OfficerCertificate } from '../../src/keys/officer-certificate.ts';
import { signOfficerEndorsement, type OfficerEndorsement } from '../../src/keys/officer-endorsement.ts';
import { officerSigningKey } from '../../src/keys/officer-keys.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import type { OfficerAppointed } from '../../src/log/event-types.ts';
import { approvedUser, codeOf, makeNode, NODE, OLGA, p, PASSPHRASE, send, sessionOf, tableDigest, type Reply, type Session, type TestNode } from './fixtures.ts';

const OSCAR = 'oscar' as UserId;
const VERA = 'vera' as UserId;
const HOUR = 3_600_000;

describe('appointing a security officer takes two officers', () => {
  let node: TestNode;
  let root: RootKey;
  let oscar: DeviceKeys;
  let vera: DeviceKeys;
  let sam: DeviceKeys;

  before(async () => {
    node = await makeNode();
    root = await readRootKeyFile(node.rootKeyFile, PASSPHRASE);
    oscar = await approvedUser(node, OSCAR, 'SECRET', []);
    vera = await approvedUser(node, VERA, 'SECRET', []);
    sam = await approvedUser(node, 'sam' as UserId, 'SECRET', []);
  });
  after(() => {
    wipeRootKey(root);
    node.close();
  });

  async function certificate(keys: DeviceKeys, founding = false): Promise<OfficerCertificate> {
    const signing = await officerSigningKey(p, keys.signingSeed);
    wipeHybridSecret(signing.secret);
    const now = node.context.now();
    return signOfficerCertificate(
      p,
      { org: root.org, user: keys.user, scope: NODE, signingKey: signing.public, validFrom: now - HOUR, validUntil: now + HOUR, ...(founding ? { founding: true as const } : {}) },
      root.secret,
    );
  }

  async function endorsement(cert: OfficerCertificate, by: { user: UserId; signingSeed: Uint8Array }): Promise<OfficerEndorsement> {
    const signing = await officerSigningKey(p, by.signingSeed);
    try {
      return await signOfficerEndorsement(p, { certificate: officerCertificateHash(p, cert), endorser: by.user, endorsedAt: node.context.now() }, signing.secret);
    } finally {
      wipeHybridSecret(signing.secret);
    }
  }

  const post = (by: Session, cert: OfficerCertificate) => send(node, by, 'POST', '/api/v1/officers', { body: { certificate: toBase64(encodeOfficerCertificate(cert)) } });
  const appointments = () =>
    node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((r) => decodeLogEntry(r.leaf)).filter((e): e is OfficerAppointed => e.kind === 'officer.appointed');

  /** Expects a 403 policy.two_officers_required that wrote nothing. */
  async function refused(attempt: () => Promise<Reply>, message: RegExp): Promise<void> {
    const tables = tableDigest(node.dataDir);
    try {
      const before = tables.digest();
      const reply = await attempt();
      assert.equal(reply.status, 403, reply.text);
      assert.equal(codeOf(reply), 'policy.two_officers_required', reply.text);
      assert.match(reply.text, message);
      assert.deepEqual(tables.digest(), before, 'nothing stored, nothing logged');
    } finally {
      tables.close();
    }
  }

  it('refuses a certificate the root alone signed, without the founding mark', async () => {
    await refused(async () => post(node.officer, await certificate(oscar)), /endorsements of 2 officers/);
  });

  it('accepts a founding certificate while the node has one officer, and logs it without endorsers', async () => {
    const reply = await post(node.officer, await certificate(oscar, true));
    assert.equal(reply.status, 201, reply.text);
    const entries = appointments();
    assert.deepEqual(entries.map((e) => [e.user, e.endorsedBy]), [[OLGA, undefined], [OSCAR, undefined]], 'init founded olga; oscar is the second founder');
  });

  it('refuses a founding certificate once the node has two officers', async () => {
    await refused(async () => post(node.officer, await certificate(vera, true)), /has two security officers/);
  });

  it('one officer cannot appoint a third alone: one endorsement is refused, so is the same officer twice', async () => {
    const cert = await certificate(vera);
    const byOlga = await endorsement(cert, node.officer);
    await refused(() => post(node.officer, { ...cert, endorsements: [byOlga] }), /it has 1/);
    const again = await endorsement(cert, node.officer);
    await refused(() => post(node.officer, { ...cert, endorsements: [byOlga, again] }), /endorsed twice/);
  });

  it('refuses an endorsement by the appointee, or by someone who is not an officer here', async () => {
    const cert = await certificate(vera);
    const byOlga = await endorsement(cert, node.officer);
    await refused(async () => post(node.officer, { ...cert, endorsements: [byOlga, await endorsement(cert, vera)] }), /own appointment/);
    await refused(async () => post(node.officer, { ...cert, endorsements: [byOlga, await endorsement(cert, sam)] }), /sam is not a security officer/);
  });

  it('two officers can: the certificate is stored with both endorsements, and the entry names them', async () => {
    const cert = await certificate(vera);
    const endorsed = { ...cert, endorsements: [await endorsement(cert, node.officer), await endorsement(cert, oscar)] };
    const reply = await post(sessionOf(oscar), endorsed);
    assert.equal(reply.status, 201, reply.text);
    const stored = node.context.store.transaction((tx) => tx.getOfficerCertificate(VERA));
    assert.ok(stored);
    assert.deepEqual(decodeOfficerCertificate(stored), endorsed);
    const entry = appointments().at(-1);
    assert.equal(entry?.user, VERA);
    assert.deepEqual(entry.endorsedBy, [OLGA, OSCAR]);
    assert.deepEqual(entry.recordHash, p.sha256(stored), 'the entry commits to the endorsements too');
    // The same certificate again changes nothing and logs nothing.
    const count = appointments().length;
    assert.equal((await post(node.officer, endorsed)).status, 201);
    assert.equal(appointments().length, count);
  });

  it('is for security officers only: anyone else is forbidden, endorsed certificate or not', async () => {
    const cert = await certificate(sam);
    const endorsed = { ...cert, endorsements: [await endorsement(cert, node.officer), await endorsement(cert, oscar)] };
    const reply = await post(sessionOf(sam), endorsed);
    assert.deepEqual([reply.status, codeOf(reply)], [403, 'request.forbidden'], reply.text);
    assert.equal(node.context.store.transaction((tx) => tx.getOfficerCertificate(sam.user)), null);
  });
});
