// Benchmark of issue 4 "The verifiable audit log" (docs/benchmarks.md "log"):
// - appends: realistic `cable.read` entries with personal details, appended by concurrent writers through the
//   node's own path (AuditLog.append inside a group commit, src/node/commit-batcher.ts) to a SQLite file store
//   with synchronous=FULL, against the SHA-256 floor of the same appends (their leaf and interior node hashes),
//   measured in the same run with the same provider, interleaved;
// - proofs: inclusion and consistency proofs served from the store's subtree hashes (AuditLog, as the log routes
//   serve them) at 1M and 10M entries (`--sizes` overrides), the store filled with small synthetic leaves through
//   the store's own append path in big transactions;
// - reads: a real node serving LIMITED reads through the release service at 200/s, against the same read without
//   the share in the same run.
// Progress on stderr, JSON on stdout.
import { mkdtempSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CableId, DeviceId, NodeName, OfficeCode, UserId } from '../src/cable/types.ts';
import { concatBytes } from '../src/bytes.ts';
import { nodeProvider } from '../src/crypto/node-provider.ts';
import { generateHybridSigningKey } from '../src/crypto/hybrid-signature.ts';
import { signCheckpoint } from '../src/log/checkpoint.ts';
import { encodeLogEntry } from '../src/log/events.ts';
import { commitDetails, type PersonalDetails } from '../src/log/personal-details.ts';
import { treeRoot, verifyConsistency, verifyInclusion } from '../src/log/proofs.ts';
import { leafHash } from '../src/log/merkle.ts';
import { AuditLog, type LogEvent } from '../src/node/audit-log.ts';
import { groupCommit } from '../src/node/commit-batcher.ts';
import { logOrigin } from '../src/node/log-key.ts';
import { logHashes, type Store } from '../src/store/store.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { pool, seededRandom, settle } from '../test/support/concurrency.ts';
import { DEL, HQ, initSendNetwork, People, populateSendNetwork, type SendNetwork } from '../test/support/send-network.ts';
import { countersign, insertReleased, postSend } from '../test/support/released-drafts.ts';
import { processCpuSeconds, spawnNode, type NodeProcess } from '../test/support/node-process.ts';
import { openLoop, type OpenLoopResult } from '../test/support/open-loop.ts';
import type { Session } from '../src/client/session.ts';
import { latencyFigures, setUp } from './node.ts';
import { percentile, progress, round } from './stats.ts';

const p = nodeProvider;
const CHANCERY_BIN = new URL('../bin/chancery.js', import.meta.url).pathname;
const NODE = 'MFA.CY' as NodeName;
const APPENDS = Number(process.env.BENCH_LOG_APPENDS ?? 100_000);
const APPEND_WARMUP = 5_000;
/** The group commit's own cap (src/node/commit-batcher.ts): this many writers fill one commit. */
const IN_FLIGHT = 256;
const DEFAULT_SIZES = [1_000_000, 10_000_000];
const PROOF_SAMPLES = 2_000;
const PROOF_WARMUP = 200;
/** Synthetic leaves per appendLogEntries call, and calls per transaction, when filling the proof store. */
const FILL_CALL = 4_096;
const FILL_CALLS_PER_TX = 64;
/** Disk a synthetic entry takes (leaf row, about one subtree-hash row, b-tree pages, WAL): measured ≈ 190 B. */
const FILL_BYTES_PER_ENTRY = 250;
const TARGET_RATIO = 0.25;

const say = (line: string) => process.stderr.write(`${line}\n`);

/** `--name value` or `--name=value` from the command line (after `npm run bench -- log`). */
function flag(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}

function sizesToMeasure(): number[] {
  const given = flag('sizes');
  if (given === undefined) return DEFAULT_SIZES;
  const sizes = given.split(',').map(Number);
  if (sizes.some((s) => !Number.isSafeInteger(s) || s < 2)) throw new RangeError(`--sizes takes integers ≥ 2, comma-separated, not "${given}"`);
  return [...sizes].sort((a, b) => a - b);
}

