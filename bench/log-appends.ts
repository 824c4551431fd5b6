// bench/log.ts, appends: durable appends through the node's own path against the SHA-256 floor.
import { join } from 'node:path';
import type { CableId, DeviceId, OfficeCode, UserId } from '../src/cable/types.ts';
import { concatBytes } from '../src/bytes.ts';
import { encodeLogEntry } from '../src/log/events.ts';
import { commitDetails, type PersonalDetails } from '../src/log/personal-details.ts';
import type { AuditLog} from '../src/node/audit-log.ts';
import { type LogEvent } from '../src/node/audit-log.ts';
import { groupCommit } from '../src/node/commit-batcher.ts';
import { type Store } from '../src/store/store.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { pool } from '../test/support/concurrency.ts';
import { progress, round } from './stats.ts';
import { APPENDS, APPEND_WARMUP, IN_FLIGHT, NODE, TARGET_RATIO, auditLogOver, checkpointSigningMs, dbBytes, p, say } from './log-shared.ts';

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

export async function benchAppends(dir: string): Promise<Record<string, unknown>> {
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

