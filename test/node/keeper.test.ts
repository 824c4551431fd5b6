// The keeper (docs/node.md "Deployment"; docs/decisions/014-keeper-process.md): the web-facing process of `chancery
// serve` never reads a key file, yet signs checkpoints and hands out shares through the keeper; deployed as two
// users, the web process cannot read the keys at all and still serves reads. The keeper refuses a share that no
// committed entry under its own head records, and refuses to sign a root that contradicts one it signed (the store
// rewritten behind its back, the append-only triggers dropped), restarted or not. Killing it gives 503s, and the
// node recovers.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import type { CableId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { equalBytes, utf8 } from '../../src/bytes.ts';
import { createUser } from '../../src/client/admin.ts';
import { RemoteError } from '../../src/client/http.ts';
import { readCable } from '../../src/client/reading.ts';
import type { Session } from '../../src/client/session.ts';
import { ChanceryError } from '../../src/errors.ts';
import { checkpointPolicy, openCheckpoint, type CheckpointPolicy } from '../../src/log/checkpoint.ts';
import { keeperPath } from '../../src/node/keeper/files.ts';
import { frame } from '../../src/node/keeper/framing.ts';
import { Keeper } from '../../src/node/keeper/keeper.ts';
import { runKeeper } from '../../src/node/keeper/server.ts';
import { KeeperClient } from '../../src/node/keeper/client.ts';
import { nodePath } from '../../src/node/node-files.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts';
import { spawnNode } from '../support/node-process.ts';
import { bodyOf, countersign, insertReleased, postSend, type Released } from '../support/released-drafts.ts';
import { HQ, initSendNetwork, p, People, populateSendNetwork, type SendNetwork } from '../support/send-network.ts';
import { initTestNode, type InitialisedNode } from './fixtures.ts';

const silent = pino({ level: 'silent' });
const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;
const isCode = (code: string) => (e: unknown) => e instanceof ChanceryError && e.code === code;

/**
 * Loaded with `--import` into a web process: any opening of a key file but the node's signing key (which the web
 * process signs federation requests and receipts with, and which opens nothing) is reported on stderr and fails.
 */
const KEY_FILE_GUARD = `
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const named = (p) => typeof p === 'string' ? p : p instanceof URL ? p.pathname : Buffer.isBuffer(p) ? p.toString() : '';
const guard = (name) => {
  const original = fs[name];
  fs[name] = function (path, ...rest) {
    if (/\\.key$/.test(named(path)) && !/node-signing\\.key$/.test(named(path))) {
      process.stderr.write('KEY FILE OPENED: ' + named(path) + '\\n');
      throw Object.assign(new Error('key file opened by the web process'), { code: 'EACCES' });
    }
    return original.call(this, path, ...rest);
  };
};
for (const name of ['readFileSync', 'openSync', 'readFile', 'open', 'createReadStream']) guard(name);
for (const name of ['readFile', 'open']) {
  const original = fs.promises[name];
  fs.promises[name] = function (path, ...rest) {
    if (/\\.key$/.test(named(path)) && !/node-signing\\.key$/.test(named(path))) {
      process.stderr.write('KEY FILE OPENED: ' + named(path) + '\\n');
      return Promise.reject(Object.assign(new Error('key file opened by the web process'), { code: 'EACCES' }));
    }
    return original.call(this, path, ...rest);
  };
}
syncBuiltinESMExports();
`;

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
  stop(): Promise<void>;
}

/** `chancery serve` as the given user (uid and gid), resolved once it listens; rejects if it exits first. */
function serveAs(uid: number, gid: number, dataDir: string, args: readonly string[]): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', '--data', dataDir, '--port', '0', ...args], {
    uid, gid, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CHANCERY_LOG_LEVEL: 'warn' },
  });
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const url = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1];
      if (url) {
        resolve({ child, url, stderr: () => err, stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        } });
      }
    });
    void exited.then(() => reject(new Error(`serve exited before listening: ${err}`)));
  });
}

