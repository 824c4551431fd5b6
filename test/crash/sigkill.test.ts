// Crash safety of the send path (issue 3): a real `chancery serve` process is SIGKILLed — no shutdown hook, no
// flush — while the drafter's client has a dozen sends in flight. After a restart on the same data directory every
// send the node acknowledged must be stored, verify and open; no office may list a cable twice; and sending again
// what was not acknowledged must succeed or be reported as already sent, never store a second copy.
// Replay a run with CHANCERY_CRASH_SEED=<seed printed in the suite's name>.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CableId, OfficeCode } from '../../src/cable/types.ts';
import { equalBytes } from '../../src/bytes.ts';
import { ChanceryError } from '../../src/errors.ts';
import { RemoteError } from '../../src/client/http.ts';
import { fetchInbox, readCable } from '../../src/client/reading.ts';
import { sendCable } from '../../src/client/send.ts';
import { signerResolver } from '../../src/client/key-directory.ts';
import type { Session } from '../../src/client/session.ts';
import { base64Of, fieldsOf } from '../../src/client/wire.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { pool, seededRandom, settle, shuffled } from '../support/concurrency.ts';
import { spawnNode, type NodeProcess } from '../support/node-process.ts';
import { bodyOf, countersign, insertReleased, postSend, releaseThroughApi, type Released } from '../support/released-drafts.ts';
import { DEL, HQ, initSendNetwork, p, People, populateSendNetwork, type SendNetwork } from '../support/send-network.ts';

