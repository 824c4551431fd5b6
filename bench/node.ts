// Benchmark of issue 3 "One node": one `chancery serve` process on this machine, driven over loopback HTTP.
// - ingest: the send (accept) step of prepared, released cables, 16 in flight: two signatures and the manifest
//   verified, policy checked, cable and deliveries stored (WAL, synchronous=FULL), acknowledged;
// - the SQLite floor: the same envelope bytes inserted straight into SQLite with the same pragmas, interleaved
//   with the ingest in the same run;
// - reads: GET /api/v1/cables/:id at 200/s open loop from four devices, and the release-service share request;
// - CPU: the server process's own CPU seconds (/proc), for events per core-second against Synapse's 160.
// Progress on stderr, JSON on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CableId, UserId } from '../src/cable/types.ts';
import type { Session } from '../src/client/session.ts';
import { HQ, initSendNetwork, People, populateSendNetwork, type SendNetwork } from '../test/support/send-network.ts';
import { countersign, insertReleased, postSend } from '../test/support/released-drafts.ts';
import { processCpuSeconds, spawnNode, type NodeProcess } from '../test/support/node-process.ts';
import { pool, seededRandom, settle } from '../test/support/concurrency.ts';
import { openLoop, type OpenLoopResult } from '../test/support/open-loop.ts';
import { percentile, round } from './stats.ts';

const CABLES = Number(process.env.BENCH_CABLES ?? 1000);
const WARMUP = 50;
const IN_FLIGHT = 16;
const READ_RATE = 200;
const READ_SECONDS = 10;
/** The share request costs the node a full envelope verification and an X-Wing decapsulation: a lower rate. */
const SHARE_RATE = 20;
const SHARE_SECONDS = 5;
/** Synapse: about a quarter of a core for 40 events/s (issue 3's context figure). */
const SYNAPSE_EVENTS_PER_CORE_S = 160;
const TARGETS = { ingest_ratio_to_sqlite: 0.3, ratio_to_synapse: 10 } as const;

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Inserts `envelopes` into a fresh SQLite file with the node's pragmas; `perInsert` commits each one alone. */
function sqliteInserts(dir: string, envelopes: readonly Uint8Array[], perInsert: boolean, tag: string): number {
  const db = new Database(join(dir, `floor-${tag}.sqlite`));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE cables (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, envelope BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO cables (id, envelope) VALUES (?, ?)');
    const one = db.transaction((i: number) => insert.run(`${tag}/${i}`, envelopes[i]));
    const all = db.transaction(() => envelopes.forEach((e, i) => insert.run(`${tag}/${i}`, e)));
    const start = performance.now();
    if (perInsert) for (let i = 0; i < envelopes.length; i++) one.immediate(i);
    else all.immediate();
    return (performance.now() - start) / 1000;
  } finally {
    db.close();
  }
}

interface Phase {
  readonly count: number;
  readonly seconds: number;
  readonly cpuSeconds: number | null;
  readonly errors: string[];
}

/** Sends `items` (id, countersigned envelope) with `IN_FLIGHT` in flight; wall and server CPU time. */
async function ingest(node: NodeProcess, drafter: Session, items: readonly [CableId, Uint8Array][]): Promise<Phase> {
  const errors: string[] = [];
  await settle();
  const cpu0 = processCpuSeconds(node.pid);
  const start = performance.now();
  await pool(items, IN_FLIGHT, async ([id, bytes]) => {
    await postSend(drafter, id, bytes).catch((e: unknown) => void errors.push(`${id}: ${e instanceof Error ? e.message : String(e)}`));
  });
  const seconds = (performance.now() - start) / 1000;
  const cpu1 = processCpuSeconds(node.pid);
  return { count: items.length - errors.length, seconds, cpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, errors };
}

