// bench/log.ts, reads: a real node serving LIMITED reads through the release service, against plain reads.
import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CableId } from '../src/cable/types.ts';
import { pool, seededRandom, settle } from '../test/support/concurrency.ts';
import { DEL, HQ, initSendNetwork, People, populateSendNetwork, type SendNetwork } from '../test/support/send-network.ts';
import { countersign, insertReleased, postSend } from '../test/support/released-drafts.ts';
import { processCpuSeconds, spawnNode, type NodeProcess } from '../test/support/node-process.ts';
import { openLoop, type OpenLoopResult } from '../test/support/open-loop.ts';
import type { Session } from '../src/client/session.ts';
import { latencyFigures, setUp } from './node.ts';
import { percentile, round } from './stats.ts';
import { CHANCERY_BIN, flag, say } from './log-shared.ts';

// --- reads through the release service ------------------------------------------------------------------------

/** The rate of issue 4's figure, and a rate the node sustains, so the log's cost is also seen without a queue. */
const READ_RATES = [200, 40] as const;
const READ_PHASE_SECONDS = 5;
const READ_CABLES = 200;

interface ReadPhase {
  readonly result: OpenLoopResult;
  readonly cpuSeconds: { web: number; keeper: number } | null;
  readonly checkpoints: number;
}

