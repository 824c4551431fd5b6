// Web releases at the node (src/node/routes/web-releases.ts) and the service worker's checks of them
// (web/sw/verify-release.ts), in process: only a security officer publishes, only a record our organisation root
// signed is stored, it is logged (web.released) in the same write and once only, and what GET serves passes the
// worker's checks under the right pins and fails each of them under wrong ones.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { buildWeb, SERVICE_WORKER } from '../../scripts/build-web.ts';
import { registerWebApp, WEB_APP_CSP } from '../../src/node/web-app.ts';
import { fromBase64, toBase64, toHex, utf8 } from '../../src/bytes.ts';
import { parseNodeLog } from '../../src/client/log-view.ts';
import { readRootKeyFile, wipeRootKey, type RootKey } from '../../src/client/root-key.ts';
import { generateHybridSigningKey } from '../../src/crypto/hybrid-signature.ts';
import { decodeOrganisationRoot, rootFingerprint, type OrgId } from '../../src/keys/organisation-root.ts';
import { decodeWebRelease, encodeWebRelease, signWebRelease, type WebReleaseBody } from '../../src/keys/web-release.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { checkFile, IntegrityRefusal, verifyRelease, type IntegrityPins, type RefusalReason } from '../../web/sw/verify-release.ts';
import { AMERICAS, approvedUser, codeOf, makeNode, officeBody, p, PASSPHRASE, send, type TestNode } from '../node/fixtures.ts';
import type { UserId } from '../../src/cable/types.ts';

const manifestOf = (files: Record<string, string>) => utf8(`${JSON.stringify({ version: 1, files }, null, 2)}\n`);
const MANIFEST = manifestOf({ 'index.html': toHex(p.sha256(utf8('<!doctype html>'))), 'sw.js': toHex(p.sha256(utf8('worker'))) });

