// `chancery detect replay|score`: the detector over a trace file (docs/detection.md). Alerts go to stdout one per
// line (issue 7's alert line with --json); progress goes to stderr so stdout stays machine-readable.
import type { Command } from 'commander';
import { isoSecond, toAlertLine, type Alert } from '../detect/alert.ts';
import { replayTrace, scoreTrace } from '../detect/replay.ts';
import type { ScoreReport } from '../detect/score.ts';
import { examples, print, table } from './io.ts';

interface Flags {
  readonly json?: boolean;
}

function alertText(a: Alert): string {
  const evidence = a.evidence.length > 8 ? `${a.evidence.slice(0, 8).join(',')},… (${a.evidence.length})` : a.evidence.join(',');
  return `${isoSecond(a.at)}  ${a.severity.toUpperCase().padEnd(6)}  ${a.action.padEnd(7)}  ${a.user}  ${a.rule}  events ${evidence}`;
}

const progress = (events: number) => process.stderr.write(`detect: ${events.toLocaleString('en')} events\n`);

function renderScore(r: ScoreReport): string {
  const fmt = (x: number | null) => (x === null ? '–' : String(x));
  const rows = Object.entries(r.kinds).map(([kind, k]) => [
    kind,
    `${k.detected}/${k.attacks}`,
    String(k.recall),
    String(k.withinTarget),
    fmt(k.medianReads),
    fmt(k.medianHours),
    fmt(k.maxHours),
    k.missed.slice(0, 5).join(' '),
  ]);
  const byRule = Object.entries(r.falseAlerts.byRule).map(([rule, n]) => `${rule} ${n}`).join(', ');
  return [
    `${r.events} events, ${r.users} users, ${r.days} days (${r.userDays} user-days)`,
    table(['attack', 'detected', 'recall', 'in target', 'median reads', 'median hours', 'max hours', 'missed'], rows),
    `false alerts (medium+): ${r.falseAlerts.count}, ${r.falseAlerts.per1000UserDays} per 1,000 user-days${byRule ? ` (${byRule})` : ''}`,
  ].join('\n');
}

export function registerDetectCommands(program: Command): void {
  const detect = program.command('detect').description('run the detector over a trace file and score it against labels');
  examples(
    detect
      .command('replay <trace>')
      .description('print the alerts the detector raises over a trace (one per line)')
      .option('--json', "print issue 7's alert lines (JSON, one per line)")
      .action(async (trace: string, f: Flags) => {
        const write = (a: Alert) => process.stdout.write(`${f.json ? toAlertLine(a) : alertText(a)}\n`);
        const events = await replayTrace(trace, { onAlert: write, onProgress: progress });
        process.stderr.write(`detect: replayed ${events.toLocaleString('en')} events\n`);
      }),
    ['chancery detect replay trace.jsonl', 'chancery detect replay trace.jsonl --json > alerts.jsonl'],
  );
  examples(
    detect
      .command('score <trace> <labels>')
      .description('recall and time-to-detect per attack kind, and false alerts per 1,000 user-days')
      .option('--json', 'print the figures as JSON')
      .action(async (trace: string, labels: string, f: Flags) => {
        print(f, await scoreTrace(trace, labels, { onProgress: progress }), renderScore);
      }),
    ['chancery detect score trace.jsonl labels.jsonl', 'chancery detect score trace.jsonl labels.jsonl --json'],
  );
}
