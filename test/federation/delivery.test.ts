// Delivery between two real `chancery serve` processes of two organisations (docs/federation.md "Delivery"): a cable
// reaches the peer's office exactly once with a signed receipt, both ends log it, neither database holds a word of
// its text; a peer that stays down is probed for as long as it is down and gets everything when it returns; and what
// a peer must not send — garbage, forgeries, replays, oversized bodies, cables for offices the receiver does not host,
// another text under a stored id — is refused with a 4xx, logged, stored as nothing, and rate-limited.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId, NodeName } from '../../src/cable/types.ts';
import { toBase64, utf8 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { decodeLogEntry, type LogEntry } from '../../src/log/events.ts';
import { readNodeSigningKey } from '../../src/node/node-files.ts';
import { signRequest } from '../../src/protocol/http-signature.ts';
import { formatNodeKeyId } from '../../src/protocol/key-id.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { OutboxRow, Store } from '../../src/store/store.ts';
import { createNetwork, type FederationNetwork, type HarnessNode } from './harness.ts';
import { cableFactory } from './factory.ts';
import { sendTraffic, type SentCable } from './traffic.ts';

/** ROUTINE cables queued for a peer that is down before a FLASH one: several windows of pushes. */
const BACKLOG = 60;

const EEAS = 'EEAS' as NodeName;
const CY = 'MFA.CY' as NodeName;

/** The node's store opened read-only beside the running process (WAL: a consistent snapshot per transaction). */
function readStore<T>(n: HarnessNode, read: (store: Store) => T): T {
  const store = openSqliteStore(join(n.dataDir, 'node.sqlite'), { readonly: true });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

/** Every entry of the node's log, page by page. */
function logOf(n: HarnessNode): LogEntry[] {
  return readStore(n, (s) =>
    s.transaction((tx) => {
      const entries: LogEntry[] = [];
      for (let page = tx.logEntries(0, 1000); page.length > 0; page = tx.logEntries(entries.length, 1000)) entries.push(...page.map((row) => decodeLogEntry(row.leaf)));
      return entries;
    }),
  );
}

function outboxOf(n: HarnessNode, id: CableId): OutboxRow[] {
  return readStore(n, (s) => s.transaction((tx) => tx.outboxOfCable(id)));
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The cable ids stored at `n` for `office`, with how many delivery rows each has (exactly once means 1). */
function deliveriesAt(n: HarnessNode, ids: readonly CableId[]): Map<CableId, number> {
  return readStore(n, (s) =>
    s.transaction((tx) => new Map(ids.flatMap((id) => {
      const cable = tx.getCable(id);
      return cable ? [[id, 1] as const] : [];
    }))),
  );
}

/** A node-signed POST of `body` to `to`'s push route, as node `as` with `seed` (RFC 9421, docs/federation.md). */
async function pushAs(to: HarnessNode, as: string, seed: Uint8Array, body: Uint8Array, replay?: Record<string, string>): Promise<{ status: number; code?: string; headers: Record<string, string> }> {
  const url = `${to.url}/api/v1/federation/cables`;
  const headers = replay ?? { 'content-type': 'application/json', ...(await signRequest(p, { method: 'POST', url, body, keyId: formatNodeKeyId(as as NodeName), signingSeed: seed, now: Date.now() })) };
  const res = await fetch(url, { method: 'POST', headers, body: Buffer.from(body) });
  const json = (await res.json().catch(() => ({}))) as { code?: string };
  return { status: res.status, ...(json.code ? { code: json.code } : {}), headers };
}

const json = (value: unknown) => utf8(JSON.stringify(value));

describe('delivery between two organisations', () => {
  let dir: string;
  let fed: FederationNetwork;
  let eeas: () => HarnessNode;
  let cy: () => HarnessNode;
  let first: SentCable[];
  // The SOC's collector: every alert line either node POSTs.
  const alerts: Record<string, unknown>[] = [];
  const soc = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      alerts.push(JSON.parse(body) as Record<string, unknown>);
      res.end();
    });
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chancery-delivery-'));
    await new Promise<void>((resolve) => soc.listen(0, '127.0.0.1', resolve));
    const webhook = `http://127.0.0.1:${(soc.address() as AddressInfo).port}/alerts`;
    // Retries capped at half a second: a few seconds down stand for days of three-minute probes.
    fed = await createNetwork({ nodes: [EEAS, CY], dir, serveArgs: ['--no-detect', '--peer-retry-cap', '500', '--alert-webhook', webhook] });
    eeas = () => fed.node(EEAS);
    cy = () => fed.node(CY);
  });
  after(async () => {
    soc.close();
    await fed?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each cable to the peer office once, with a signed receipt, logged at both ends, and no text in either database', async () => {
    const marker = `Delivery marker ${Date.now()}`;
    first = await sendTraffic(eeas, [
      { to: [cy().offices.hq, eeas().offices.hq], precedence: 'IMMEDIATE', level: 'UNCLASSIFIED', subject: `${marker} subject one`, body: `${marker} body one: the demarche is due on Monday.` },
      { to: [cy().offices.hq], precedence: 'ROUTINE', level: 'LIMITED', subject: `${marker} subject two`, body: `${marker} body two: the minister's travel plans.` },
    ]);
    const ids = first.map((c) => c.id);
    await until('both delivered', () => (ids.every((id) => outboxOf(eeas(), id).every((r) => r.state === 'delivered')) ? true : undefined));
    assert.equal(deliveriesAt(cy(), ids).size, 2);
    for (const id of ids) {
      const [row] = outboxOf(eeas(), id);
      assert.ok(row?.receipt && row.deliveredAt !== null, 'the receipt is kept beside the outbox row');
      assert.deepEqual(row.offices, [cy().offices.hq]);
    }
    const sent = logOf(eeas());
    const got = logOf(cy());
    for (const id of ids) {
      assert.equal(sent.filter((e) => e.kind === 'cable.forwarded' && e.cable === id && e.peer === CY).length, 1);
      assert.equal(got.filter((e) => e.kind === 'cable.received' && e.cable === id && e.fromNode === EEAS).length, 1);
      assert.equal(got.filter((e) => e.kind === 'cable.delivered' && e.cable === id && e.office === cy().offices.hq && e.fromNode === EEAS).length, 1);
    }
    // Neither the sending node nor the receiving one holds any of the text: search every file of both data dirs.
    for (const n of [eeas(), cy()]) {
      for (const file of readdirSync(n.dataDir)) {
        if (!file.startsWith('node.sqlite')) continue;
        const bytes = readFileSync(join(n.dataDir, file));
        for (const needle of [marker, 'demarche is due', "minister's travel"]) assert.equal(bytes.indexOf(needle), -1, `${needle} found in ${n.name}/${file}`);
      }
    }
  });

  it('keeps probing a peer that stays down, never dropping its queue, and delivers everything in order when it returns', async () => {
    await fed.kill(CY);
    // A backlog of ROUTINE cables, then one FLASH cable, all queued while the peer is down.
    const factory = await cableFactory(eeas(), { concurrency: 8 });
    const queue = (precedence: 'ROUTINE' | 'FLASH', i: number) => ({
      to: [cy().offices.hq], precedence, level: 'UNCLASSIFIED' as const, subject: `Queued ${i}`, body: `Queued while MFA.CY was down (${i}).`,
    });
    let queued: SentCable[];
    try {
      queued = await factory.send(Array.from({ length: BACKLOG }, (_, i) => queue('ROUTINE', i)));
      queued.push(await factory.sendOne(queue('FLASH', BACKLOG)));
    } finally {
      factory.close();
    }
    const ids = queued.map((c) => c.id);
    // Many failed probes (each a backoff round at the cap, trying the head of the queue — the FLASH cable first):
    // every row stays pending, none is dropped.
    const flash = queued.at(-1)!.id;
    await until('a dozen failed attempts at the head of the queue', () => ((outboxOf(eeas(), flash)[0]?.attempts ?? 0) >= 12 ? true : undefined));
    const rows = ids.flatMap((id) => outboxOf(eeas(), id));
    assert.equal(rows.length, ids.length);
    for (const r of rows) assert.equal(r.state, 'pending');
    assert.ok(outboxOf(eeas(), flash)[0]?.lastError, 'the last error is kept');
    await fed.restart(CY);
    await until('the backlog delivered', () => (ids.every((id) => outboxOf(eeas(), id)[0]?.state === 'delivered') ? true : undefined));
    assert.equal(deliveriesAt(cy(), ids).size, ids.length);
    // FLASH first: the FLASH cable, queued last, leaves in the first window of pushes (16 in flight), ahead of the
    // backlog; in acceptance order it would be received last.
    const received = logOf(cy()).filter((e): e is Extract<LogEntry, { kind: 'cable.received' }> => e.kind === 'cable.received' && ids.includes(e.cable)).map((e) => e.cable);
    assert.equal(received.length, ids.length, 'each received exactly once');
    const flashAt = received.indexOf(flash);
    assert.ok(flashAt >= 0 && flashAt < 16, `the FLASH cable was received ${flashAt + 1}th of ${received.length}`);
  });

  it('refuses garbage, forgeries, replays, oversized bodies, cables for offices it does not host and a second text under an id — logged, stored as nothing', async () => {
    const seed = readNodeSigningKey(eeas().dataDir).ed25519Seed;
    const before = readStore(cy(), (s) => s.transaction((tx) => tx.countCables()));
    const delivered = readStore(cy(), (s) => s.transaction((tx) => tx.getCable(first[0]!.id)));
    assert.ok(delivered);
    const own = readStore(eeas(), (s) => s.transaction((tx) => tx.getCable(first[0]!.id)))!;
    // A cable addressed to EEAS offices only: no office of MFA.CY has any business with it.
    const [local] = await sendTraffic(eeas, [{ to: [eeas().offices.hq], precedence: 'ROUTINE', level: 'UNCLASSIFIED', subject: 'Internal', body: 'Within EEAS only.' }]);
    const localEnvelope = readStore(eeas(), (s) => s.transaction((tx) => tx.getCable(local!.id)))!.envelope;

    const garbage = await pushAs(cy(), EEAS, seed, json({ envelope: toBase64(utf8('not an envelope')) }));
    assert.equal(garbage.status, 400);
    const notJson = await pushAs(cy(), EEAS, seed, json({ envelope: 42 }));
    assert.equal(notJson.status, 400);

    const ok = await pushAs(cy(), EEAS, seed, json({ envelope: toBase64(own.envelope) }));
    assert.equal(ok.status, 200, 'the same envelope again is a duplicate: its receipt again');
    const replayed = await pushAs(cy(), EEAS, seed, json({ envelope: toBase64(own.envelope) }), ok.headers);
    assert.deepEqual([replayed.status, replayed.code], [401, 'auth.replay']);

    const forger = new Uint8Array(32).fill(9);
    const forged = await pushAs(cy(), EEAS, forger, json({ envelope: toBase64(own.envelope) }));
    assert.deepEqual([forged.status, forged.code], [401, 'auth.bad_signature']);

    const stranger = await pushAs(cy(), 'MFA.XX', forger, json({ envelope: toBase64(own.envelope) }));
    assert.deepEqual([stranger.status, stranger.code], [401, 'auth.unknown_peer']);

    const notOurs = await pushAs(cy(), EEAS, seed, json({ envelope: toBase64(localEnvelope) }));
    assert.deepEqual([notOurs.status, notOurs.code], [422, 'verify.untrusted_key']);

    // Another text under the same id: one byte of the ciphertext changed (still a well-formed envelope).
    const content = decodeEnvelope(own.envelope).content;
    const at = Buffer.from(own.envelope).indexOf(Buffer.from(content.subarray(0, 32)));
    assert.ok(at > 0);
    const other = own.envelope.slice();
    other[at + 5]! ^= 0xff;
    const conflict = await pushAs(cy(), EEAS, seed, json({ envelope: toBase64(other) }));
    assert.deepEqual([conflict.status, conflict.code], [409, 'request.conflict']);

    const huge = new Uint8Array(61 * 1024 * 1024).fill(0x41);
    const oversized = await pushAs(cy(), EEAS, seed, huge);
    assert.equal(oversized.status, 413);

    // Nothing of it is a cable; the stored one is unchanged.
    assert.equal(readStore(cy(), (s) => s.transaction((tx) => tx.countCables())), before);
    assert.deepEqual(readStore(cy(), (s) => s.transaction((tx) => tx.getCable(first[0]!.id)))!.envelopeHash, delivered.envelopeHash);
    // A refusal is logged by a group commit after its response is sent: wait for every expected code, not a count.
    const refusedCodes = (entries: readonly LogEntry[]) => entries.filter((e): e is Extract<LogEntry, { kind: 'peer.refused' }> => e.kind === 'peer.refused').map((e) => `${e.peer} ${e.code}`);
    const expectedCodes = ['EEAS auth.replay', 'EEAS auth.bad_signature', 'MFA.XX auth.unknown_peer', 'EEAS verify.untrusted_key', 'EEAS request.too_large'];
    let codes: string[] = [];
    const log = await until('the refusals on the log', () => {
      const entries = logOf(cy());
      codes = refusedCodes(entries);
      return expectedCodes.every((c) => codes.includes(c)) ? entries : undefined;
    }).catch((e: unknown) => assert.fail(`${String(e)}; logged: ${codes.join(', ')}`));
    assert.equal(log.filter((e) => e.kind === 'peer.conflict' && e.peer === EEAS && e.cable === first[0]!.id).length, 1);
    // ...and an alert reached the SOC: both envelope hashes as evidence.
    const alert = await until('the conflict alert at the webhook', () => alerts.find((a) => a.rule === 'peer_conflict'));
    assert.deepEqual([alert.peer, alert.cable, alert.severity, (alert.evidence as string[]).length], [EEAS, first[0]!.id, 'high', 2]);

    // A sender of nothing but refusals is rate-limited after 30 a minute, before any verification.
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) status = (await pushAs(cy(), 'MFA.YY', forger, json({ envelope: 'AAAA' }))).status;
    assert.equal(status, 429);
    // ...and only the first ten of them are on the log.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(logOf(cy()).filter((e) => e.kind === 'peer.refused' && e.peer === 'MFA.YY').length, 10);
  });
});
