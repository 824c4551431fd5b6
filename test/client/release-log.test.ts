// No unlogged decryption (issue 4): the release service hands a share out only after the read is on the audit log
// and under a signed checkpoint, returns the entry with its proof, and refuses a reader over the hard per-user rate
// (429) — counted from the log's own rows, so a restart forgets nothing. The reader's device verifies all of it
// before it decrypts, and refuses a bad proof, someone else's entry, a bad signature, or a checkpoint that is not
// consistent with the last one it saw. A LIMITED cable network of the send path (test/support), served in-process.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { CableId, NodeName } from '../../src/cable/types.ts';
import { equalBytes, fromBase64, fromUtf8, toBase64, utf8 } from '../../src/bytes.ts';
import { readClientConfig, writeClientConfig } from '../../src/client/config.ts';
import { RemoteError, type Fetch } from '../../src/client/http.ts';
import { readCable } from '../../src/client/reading.ts';
import type { Session } from '../../src/client/session.ts';
import { sendCable } from '../../src/client/send.ts';
import { ChanceryError } from '../../src/errors.ts';
import { openCheckpoint, parseCheckpoint, signCheckpoint } from '../../src/log/checkpoint.ts';
import { MemoryTree } from '../../src/log/memory-tree.ts';
import { parseNote } from '../../src/log/note.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { inclusionProof, verifyInclusion } from '../../src/log/proofs.ts';
import { loadLogKey } from '../../src/node/log-key.ts';
import type { ReleaseService } from '../../src/node/node-context.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { checkShareRate, DEFAULT_SHARE_RATE, parseShareRate } from '../../src/node/share-rate.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { releaseThroughApi, sendSixCables } from '../support/released-drafts.ts';
import { HQ, initSendNetwork, p, People, populateSendNetwork, type SendNetwork } from '../support/send-network.ts';

const RATE = { perMinute: 3, perHour: 4 };

interface ShareReply {
  cable: string;
  office: string;
  enc: string;
  cipherText: string;
  logIndex: number;
  entry: string;
  checkpoint: string;
  inclusionProof: string[];
}

