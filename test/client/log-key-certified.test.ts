// The audit log key is anchored in the organisation root (docs/decisions/013-root-certified-log-key.md): a device
// takes it from the root-signed node certificate, so a node serving any other log key — or a certificate that
// certifies none, from a data directory made before — is refused at enrollment and at every session, and
// `chancery node certify-log-key` is the way forward for such a directory.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { fromBase64, toBase64 } from '../../src/bytes.ts';
import { createUser } from '../../src/client/admin.ts';
import { readClientConfig, writeClientConfig } from '../../src/client/config.ts';
import { enrollDevice } from '../../src/client/enroll.ts';
import type { Fetch } from '../../src/client/http.ts';
import { logKeyFingerprint } from '../../src/client/log-view.ts';
import { readRootKeyFile, wipeRootKey } from '../../src/client/root-key.ts';
import { openSessionFromKeyFile } from '../../src/client/key-file-session.ts';
import { generateHybridSigningKey } from '../../src/crypto/hybrid-signature.ts';
import { ChanceryError } from '../../src/errors.ts';
import { decodeNodeCertificate, encodeNodeCertificate, signNodeCertificate, type CertifiedLog, type NodeCertificate } from '../../src/keys/node-certificate.ts';
import { certifyLogKey } from '../../src/node/certify-log-key.ts';
import { describeNode, nodePath, readNodeIdentity } from '../../src/node/node-files.ts';
import { p, PASSPHRASE, startTestNode, type TestNode } from './fixtures.ts';

interface NodeReply {
  certificate: string;
  log: { origin: string; publicKey: { ed25519: string; mlDsa65: string } };
}

/** A fetch that hands the device another GET /api/v1/node than the node's. */
const servingNode = (change: (reply: NodeReply) => NodeReply | Promise<NodeReply>): Fetch => async (input, init) => {
  const res = await fetch(input, init);
  if (!input.endsWith('/api/v1/node') || !res.ok) return res;
  const body = await change((await res.json()) as NodeReply);
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
};

async function refusal(promise: Promise<unknown>): Promise<ChanceryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof ChanceryError, `expected a refusal, got ${String(error)}`);
  return error;
}

function bodyOf(cert: NodeCertificate): Omit<NodeCertificate, 'signature' | 'log'> {
  const { node, org, signingKey, releaseKey, url, validFrom, validUntil, serial } = cert;
  return { node, org, signingKey, releaseKey, ...(url === undefined ? {} : { url }), validFrom, validUntil, serial };
}

