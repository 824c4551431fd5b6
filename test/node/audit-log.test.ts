// The node's audit log writer and its key (issue 4 step 1): `node init` makes a log key of its own (0600) and the
// first entries under a first checkpoint; the node serves the key; appends share the caller's transaction and a
// group commit ends in one checkpoint; a data directory made before the log gets a key on first start.
import assert from 'node:assert/strict';
import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { fromBase64, utf8 } from '../../src/bytes.ts';
import { ChanceryError, LogError } from '../../src/errors.ts';
import { checkpointPolicy, openCheckpoint, verifyCheckpointConsistency, type Checkpoint } from '../../src/log/checkpoint.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { verifyInclusion } from '../../src/log/proofs.ts';
import { parseVerifierKey } from '../../src/log/note-keys.ts';
import { groupCommit } from '../../src/node/commit-batcher.ts';
import { httpStatusOf } from '../../src/node/http-status.ts';
import { logOrigin, openLogKey } from '../../src/node/log-key.ts';
import { nodePath, readNodeIdentity } from '../../src/node/node-files.ts';
import { startNode } from '../../src/node/serve.ts';
import { decodePersonalDetails } from '../../src/log/personal-details.ts';
import {
  AMERICAS, approvedUser, codeOf, initTestNode, makeNode, NODE, officeBody, OLGA, OLGA_DEVICE, p, send, sessionOf, userBody, type TestNode,
} from './fixtures.ts';