/** Checkpoints the node has stored: each is one signing (read beside the running node; WAL lets it). */
function checkpointsStored(dataDir: string): number {
  const db = new Database(join(dataDir, 'node.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM log_checkpoints').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The process's children (Linux /proc), such as the keeper that `chancery serve` spawns. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Keepers started apart from the node (BENCH_KEEPER_PROF), counted as the node's own. */
const keeperPids = new Set<number>();

/** CPU seconds of the node: the web-facing process and its keeper (which signs checkpoints and opens shares). */
function nodeCpuSeconds(pid: number): { web: number; keeper: number } | null {
  const web = processCpuSeconds(pid);
  const keeper = [...childrenOf(pid), ...keeperPids].map(processCpuSeconds);
  return web === null || keeper.some((s) => s === null) ? null : { web, keeper: keeper.reduce((n, s) => n! + s!, 0)! };
}

async function readPhase(node: NodeProcess, dataDir: string, rate: number, read: (i: number) => Promise<unknown>): Promise<ReadPhase> {
  await settle();
  const [cpu0, checkpoints0] = [nodeCpuSeconds(node.pid), checkpointsStored(dataDir)];
  const result = await openLoop(rate, READ_PHASE_SECONDS, read);
  const cpu1 = nodeCpuSeconds(node.pid);
  const cpuSeconds = cpu0 === null || cpu1 === null ? null : { web: cpu1.web - cpu0.web, keeper: cpu1.keeper - cpu0.keeper };
  return { result, cpuSeconds, checkpoints: checkpointsStored(dataDir) - checkpoints0 };
}

const joined = (phases: readonly ReadPhase[]): OpenLoopResult => ({
  latencies: phases.flatMap((ph) => ph.result.latencies),
  errors: phases.flatMap((ph) => ph.result.errors),
  maxStartLagMs: Math.max(...phases.map((ph) => ph.result.maxStartLagMs)),
});

const readsIn = (phases: readonly ReadPhase[]) => phases.reduce((n, ph) => n + ph.result.latencies.length + ph.result.errors.length, 0);

/** Server CPU per read, milliseconds: the web-facing process, its keeper, and both. */
function cpuMsPerRead(phases: readonly ReadPhase[]): { web: number; keeper: number; total: number } | null {
  if (phases.some((ph) => ph.cpuSeconds === null)) return null;
  const per = (part: 'web' | 'keeper') => (1000 * phases.reduce((n, ph) => n + ph.cpuSeconds![part], 0)) / readsIn(phases);
  return { web: round(per('web'), 2), keeper: round(per('keeper'), 2), total: round(per('web') + per('keeper'), 2) };
}

/** Plain and logged reads at `rate`, interleaved (plain, release, plain, release), as figures named with `suffix`. */
async function readsAt(node: NodeProcess, dataDir: string, rate: number, suffix: string, plain: (i: number) => Promise<unknown>, withRelease: (i: number) => Promise<unknown>): Promise<Record<string, unknown>> {
  say(`reads at ${rate}/s open loop, phases of ${READ_PHASE_SECONDS} s: plain, with release, plain, with release`);
  const plainPhases: ReadPhase[] = [];
  const releasePhases: ReadPhase[] = [];
  for (let k = 0; k < 2; k++) {
    plainPhases.push(await readPhase(node, dataDir, rate, plain));
    releasePhases.push(await readPhase(node, dataDir, rate, withRelease));
  }
  const [base, logged] = [joined(plainPhases), joined(releasePhases)];
  const p99 = (r: OpenLoopResult) => (r.latencies.length === 0 ? null : percentile(r.latencies, 0.99));
  const [baseP99, loggedP99] = [p99(base), p99(logged)];
  const checkpoints = releasePhases.reduce((n, ph) => n + ph.checkpoints, 0);
  return {
    [`read_rate${suffix}_per_s`]: rate,
    ...latencyFigures(`read_plain${suffix}`, base),
    [`read_plain${suffix}_server_cpu_ms_per_read`]: cpuMsPerRead(plainPhases),
    ...latencyFigures(`read_with_release${suffix}`, logged),
    [`read_with_release${suffix}_server_cpu_ms_per_read`]: cpuMsPerRead(releasePhases),
    [`read_with_release${suffix}_checkpoints_signed`]: checkpoints,
    [`read_with_release${suffix}_reads_per_checkpoint`]: checkpoints === 0 ? null : round(readsIn(releasePhases) / checkpoints, 2),
    [`read_with_release${suffix}_p99_minus_plain_ms`]: baseP99 === null || loggedP99 === null ? null : round(loggedP99 - baseP99, 2),
  };
}

/**
 * A real node (`chancery serve`, the per-user share rate lifted) serving LIMITED reads from four devices, open
 * loop: the plain read (GET the envelope) and the read through the release service (GET, then the share: policy,
 * rate, `cable.read` appended in a group commit, signed checkpoint, inclusion proof, the share sealed to the
 * device), at 200/s and at 40/s.
 */
export async function benchReadsWithRelease(dir: string): Promise<Record<string, unknown>> {
  const { network, node, keeper } = await startReadNode(join(dir, 'reads'));
  const sessions: Session[] = [];
  try {
    for (const user of [People.drafter, People.releaser, People.reader, People.reader2]) sessions.push(await network.session(user, node.url));
    const [drafter, releaser] = sessions as [Session, Session];
    say(`reads: sealing and sending ${READ_CABLES} LIMITED cables`);
    const released = await insertReleased(drafter, releaser, join(network.dataDir, 'node.sqlite'), 1, READ_CABLES);
    const items: [CableId, Uint8Array][] = [];
    for (const r of released) items.push([r.id, await countersign(drafter, r.envelope)]);
    await pool(items, 16, async ([id, bytes]) => void (await postSend(drafter, id, bytes)));
    const random = seededRandom(3);
    const pick = () => encodeURIComponent(items[Math.floor(random() * items.length)]![0]);
    // The delegation's drafter and releaser read through their office, the department's readers through theirs.
    const officeOf = (k: number) => (k < 2 ? DEL : HQ);
    const plain = (i: number) => sessions[i % 4]!.http.get(`/api/v1/cables/${pick()}`);
    const withRelease = async (i: number) => {
      const id = pick();
      const s = sessions[i % 4]!;
      await s.http.get(`/api/v1/cables/${id}`);
      await s.http.post(`/api/v1/cables/${id}/share`, { office: officeOf(i % 4) });
    };
    const logBefore = await logSizeOf(node.url);
    say('reads: warm-up');
    await openLoop(50, 2, withRelease);
    const figures: Record<string, unknown> = {};
    const rates = flag('read-rates')?.split(',').map(Number) ?? READ_RATES;
    for (const rate of rates) Object.assign(figures, await readsAt(node, network.dataDir, rate, rate === 200 ? '' : `_at_${rate}`, plain, withRelease));
    return {
      read_node_processes: 1 + childrenOf(node.pid).length,
      read_phase_seconds: READ_PHASE_SECONDS * 2,
      read_devices: sessions.length,
      read_cables: items.length,
      ...figures,
      read_log_entries_appended: (await logSizeOf(node.url)) - logBefore,
      read_basis: 'plain: GET /api/v1/cables/{id}; with release: the same GET, then POST /api/v1/cables/{id}/share (policy, rate, cable.read appended in a group commit, signed checkpoint, inclusion proof, share sealed to the device); latency from each read\'s scheduled start to its last answer; server CPU is the serve process and its keeper child together; client-side receipt verification not included',
    };
  } finally {
    for (const s of sessions) s.close();
    await node.kill('SIGTERM');
    if (keeper) {
      keeper.kill('SIGTERM'); // a clean stop, so its --cpu-prof profile is written
      await new Promise((resolve) => keeper.once('exit', resolve));
    }
  }
}

/**
 * The node of the read phases: bench/node.ts's `setUp`, or with BENCH_KEEPER_PROF=DIR a keeper started apart
 * (`chancery node keeper`, under --cpu-prof into DIR) and `chancery serve --keeper`, so the keeper's time can be
 * profiled too (serve's own child takes no profiler flags).
 */
async function startReadNode(dir: string): Promise<{ network: SendNetwork; node: NodeProcess; keeper: ChildProcess | null }> {
  const prof = process.env.BENCH_KEEPER_PROF;
  if (!prof) return { ...(await setUp(dir)), keeper: null };
  const network = await initSendNetwork(dir);
  const socket = join(network.dataDir, 'bench-keeper.sock');
  const keeper = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${prof}`, CHANCERY_BIN, 'node', 'keeper', '--data', network.dataDir, '--socket', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    keeper.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('answering on')) resolve();
    });
    keeper.once('exit', (code) => reject(new Error(`the keeper exited (${code}): ${err}`)));
  });
  keeperPids.add(keeper.pid!);
  const node = await spawnNode(network.dataDir, { serveArgs: ['--shares-per-minute', '1000000', '--shares-per-hour', '1000000', '--no-detect', '--keeper', socket] });
  say(`node: pid ${node.pid} at ${node.url}, keeper pid ${keeper.pid} profiled into ${prof}; setting up`);
  await populateSendNetwork(network, node.url);
  return { network, node, keeper };
}

/** The log's size from its latest checkpoint, as any client sees it. */
async function logSizeOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/api/v1/log/checkpoint`)).text();
  return Number(text.split('\n')[1]);
}