describe('the audit log key comes from the root-certified node certificate', () => {
  let t: TestNode;
  let certificate: NodeCertificate;
  let otherKey: CertifiedLog['publicKey'];
  /** The node certificate re-signed by the root with `log` (or none). */
  let resigned: (log: CertifiedLog | null) => Promise<string>;

  before(async () => {
    t = await startTestNode();
    certificate = decodeNodeCertificate(t.node.context.identity.certificate);
    otherKey = (await generateHybridSigningKey(p)).public;
    const root = await readRootKeyFile(t.rootKeyFile, PASSPHRASE);
    const secret = { ed25519Seed: root.secret.ed25519Seed.slice(), mlDsa65Secret: root.secret.mlDsa65Secret.slice() };
    wipeRootKey(root);
    resigned = async (log) => toBase64(encodeNodeCertificate(await signNodeCertificate(p, { ...bodyOf(certificate), ...(log ? { log } : {}), serial: certificate.serial + 1 }, secret)));
  });
  after(() => t.close());

  const enrollThrough = (fetchVia: Fetch, user: string) =>
    enrollDevice(p, { url: t.node.url, user: user as UserId, device: `d-${user}-1` as DeviceId, keyFile: t.keyFile(user), passphrase: PASSPHRASE, rootFingerprint: t.rootFingerprint, keyFileOptions: { scryptN: 1024 }, fetch: fetchVia });

  it('init has the root certify the log key the node serves, and a device pins exactly that key', async () => {
    const log = certificate.log;
    assert.ok(log, 'the node certificate carries the log key');
    assert.deepEqual(log, t.node.context.identity.log);
    const pinned = logKeyFingerprint(p, log.origin, log.publicKey);
    assert.equal(t.officer.node.log.fingerprint, pinned);
    assert.equal((await readClientConfig(t.keyFile('ines.moreau'))).logKeyFingerprint, pinned);
  });

  it('refuses, at enrollment, a node that serves a log key the root did not certify, and leaves no key file', async () => {
    const swapped = servingNode((r) => ({ ...r, log: { ...r.log, publicKey: { ed25519: toBase64(otherKey.ed25519), mlDsa65: toBase64(otherKey.mlDsa65) } } }));
    const error = await refusal(enrollThrough(swapped, 'eve.mallory'));
    assert.equal(error.code, 'verify.untrusted_key');
    assert.match(error.message, /organisation root certified/);
    assert.equal(existsSync(t.keyFile('eve.mallory')), false);
  });

  it('refuses, at session open, a node that serves another log key — even to a device that has pinned none yet', async () => {
    const swapped = servingNode((r) => ({ ...r, log: { ...r.log, publicKey: { ...r.log.publicKey, ed25519: toBase64(otherKey.ed25519) } } }));
    // A device configured before the audit log has no pin: it used to pin whatever it was shown first.
    const keyFile = t.keyFile('ines.moreau', 'd-ines-copy');
    copyFileSync(t.keyFile('ines.moreau'), keyFile);
    const { node, url, rootFingerprint } = await readClientConfig(t.keyFile('ines.moreau'));
    await writeClientConfig(keyFile, { node, url, rootFingerprint });
    for (const file of [t.keyFile('ines.moreau'), keyFile]) {
      const error = await refusal(openSessionFromKeyFile(p, { keyFile: file, passphrase: PASSPHRASE, fetch: swapped }));
      assert.equal(error.code, 'verify.untrusted_key');
      assert.match(error.message, /serves audit log key/);
    }
    assert.equal((await readClientConfig(keyFile)).logKeyFingerprint, undefined, 'nothing was pinned');
  });

  it('refuses a node whose certificate certifies no log key (a data directory from before), naming the way forward', async () => {
    const bare = await resigned(null);
    const old = servingNode((r) => ({ ...r, certificate: bare }));
    for (const attempt of [enrollThrough(old, 'otto.old'), openSessionFromKeyFile(p, { keyFile: t.keyFile('ines.moreau'), passphrase: PASSPHRASE, fetch: old })]) {
      const error = await refusal(attempt);
      assert.equal(error.code, 'verify.untrusted_key');
      assert.match(error.message, /does not certify an audit log key.*certify-log-key/);
    }
  });

  it('a device that pinned the log key refuses another the root certifies (a new key is a new log); a new device takes it', async () => {
    const log = { origin: certificate.log!.origin, publicKey: otherKey };
    const recertified = await resigned(log);
    const serving = servingNode((r) => ({ ...r, certificate: recertified, log: { origin: log.origin, publicKey: { ed25519: toBase64(otherKey.ed25519), mlDsa65: toBase64(otherKey.mlDsa65) } } }));
    const error = await refusal(openSessionFromKeyFile(p, { keyFile: t.keyFile('ines.moreau'), passphrase: PASSPHRASE, fetch: serving }));
    assert.match(error.message, /not the pinned/);
    // A device enrolling now pins whatever log key the root certifies (here the new one).
    await createUser(t.officer, { id: 'nina.fresh' as UserId, name: 'Nina Fresh', clearance: 'RESTRICTED', nationality: 'FI', memberships: [] });
    await enrollThrough(serving, 'nina.fresh');
    assert.equal((await readClientConfig(t.keyFile('nina.fresh'))).logKeyFingerprint, logKeyFingerprint(p, log.origin, otherKey));
  });

  it('certify-log-key re-signs an older certificate with the log key node.json names, once', async () => {
    const dataDir = `${t.dir}/data`;
    const described = readNodeIdentity(dataDir);
    const path = nodePath(dataDir, 'description');
    writeFileSync(path, describeNode({ ...described, certificate: fromBase64(await resigned(null)) }));
    const first = await certifyLogKey(p, { dataDir, rootKeyFile: t.rootKeyFile, rootPassphrase: PASSPHRASE });
    assert.deepEqual([first.changed, first.serial], [true, certificate.serial + 2]);
    const renewed = decodeNodeCertificate(readNodeIdentity(dataDir).certificate);
    assert.deepEqual(renewed.log, described.log);
    assert.deepEqual((await certifyLogKey(p, { dataDir, rootKeyFile: t.rootKeyFile, rootPassphrase: PASSPHRASE })).changed, false);
  });
});