function checkpointCount(dataDir: string): number {
  const db = new Database(nodePath(dataDir, 'store'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM log_checkpoints').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('the audit log key and writer', () => {
  let node: TestNode;
  before(async () => {
    node = await makeNode();
  });
  after(() => node.close());

  it('node init writes a log key of its own (0600), names it in node.json, and logs the first officer under a checkpoint', async () => {
    const mode = statSync(nodePath(node.dataDir, 'logKey')).mode & 0o777;
    assert.equal(mode, 0o600);
    const description = readNodeIdentity(node.dataDir);
    assert.equal(description.log?.origin, 'chancery/MFA.CY');
    assert.equal(logOrigin(NODE), 'chancery/MFA.CY');
    const nodeKey = JSON.parse(readFileSync(nodePath(node.dataDir, 'signingKey'), 'utf8')) as { ed25519Seed: string };
    const logKey = JSON.parse(readFileSync(nodePath(node.dataDir, 'logKey'), 'utf8')) as { ed25519Seed: string };
    assert.notEqual(logKey.ed25519Seed, nodeKey.ed25519Seed);

    const latest = node.context.auditLog.latest();
    assert.ok(latest);
    const checkpoint = await openCheckpoint(p, utf8(latest.note), node.context.auditLog.policy);
    assert.equal(checkpoint.size, 2);
    const entries = node.context.store.transaction((tx) => tx.logEntries(0, 10)).map((e) => decodeLogEntry(e.leaf));
    assert.deepEqual(entries.map((e) => e.kind), ['officer.appointed', 'device.approved']);
    const approved = entries[1];
    assert.ok(approved?.kind === 'device.approved');
    assert.equal(approved.user, OLGA);
    assert.equal(approved.device, OLGA_DEVICE);
  });

  it('GET /api/v1/node serves the log origin, public key and Go verifier keys, and they verify its checkpoints', async () => {
    const reply = await send(node, null, 'GET', '/api/v1/node');
    assert.equal(reply.status, 200);
    const log = (reply.json as { log: { origin: string; publicKey: { ed25519: string; mlDsa65: string }; verifierKeys: string[] } }).log;
    assert.equal(log.origin, 'chancery/MFA.CY');
    const policy = checkpointPolicy(p, log.origin, { ed25519: fromBase64(log.publicKey.ed25519), mlDsa65: fromBase64(log.publicKey.mlDsa65) });
    assert.equal(parseVerifierKey(p, log.verifierKeys[0]!).keyId, policy.ed25519.keyId);
    assert.equal(parseVerifierKey(p, log.verifierKeys[1]!).keyId, policy.mlDsa65.keyId);
    await openCheckpoint(p, utf8(node.context.auditLog.latest()!.note), policy);
  });

  it('appends in the caller transaction (rolled back with it) and signs one checkpoint for a whole group commit', async () => {
    const log = node.context.auditLog;
    const before = checkpointCount(node.dataDir);
    const start = node.context.store.transaction((tx) => tx.logSize());
    const event = (i: number) => ({ kind: 'login' as const, user: OLGA, device: `d-olga-${i}` as DeviceId });
    // A write that fails leaves no entry: the append is part of its savepoint.
    const failed = groupCommit(node.context.store, (tx) => {
      log.append(tx, node.context.now(), [event(0)]);
      throw new Error('the state change failed');
    });
    const writes = Array.from({ length: 8 }, (_, i) =>
      groupCommit(node.context.store, (tx) => log.append(tx, node.context.now(), [event(i + 1)], { ip: '10.0.0.7', userAgent: 'test' })).then((a) => log.checkpoint(a.size)),
    );
    await assert.rejects(failed, /the state change failed/);
    const checkpoints = await Promise.all(writes);
    assert.equal(new Set(checkpoints.map((c) => c.size)).size, 1, 'one checkpoint serves the whole group commit');
    assert.equal(checkpoints[0]!.size, start + 8);
    assert.equal(checkpointCount(node.dataDir), before + 1);

    const opened = await openCheckpoint(p, utf8(checkpoints[0]!.note), log.policy);
    const row = node.context.store.transaction((tx) => tx.logEntry(start + 3));
    assert.ok(row?.details && row.salt);
    const entry = decodeLogEntry(row.leaf);
    assert.ok(entry.kind === 'login' && entry.details !== undefined, 'the leaf holds the commitment, the row the details');
    verifyInclusion(p, { leafIndex: start + 3, treeSize: opened.size, leafHash: leafHash(p, row.leaf), root: opened.root, proof: log.inclusionProof(start + 3, opened.size) });
  });

  it('a user update logs what changed and nothing when nothing did, with the User-Agent beside the leaf', async () => {
    const size = () => node.context.store.transaction((tx) => tx.logSize());
    const headers = { 'user-agent': 'chancery-test/1 \u0007bell' };
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) })).status, 201);
    const start = size();
    const body = userBody('zoe', 'SECRET', [{ office: AMERICAS, role: 'member' }]);
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/users', { body, headers })).status, 201);
    const created = node.context.store.transaction((tx) => tx.logEntries(start, 10));
    assert.deepEqual(created.map((r) => decodeLogEntry(r.leaf)).map((e) => [e.kind, 'before' in e ? e.before : null]), [
      ['clearance.changed', 'UNCLASSIFIED'],
      ['membership.changed', []],
    ]);
    assert.deepEqual(decodePersonalDetails(created[0]!.details!), { userAgent: 'chancery-test/1 bell' });
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/users', { body })).status, 201);
    assert.equal(size(), start + 2, 'the same user again: nothing changed, nothing logged');
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/users', { body: { ...body, frozen: true } })).status, 201);
    const frozen = decodeLogEntry(node.context.store.transaction((tx) => tx.logEntry(start + 2))!.leaf);
    assert.ok(frozen.kind === 'user.frozen' && frozen.reason.kind === 'officer' && frozen.reason.officer === OLGA);
    assert.equal(node.context.auditLog.latest()?.size, start + 3);
  });

  it('refuses a checkpoint beyond the log, and maps log codes to 404 and 422', async () => {
    const size = node.context.store.transaction((tx) => tx.logSize());
    await assert.rejects(node.context.auditLog.checkpoint(size + 5), (e: unknown) => e instanceof LogError && e.code === 'log.out_of_range');
    assert.throws(() => node.context.auditLog.inclusionProof(0, size + 1), (e: unknown) => e instanceof LogError && e.code === 'log.out_of_range');
    assert.equal(httpStatusOf('log.out_of_range'), 404);
    for (const code of ['log.bad_proof', 'log.inconsistent', 'log.bad_checkpoint', 'log.bad_signature', 'log.bad_key'] as const) assert.equal(httpStatusOf(code), 422);
  });

  it('signs an idle log again for a fresh view: the same head with a new time, kept apart from the stored one', async () => {
    let clock = Date.now();
    const idle = await makeNode({ now: () => clock });
    try {
      const log = idle.context.auditLog;
      const stored = await log.checkpoint(1);
      const opened = async (note: string) => openCheckpoint(p, utf8(note), log.policy);
      assert.equal(await log.freshCheckpoint(1, 60_000), stored, 'recent enough: the stored one');
      clock += 5 * 60_000;
      const fresh = await log.freshCheckpoint(1, 60_000);
      const [a, b] = [await opened(stored.note), await opened(fresh.note)];
      assert.deepEqual([b.size, b.root], [a.size, a.root]);
      assert.equal(b.time, clock);
      assert.equal(fresh.signedAt, clock);
      assert.equal(await log.freshCheckpoint(1, 60_000), fresh, 'signed once per window');
      assert.equal(idle.context.store.transaction((tx) => tx.checkpointAt(stored.size))?.note, stored.note, 'the stored checkpoint is unchanged');
    } finally {
      idle.close();
    }
  });
});