describe('chancery serve keeps the keys out of its web process', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-keeper-'));
  let network: SendNetwork;
  const sessions: Session[] = [];
  let released: Released[] = [];
  const session = async (user: (typeof People)[keyof typeof People], url: string) => {
    const s = await network.session(user, url);
    sessions.push(s);
    return s;
  };
  /** Sends the next released cable and reads it as the reader, through the release service: its text, checked. */
  const sendAndRead = async (url: string) => {
    const next = released.shift();
    assert.ok(next);
    const drafter = await session(People.drafter, url);
    await postSend(drafter, next.id, await countersign(drafter, next.envelope));
    const opened = await readCable(await session(People.reader, url), next.id);
    assert.equal(opened.cable.content.body, bodyOf(next.serial));
  };

  before(async () => {
    network = await initSendNetwork(dir);
  });

  after(() => {
    for (const s of sessions) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('its own process opens no key file, yet signs checkpoints and hands out shares (the keeper, its child, does)', async () => {
    const guard = join(dir, 'key-file-guard.mjs');
    writeFileSync(guard, KEY_FILE_GUARD);
    const node = await spawnNode(network.dataDir, { nodeArgs: ['--import', pathToFileURL(guard).href] });
    try {
      await populateSendNetwork(network, node.url);
      const [drafter, releaser] = [await session(People.drafter, node.url), await session(People.releaser, node.url)];
      released = [...(await insertReleased(drafter, releaser, nodePath(network.dataDir, 'store'), 1, 4))];
      await sendAndRead(node.url);
      assert.doesNotMatch(node.stderr(), /KEY FILE OPENED/);
      assert.equal(statSync(keeperPath(network.dataDir, 'socket')).mode & 0o777, 0o600);
      assert.equal(statSync(keeperPath(network.dataDir, 'signedHead')).mode & 0o777, 0o600);
    } finally {
      await node.kill();
    }
    // The guard bites: a process under it that does load the keys (a keeper) fails on the first key file.
    const control = spawn(process.execPath, ['--import', pathToFileURL(guard).href, bin, 'node', 'keeper', '--data', network.dataDir, '--socket', join(dir, 'c.sock')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    control.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => control.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, /KEY FILE OPENED: .*\.key/);
  });

  it('deployed as two users, the web process cannot read the keys at all and still serves logged reads', { skip: process.getuid?.() !== 0 && 'needs root to run serve as another user' }, async () => {
    const NOBODY = 65534;
    // The web user owns the store and node.json; the key files stay the keeper's (root here), mode 0600.
    chmodSync(dir, 0o755);
    chownSync(network.dataDir, NOBODY, NOBODY);
    for (const name of readdirSync(network.dataDir)) {
      const path = join(network.dataDir, name);
      // node-signing.key is the web process's (it signs requests to peers and delivery receipts: docs/federation.md).
      if ((!name.endsWith('.key') && !name.startsWith('keeper')) || name === 'node-signing.key') chownSync(path, NOBODY, NOBODY);
      if (name.endsWith('.key')) assert.equal(statSync(path).mode & 0o777, 0o600);
    }
    // Control: the web user running its own keeper fails on the key files.
    await assert.rejects(serveAs(NOBODY, NOBODY, network.dataDir, []), /EACCES|permission denied|file\.missing/i);
    const socket = join(dir, 'keeper.sock');
    const keeper = await runKeeper(p, network.dataDir, { socketPath: socket, mode: 0o660, log: silent });
    chownSync(socket, 0, NOBODY);
    try {
      const node = await serveAs(NOBODY, NOBODY, network.dataDir, ['--keeper', socket]);
      try {
        await sendAndRead(node.url);
      } finally {
        await node.stop();
      }
    } finally {
      await keeper.close();
    }
    assert.equal(existsSync(socket), false, 'the keeper removes its socket when it stops');
  });

  describe('when its keeper dies', () => {
    let node: RunningNode;
    const lines: string[] = [];
    before(async () => {
      const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
      node = await startNode(p, { dataDir: network.dataDir, host: '127.0.0.1', port: 0, log });
    });
    after(async () => {
      await node.close();
    });

    it('answers 503 node.keeper_unavailable, signs what was written meanwhile once the keeper is back, and serves again', async () => {
      const logSize = () => node.context.store.transaction((tx) => tx.logSize());
      const reader = await session(People.reader, node.url);
      const officer = await session(People.officer, node.url);
      const cable = released[0]!;
      const drafter = await session(People.drafter, node.url);
      await postSend(drafter, cable.id, await countersign(drafter, cable.envelope));
      const first = node.keeperPid;
      assert.ok(first);
      // The keeper stays down until the key is back: each restart fails on the missing file, less and less often.
      const releaseKey = nodePath(network.dataDir, 'releaseKey');
      renameSync(releaseKey, `${releaseKey}.away`);
      process.kill(first, 'SIGKILL');
      const share = () => reader.http.post(`/api/v1/cables/${encodeURIComponent(cable.id)}/share`, { office: HQ });
      const before = logSize();
      await assert.rejects(share(), (e: unknown) => e instanceof RemoteError && e.status === 503 && e.code === 'node.keeper_unavailable');
      assert.equal(logSize(), before, 'a share refused for want of a keeper is not logged (nor counted)');
      // A write goes to the store first; its checkpoint waits for the keeper.
      const user = { id: 'zoe.weber' as UserId, name: 'Zoe Weber', clearance: 'LIMITED', nationality: 'DE', memberships: [] } as const;
      await assert.rejects(createUser(officer, user), (e: unknown) => e instanceof RemoteError && e.status === 503);
      const written = logSize();
      assert.ok(written > before, 'the write was committed with its entry');
      const keeperLine = (l: string) => l.includes('"process":"keeper"') && l.includes('release-service key not found');
      for (let i = 0; !lines.some(keeperLine); i++) {
        assert.ok(i < 400, "the restarted keeper's failure joins the node's log");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await assert.rejects(share(), (e: unknown) => e instanceof RemoteError && e.status === 503, 'still down');
      renameSync(`${releaseKey}.away`, releaseKey);
      for (let i = 0; node.keeperPid === first || !node.context.auditLog.latest() || node.context.auditLog.latest()!.size < written; i++) {
        assert.ok(i < 300, 'the keeper came back and the head was signed');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(lines.some((l) => l.includes('the keeper exited: restarting it')), 'the restart is logged');
      const opened = await readCable(reader, cable.id);
      assert.equal(opened.cable.content.body, bodyOf(cable.serial));
      const latest = node.context.auditLog.latest();
      assert.ok(latest);
      assert.equal((await openCheckpoint(p, utf8(latest.note), node.context.auditLog.policy)).size, logSize());
    });
  });
});

describe('the keeper itself', { timeout: 120_000 }, () => {
  let init: InitialisedNode;
  let keeper: Keeper;
  const extend = (count: number) => {
    const store = openSqliteStore(nodePath(init.dataDir, 'store'));
    try {
      return store.transaction((tx) => tx.appendLogEntries(Array.from({ length: count }, (_, i) => ({ leaf: utf8(`entry ${Date.now()} ${i}`) })), Date.now(), p)).size;
    } finally {
      store.close();
    }
  };
  let policy: CheckpointPolicy;
  const sizeOf = async (note: Uint8Array) => (await openCheckpoint(p, note, policy)).size;

  before(async () => {
    init = await initTestNode();
    keeper = await Keeper.open(p, { dataDir: init.dataDir, log: silent });
    policy = checkpointPolicy(p, keeper.hello.log.origin, keeper.hello.log.publicKey);
  });
  after(() => {
    keeper.close();
    init.cleanup();
  });

  it('signs the root it computes, with the time; the same size gets the same note', async () => {
    const size = extend(3);
    const note = await keeper.checkpoint(size);
    const opened = await openCheckpoint(p, note, policy);
    assert.equal(opened.size, size);
    assert.ok(opened.time !== undefined && Math.abs(opened.time - Date.now()) < 60_000);
    assert.ok(equalBytes(await keeper.checkpoint(size), note));
    await assert.rejects(keeper.checkpoint(size + 1), isCode('log.out_of_range'));
    assert.equal(await sizeOf(await keeper.checkpoint(extend(2))), size + 2);
  });

  it('refuses a share no committed entry under its own head records', async () => {
    const head = await sizeOf(await keeper.checkpoint(extend(1)));
    const ask = (index: number) => keeper.share({ cable: 'MFA.CY.HQ/2026/000001' as CableId, office: 'MFA.CY.HQ' as OfficeCode, index });
    await assert.rejects(ask(0), isCode('internal'), 'entry 0 records an officer, not a read');
    await assert.rejects(ask(head - 1), isCode('internal'), 'an entry that is not a read');
    await assert.rejects(ask(head), isCode('internal'), 'beyond the head the keeper signed');
    await assert.rejects(ask(head + 100), isCode('internal'));
  });

  it('refuses to sign a root that contradicts one it signed, a smaller tree, or a history that does not extend it — after a restart too', async () => {
    const signed = await sizeOf(await keeper.checkpoint(extend(2)));
    // Whoever holds the web process can rewrite the store: drop the append-only triggers and change the hashes.
    const db = new Database(nodePath(init.dataDir, 'store'));
    db.exec('DROP TRIGGER log_nodes_update_refused; DROP TRIGGER log_entries_update_refused;');
    db.exec('UPDATE log_nodes SET hash = randomblob(32); UPDATE log_entries SET leaf_hash = randomblob(32);');
    db.close();
    await assert.rejects(keeper.checkpoint(signed), isCode('log.inconsistent'), 'another root for the size it signed');
    await assert.rejects(keeper.checkpoint(signed - 1), isCode('log.inconsistent'), 'a smaller tree');
    const longer = extend(3);
    await assert.rejects(keeper.checkpoint(longer), isCode('log.inconsistent'), 'a longer tree that does not extend it');
    const restarted = await Keeper.open(p, { dataDir: init.dataDir, log: silent });
    try {
      await assert.rejects(restarted.checkpoint(longer), isCode('log.inconsistent'), 'a restarted keeper remembers its head');
      await assert.rejects(restarted.checkpoint(signed), isCode('log.inconsistent'));
    } finally {
      restarted.close();
    }
  });

  it('serves over its socket, drops a connection that sends garbage, and answers by id', async () => {
    const socket = join(init.dir, 'k.sock');
    const running = await runKeeper(p, init.dataDir, { socketPath: socket, log: silent });
    const client = new KeeperClient(socket, { log: silent });
    try {
      assert.equal(statSync(socket).mode & 0o777, 0o600);
      const hello = await client.connect();
      assert.equal(hello.node, keeper.hello.node);
      // Pipelined: several requests in flight on the one connection, each answered by its own id.
      const answers = await Promise.allSettled([client.checkpoint(1), client.checkpoint(10 ** 9), client.share({ cable: 'MFA.CY.HQ/2026/000001' as CableId, office: 'MFA.CY.HQ' as OfficeCode, index: 0 })]);
      assert.deepEqual(answers.map((a) => (a.status === 'rejected' && a.reason instanceof ChanceryError ? a.reason.code : a.status)), ['log.inconsistent', 'log.out_of_range', 'internal']);
      const raw = await new Promise<string>((resolve) => {
        const s = createConnection(socket, () => s.write(frame(utf8('not cbor'))));
        s.once('close', () => resolve('closed'));
        s.on('error', () => undefined);
      });
      assert.equal(raw, 'closed');
      assert.ok(client.connected, 'other connections are unaffected');
      assert.equal((await client.connect()).node, keeper.hello.node);
    } finally {
      client.close();
      await running.close();
    }
  });
});
