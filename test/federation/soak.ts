// The federation soak (issue 5 "Tests that prove the promises"): three real nodes of three organisations; two of
// them send cables of mixed precedence and level to offices of all three; each node is SIGKILLed once at a random
// moment while cables flow and restarted; at the end every cable is at every addressed office exactly once, a sample
// opens for a reader at each receiving node, every log verifies in full, and every node's view of every peer's log
// is a prefix of that peer's log (no fork). `runSoak` does it all and throws on the first broken promise; the test
// runs it small, `npm run soak -- --cables 10000` at the issue's size.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CableId, Classification, OfficeCode, Precedence } from '../../src/cable/types.ts';
import { equalBytes } from '../../src/bytes.ts';
import { verifyLog } from '../../src/client/audit.ts';
import { readCable } from '../../src/client/reading.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { merkleTreeHash } from '../../src/log/merkle.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { seededRandom } from '../../src/seeded-random.ts';
import type { LogEntryRow, Store, StoreTx } from '../../src/store/store.ts';
import { cableFactory, type CableFactory, type SentCable } from './factory.ts';
import { createNetwork, People, type FederationNetwork, type HarnessNode } from './harness.ts';
import type { TrafficCable } from './traffic.ts';

export const SOAK_NODES = ['EEAS', 'MFA.CY', 'MFA.FR'] as const;
/** The two that send; the third only receives. */
const SENDERS = ['EEAS', 'MFA.CY'] as const;

export interface SoakOptions {
  readonly dir: string;
  /** Cables in all, split between the two senders. */
  readonly cables: number;
  /** A deterministic run: the same seed sends the same cables and kills at the same points. */
  readonly seed?: number;
  readonly progress?: (line: string) => void;
}

export interface SoakReport {
  readonly cables: number;
  readonly deliveries: number;
  readonly kills: readonly { readonly node: string; readonly afterCables: number; readonly downMs: number }[];
  readonly sendSeconds: number;
  readonly drainSeconds: number;
  readonly opened: number;
  readonly logEntries: Record<string, number>;
}


function precedenceOf(r: number): Precedence {
  return r < 0.02 ? 'FLASH' : r < 0.1 ? 'IMMEDIATE' : r < 0.4 ? 'PRIORITY' : 'ROUTINE';
}

/** What one sender sends: to one to three offices of the network (its own department, peers' departments). */
function cablesFor(sender: HarnessNode, all: readonly HarnessNode[], count: number, rnd: () => number): TrafficCable[] {
  const hqs = all.map((n) => n.offices.hq);
  return Array.from({ length: count }, (_, i) => {
    const to = hqs.filter((office) => office !== sender.offices.hq && rnd() < 0.7);
    if (to.length === 0) to.push(hqs.find((o) => o !== sender.offices.hq)!);
    if (rnd() < 0.3) to.push(sender.offices.hq);
    const level: Classification = rnd() < 0.05 ? 'LIMITED' : 'UNCLASSIFIED';
    return { to, precedence: precedenceOf(rnd()), level, subject: `Soak ${sender.name} ${i}`, body: `Soak cable ${i} from ${sender.name}: paragraph one.` };
  });
}

/** Every row of a node's log, page by page (a store hands out at most a page at a time). */
function allLogRows(tx: StoreTx): LogEntryRow[] {
  const rows: LogEntryRow[] = [];
  for (let page = tx.logEntries(0, 1000); page.length > 0; page = tx.logEntries(rows.length, 1000)) rows.push(...page);
  return rows;
}

