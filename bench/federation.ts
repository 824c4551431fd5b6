// Benchmark of issue 5 "Federation": three real `chancery serve` processes (EEAS, MFA.CY, MFA.FR, each its own
// organisation, peered; test/federation/harness.ts) on this machine, cables made by the cable factory
// (test/federation/factory.ts: the real draft, release and send routes, lookups once per address set).
// - baseline: the single-node ingest floor — cables to an office of the sending node, stored at acceptance;
// - factory rate to a peer office, closed loop;
// - delivery latency (send acknowledged at EEAS → stored at MFA.CY) at an offered 200 cables/s;
// - catch-up: cables queued at EEAS while MFA.CY is killed, then MFA.CY restarted: time until all are stored;
// - FLASH under a backlog of ROUTINE cables for a peer just restarted.
// Nodes run with `--no-detect` and `--peer-retry-cap 2000` (a restarted peer is probed within 2 s instead of up to
// 3 minutes: the catch-up measures delivery, not the backoff). Progress on stderr, JSON on stdout.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OfficeCode, Precedence } from '../src/cable/types.ts';
import { cableFactory, type CableFactory, type SentCable, type TrafficCable } from '../test/federation/factory.ts';
import { createNetwork, type FederationNetwork, type HarnessNode } from '../test/federation/harness.ts';
import { processCpuSeconds } from '../test/support/node-process.ts';
import { deliveryLatencies, latencies, paced, storedFrom, waitStored } from './federation-parts.ts';
import { percentile, round } from './stats.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CATCHUP = env('BENCH_FED_CATCHUP', 10_000);
const CATCHUP_TWO = env('BENCH_FED_CATCHUP_TWO', 0);
const BACKLOG = env('BENCH_FED_BACKLOG', 5_000);
const RATE = env('BENCH_FED_RATE', 200);
const RATE_SECONDS = env('BENCH_FED_SECONDS', 30);
const BASELINE = env('BENCH_FED_BASELINE', 400);
const FLASH = 20;
const IN_FLIGHT = 16;
/** The paced phases' bound on cables in flight at the origin. */
const PACED_IN_FLIGHT = 48;
const RETRY_CAP_MS = 2000;
/** A rate the delivery keeps up with on this machine (≈ 20/s measured): latency without a growing queue. */
const LOW_RATE = env('BENCH_FED_LOW_RATE', 10);
const TARGET_RATE = 200;

const say = (line: string) => process.stderr.write(`${line}\n`);

function cables(n: number, to: readonly OfficeCode[], precedence: Precedence, tag: string): TrafficCable[] {
  return Array.from({ length: n }, (_, i) => ({ to, precedence, level: 'UNCLASSIFIED', subject: `BENCH ${tag} ${i}`, body: `Benchmark cable ${tag} ${i}.` }));
}

/** Sends `list` closed loop; rate (cables/s) and the cables. */
async function burst(factory: CableFactory, list: readonly TrafficCable[], label: string): Promise<{ sent: SentCable[]; perS: number }> {
  let done = 0;
  const start = performance.now();
  const sent = await factory.send(list, {
    concurrency: IN_FLIGHT,
    onSent: () => {
      if (++done % 1000 === 0) say(`  ${label}: ${done} of ${list.length} sent (${round(done / ((performance.now() - start) / 1000), 1)}/s)`);
    },
  });
  return { sent, perS: list.length / ((performance.now() - start) / 1000) };
}

/** CPU seconds of a node and its direct children (its keeper signs checkpoints in a process of its own). */
function treeCpuSeconds(pid: number): number | null {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // No children file (another kernel): the node alone.
  }
  const own = processCpuSeconds(pid);
  return own === null ? null : children.reduce((sum, c) => sum + (processCpuSeconds(c) ?? 0), own);
}

/** Queues `n` cables at EEAS while `receivers` are down, restarts them, and times the catch-up. */
async function catchUp(fed: FederationNetwork, factory: CableFactory, receivers: readonly HarnessNode[], n: number, tag: string) {
  const from = factory.node.offices.del;
  const to = receivers.map((r) => r.offices.hq);
  await factory.prepare(to, 'UNCLASSIFIED');
  for (const r of receivers) await fed.kill(r.name);
  say(`${tag}: ${receivers.map((r) => r.name).join(' and ')} killed; queuing ${n} cables at EEAS`);
  const queued = await burst(factory, cables(n, to, 'ROUTINE', tag), tag);
  const ids = new Set(queued.sent.map((c) => c.id));
  const restartStart = performance.now();
  await Promise.all(receivers.map((r) => fed.restart(r.name)));
  const restarted = performance.now();
  const cpu = (n: HarnessNode) => (n.process ? treeCpuSeconds(n.process.pid) : null);
  const cpu0 = [factory.node, ...receivers].map(cpu);
  say(`${tag}: restarted in ${round((restarted - restartStart) / 1000, 1)} s; waiting for ${n} cables at ${receivers.length} node(s)`);
  const w = await waitStored(receivers, from, ids, 30 * 60_000);
  const catchupS = (w.last - restarted) / 1000;
  const cpuShare = [factory.node, ...receivers].map((n, i) => {
    const [a, b] = [cpu0[i], cpu(n)];
    return a === null || a === undefined || b === null ? null : round((b - a) / catchupS, 2);
  });
  const figures = {
    queued: ids.size,
    queue_per_s: round(queued.perS, 1),
    restart_s: round((restarted - restartStart) / 1000, 2),
    catchup_s: round(catchupS, 1),
    first_stored_after_s: round((w.first - restarted) / 1000, 2),
    delivered_per_s: round(ids.size / catchupS, 1),
    delivered_per_s_after_first: round(ids.size / ((w.last - w.first) / 1000), 1),
    stored: w.stored,
    cpu_share_sender: cpuShare[0],
    cpu_share_receivers: cpuShare.slice(1),
  };
  say(`${tag}: ${JSON.stringify(figures)}`);
  return figures;
}