const label = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n % 1000 === 0 ? `${n / 1000}k` : String(n));

function dbBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(`${path}${suffix}`).size;
    } catch {
      // no WAL file at the moment
    }
  }
  return total;
}

async function auditLogOver(store: Store): Promise<AuditLog> {
  const key = await generateHybridSigningKey(p);
  return new AuditLog(p, store, NODE, { key, identity: { origin: logOrigin(NODE), publicKey: key.public } });
}

/** Milliseconds one checkpoint signing takes (Ed25519 + ML-DSA-65, the log key's two halves), p50 of 20. */
async function checkpointSigningMs(): Promise<number> {
  const key = await generateHybridSigningKey(p);
  const samples: number[] = [];
  for (let size = 1; size <= 20; size++) {
    const start = performance.now();
    await signCheckpoint(p, { origin: logOrigin(NODE), size, root: p.randomBytes(32), extensions: [] }, key);
    samples.push(performance.now() - start);
  }
  return percentile(samples, 0.5);
}

// --- appends -------------------------------------------------------------------------------------------------

const READERS = 40;

/** The i-th read of the run: one of 40 readers of a department reading a LIMITED cable, as the share route logs it. */
function readEvent(i: number): LogEvent {
  const reader = i % READERS;
  return {
    kind: 'cable.read',
    user: `reader.${reader}` as UserId,
    device: `d-reader-${reader}-1` as DeviceId,
    cable: `EEAS.DEL.WASHINGTON/2026/${String(1 + (i % 999_999)).padStart(6, '0')}` as CableId,
    office: 'MFA.CY.AMERICAS' as OfficeCode,
    level: 'LIMITED',
    tags: ['PREL', 'US'],
    ageDays: i % 30,
  };
}

