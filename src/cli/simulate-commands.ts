// `chancery simulate`: writes a synthetic trace and its ground truth (docs/detection.md "Simulator") for the
// detector's replay and scoring. Only flags, files and progress here; the simulation is src/detect/simulate.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { AttackKinds, type AttackKind } from '../detect/labels.ts';
import { parseStartDate } from '../detect/simulate/calendar.ts';
import { Simulation } from '../detect/simulate/simulation.ts';
import { examples, parsePositive } from './io.ts';

interface SimulateOptions {
  readonly users: number;
  readonly days: number;
  readonly seed: number;
  readonly attacks?: readonly AttackKind[];
  readonly start?: number;
  readonly out: string;
}

/** Caps so a typo cannot ask for a trace that fills the disk. */
const MAX_USERS = 1_000_000;
const MAX_DAYS = 3660;
const DEFAULT_START = '2026-03-02';

function bounded(max: number) {
  return (value: string): number => {
    const n = parsePositive(value);
    if (n > max) throw new InvalidArgumentError(`expected at most ${max}`);
    return n;
  };
}

function parseSeed(value: string): number {
  if (!/^[0-9]{1,10}$/.test(value) || Number(value) > 0xffffffff) throw new InvalidArgumentError('expected a whole number 0–4294967295');
  return Number(value);
}

/** `bulk,phished`, or `none` for normal traffic only (to count false alerts). */
function parseAttacks(value: string): readonly AttackKind[] {
  if (value.trim() === 'none') return [];
  const kinds = value.split(',').map((k) => k.trim());
  for (const k of kinds) {
    if (!AttackKinds.some((a) => a === k)) throw new InvalidArgumentError(`expected none or a list of ${AttackKinds.join(', ')}`);
  }
  return AttackKinds.filter((a) => kinds.includes(a));
}

function parseStart(value: string): number {
  const start = parseStartDate(value);
  if (start === undefined) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return start;
}

/** A line per day on a log, a bar redrawn in place on a terminal. */
function progress(done: number, days: number, lines: number): void {
  if (process.stderr.isTTY) {
    const width = 30;
    const filled = Math.round((done / days) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] day ${done}/${days}, ${lines} events${done === days ? '\n' : ''}`);
  } else {
    process.stderr.write(`simulate: day ${done}/${days}, ${lines} events\n`);
  }
}

function simulate(o: SimulateOptions): void {
  mkdirSync(o.out, { recursive: true });
  const start = o.start ?? parseStartDate(DEFAULT_START) ?? 0;
  const sim = new Simulation({ users: o.users, days: o.days, seed: o.seed, attacks: o.attacks ?? AttackKinds, start });
  const trace = openSync(join(o.out, 'trace.jsonl'), 'w');
  try {
    for (const chunk of sim.trace(progress)) writeSync(trace, chunk);
  } finally {
    closeSync(trace);
  }
  const labels = openSync(join(o.out, 'labels.jsonl'), 'w');
  try {
    writeSync(labels, sim.labelLines());
  } finally {
    closeSync(labels);
  }
}

export function registerSimulateCommands(program: Command): void {
  examples(
    program
      .command('simulate')
      .description('write a synthetic read trace (trace.jsonl) with injected attacks and their ground truth (labels.jsonl)')
      .requiredOption('--users <n>', 'people in the simulated network', bounded(MAX_USERS))
      .requiredOption('--days <n>', 'days to simulate', bounded(MAX_DAYS))
      .requiredOption('--seed <n>', 'seed: the same seed and options give byte-identical files', parseSeed)
      .option('--attacks <kinds>', `attacks to inject: ${AttackKinds.join(',')} or none (default: all)`, parseAttacks)
      .option('--start <date>', `first simulated day, YYYY-MM-DD (default: ${DEFAULT_START}, a Monday)`, parseStart)
      .requiredOption('--out <dir>', 'directory for trace.jsonl and labels.jsonl')
      .action((o: SimulateOptions) => simulate(o)),
    [
      'chancery simulate --users 1000 --days 30 --seed 7 --out /tmp/sim',
      'chancery simulate --users 200 --days 60 --seed 8 --attacks phished,canary --start 2026-01-05 --out /tmp/sim',
      'chancery simulate --users 10000 --days 30 --seed 9 --attacks none --out /tmp/normal',
    ],
  );
}