describe('the release service logs every share first, with a proof the reader verifies, under a hard per-user rate', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-release-log-'));
  let network: SendNetwork;
  let node: RunningNode;
  const sessions: Session[] = [];
  const cables: CableId[] = [];
  const open = async (user: (typeof People)[keyof typeof People]) => {
    const s = await network.session(user, node.url);
    sessions.push(s);
    return s;
  };
  const start = (shareRate = DEFAULT_SHARE_RATE) => startNode(p, { dataDir: network.dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), shareRate });
  const logSize = () => node.context.store.transaction((tx) => tx.logSize());
  const share = (s: Session, id: CableId) => s.http.post(`/api/v1/cables/${encodeURIComponent(id)}/share`, { office: HQ }) as Promise<ShareReply>;
  const readConfig = (user: (typeof People)[keyof typeof People]) => readClientConfig(network.keyFile(user));

  before(async () => {
    network = await initSendNetwork(dir);
    node = await start();
    await populateSendNetwork(network, node.url);
    const [drafter, releaser] = [await open(People.drafter), await open(People.releaser)];
    cables.push(...(await sendSixCables(drafter, releaser, join(network.dataDir, 'node.sqlite'))));
  });

  after(async () => {
    for (const s of sessions) s.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the drafter's check of a released draft was logged as share.released", () => {
    const entries = node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((r) => decodeLogEntry(r.leaf));
    const released = entries.filter((e) => e.kind === 'share.released');
    assert.equal(released.length, 1);
    assert.ok(released[0]?.kind === 'share.released');
    assert.deepEqual([released[0].user, released[0].cable], [People.drafter, cables[0]]);
  });

  it('appends the read and signs a checkpoint over it before the release service opens the share', async () => {
    const reader = await open(People.reader);
    const real = node.context.release;
    const seen: { size: number; last: string; checkpoint: number | undefined }[] = [];
    const spy: ReleaseService = {
      shareFor(verified, office, receipt) {
        const size = logSize();
        const last = decodeLogEntry(node.context.store.transaction((tx) => tx.logEntry(size - 1))!.leaf).kind;
        seen.push({ size, last, checkpoint: node.context.auditLog.latest()?.size });
        return real.shareFor(verified, office, receipt);
      },
    };
    (node.context as { release: ReleaseService }).release = spy;
    const before = logSize();
    try {
      const reply = await share(reader, cables[0]!);
      assert.equal(reply.logIndex, before);
      assert.deepEqual(seen, [{ size: before + 1, last: 'cable.read', checkpoint: before + 1 }]);
      const entry = decodeLogEntry(fromBase64(reply.entry));
      assert.ok(entry.kind === 'cable.read');
      assert.deepEqual([entry.user, entry.device, entry.cable, entry.office, entry.level, entry.tags], [People.reader, reader.keys.device, cables[0], HQ, 'LIMITED', ['PREL']]);
      assert.equal(entry.ageDays, 0);
      assert.ok(entry.details, 'the reader’s address and user agent are committed to');
      const checkpoint = await openCheckpoint(p, utf8(reply.checkpoint), node.context.auditLog.policy);
      verifyInclusion(p, { leafIndex: reply.logIndex, treeSize: checkpoint.size, leafHash: leafHash(p, fromBase64(reply.entry)), root: checkpoint.root, proof: reply.inclusionProof.map(fromBase64) });
    } finally {
      (node.context as { release: ReleaseService }).release = real;
    }
  });

  it('the release service itself refuses a share that no log entry of that cable and office records', async () => {
    const row = node.context.store.transaction((tx) => tx.getCable(cables[1]!));
    assert.ok(row);
    const target = await verifyEnvelope(p, decodeEnvelope(row.envelope), (user, device) => {
      const d = node.context.store.transaction((tx) => tx.getDevice(user, device));
      assert.ok(d);
      return Promise.resolve(d.signingKey);
    });
    await assert.rejects(node.context.release.shareFor(target, HQ, { index: 0 }), (e: unknown) => e instanceof ChanceryError && e.code === 'internal');
  });

  /** A fetch that rewrites the next share answer of `id` with `change`. */
  const rewriting = (id: CableId, change: (reply: ShareReply) => ShareReply | Promise<ShareReply>): Fetch => async (input, init) => {
    const res = await fetch(input, init);
    if (!input.endsWith(`/api/v1/cables/${encodeURIComponent(id)}/share`) || !res.ok) return res;
    const body = await change((await res.json()) as ShareReply);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const refusedWith = async (promise: Promise<unknown>): Promise<string> => {
    const error = await promise.then(() => null, (e: unknown) => e);
    assert.ok(error instanceof ChanceryError, `expected a refusal, got ${String(error)}`);
    return error.code;
  };
  /** Read through a function: an assertion on the getter would narrow it for the rest of the test. */
  const lastOf = (s: Session) => s.log.last;
  const flip = (b64: string) => toBase64(fromBase64(b64).map((x, i) => (i === 0 ? x ^ 1 : x)));
  /** The note with its third line (the root hash) changed, its signatures kept. */
  const otherRoot = (note: string) => note.split('\n').map((line, i) => (i === 2 ? flip(line) : line)).join('\n');

  it('the reader verifies the receipt, keeps the checkpoint, and saves it in its client configuration', async () => {
    const reader = await open(People.reader);
    assert.equal(lastOf(reader), null, 'a fresh device has seen no checkpoint');
    assert.equal((await readConfig(People.reader)).logKeyFingerprint, reader.node.log.fingerprint, 'the log key was pinned at enrollment');
    await readCable(reader, cables[1]!);
    const last = lastOf(reader);
    assert.ok(last);
    assert.equal(last.size, logSize());
    const saved = (await readConfig(People.reader)).lastCheckpoint;
    assert.ok(saved);
    assert.equal((await openCheckpoint(p, utf8(saved), reader.node.log.policy)).size, last.size);
    // A new session of the device starts from the saved checkpoint.
    assert.equal((await open(People.reader)).log.last?.size, last.size);
  });

  it('refuses to decrypt with a bad inclusion proof, another entry, or a checkpoint signature that does not verify', async () => {
    const cases: [string, (r: ShareReply) => ShareReply, string][] = [
      ['a proof with one bit flipped', (r) => ({ ...r, inclusionProof: r.inclusionProof.map((h, i) => (i === 0 ? flip(h) : h)) }), 'log.bad_proof'],
      ['a proof one hash short', (r) => ({ ...r, inclusionProof: r.inclusionProof.slice(1) }), 'log.bad_proof'],
      ['another index', (r) => ({ ...r, logIndex: r.logIndex - 1 }), 'log.bad_proof'],
      ['the entry of another read', (r) => ({ ...r, entry: otherRead }), 'log.bad_proof'],
      ['a checkpoint whose root was changed', (r) => ({ ...r, checkpoint: otherRoot(r.checkpoint) }), 'log.bad_signature'],
    ];
    const otherRead = node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((r) => ({ r, e: decodeLogEntry(r.leaf) }))
      .filter(({ e }) => e.kind === 'cable.read').map(({ r }) => toBase64(r.leaf))[0]!;
    for (const [what, change, code] of cases) {
      let readIndex = -1;
      const recording = (r: ShareReply) => {
        readIndex = r.logIndex;
        return change(r);
      };
      const reader = await network.session(People.reader, node.url, { fetch: rewriting(cables[2]!, recording) });
      sessions.push(reader);
      assert.equal(await refusedWith(readCable(reader, cables[2]!)), code, what);
      // The signer's key listing moved the view on before the share; the refused checkpoint (over the read) did not.
      assert.ok(readIndex >= 0 && (reader.log.last?.size ?? 0) <= readIndex, `${what}: the refused checkpoint is not kept`);
    }
  });

  it('refuses to decrypt with a checkpoint, signed by the log key, of a history other than the one it saw before', async () => {
    const reader = await open(People.reader);
    const seen = reader.log.last;
    assert.ok(seen && seen.size > 1);
    const { key } = await loadLogKey(p, network.dataDir, 'EEAS' as NodeName);
    // A fork: the reader's own entry at its real index, over entries other than the ones the log really holds.
    let forgedRoot: Uint8Array = new Uint8Array(0);
    const forked = rewriting(cables[3]!, async (r) => {
      const tree = new MemoryTree(p);
      for (let i = 0; i < r.logIndex; i++) tree.append(leafHash(p, utf8(`forged entry ${i}`)));
      tree.append(leafHash(p, fromBase64(r.entry)));
      forgedRoot = tree.root();
      const note = await signCheckpoint(p, { origin: 'chancery/EEAS', size: tree.size, root: tree.root(), extensions: [] }, key);
      return { ...r, checkpoint: fromUtf8(note), inclusionProof: inclusionProof(p, tree, r.logIndex, tree.size).map(toBase64) };
    });
    const fooled = await network.session(People.reader, node.url, { fetch: forked });
    sessions.push(fooled);
    assert.equal(fooled.log.last?.size, seen.size);
    assert.equal(await refusedWith(readCable(fooled, cables[3]!)), 'log.inconsistent');
    assert.equal(forgedRoot.length, 32);
    assert.ok(fooled.log.last && !equalBytes(fooled.log.last.root, forgedRoot), 'the forked checkpoint is not kept');
    const saved = parseCheckpoint(parseNote(utf8((await readConfig(People.reader)).lastCheckpoint!)).text);
    assert.ok(!equalBytes(saved.root, forgedRoot), 'nor saved');
    // The honest node's next answer is consistent, and the read goes through.
    assert.equal((await readCable(await open(People.reader), cables[3]!)).cable.header.id, cables[3]);
  });

  it('refuses a node that presents another log key than the one pinned', async () => {
    const config = await readConfig(People.reader);
    await writeClientConfig(network.keyFile(People.reader), { ...config, logKeyFingerprint: '00'.repeat(32) });
    try {
      assert.equal(await refusedWith(open(People.reader)), 'verify.untrusted_key');
    } finally {
      await writeClientConfig(network.keyFile(People.reader), config);
    }
  });

  it("the drafter's check before sending refuses a receipt that records a read instead of the released draft's share", async () => {
    const [drafter, releaser] = [await open(People.drafter), await open(People.releaser)];
    const [draft] = await releaseThroughApi(drafter, releaser, 1);
    const id = draft!.id;
    const read = node.context.store.transaction((tx) => tx.logEntries(0, 1000)).find((r) => decodeLogEntry(r.leaf).kind === 'cable.read');
    assert.ok(read);
    const asRead: Fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!input.endsWith(`/api/v1/drafts/${encodeURIComponent(id)}/share`) || !res.ok) return res;
      const body = { ...((await res.json()) as ShareReply), entry: toBase64(read.leaf) };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const fooled = await network.session(People.drafter, node.url, { fetch: asRead });
    sessions.push(fooled);
    assert.equal(await refusedWith(sendCable(fooled, id)), 'log.bad_proof');
    assert.equal(node.context.store.transaction((tx) => tx.getDraft(id))?.status, 'released', 'nothing was sent');
    assert.deepEqual((await sendCable(drafter, id)).id, id);
  });

  it(`refuses the ${RATE.perMinute + 1}th share in a minute with 429 request.rate_limited, writing nothing; other readers are not affected`, async () => {
    await node.close();
    node = await start(RATE);
    const reader = await open(People.reader2);
    await share(reader, cables[1]!);
    await share(reader, cables[2]!);
    await readCable(reader, cables[3]!);
    const before = logSize();
    const refused = await share(reader, cables[4]!).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof RemoteError, String(refused));
    assert.deepEqual([refused.status, refused.code], [429, 'request.rate_limited']);
    assert.equal(logSize(), before, 'a refused share is not logged');
    const other = await open(People.releaser);
    assert.equal((await readCable(other, cables[4]!)).cable.header.id, cables[4]);
  });

  it('counts from the log rows, so a restarted node still refuses', async () => {
    await node.close();
    node = await start(RATE);
    const reader = await open(People.reader2);
    const refused = await share(reader, cables[4]!).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof RemoteError && refused.status === 429);
  });
});