async function refusedAs(reason: RefusalReason, run: () => unknown): Promise<IntegrityRefusal> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof IntegrityRefusal, `an IntegrityRefusal, not ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return error;
  }
  return assert.fail(`expected a refusal (${reason})`);
}

describe('web releases at the node, checked as the service worker checks them', () => {
  let node: TestNode;
  let root: RootKey;
  let pins: IntegrityPins;
  let about: unknown;

  const body = (manifest: Uint8Array, version = '0.1.0+test'): WebReleaseBody => ({ org: root.org, version, manifestHash: p.sha256(manifest), issuedAt: node.context.now() });
  const publish = async (record: Uint8Array, session = node.officer) => send(node, session, 'POST', '/api/v1/web/releases', { body: { record: toBase64(record) } });
  const fetchRelease = async (manifest: Uint8Array) => send(node, null, 'GET', `/api/v1/web/releases/${toHex(p.sha256(manifest))}`);

  before(async () => {
    node = await makeNode();
    root = await readRootKeyFile(node.rootKeyFile, PASSPHRASE);
    about = (await send(node, null, 'GET', '/api/v1/node')).json;
    const a = about as { root: string; log: unknown };
    pins = { rootFingerprint: toHex(rootFingerprint(p, decodeOrganisationRoot(fromBase64(a.root)))), logKeyFingerprint: parseNodeLog(p, a.log).fingerprint };
  });
  after(() => {
    wipeRootKey(root);
    node?.close();
  });

  it('stores and logs a root-signed release once; GET serves it with a proof the worker accepts', async () => {
    const record = encodeWebRelease(await signWebRelease(p, body(MANIFEST), root.secret));
    const before = node.context.store.transaction((tx) => tx.logSize());
    const first = await publish(record);
    assert.equal(first.status, 201, first.text);
    const answer = first.json as { manifestHash: string; logIndex: number; duplicate: boolean; version: string };
    assert.deepEqual(answer, { manifestHash: toHex(p.sha256(MANIFEST)), version: '0.1.0+test', logIndex: before, duplicate: false });
    const entry = decodeLogEntry(node.context.store.transaction((tx) => tx.logEntry(answer.logIndex))?.leaf ?? new Uint8Array(0));
    assert.equal(entry.kind, 'web.released');
    assert.ok(entry.kind === 'web.released' && toHex(entry.manifestHash) === answer.manifestHash && toHex(entry.recordHash) === toHex(p.sha256(record)));

    // Again, and a second record for the same manifest (the command run twice): nothing new is logged.
    const again = await publish(record);
    assert.equal(again.status, 200);
    assert.equal((again.json as { duplicate: boolean }).duplicate, true);
    const other = await publish(encodeWebRelease(await signWebRelease(p, { ...body(MANIFEST), issuedAt: node.context.now() + 1 }, root.secret)));
    assert.deepEqual({ status: other.status, logIndex: (other.json as { logIndex: number }).logIndex }, { status: 200, logIndex: answer.logIndex });
    assert.equal(node.context.store.transaction((tx) => tx.logSize()), before + 1);

    const served = await fetchRelease(MANIFEST);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('cache-control'), 'no-store');
    const verified = await verifyRelease(p, pins, MANIFEST, about, served.json);
    assert.deepEqual({ hash: verified.manifestHash, version: verified.version, index: verified.logIndex }, { hash: answer.manifestHash, version: '0.1.0+test', index: answer.logIndex });
    checkFile(p, verified, 'index.html', utf8('<!doctype html>'));
    assert.equal((await refusedAs('altered', () => checkFile(p, verified, 'index.html', utf8('<!doctype html><script>')))).file, 'index.html');
    assert.equal((await refusedAs('altered', () => checkFile(p, verified, 'assets/planted.js', utf8('x')))).file, 'assets/planted.js');

    // Under wrong pins, or with the node's answers altered, each check fails as what it is.
    const served2 = served.json as Record<string, unknown>;
    await refusedAs('unsigned', () => verifyRelease(p, { ...pins, rootFingerprint: 'ab'.repeat(32) }, MANIFEST, about, served.json));
    await refusedAs('unlogged', () => verifyRelease(p, { ...pins, logKeyFingerprint: 'cd'.repeat(32) }, MANIFEST, about, served.json));
    await refusedAs('unsigned', () => verifyRelease(p, pins, manifestOf({ 'index.html': '0'.repeat(64) }), about, served.json));
    await refusedAs('unsigned', () => verifyRelease(p, pins, MANIFEST, about, null));
    const proof = served2.proof as string[];
    if (proof.length > 0) await refusedAs('unlogged', () => verifyRelease(p, pins, MANIFEST, about, { ...served2, proof: [toBase64(new Uint8Array(32)), ...proof.slice(1)] }));
    await refusedAs('unlogged', () => verifyRelease(p, pins, MANIFEST, about, { ...served2, logIndex: 0 }));
    const note = served2.checkpoint as string;
    await refusedAs('unlogged', () => verifyRelease(p, pins, MANIFEST, about, { ...served2, checkpoint: note.replace(/\n\n/, '\nextra\n\n') }));
  });

  it('with a memory of the log: remembers the checkpoint, accepts consistent ones either way round, refuses a bad proof', async () => {
    let remembered: string | null = null;
    const consistency = async (from: number, to: number) => (await send(node, null, 'GET', `/api/v1/log/consistency?from=${from}&to=${to}`)).json;
    const history = { last: () => Promise.resolve(remembered), save: (note: string) => Promise.resolve(void (remembered = note)), consistency };
    const older = (await fetchRelease(MANIFEST)).json as { checkpoint: string };
    await verifyRelease(p, pins, MANIFEST, about, older, history);
    assert.equal(remembered, older.checkpoint, 'the first checkpoint is remembered');

    const second = manifestOf({ 'index.html': '2'.repeat(64) });
    assert.equal((await publish(encodeWebRelease(await signWebRelease(p, body(second, '0.1.1+test'), root.secret)))).status, 201);
    const newer = (await fetchRelease(second)).json as { checkpoint: string };
    await verifyRelease(p, pins, second, about, newer, history);
    assert.equal(remembered, newer.checkpoint, 'a larger consistent checkpoint replaces it');
    // An answer under an older checkpoint is still one history: accepted, and the newer one stays remembered.
    await verifyRelease(p, pins, MANIFEST, about, older, history);
    assert.equal(remembered, newer.checkpoint);

    const forged = { ...history, consistency: async (from: number, to: number) => ({ proof: ((await consistency(from, to)) as { proof: string[] }).proof.map(() => toBase64(new Uint8Array(32))) }) };
    await refusedAs('unlogged', () => verifyRelease(p, pins, MANIFEST, about, older, forged));
  });

  it('refuses a record our root did not sign, for another organisation, or from a member; logs nothing', async () => {
    const manifest = manifestOf({ 'index.html': '1'.repeat(64) });
    const size = node.context.store.transaction((tx) => tx.logSize());
    const stranger = await generateHybridSigningKey(p);
    const forged = await publish(encodeWebRelease(await signWebRelease(p, body(manifest), stranger.secret)));
    assert.equal(forged.status >= 400 && forged.status < 500, true, forged.text);
    assert.equal(codeOf(forged), 'verify.bad_signature');
    const elsewhere = await publish(encodeWebRelease(await signWebRelease(p, { ...body(manifest), org: 'MFA.FR' as OrgId }, root.secret)));
    assert.equal(codeOf(elsewhere), 'verify.untrusted_key');
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) })).status, 201);
    const sam = await approvedUser(node, 'sam' as UserId, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
    const member = await publish(encodeWebRelease(await signWebRelease(p, body(manifest), root.secret)), { user: sam.user, device: sam.device, signingSeed: sam.signingSeed });
    assert.equal(member.status, 403);
    const sizeAfter = node.context.store.transaction((tx) => tx.logSize());
    // The member's enrollment and approval are logged; no web.released is.
    for (let i = size; i < sizeAfter; i++) assert.notEqual(decodeLogEntry(node.context.store.transaction((tx) => tx.logEntry(i))?.leaf ?? new Uint8Array(0)).kind, 'web.released');
    assert.equal((await fetchRelease(manifest)).status, 404);
    assert.equal((await send(node, null, 'GET', '/api/v1/web/releases/NOTAHASH')).status, 400);
    assert.equal(decodeWebRelease(encodeWebRelease(await signWebRelease(p, body(manifest), root.secret))).version, '0.1.0+test');
  });
});

describe('the service worker in the build and at the node', () => {
  it('is built to sw.js, listed in the manifest, served with no-cache and the CSP; a rebuilt manifest is served at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chancery-web-sw-'));
    try {
      const manifest = await buildWeb(dir);
      const worker = readFileSync(join(dir, SERVICE_WORKER));
      assert.equal(manifest.files[SERVICE_WORKER], toHex(p.sha256(worker)));
      const app = new Hono();
      registerWebApp(app, () => 'http://localhost:8080', dir);
      const served = await app.request('/sw.js');
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('cache-control'), 'no-cache');
      assert.equal(served.headers.get('content-security-policy'), WEB_APP_CSP);
      assert.match(served.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.ok(Buffer.from(await served.arrayBuffer()).equals(worker));
      // A manifest that no longer lists the worker (a build dropped in place): it is not served any more.
      const files: Record<string, string> = { ...manifest.files };
      delete files[SERVICE_WORKER];
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: 1, files }));
      const later = new Date(Date.now() + 5_000);
      utimesSync(join(dir, 'manifest.json'), later, later);
      assert.equal((await app.request('/sw.js')).status, 404);
      assert.equal((await app.request('/')).status, 200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