export async function benchFederation(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-fed-'));
  say('setting up EEAS, MFA.CY and MFA.FR (init, populate, peer both ways)');
  const fed = await createNetwork({ nodes: ['EEAS', 'MFA.CY', 'MFA.FR'], dir, serveArgs: ['--no-detect', '--peer-retry-cap', String(RETRY_CAP_MS)] });
  const [eeas, cy, fr] = [fed.node('EEAS'), fed.node('MFA.CY'), fed.node('MFA.FR')];
  const factory = await cableFactory(eeas, { concurrency: IN_FLIGHT });
  const from = eeas.offices.del;
  try {
    for (const to of [[eeas.offices.hq], [cy.offices.hq], [fr.offices.hq]]) await factory.prepare(to, 'UNCLASSIFIED');
    say('warm-up: 50 cables to each office');
    for (const to of [[eeas.offices.hq], [cy.offices.hq], [fr.offices.hq]]) await factory.send(cables(50, to, 'ROUTINE', 'warm'));

    // Baseline and factory rate, interleaved halves: local (stored at acceptance), then to a peer office.
    say(`baseline: ${BASELINE} cables to ${eeas.offices.hq} (local) and ${BASELINE} to ${cy.offices.hq} (peer), closed loop, ${IN_FLIGHT} in flight`);
    const local: SentCable[] = [];
    const remote: SentCable[] = [];
    let localS = 0;
    let remoteS = 0;
    for (const half of [0, 1]) {
      const l = await burst(factory, cables(BASELINE / 2, [eeas.offices.hq], 'ROUTINE', `local${half}`), 'local');
      local.push(...l.sent);
      localS += l.sent.length / l.perS;
      const r = await burst(factory, cables(BASELINE / 2, [cy.offices.hq], 'ROUTINE', `remote${half}`), 'remote');
      remote.push(...r.sent);
      remoteS += r.sent.length / r.perS;
    }
    const localAccept = local.map((c) => c.acceptMs);

    // Delivery latency at the offered rate, to MFA.CY; the local accept latency at the same offer first (baseline).
    say(`local accept latency: ${RATE}/s offered for 10 s to ${eeas.offices.hq}`);
    const localPaced = await paced(factory, RATE, 10, PACED_IN_FLIGHT, (i) => cables(1, [eeas.offices.hq], 'ROUTINE', `plocal${i}`)[0]!);
    say(`delivery: ${RATE}/s offered for ${RATE_SECONDS} s to ${cy.offices.hq}`);
    const remotePaced = await paced(factory, RATE, RATE_SECONDS, PACED_IN_FLIGHT, (i) => cables(1, [cy.offices.hq], 'ROUTINE', `pdeliv${i}`)[0]!);
    await waitStored([cy], from, new Set(remotePaced.sent.map((c) => c.id)), 10 * 60_000);
    const delivery = deliveryLatencies(remotePaced.sent, storedFrom(cy, from));
    const achieved = remotePaced.sent.length / remotePaced.seconds;
    say(`delivery at ${LOW_RATE}/s for 20 s to ${cy.offices.hq}`);
    const lowPaced = await paced(factory, LOW_RATE, 20, PACED_IN_FLIGHT, (i) => cables(1, [cy.offices.hq], 'ROUTINE', `plow${i}`)[0]!);
    await waitStored([cy], from, new Set(lowPaced.sent.map((c) => c.id)), 10 * 60_000);
    const lowDelivery = deliveryLatencies(lowPaced.sent, storedFrom(cy, from));
    const localAcceptPaced = localPaced.sent.map((c) => c.acceptMs);
    const deliveryP50 = delivery.latencies.length > 0 ? percentile(delivery.latencies, 0.5) : Number.NaN;
    const localP50 = percentile(localAcceptPaced, 0.5);
    // Each phase's figures on stderr as it ends: a run cut short still leaves them.
    say(`rates: local ${round(local.length / localS, 1)}/s, remote ${round(remote.length / remoteS, 1)}/s; delivery at ${round(achieved, 1)}/s: ${JSON.stringify(latencies('delivery', delivery.latencies))}, local accept ${JSON.stringify(latencies('accept', localAcceptPaced))}; at ${LOW_RATE}/s: ${JSON.stringify(latencies('delivery', lowDelivery.latencies))}`);

    say(`catch-up: ${CATCHUP} cables for MFA.CY while it is down`);
    const one = await catchUp(fed, factory, [cy], CATCHUP, 'catchup');
    const two = CATCHUP_TWO > 0 ? await catchUp(fed, factory, [cy, fr], CATCHUP_TWO, 'catchup2') : null;

    // FLASH under backlog: ROUTINE queued for MFA.FR while down; FLASH sent right after its restart.
    say(`flash under backlog: ${BACKLOG} ROUTINE for MFA.FR while it is down, then ${FLASH} FLASH after its restart`);
    await fed.kill(fr.name);
    const backlog = await burst(factory, cables(BACKLOG, [fr.offices.hq], 'ROUTINE', 'backlog'), 'backlog');
    await fed.restart(fr.name);
    const restarted = performance.now();
    const flashes = await paced(factory, 4, FLASH / 4, FLASH, (i) => cables(1, [fr.offices.hq], 'FLASH', `flash${i}`)[0]!);
    const backlogIds = new Set(backlog.sent.map((c) => c.id));
    const all = new Set([...backlogIds, ...flashes.sent.map((c) => c.id)]);
    const drained = await waitStored([fr], from, all, 30 * 60_000);
    const atFr = storedFrom(fr, from);
    const flashDelivery = deliveryLatencies(flashes.sent, atFr);
    const routineAt = [...backlogIds].map((id) => atFr.get(id)!).sort((a, b) => a - b);
    const routineBefore = flashes.sent.map((c) => {
      const at = atFr.get(c.id);
      return at === undefined ? null : routineAt.filter((t) => t < at).length;
    });
    // ROUTINE stored after the FLASH was acknowledged at EEAS and before it was stored at MFA.FR: those it did not overtake.
    const routineWhileWaiting = flashes.sent.map((c) => {
      const at = atFr.get(c.id);
      return at === undefined ? null : routineAt.filter((t) => t > c.sentAt && t < at).length;
    });

    const result = {
      nodes: 3,
      envelope_level: 'UNCLASSIFIED',
      peer_retry_cap_ms: RETRY_CAP_MS,
      factory_in_flight: IN_FLIGHT,
      local_per_s: round(local.length / localS, 1),
      remote_per_s: round(remote.length / remoteS, 1),
      local_accept_closed_loop: latencies('accept', localAccept),
      local_accept_at_rate: { offered_per_s: RATE, achieved_per_s: round(localPaced.sent.length / localPaced.seconds, 1), errors: localPaced.errors.length, ...latencies('accept', localAcceptPaced) },
      delivery_offered_per_s: RATE,
      delivery_achieved_per_s: round(achieved, 1),
      delivery_cables: remotePaced.sent.length,
      delivery_missing: delivery.missing,
      delivery_errors: remotePaced.errors.slice(0, 3),
      delivery_late_starts: remotePaced.lateStarts,
      ...latencies('delivery', delivery.latencies),
      delivery_target_per_s: TARGET_RATE,
      delivery_low_rate: { offered_per_s: LOW_RATE, achieved_per_s: round(lowPaced.sent.length / lowPaced.seconds, 1), cables: lowPaced.sent.length, missing: lowDelivery.missing, ...latencies('delivery', lowDelivery.latencies) },
      delivery_target: achieved >= TARGET_RATE * 0.95 ? 'met' : `missed: the origin accepted ${round(achieved, 1)}/s of the ${RATE}/s offered (${PACED_IN_FLIGHT} in flight at most); latencies are at that rate`,
      ratio_to_local: round(deliveryP50 / localP50, 2),
      ratio_to_local_basis: 'delivery_p50_ms (ack at EEAS → stored at MFA.CY) ÷ local accept p50 (the send request that stores a cable for an office of EEAS, same offered rate): the single-node ingest floor',
      catchup: one,
      catchup_s: one.catchup_s,
      delivered_per_s: one.delivered_per_s,
      catchup_two_receivers: two,
      flash_backlog_routine: backlogIds.size,
      flash_count: flashes.sent.length,
      flash_errors: flashes.errors.slice(0, 3),
      ...latencies('flash_under_backlog', flashDelivery.latencies),
      flash_missing: flashDelivery.missing,
      flash_routine_stored_before: routineBefore,
      flash_routine_stored_while_waiting: routineWhileWaiting,
      backlog_left_when_flash_done: backlogIds.size - routineAt.filter((t) => t <= Math.max(...flashes.sent.map((c) => atFr.get(c.id) ?? 0))).length,
      backlog_drained_s: round((drained.last - restarted) / 1000, 1),
    };
    const flashP99 = flashDelivery.latencies.length > 0 ? round(percentile(flashDelivery.latencies, 0.99), 1) : null;
    say(`delivery p50 ${round(deliveryP50, 1)} ms at ${result.delivery_achieved_per_s}/s; catch-up ${one.catchup_s} s (${one.delivered_per_s}/s); FLASH p99 ${flashP99} ms`);
    return result;
  } finally {
    factory.close();
    await fed.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