/** p50, p99, max and errors of an open-loop phase, keyed `<prefix>_p50_ms` …; shared with bench/log.ts. */
export function latencyFigures(prefix: string, r: OpenLoopResult): Record<string, number> {
  if (r.latencies.length === 0) return { [`${prefix}_errors`]: r.errors.length };
  return {
    [`${prefix}_p50_ms`]: round(percentile(r.latencies, 0.5), 2),
    [`${prefix}_p99_ms`]: round(percentile(r.latencies, 0.99), 2),
    [`${prefix}_max_ms`]: round(Math.max(...r.latencies), 2),
    [`${prefix}_errors`]: r.errors.length,
    [`${prefix}_client_max_start_lag_ms`]: round(r.maxStartLagMs, 2),
  };
}

/** `chancery serve` over a fresh send network with the share rate lifted; shared with bench/log.ts. */
export async function setUp(dir: string): Promise<{ network: SendNetwork; node: NodeProcess }> {
  const network = await initSendNetwork(dir);
  const prof = process.env.BENCH_NODE_PROF;
  // The open-loop share phase asks far more shares per reader than a person could read: lift the per-user rate.
  // The rate limit and the detector lifted: a benchmark reads in bulk on purpose, and would be frozen for it.
  const serveArgs = ['--shares-per-minute', '1000000', '--shares-per-hour', '1000000', '--no-detect'];
  const node = await spawnNode(network.dataDir, { serveArgs, ...(prof ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${prof}`] } : {}) });
  say(`node: pid ${node.pid} at ${node.url}${prof ? `, profiling into ${prof}` : ''}; setting up offices, people, epochs and grants`);
  await populateSendNetwork(network, node.url);
  return { network, node };
}

export async function benchNode(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-node-'));
  const { network, node } = await setUp(dir);
  const sessions: Session[] = [];
  const open = async (user: UserId) => {
    const s = await network.session(user, node.url);
    sessions.push(s);
    return s;
  };
  try {
    const drafter = await open(People.drafter);
    const releaser = await open(People.releaser);
    const readers = [drafter, releaser, await open(People.reader), await open(People.reader2)]; // four devices
    const shareReaders = readers.slice(2); // the department's readers ask for the department's share
    say(`sealing ${CABLES + WARMUP} cables as drafter and releaser, filed as released drafts`);
    const released = await insertReleased(drafter, releaser, join(network.dataDir, 'node.sqlite'), 1, CABLES + WARMUP);
    const items: [CableId, Uint8Array][] = [];
    for (const r of released) items.push([r.id, await countersign(drafter, r.envelope)]);
    const envelopes = items.map(([, bytes]) => bytes);

    say(`warm-up: ${WARMUP} sends`);
    await ingest(node, drafter, items.slice(0, WARMUP));
    // Interleaved halves (floor, ingest, floor, ingest) so both see the same machine load.
    const timed = items.slice(WARMUP);
    const half = Math.ceil(timed.length / 2);
    const phases: Phase[] = [];
    let floorSeconds = 0;
    for (const [k, part] of [timed.slice(0, half), timed.slice(half)].entries()) {
      floorSeconds += sqliteInserts(dir, envelopes.slice(WARMUP + k * half, WARMUP + k * half + part.length), true, `per-insert-${k}`);
      say(`ingest: ${part.length} sends, ${IN_FLIGHT} in flight (part ${k + 1} of 2)`);
      phases.push(await ingest(node, drafter, part));
    }
    const oneTxSeconds = sqliteInserts(dir, envelopes.slice(WARMUP), false, 'one-tx');
    const accepted = phases.reduce((n, ph) => n + ph.count, 0);
    const seconds = phases.reduce((n, ph) => n + ph.seconds, 0);
    const cpuSeconds = phases.every((ph) => ph.cpuSeconds !== null) ? phases.reduce((n, ph) => n + ph.cpuSeconds!, 0) : null;
    const ingestPerS = accepted / seconds;
    const floorPerS = timed.length / floorSeconds;

    const random = seededRandom(1);
    const pick = () => items[WARMUP + Math.floor(random() * timed.length)]![0];
    say(`reads: GET /api/v1/cables/:id at ${READ_RATE}/s for ${READ_SECONDS} s from ${readers.length} devices (open loop)`);
    await settle();
    const readCpu0 = processCpuSeconds(node.pid);
    const reads = await openLoop(READ_RATE, READ_SECONDS, (i) => readers[i % readers.length]!.http.get(`/api/v1/cables/${encodeURIComponent(pick())}`));
    const readCpu1 = processCpuSeconds(node.pid);
    say(`shares: POST /api/v1/cables/:id/share at ${SHARE_RATE}/s for ${SHARE_SECONDS} s (open loop)`);
    const shares = await openLoop(SHARE_RATE, SHARE_SECONDS, (i) => shareReaders[i % shareReaders.length]!.http.post(`/api/v1/cables/${encodeURIComponent(pick())}/share`, { office: HQ }));

    const cpuShare = cpuSeconds === null ? null : cpuSeconds / seconds;
    const eventsPerCore = cpuSeconds === null ? null : accepted / cpuSeconds;
    const ratioToSqlite = ingestPerS / floorPerS;
    const ratioToSynapse = eventsPerCore === null ? null : eventsPerCore / SYNAPSE_EVENTS_PER_CORE_S;
    const verdict = (value: number | null, target: number) => (value === null ? 'not measured' : value >= target ? 'met' : 'missed');
    const result = {
      cables: accepted,
      concurrency: IN_FLIGHT,
      warmup_sends: WARMUP,
      envelope_bytes: Math.round(envelopes.reduce((n, e) => n + e.length, 0) / envelopes.length),
      ingest_per_s: round(ingestPerS, 1),
      ingest_errors: phases.flatMap((ph) => ph.errors).slice(0, 5),
      sqlite_floor_per_s: round(floorPerS, 1),
      sqlite_floor_one_tx_per_s: round(timed.length / oneTxSeconds, 0),
      ingest_ratio_to_sqlite: round(ratioToSqlite, 3),
      ingest_ratio_to_sqlite_basis: 'sqlite_floor_per_s: one transaction per insert, as the node commits each accepted cable on its own before acknowledging it',
      ingest_ratio_to_sqlite_target: TARGETS.ingest_ratio_to_sqlite,
      ingest_ratio_to_sqlite_verdict: verdict(ratioToSqlite, TARGETS.ingest_ratio_to_sqlite),
      server_cpu_share_during_ingest: cpuShare === null ? null : round(cpuShare, 3),
      server_cpu_ms_per_cable: cpuSeconds === null ? null : round((1000 * cpuSeconds) / accepted, 2),
      events_per_core_s: eventsPerCore === null ? null : round(eventsPerCore, 1),
      synapse_events_per_core_s: SYNAPSE_EVENTS_PER_CORE_S,
      ratio_to_synapse: ratioToSynapse === null ? null : round(ratioToSynapse, 2),
      ratio_to_synapse_target: TARGETS.ratio_to_synapse,
      ratio_to_synapse_verdict: verdict(ratioToSynapse, TARGETS.ratio_to_synapse),
      read_rate_per_s: READ_RATE,
      read_seconds: READ_SECONDS,
      read_devices: readers.length,
      ...latencyFigures('read', reads),
      read_server_cpu_share: readCpu0 === null || readCpu1 === null ? null : round((readCpu1 - readCpu0) / READ_SECONDS, 3),
      share_rate_per_s: SHARE_RATE,
      share_seconds: SHARE_SECONDS,
      ...latencyFigures('share', shares),
    };
    say(`ingest ${result.ingest_per_s}/s vs SQLite floor ${result.sqlite_floor_per_s}/s: ratio ${result.ingest_ratio_to_sqlite} (target ≥ ${TARGETS.ingest_ratio_to_sqlite}: ${result.ingest_ratio_to_sqlite_verdict})`);
    say(`events per core-second ${result.events_per_core_s} = ${result.ratio_to_synapse}× Synapse's ${SYNAPSE_EVENTS_PER_CORE_S} (target ≥ ${TARGETS.ratio_to_synapse}×: ${result.ratio_to_synapse_verdict})`);
    return result;
  } finally {
    for (const s of sessions) s.close();
    await node.kill('SIGTERM'); // a clean stop, so a --cpu-prof profile is written
    rmSync(dir, { recursive: true, force: true });
  }
}