/** A reader's network address (documentation ranges) and browser, as the node commits to them beside the leaf. */
function detailsOf(i: number): PersonalDetails {
  return { ip: `192.0.2.${1 + (i % READERS)}`, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' };
}

/** Interior nodes that appending leaves first … first+count−1 completes: one per trailing one bit of each index. */
function interiorNodesCompleted(first: number, count: number): number {
  let nodes = 0;
  for (let i = first; i < first + count; i++) for (let v = i + 1; v % 2 === 0; v /= 2) nodes++;
  return nodes;
}

/** Seconds this provider takes for the SHA-256 hashes of the appends: each leaf hash and each interior node hash. */
function hashFloorSeconds(leaves: readonly Uint8Array[], interiorNodes: number): number {
  const leafInputs = leaves.map((leaf) => concatBytes(Uint8Array.of(0x00), leaf));
  const nodeInputs = Array.from({ length: 64 }, () => concatBytes(Uint8Array.of(0x01), p.randomBytes(64)));
  const start = performance.now();
  for (const input of leafInputs) p.sha256(input);
  for (let i = 0; i < interiorNodes; i++) p.sha256(nodeInputs[i % nodeInputs.length]!);
  return (performance.now() - start) / 1000;
}

/** Appends reads first … first+count−1, `IN_FLIGHT` writers at a time, each in the next group commit as the node does. */
async function appendReads(store: Store, log: AuditLog, first: number, count: number, checkpointed: boolean): Promise<number> {
  const indices = Array.from({ length: count }, (_, k) => first + k);
  const start = performance.now();
  await pool(indices, IN_FLIGHT, async (i) => {
    const appended = await groupCommit(store, (tx) => log.append(tx, Date.now(), [readEvent(i)], detailsOf(i)));
    // The share route's own wait: it answers only under a signed checkpoint covering its entry.
    if (checkpointed) await log.checkpoint(appended.size);
  });
  return (performance.now() - start) / 1000;
}

async function benchAppends(dir: string): Promise<Record<string, unknown>> {
  const path = join(dir, 'appends.sqlite');
  const store = openSqliteStore(path);
  try {
    const log = await auditLogOver(store);
    say(`appends: ${APPEND_WARMUP} warm-up, then ${APPENDS} cable.read entries with personal details, ${IN_FLIGHT} writers`);
    await appendReads(store, log, 0, APPEND_WARMUP, false);
    // The floor hashes leaves of the same shape (same kinds, lengths, fresh commitments) as the timed appends.
    const sample = (i: number) => encodeLogEntry({ ...readEvent(i), at: Date.now(), node: NODE, details: commitDetails(p, detailsOf(i)).commitment });
    const half = Math.ceil(APPENDS / 2);
    let appendSeconds = 0;
    let floorSeconds = 0;
    let hashes = 0;
    let leafBytes = 0;
    for (const [first, count] of [[APPEND_WARMUP, half], [APPEND_WARMUP + half, APPENDS - half]] as const) {
      const leaves = Array.from({ length: count }, (_, k) => sample(first + k));
      const nodes = interiorNodesCompleted(first, count);
      leafBytes += leaves.reduce((n, l) => n + l.length, 0);
      hashes += count + nodes;
      floorSeconds += hashFloorSeconds(leaves, nodes);
      appendSeconds += await appendReads(store, log, first, count, false);
      progress('appends', first + count - APPEND_WARMUP, APPENDS);
    }
    const checkpointedCount = Math.min(APPENDS, 20_000);
    say(`appends awaiting a signed checkpoint each (the share route's path): ${checkpointedCount}`);
    const checkpointedSeconds = await appendReads(store, log, APPEND_WARMUP + APPENDS, checkpointedCount, true);
    const checkpoints = store.transaction((tx) => tx.latestCheckpoint());
    const appendPerS = APPENDS / appendSeconds;
    const floorPerS = APPENDS / floorSeconds;
    const checkpointedPerS = checkpointedCount / checkpointedSeconds;
    return {
      appends: APPENDS,
      append_writers_in_flight: IN_FLIGHT,
      append_entry: 'cable.read of a LIMITED cable by one of 40 readers, with a salted commitment to ip + user agent kept beside the leaf',
      append_leaf_bytes: round(leafBytes / APPENDS, 1),
      append_per_s: round(appendPerS, 0),
      append_basis: 'AuditLog.append of one entry per writer inside groupCommit (one SQLite transaction per batch of up to 256, WAL, synchronous=FULL), as loggedWrite does, without waiting for a checkpoint',
      hash_floor_appends_per_s: round(floorPerS, 0),
      hash_floor_hashes_per_append: round(hashes / APPENDS, 3),
      hash_floor_basis: `${p.name} provider sha256 over the appends' leaf inputs (0x00 ‖ leaf) and their interior node inputs (0x01 ‖ 64 bytes), inputs prepared beforehand, interleaved with the appends`,
      append_ratio_to_hash_floor: round(appendPerS / floorPerS, 4),
      append_ratio_target: TARGET_RATIO,
      append_ratio_verdict: appendPerS / floorPerS >= TARGET_RATIO ? 'met' : 'missed',
      append_checkpointed_per_s: round(checkpointedPerS, 0),
      append_checkpointed_ratio_to_hash_floor: round(checkpointedPerS / floorPerS, 4),
      checkpoint_signing_ms_p50: round(await checkpointSigningMs(), 2),
      append_checkpointed_basis: `the same, each writer then awaiting log.checkpoint(size) (Ed25519 + ML-DSA-65 signing shared by the batch, stored in its own group commit); ${checkpointedCount} appends, final checkpoint at size ${checkpoints?.size ?? 0}`,
      append_db_bytes: dbBytes(path),
    };
  } finally {
    store.close();
  }
}

// --- proofs --------------------------------------------------------------------------------------------------

/** A 16-byte synthetic leaf: not a decodable entry (the store never decodes), distinct per index. */
function syntheticLeaf(i: number): Uint8Array {
  const leaf = new Uint8Array(16);
  leaf.set([0x73, 0x79, 0x6e, 0x3a]); // "syn:"
  new DataView(leaf.buffer).setFloat64(8, i);
  return leaf;
}

/** Fills the store to `target` entries through `appendLogEntries`, FILL_CALL leaves per call, in big transactions. */
function fill(store: Store, target: number): number {
  let size = store.transaction((tx) => tx.logSize());
  const at = Date.now();
  const start = performance.now();
  const from = size;
  while (size < target) {
    store.transaction((tx) => {
      for (let k = 0; k < FILL_CALLS_PER_TX && size < target; k++) {
        const n = Math.min(FILL_CALL, target - size);
        size = tx.appendLogEntries(Array.from({ length: n }, (_, j) => ({ leaf: syntheticLeaf(size + j) })), at, p).size;
      }
    });
    // stats.progress prints at exact tenths, which steps of FILL_CALL · FILL_CALLS_PER_TX entries rarely hit.
    const tenth = Math.max(1, Math.floor((target - from) / 10));
    if (Math.floor((size - from) / tenth) !== Math.floor((size - from - FILL_CALL * FILL_CALLS_PER_TX) / tenth) || size === target) {
      say(`filling the proof store to ${label(target)}: ${size - from}/${target - from}, ${round((size - from) / ((performance.now() - start) / 1000), 0)} entries/s`);
    }
  }
  return (performance.now() - start) / 1000;
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

const msFigures = (samples: readonly number[]) => ({ p50: round(percentile(samples, 0.5), 4), p99: round(percentile(samples, 0.99), 4), max: round(Math.max(...samples), 4) });

/** Inclusion and consistency proofs at the store's current size: random indices and random size pairs. */
function measureProofs(store: Store, log: AuditLog, size: number, seed: number): Record<string, unknown> {
  const random = seededRandom(seed);
  const below = (n: number) => Math.floor(random() * n);
  const inclusionMs: number[] = [];
  const inclusionHashes: number[] = [];
  const consistencyMs: number[] = [];
  const consistencyHashes: number[] = [];
  const root = store.transaction((tx) => treeRoot(p, logHashes(tx), size));
  for (let k = 0; k < PROOF_WARMUP + PROOF_SAMPLES; k++) {
    const index = below(size);
    const [proof, ms] = timed(() => log.inclusionProof(index, size));
    const size1 = 1 + below(size - 1);
    const size2 = size1 + 1 + below(size - size1);
    const [consistency, cms] = timed(() => log.consistencyProof(size1, size2));
    if (k < PROOF_WARMUP) continue;
    inclusionMs.push(ms);
    inclusionHashes.push(proof.length);
    consistencyMs.push(cms);
    consistencyHashes.push(consistency.length);
    // Every 50th pair is checked, outside the timing: a fast wrong proof would be worth nothing.
    if (k % 50 === 0) {
      const leaf = store.transaction((tx) => tx.logEntry(index))!.leaf;
      verifyInclusion(p, { leafIndex: index, treeSize: size, leafHash: leafHash(p, leaf), root, proof });
      const [root1, root2] = store.transaction((tx) => [treeRoot(p, logHashes(tx), size1), treeRoot(p, logHashes(tx), size2)]);
      verifyConsistency(p, { size1, size2, root1, root2, proof: consistency });
    }
  }
  const bound = Math.ceil(Math.log2(size)) * 32;
  return {
    inclusion_ms: msFigures(inclusionMs),
    consistency_ms: msFigures(consistencyMs),
    bytes: {
      inclusion_p50: percentile(inclusionHashes, 0.5) * 32,
      inclusion_max: Math.max(...inclusionHashes) * 32,
      consistency_p50: percentile(consistencyHashes, 0.5) * 32,
      consistency_max: Math.max(...consistencyHashes) * 32,
      ceil_log2_n_x32: bound,
      inclusion_within_bound: Math.max(...inclusionHashes) * 32 <= bound,
    },
  };
}

async function benchProofs(dir: string): Promise<Record<string, unknown>> {
  const sizes = sizesToMeasure();
  const largest = sizes[sizes.length - 1]!;
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const needed = largest * FILL_BYTES_PER_ENTRY;
  say(`proof store: ${sizes.map(label).join(', ')} entries; needs ≈ ${(needed / 2 ** 30).toFixed(1)} GiB, ${(free / 2 ** 30).toFixed(1)} GiB free in ${dir}`);
  const fitting = sizes.filter((s) => s * FILL_BYTES_PER_ENTRY * 2 < free);
  const skipped = sizes.filter((s) => !fitting.includes(s));
  const path = join(dir, 'proofs.sqlite');
  const store = openSqliteStore(path);
  const inclusion: Record<string, unknown> = {};
  const consistency: Record<string, unknown> = {};
  const bytes: Record<string, unknown> = {};
  const stores: Record<string, unknown> = {};
  try {
    const log = await auditLogOver(store);
    let built = 0;
    for (const [k, size] of fitting.entries()) {
      const seconds = fill(store, size);
      built += seconds;
      say(`proofs at ${label(size)}: ${PROOF_SAMPLES} inclusion and ${PROOF_SAMPLES} consistency proofs`);
      const m = measureProofs(store, log, size, 7 + k);
      inclusion[label(size)] = m.inclusion_ms;
      consistency[label(size)] = m.consistency_ms;
      bytes[label(size)] = m.bytes;
      stores[label(size)] = { fill_seconds_total: round(built, 1), fill_entries_per_s: round(size / built, 0), db_bytes: dbBytes(path) };
    }
  } finally {
    store.close();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  }
  return {
    inclusion_proof_ms: inclusion,
    consistency_proof_ms: consistency,
    proof_bytes: bytes,
    proof_store: {
      ...stores,
      built_with: `16-byte synthetic leaves through Store.appendLogEntries (the node's append path: leaf and subtree hashes stored as rows), ${FILL_CALL} per call, ${FILL_CALL * FILL_CALLS_PER_TX} per transaction, SQLite WAL synchronous=FULL; proofs through AuditLog.inclusionProof / consistencyProof (the log routes' calls), ${PROOF_SAMPLES} samples each after ${PROOF_WARMUP} warm-up, uniform random index and size pairs 0 < size1 < size2 ≤ n; every 50th proof verified`,
      ...(skipped.length > 0 ? { skipped: skipped.map(label), skipped_reason: `not enough free disk (${(free / 2 ** 30).toFixed(1)} GiB)` } : {}),
    },
  };
}

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
async function benchReadsWithRelease(dir: string): Promise<Record<string, unknown>> {
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
  const node = await spawnNode(network.dataDir, { serveArgs: ['--shares-per-minute', '1000000', '--shares-per-hour', '1000000', '--keeper', socket] });
  say(`node: pid ${node.pid} at ${node.url}, keeper pid ${keeper.pid} profiled into ${prof}; setting up`);
  await populateSendNetwork(network, node.url);
  return { network, node, keeper };
}

/** The log's size from its latest checkpoint, as any client sees it. */
async function logSizeOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/api/v1/log/checkpoint`)).text();
  return Number(text.split('\n')[1]);
}

export async function benchLog(): Promise<Record<string, unknown>> {
  const parts = (flag('only') ?? 'appends,proofs,reads').split(',');
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-log-'));
  try {
    const result: Record<string, unknown> = {};
    if (parts.includes('appends')) Object.assign(result, await benchAppends(dir));
    if (parts.includes('proofs')) Object.assign(result, await benchProofs(dir));
    if (parts.includes('reads')) Object.assign(result, await benchReadsWithRelease(dir));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