describe('a data directory made before the audit log', () => {
  it('gets a log key on first start, with a warning, and node.json names it', async () => {
    const init = await initTestNode();
    try {
      unlinkSync(nodePath(init.dataDir, 'logKey'));
      const path = nodePath(init.dataDir, 'description');
      const old = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      delete old.log;
      writeFileSync(path, JSON.stringify(old));
      // Before the audit log, nothing was ever appended: empty the log init wrote (its triggers dropped for that).
      const db = new Database(nodePath(init.dataDir, 'store'));
      db.exec('DELETE FROM log_key_records'); // an index of the entries below, without triggers
      for (const table of ['log_entries', 'log_nodes', 'log_checkpoints']) db.exec(`DROP TRIGGER ${table}_delete_refused; DELETE FROM ${table};`);
      db.close();
      const warnings: string[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
      const running = await startNode(p, { dataDir: init.dataDir, host: '127.0.0.1', port: 0, log: logger });
      try {
        assert.ok(warnings.some((w) => w.includes('had no audit log key')), warnings.join('\n'));
        assert.equal(statSync(nodePath(init.dataDir, 'logKey')).mode & 0o777, 0o600);
        const described = readNodeIdentity(init.dataDir).log;
        assert.ok(described);
        assert.deepEqual(described.publicKey.ed25519, running.context.identity.log.publicKey.ed25519);
        // Every entry is under a checkpoint before the first request: here the empty tree, signed by the new key.
        const latest = running.context.auditLog.latest();
        assert.ok(latest);
        assert.equal((await openCheckpoint(p, utf8(latest.note), running.context.auditLog.policy)).size, 0);
      } finally {
        await running.close();
      }
    } finally {
      init.cleanup();
    }
  });

  it('refuses a lost key that node.json still names, and a key file that is not the one named', async () => {
    const init = await initTestNode();
    const silent = pino({ level: 'silent' });
    try {
      const keyPath = nodePath(init.dataDir, 'logKey');
      const saved = readFileSync(keyPath, 'utf8');
      unlinkSync(keyPath);
      await assert.rejects(openLogKey(p, init.dataDir, readNodeIdentity(init.dataDir), silent), (e: unknown) => e instanceof ChanceryError && e.code === 'file.missing');
      const other = await initTestNode();
      try {
        writeFileSync(keyPath, readFileSync(nodePath(other.dataDir, 'logKey'), 'utf8'), { mode: 0o600 });
        await assert.rejects(openLogKey(p, init.dataDir, readNodeIdentity(init.dataDir), silent), (e: unknown) => e instanceof ChanceryError && e.code === 'file.malformed');
      } finally {
        other.cleanup();
      }
      writeFileSync(keyPath, saved, { mode: 0o600 });
      await openLogKey(p, init.dataDir, readNodeIdentity(init.dataDir), silent);
    } finally {
      init.cleanup();
    }
  });
});

describe('the log API', () => {
  let node: TestNode;
  let policy: ReturnType<typeof checkpointPolicy>;
  let anna: Awaited<ReturnType<typeof approvedUser>>;
  before(async () => {
    node = await makeNode();
    const reply = await send(node, null, 'GET', '/api/v1/node');
    const log = (reply.json as { log: { origin: string; publicKey: { ed25519: string; mlDsa65: string } } }).log;
    policy = checkpointPolicy(p, log.origin, { ed25519: fromBase64(log.publicKey.ed25519), mlDsa65: fromBase64(log.publicKey.mlDsa65) });
    assert.equal((await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS) })).status, 201);
    anna = await approvedUser(node, 'anna' as UserId, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
  });
  after(() => node.close());

  async function latest(): Promise<{ note: string; checkpoint: Checkpoint }> {
    const reply = await send(node, null, 'GET', '/api/v1/log/checkpoint');
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/);
    return { note: reply.text, checkpoint: await openCheckpoint(p, utf8(reply.text), policy) };
  }

  it('serves the latest checkpoint as signed-note text that opens under the key GET /api/v1/node gives', async () => {
    const { checkpoint } = await latest();
    assert.equal(checkpoint.origin, 'chancery/MFA.CY');
    assert.equal(checkpoint.size, node.context.store.transaction((tx) => tx.logSize()));
  });

  it('serves an entry with an inclusion proof that verifies, against the latest checkpoint or an older size', async () => {
    const { checkpoint } = await latest();
    for (let index = 0; index < checkpoint.size; index++) {
      const reply = await send(node, node.officer, 'GET', `/api/v1/log/entries/${index}`);
      assert.equal(reply.status, 200, reply.text);
      const j = reply.json as { index: number; size: number; leaf: string; kind: string; proof: string[]; checkpoint: string };
      assert.equal(j.size, checkpoint.size);
      assert.equal(j.checkpoint, (await latest()).note);
      verifyInclusion(p, { leafIndex: index, treeSize: j.size, leafHash: leafHash(p, fromBase64(j.leaf)), root: checkpoint.root, proof: j.proof.map(fromBase64) });
      assert.equal(decodeLogEntry(fromBase64(j.leaf)).kind, j.kind);
    }
    // Against the first checkpoint (init's, of 2 entries): the proof and that checkpoint verify together.
    const old = (await send(node, node.officer, 'GET', '/api/v1/log/entries/1?size=2')).json as { proof: string[]; leaf: string; checkpoint: string };
    const first = await openCheckpoint(p, utf8(old.checkpoint), policy);
    verifyInclusion(p, { leafIndex: 1, treeSize: 2, leafHash: leafHash(p, fromBase64(old.leaf)), root: first.root, proof: old.proof.map(fromBase64) });
    const beyond = await send(node, node.officer, 'GET', `/api/v1/log/entries/${checkpoint.size}`);
    assert.deepEqual([beyond.status, codeOf(beyond)], [404, 'log.out_of_range']);
    assert.deepEqual([(await send(node, node.officer, 'GET', '/api/v1/log/entries/3?size=2')).status], [404]);
    assert.deepEqual([(await send(node, node.officer, 'GET', '/api/v1/log/entries/01')).status, (await send(node, node.officer, 'GET', '/api/v1/log/entries/-1')).status], [400, 400]);
  });

  it('shows a device only entries about its own user, and personal details only to security officers', async () => {
    const rows = node.context.store.transaction((tx) => tx.logEntries(0, 100)).map((r) => ({ index: r.index, entry: decodeLogEntry(r.leaf) }));
    const own = rows.find((r) => r.entry.kind === 'device.enrolled' && r.entry.user === 'anna');
    const others = rows.find((r) => 'user' in r.entry && r.entry.user === OLGA);
    assert.ok(own && others);
    const mine = await send(node, sessionOf(anna), 'GET', `/api/v1/log/entries/${own.index}`);
    assert.equal(mine.status, 200, mine.text);
    assert.equal('details' in (mine.json as object), false);
    const refused = await send(node, sessionOf(anna), 'GET', `/api/v1/log/entries/${others.index}`);
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'request.forbidden']);
    const officer = await send(node, node.officer, 'GET', `/api/v1/log/entries/${own.index}`);
    assert.ok('details' in (officer.json as object));
  });

  it('serves consistency proofs that reconcile two checkpoints, and refuses sizes out of range', async () => {
    const first = await openCheckpoint(p, utf8(node.context.store.transaction((tx) => tx.checkpointAt(2))!.note), policy);
    const { checkpoint } = await latest();
    const reply = await send(node, null, 'GET', `/api/v1/log/consistency?from=2&to=${checkpoint.size}`);
    assert.equal(reply.status, 200, reply.text);
    verifyCheckpointConsistency(p, first, checkpoint, (reply.json as { proof: string[] }).proof.map(fromBase64));
    assert.deepEqual((await send(node, null, 'GET', `/api/v1/log/consistency?from=0&to=${checkpoint.size}`)).json, { from: 0, to: checkpoint.size, proof: [] });
    for (const [query, status] of [[`from=1&to=${checkpoint.size + 1}`, 404], ['from=3&to=2', 404], ['from=x&to=2', 400], ['to=2', 400], ['from=1&to=1e3', 400]] as const) {
      assert.equal((await send(node, null, 'GET', `/api/v1/log/consistency?${query}`)).status, status, query);
    }
  });

  it('serves ranges of entries with their personal details to security officers only', async () => {
    const reply = await send(node, node.officer, 'GET', '/api/v1/log/entries?from=1&count=3');
    assert.equal(reply.status, 200, reply.text);
    const j = reply.json as { size: number; entries: { index: number; kind: string; details?: { salt: string } | null }[] };
    assert.deepEqual(j.entries.map((e) => e.index), [1, 2, 3]);
    assert.ok(j.entries.every((e) => 'details' in e));
    const denied = await send(node, sessionOf(anna), 'GET', '/api/v1/log/entries?from=0');
    assert.deepEqual([denied.status, codeOf(denied)], [403, 'request.forbidden']);
    assert.equal((await send(node, node.officer, 'GET', '/api/v1/log/entries')).status, 400);
  });
});