describe('the share rate', () => {
  it('is a sliding minute and a sliding hour per user', () => {
    const store = openSqliteStore(':memory:');
    const rate = parseShareRate(2, 3);
    const anna = 'anna' as Parameters<typeof checkShareRate>[1];
    const at = (times: number[]) => store.transaction((tx) => {
      for (const t of times) {
        const { first } = tx.appendLogEntries([{ leaf: utf8(`read at ${t}`) }], t, p);
        tx.recordShareRelease(first, anna, t);
      }
    });
    const allowed = (now: number, user = anna) => store.transaction((tx) => {
      try {
        checkShareRate(tx, user, now, rate);
        return true;
      } catch (e) {
        assert.ok(e instanceof ChanceryError && e.code === 'request.rate_limited');
        return false;
      }
    });
    at([0, 30_000]);
    assert.equal(allowed(59_999), false, 'two in the last minute');
    assert.equal(allowed(60_001), true, 'the first has left the minute');
    assert.equal(allowed(59_999, 'bob' as typeof anna), true);
    at([60_001]);
    assert.equal(allowed(120_000), false, 'three in the hour');
    assert.equal(allowed(3_600_001), true, 'the first has left the hour');
    assert.throws(() => parseShareRate(0, 10), RangeError);
    assert.throws(() => parseShareRate(1, 1.5), RangeError);
    store.close();
  });
});
