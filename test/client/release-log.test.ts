// No unlogged decryption (issue 4): the release service hands a share out only after the read is on the audit log
// and under a signed checkpoint, returns the entry with its proof, and refuses a reader over the hard per-user rate
// (429) — counted from the log's own rows, so a restart forgets nothing. A LIMITED cable network of the send path
// (test/support), served in-process.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { CableId } from '../../src/cable/types.ts';
import { fromBase64, utf8 } from '../../src/bytes.ts';
import { RemoteError } from '../../src/client/http.ts';
import { readCable } from '../../src/client/reading.ts';
import type { Session } from '../../src/client/session.ts';
import { sendCable } from '../../src/client/send.ts';
import { ChanceryError } from '../../src/errors.ts';
import { openCheckpoint } from '../../src/log/checkpoint.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { leafHash } from '../../src/log/merkle.ts';
import { verifyInclusion } from '../../src/log/proofs.ts';
import type { ReleaseService } from '../../src/node/node-context.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { checkShareRate, parseShareRate } from '../../src/node/share-rate.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { countersign, insertReleased, postSend, releaseThroughApi } from '../support/released-drafts.ts';
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

describe('the release service logs every share first, with a proof, under a hard per-user rate', { timeout: 120_000 }, () => {
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
  const start = () => startNode(p, { dataDir: network.dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), shareRate: RATE });
  const logSize = () => node.context.store.transaction((tx) => tx.logSize());
  const share = (s: Session, id: CableId) => s.http.post(`/api/v1/cables/${encodeURIComponent(id)}/share`, { office: HQ }) as Promise<ShareReply>;

  before(async () => {
    network = await initSendNetwork(dir);
    node = await start();
    await populateSendNetwork(network, node.url);
    const [drafter, releaser] = [await open(People.drafter), await open(People.releaser)];
    // One through the whole workflow (the drafter's check opens the released draft: a logged share), five inserted.
    const [first] = await releaseThroughApi(drafter, releaser, 1);
    await sendCable(drafter, first!.id);
    cables.push(first!.id);
    for (const r of await insertReleased(drafter, releaser, join(network.dataDir, 'node.sqlite'), 2, 5)) {
      await postSend(drafter, r.id, await countersign(drafter, r.envelope));
      cables.push(r.id);
    }
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

  it(`refuses the ${RATE.perMinute + 1}th share in a minute with 429 request.rate_limited, writing nothing; other readers are not affected`, async () => {
    const reader = await open(People.reader);
    // One share above already; the reader's read path (readCable) is a share too.
    await share(reader, cables[1]!);
    await readCable(reader, cables[2]!);
    const before = logSize();
    const refused = await share(reader, cables[3]!).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof RemoteError, String(refused));
    assert.deepEqual([refused.status, refused.code], [429, 'request.rate_limited']);
    assert.equal(logSize(), before, 'a refused share is not logged');
    const other = await open(People.reader2);
    assert.equal((await readCable(other, cables[3]!)).cable.header.id, cables[3]);
  });

  it('counts from the log rows, so a restarted node still refuses', async () => {
    await node.close();
    node = await start();
    const reader = await open(People.reader);
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
