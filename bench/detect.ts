// Benchmark of issue 7's detector (docs/detection.md "Detector"): `detect replay` throughput on one core over a
// generated trace of 10,000 users, against the 500,000 events/s target, and the peak RSS that state takes.
// Measures the whole replay first (the file streamed in chunks, as `chancery detect replay` does), so the
// peak RSS then is the detector's with 10,000 users and not the benchmark's; then the core alone (parse + detect
// over the file's bytes held in memory, the replay's path without the reads). Progress on stderr, JSON on stdout.
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoSecond } from '../src/detect/alert.ts';
import { LineReplay, replayTrace } from '../src/detect/replay.ts';
import { round } from './stats.ts';

const TARGET = 500_000;
const USERS = Number(process.env.BENCH_DETECT_USERS ?? 10_000);
const EVENTS = Number(process.env.BENCH_DETECT_EVENTS ?? 2_000_000);
const OFFICES = ['MFA.CY.AMERICAS', 'MFA.CY.ASIA', 'MFA.CY.EU', 'EEAS.DEL.WASHINGTON', 'EEAS.DEL.BEIJING', 'MFA.MT.POL', 'MFA.EE.SEC', 'MFA.IE.ECON'];
const TAGS = ['PREL', 'US', 'CN', 'RU', 'ECON', 'MIL', 'PGOV', 'ENRG', 'TRADE', 'HUMR', 'UA', 'IR'];
const LEVELS = ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED', 'CONFIDENTIAL'];
const say = (line: string) => process.stderr.write(`${line}\n`);

/** A deterministic day-by-day trace: each user keeps an office, two tags, a device, a network and office hours. */
export function* synthesize(users: number, events: number): Generator<string> {
  let s = 42;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const perDay = users * 6;
  const start = Date.UTC(2026, 0, 5);
  let made = 0;
  for (let day = 0; made < events; day++) {
    const batch: [number, string][] = [];
    for (let k = 0; k < perDay && made + batch.length < events; k++) {
      const u = Math.floor(rnd() * users);
      const at = start + day * 86_400_000 + Math.floor((7 + (u % 5) + rnd() * 9) * 3_600_000);
      const user = `u-${u}`;
      const device = `d-${u}-1`;
      const ip = `10.${u % 200}.${(u >> 3) % 250}.${u % 250}`;
      const line =
        rnd() < 0.08
          ? { t: isoSecond(at), kind: 'login', user, device, ip }
          : {
              t: isoSecond(at),
              kind: 'read',
              user,
              device,
              ip,
              cable: `EEAS.DEL.X/2026/${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}`,
              office: OFFICES[(u + (rnd() < 0.9 ? 0 : Math.floor(rnd() * 8))) % OFFICES.length],
              level: LEVELS[(u % 2) + (rnd() < 0.1 ? 1 : 0)],
              tags: [TAGS[u % TAGS.length], TAGS[(u * 7 + (rnd() < 0.8 ? 0 : Math.floor(rnd() * 12))) % TAGS.length]],
              age_days: Math.floor(rnd() * rnd() * 60),
              canary: false,
            };
      batch.push([at, JSON.stringify(line)]);
    }
    batch.sort((a, b) => a[0] - b[0]);
    for (const [, line] of batch) yield line;
    made += batch.length;
  }
}

/** CPU seconds (user + system) the process used since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

export async function benchDetect(): Promise<Record<string, unknown>> {
  say(`detect: generating ${EVENTS.toLocaleString('en')} events for ${USERS.toLocaleString('en')} users`);
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-detect-'));
  try {
    const file = join(dir, 'trace.jsonl');
    const out = createWriteStream(file);
    for (const line of synthesize(USERS, EVENTS)) if (!out.write(`${line}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');

    say('detect: replay (file streamed)');
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const replayed = await replayTrace(file);
    const replaySeconds = (performance.now() - t1) / 1000;
    const replayCpuSeconds = cpuSeconds(c1);
    const replayRssMiB = process.resourceUsage().maxRSS / 1024;

    say('detect: core (parse + detect, the trace in memory)');
    const bytes = readFileSync(file);
    const core = new LineReplay({ onAlert: () => alerts++ });
    let alerts = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let from = 0, i = 1, nl = bytes.indexOf(10); nl >= 0; from = nl + 1, nl = bytes.indexOf(10, from), i++) core.line(bytes, from, nl, i);
    core.flush();
    const coreSeconds = (performance.now() - t0) / 1000;
    const coreCpuSeconds = cpuSeconds(c0);
    const stats = core.detector.stats();
    const coreRate = EVENTS / coreSeconds;
    const replayRate = replayed / replaySeconds;
    return {
      events: EVENTS,
      users: stats.users,
      alerts,
      coreEventsPerSecond: Math.round(coreRate),
      replayEventsPerSecond: Math.round(replayRate),
      // Per second of CPU the process used (user + system, all its threads): on a shared machine the wall-clock
      // rates also count the time the replay waited for a core, which the load average decides.
      coreEventsPerCpuSecond: Math.round(EVENTS / coreCpuSeconds),
      replayEventsPerCpuSecond: Math.round(replayed / replayCpuSeconds),
      target: TARGET,
      coreRatio: round(coreRate / TARGET, 2),
      replayRatio: round(replayRate / TARGET, 2),
      replayPeakRssMiB: round(replayRssMiB, 1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