const CABLES = 1000;
/** Drafted and released through the real client workflow; the rest are sealed the same way and filed in bulk. */
const THROUGH_API = 8;
const IN_FLIGHT = 12;
const SAMPLE = 24;
const SEED = Number(process.env.CHANCERY_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

interface Sent {
  readonly cable: Released;
  /** The countersigned envelope as POSTed: a re-send posts exactly these bytes again. */
  readonly bytes: Uint8Array;
  outcome: 'not-sent' | 'in-flight' | 'acknowledged' | 'failed';
  failure?: string;
}

async function envelopeAt(s: Session, id: CableId): Promise<Uint8Array | null> {
  try {
    return base64Of(fieldsOf('cable', await s.http.get(`/api/v1/cables/${encodeURIComponent(id)}`), ['id', 'offices', 'envelope']), 'envelope', 1 << 20);
  } catch (error) {
    if (error instanceof RemoteError && error.status === 404) return null;
    throw error;
  }
}

/** How often each cable appears in an office's inbox, over every page. */
async function inboxCounts(s: Session, office: OfficeCode): Promise<Map<CableId, number>> {
  const counts = new Map<CableId, number>();
  let after: string | undefined;
  do {
    const page = await fetchInbox(s, { office, limit: 200, ...(after ? { after } : {}) });
    for (const e of page.entries) if (e.office === office) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
    after = page.next ?? undefined;
  } while (after);
  return counts;
}

/** The sample below is one reader opening more cables in a minute than the release service's default rate allows. */
const SERVE_ARGS = ['--shares-per-minute', '1000', '--shares-per-hour', '10000'];

describe(`a node SIGKILLed while accepting sends comes back with every acknowledged cable, once (seed ${SEED})`, { timeout: 240_000 }, () => {
  const random = seededRandom(SEED);
  const dir = mkdtempSync(join(tmpdir(), 'chancery-crash-'));
  let network: SendNetwork;
  let node: NodeProcess | undefined;
  let sent: Sent[] = [];
  const sessions: Session[] = [];
  let killAfter = 0;
  let inFlightAtKill = 0;
  let drafter: Session;
  let reader: Session;
  const open = async (user: Parameters<SendNetwork['session']>[0]) => {
    const s = await network.session(user, node!.url);
    sessions.push(s);
    return s;
  };

  before(async () => {
    network = await initSendNetwork(dir);
    node = await spawnNode(network.dataDir, { serveArgs: SERVE_ARGS });
    await populateSendNetwork(network, node.url);
    const [d, r] = [await open(People.drafter), await open(People.releaser)];
    const released = [
      ...(await releaseThroughApi(d, r, THROUGH_API)),
      ...(await insertReleased(d, r, join(network.dataDir, 'node.sqlite'), THROUGH_API + 1, CABLES - THROUGH_API)),
    ];
    // The drafter's countersignature is made before the crash phase, so the node is busy with accepts, not reads.
    for (const cable of released) sent.push({ cable, bytes: await countersign(d, cable.envelope), outcome: 'not-sent' });
    sent = shuffled(sent, random);

    // Kill after a seeded number of acknowledgements, plus a seeded delay up to about one send's handling time
    // (~20 ms here), so the signal lands anywhere in it: verifying, committing (the fsync), answering.
    killAfter = 100 + Math.floor(random() * (CABLES - 200));
    const delayMs = random() * 25;
    let acknowledged = 0;
    let killed = false;
    const server = node;
    await settle();
    await pool(sent, IN_FLIGHT, async (s) => {
      s.outcome = 'in-flight';
      try {
        const body = fieldsOf('send', await postSend(d, s.cable.id, s.bytes), ['id', 'seq', 'duplicate', 'deliveredTo'], ['queuedFor']);
        assert.equal(body.token('id', 100), s.cable.id);
        s.outcome = 'acknowledged';
        if (++acknowledged === killAfter) {
          setTimeout(() => {
            killed = true;
            inFlightAtKill = sent.filter((x) => x.outcome === 'in-flight').length;
            server.child.kill('SIGKILL');
          }, delayMs);
        }
      } catch (error) {
        s.outcome = 'failed';
        s.failure = killed ? 'after kill' : error instanceof ChanceryError ? `${error.code}: ${error.message}` : String(error);
      }
    }, () => killed);
    // Every send answered before the kill point (a refusal, not a crash): say why instead of waiting for an exit.
    if (!killed) assert.fail(`the kill point was never reached: ${acknowledged} acknowledged; first failure: ${sent.find((s) => s.failure)?.failure ?? 'none'}`);
    const exit = await node.exited;
    assert.equal(exit.signal, 'SIGKILL', 'the node was killed, not stopped');
    for (const s of sessions.splice(0)) s.close();

    node = await spawnNode(network.dataDir, { serveArgs: SERVE_ARGS });
    drafter = await open(People.drafter);
    reader = await open(People.reader);
  });

  after(async () => {
    for (const s of sessions) s.close();
    await node?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the kill hit sends in flight, and nothing but the kill made a send fail', (t) => {
    const by = (o: Sent['outcome']) => sent.filter((s) => s.outcome === o).length;
    t.diagnostic(`seed ${SEED}: kill after ${killAfter} acknowledgements; ${inFlightAtKill} sends in flight at the signal; ${by('acknowledged')} acknowledged, ${by('failed')} failed, ${by('not-sent')} never sent`);
    assert.ok(inFlightAtKill > 0, 'sends were in flight when the node died');
    assert.ok(by('acknowledged') >= killAfter);
    assert.deepEqual(sent.filter((s) => s.outcome === 'failed' && s.failure !== 'after kill').map((s) => s.failure), []);
  });

  it('every acknowledged cable is stored as sent and verifies; a seeded sample opens with its release share', async (t) => {
    const acked = sent.filter((s) => s.outcome === 'acknowledged');
    const resolve = signerResolver(reader);
    await pool(acked, 8, async (s) => {
      const stored = await envelopeAt(reader, s.cable.id);
      assert.ok(stored, `${s.cable.id} was acknowledged before the crash but is not stored`);
      assert.ok(equalBytes(stored, s.bytes), `${s.cable.id} is stored with other bytes than were sent`);
      const verified = await verifyEnvelope(p, decodeEnvelope(stored), resolve);
      assert.equal(verified.routing.id, s.cable.id);
    });
    const sample = shuffled(acked, random).slice(0, SAMPLE);
    for (const s of sample) {
      const opened = await readCable(reader, s.cable.id); // fetch, verify, share from the release service, open
      assert.equal(opened.cable.content.body, bodyOf(s.cable.serial));
      assert.equal(opened.office, HQ);
    }
    t.diagnostic(`${acked.length} acknowledged cables fetched and verified; ${sample.length} opened in full`);
    assert.ok(sample.length >= 20);
  });

  it('no office lists a cable twice, and both offices list every acknowledged cable', async () => {
    for (const [s, office] of [[reader, HQ], [drafter, DEL]] as const) {
      const counts = await inboxCounts(s, office);
      assert.deepEqual([...counts].filter(([, n]) => n > 1), [], `${office} lists a cable more than once`);
      const missing = sent.filter((x) => x.outcome === 'acknowledged' && !counts.has(x.cable.id)).map((x) => x.cable.id);
      assert.deepEqual(missing, [], `${office} does not list some acknowledged cables`);
    }
  });

  it('sending again what was not acknowledged succeeds or is reported as already sent; each cable is stored once', async (t) => {
    const unacked = sent.filter((s) => s.outcome !== 'acknowledged');
    let accepted = 0;
    const alreadySent: CableId[] = [];
    await pool(unacked, 8, async (s) => {
      try {
        const body = fieldsOf('send', await postSend(drafter, s.cable.id, s.bytes), ['id', 'seq', 'duplicate', 'deliveredTo'], ['queuedFor']);
        assert.equal(body.token('id', 100), s.cable.id);
        if (body.bool('duplicate')) alreadySent.push(s.cable.id);
        else accepted++;
      } catch (error) {
        // The node committed this send but died before answering: the draft is marked sent. The drafter's client
        // must say so, and the store must hold exactly the envelope first sent.
        assert.ok(error instanceof RemoteError && error.code === 'request.conflict', `${s.cable.id}: ${String(error)}`);
        const again = await sendCable(drafter, s.cable.id).then(() => null, (e: unknown) => e);
        assert.ok(again instanceof ChanceryError && again.code === 'request.conflict' && / is sent/.test(again.message), `${s.cable.id}: ${String(again)}`);
        const stored = await envelopeAt(drafter, s.cable.id);
        assert.ok(stored && equalBytes(stored, s.bytes), `${s.cable.id}: refused as sent, but not stored as sent`);
        alreadySent.push(s.cable.id);
      }
    });
    // The drafter's client, asked to send an acknowledged cable again, says it is sent and stores nothing.
    const acked = sent.find((s) => s.outcome === 'acknowledged')!;
    const again = await sendCable(drafter, acked.cable.id).then(() => null, (e: unknown) => e);
    assert.ok(again instanceof ChanceryError && again.code === 'request.conflict' && / is sent/.test(again.message), String(again));
    t.diagnostic(`${unacked.length} unacknowledged: ${accepted} accepted on re-send, ${alreadySent.length} had been accepted before the crash`);
    assert.equal(accepted + alreadySent.length, unacked.length);
    assert.ok(alreadySent.length <= inFlightAtKill, 'only a send in flight at the kill can have been accepted unacknowledged');
    for (const [s, office] of [[reader, HQ], [drafter, DEL]] as const) {
      const counts = await inboxCounts(s, office);
      assert.equal(counts.size, CABLES, `${office} lists every cable`);
      assert.ok([...counts.values()].every((n) => n === 1), `${office} lists a cable more than once`);
    }
  });

  it('the same envelope sent again after its acknowledgement was lost is answered as a duplicate', async () => {
    const acked = sent.find((s) => s.outcome === 'acknowledged')!;
    const body = fieldsOf('send', await postSend(drafter, acked.cable.id, acked.bytes), ['id', 'seq', 'duplicate', 'deliveredTo'], ['queuedFor']);
    assert.equal(body.bool('duplicate'), true);
  });
});