function readStore<T>(n: HarnessNode, read: (store: Store) => T): T {
  const store = openSqliteStore(join(n.dataDir, 'node.sqlite'), { readonly: true });
  try {
    return read(store);
  } finally {
    store.close();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean, timeoutMs: number, progress?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let shown = 0;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting for ${what}${progress ? ` (${progress()})` : ''}`);
    await pause(500);
    if (progress && ++shown % 10 === 0) progress();
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const rnd = seededRandom(options.seed ?? 1);
  const say = options.progress ?? (() => {});
  say(`soak: ${options.cables} cables, nodes ${SOAK_NODES.join(', ')}`);
  const fed: FederationNetwork = await createNetwork({ nodes: SOAK_NODES, dir: options.dir, serveArgs: ['--no-detect', '--peer-retry-cap', '2000'] });
  const factories: CableFactory[] = [];
  try {
    const node = (name: string) => fed.node(name);
    const all = SOAK_NODES.map(node);
    const plans = SENDERS.map((name, i) => cablesFor(node(name), all, Math.floor(options.cables / 2) + (i === 0 ? options.cables % 2 : 0), rnd));
    for (const name of SENDERS) factories.push(await cableFactory(node(name), { concurrency: 8 }));

    // Kill points: each node once, after a random share of the traffic (between 10% and 80%), in random order.
    const kills = SOAK_NODES.map((name) => ({ node: name, afterCables: Math.floor(options.cables * (0.1 + 0.7 * rnd())), downMs: 500 + Math.floor(2500 * rnd()) }));
    let sentCount = 0;
    let killing: Promise<void> = Promise.resolve();
    const pending = [...kills].sort((a, b) => a.afterCables - b.afterCables);
    const onSent = () => {
      sentCount++;
      if (sentCount % 500 === 0) say(`soak: ${sentCount}/${options.cables} sent`);
      while (pending.length > 0 && pending[0]!.afterCables <= sentCount) {
        const k = pending.shift()!;
        killing = killing.then(async () => {
          say(`soak: SIGKILL ${k.node} after ${sentCount} cables, down ${k.downMs} ms`);
          await fed.kill(k.node, 'SIGKILL');
          await pause(k.downMs);
          await fed.restart(k.node);
        });
      }
    };
    const started = Date.now();
    const sent: (SentCable & { readonly from: OfficeCode })[] = (
      await Promise.all(factories.map(async (f, i) => (await f.send(plans[i]!, { onSent })).map((c) => ({ ...c, from: f.node.offices.del }))))
    ).flat();
    await killing;
    // A kill point the traffic did not reach (rounding): the node is killed now, while deliveries still flow.
    for (const k of pending) {
      await fed.kill(k.node, 'SIGKILL');
      await pause(k.downMs);
      await fed.restart(k.node);
    }
    const sendSeconds = (Date.now() - started) / 1000;
    say(`soak: ${sent.length} cables acknowledged in ${sendSeconds.toFixed(1)} s; waiting for every outbox to drain`);

    const drainStart = Date.now();
    const pendingAt = (n: HarnessNode) => readStore(n, (s) => s.transaction((tx) => tx.outboxSummary().reduce((sum, o) => sum + o.pending, 0)));
    await until('every outbox to drain', () => SENDERS.every((name) => pendingAt(node(name)) === 0), 30 * 60_000, () => {
      const line = SENDERS.map((name) => `${name} pending ${pendingAt(node(name))}`).join(', ');
      say(`soak: ${line}`);
      return line;
    });
    const drainSeconds = (Date.now() - drainStart) / 1000;

    // Every cable at every addressed office exactly once: stored where each office is hosted, one `cable.received`
    // (at a peer) and one `cable.delivered` per (cable, office), and nothing twice.
    const hostOf = new Map<OfficeCode, HarnessNode>(all.flatMap((n) => [[n.offices.hq, n] as const, [n.offices.del, n] as const]));
    let deliveries = 0;
    const logEntries: Record<string, number> = {};
    for (const n of all) {
      const { delivered, received, stored, size } = readStore(n, (s) =>
        s.transaction((tx) => {
          const entries = allLogRows(tx).map((row) => decodeLogEntry(row.leaf));
          const delivered = new Map<string, number>();
          const received = new Map<CableId, number>();
          for (const e of entries) {
            if (e.kind === 'cable.delivered') delivered.set(`${e.cable} ${e.office}`, (delivered.get(`${e.cable} ${e.office}`) ?? 0) + 1);
            if (e.kind === 'cable.received') received.set(e.cable, (received.get(e.cable) ?? 0) + 1);
          }
          const mine = sent.filter((c) => [c.from, ...c.to].some((o) => hostOf.get(o) === n));
          return { delivered, received, stored: new Set(mine.filter((c) => tx.getCable(c.id) !== null).map((c) => c.id)), size: entries.length };
        }),
      );
      logEntries[n.name] = size;
      for (const c of sent) {
        const offices = [...new Set([c.from, ...c.to])].filter((o) => hostOf.get(o) === n);
        if (offices.length === 0) continue;
        assert.ok(stored.has(c.id), `${c.id} is not stored at ${n.name}`);
        for (const office of offices) {
          assert.equal(delivered.get(`${c.id} ${office}`), 1, `${c.id} delivered ${delivered.get(`${c.id} ${office}`) ?? 0} times to ${office}`);
          deliveries++;
        }
        if (hostOf.get(c.from) !== n) assert.equal(received.get(c.id), 1, `${c.id} received ${received.get(c.id) ?? 0} times at ${n.name}`);
      }
      const extra = [...received.values()].filter((count) => count !== 1);
      assert.deepEqual(extra, [], `a cable received more than once at ${n.name}`);
    }
    say(`soak: ${deliveries} deliveries checked, each exactly once`);

    // A sample opens at each node for a reader of its department: the UNCLASSIFIED ones with the office key, a couple
    // of LIMITED ones through the node's release service (within the reader's rate).
    let opened = 0;
    for (const n of all) {
      const reader = await n.session(People.reader);
      try {
        const here = sent.filter((c) => c.to.includes(n.offices.hq));
        const sample = [...here.filter((c) => c.level === 'UNCLASSIFIED').slice(0, 5), ...here.filter((c) => c.level !== 'UNCLASSIFIED').slice(0, 2)];
        for (const c of sample) {
          const cable = await readCable(reader, c.id);
          assert.equal(cable.cable.content.subject, c.subject);
          opened++;
        }
      } finally {
        reader.close();
      }
    }
    say(`soak: ${opened} cables opened by readers`);

    // Every log verifies in full (recomputed from its leaves, against its signed head), and every node's latest view of
    // each peer's log is the peer's own log cut at that size: one history each, seen alike by everyone.
    for (const n of all) {
      const officer = await n.session(People.officer);
      try {
        await verifyLog(officer);
      } finally {
        officer.close();
      }
    }
    const leaves = new Map(all.map((n) => [n.name, readStore(n, (s) => s.transaction((tx) => allLogRows(tx).map((row) => row.leaf)))]));
    for (const n of all) {
      for (const peer of all.filter((x) => x !== n)) {
        const view = readStore(n, (s) => s.transaction((tx) => tx.latestPeerCheckpoint(peer.name)));
        assert.ok(view, `${n.name} holds no checkpoint of ${peer.name}`);
        const theirs = leaves.get(peer.name)!;
        assert.ok(view.size <= theirs.length, `${n.name} saw ${peer.name} at ${view.size} entries, more than it has`);
        assert.ok(equalBytes(merkleTreeHash(p, theirs.slice(0, view.size)), view.root), `${n.name}'s view of ${peer.name} is not ${peer.name}'s log`);
      }
      const forks = readStore(n, (s) => s.transaction((tx) => allLogRows(tx).filter((row) => decodeLogEntry(row.leaf).kind === 'peer.fork').length));
      assert.equal(forks, 0, `${n.name} logged a fork`);
    }
    say('soak: every log verifies and every view of a peer is a prefix of its log');
    return { cables: sent.length, deliveries, kills, sendSeconds, drainSeconds, opened, logEntries };
  } finally {
    for (const f of factories) f.close();
    await fed.stop();
  }
}
