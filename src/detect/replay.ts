// Replaying a trace file through a fresh detector (and, for scoring, a scorer): the library call behind
// `chancery detect replay|score`, so the CLI stays a shell.
import type { Alert } from './alert.ts';
import type { DetectorSettings } from './config.ts';
import { Detector } from './detector.ts';
import { Scorer, type ScoreReport } from './score.ts';
import { ScannedLine } from './scanned-line.ts';
import { scanTraceBytes } from './trace-bytes.ts';
import { blank, forEachLine, readLabels } from './trace-file.ts';
import { tuneEngineForReplay } from './replay-engine.ts';
import { parseTraceLine, type TraceEvent } from './trace.ts';

export interface ReplayOptions {
  /** Called with each alert as it is raised. */
  readonly onAlert?: (alert: Alert) => void;
  /** Called every `progressEvery` events with the count so far. */
  readonly onProgress?: (events: number) => void;
  readonly progressEvery?: number;
  /** The detector's settings, for a run other than the default (the forgetting checks). */
  readonly settings?: Partial<DetectorSettings>;
}

/** Lines scanned ahead of judging: their users' records are read together first (Detector.hint), so their misses
 * overlap (docs/detection.md "Throughput", fifth step). */
const BATCH = 32;

/**
 * Feeds trace lines, as bytes, to a detector in order: lines the byte scanner takes go as bytes (Detector.pushLine)
 * in batches of BATCH; every other line is decoded and parsed as always (parseTraceLine, so its errors), then
 * pushed, after the lines queued before it. Call flush() before the bytes of queued lines change, and at the end.
 */
export class LineReplay {
  readonly detector: Detector;
  /** Events pushed so far (blank lines are not events): the next event's index. */
  events = 0;
  private readonly batch = Array.from({ length: BATCH }, () => new ScannedLine());
  private queued = 0;
  private readonly every: number;

  constructor(
    private readonly options: ReplayOptions = {},
    private readonly scorer?: Scorer,
  ) {
    this.detector = new Detector(options.settings);
    this.every = options.progressEvery ?? 1_000_000;
  }

  /** Takes the line `buf[from, to)` (without its line end), the file's line `lineNo`. */
  line(buf: Buffer, from: number, to: number, lineNo: number): void {
    if (scanTraceBytes(buf, from, to, this.batch[this.queued]!)) {
      if (++this.queued === BATCH) this.flush();
      return;
    }
    this.flush();
    const line = buf.toString('utf8', from, to);
    if (blank(line)) return;
    const event = parseTraceLine(line, lineNo);
    this.judged(event, this.detector.push(event, this.events));
  }

  /** Judges the queued lines. */
  flush(): void {
    const n = this.queued;
    if (n === 0) return;
    this.queued = 0;
    const detector = this.detector;
    detector.hint(this.batch, n);
    for (let i = 0; i < n; i++) {
      const alerts = detector.pushLine(this.batch[i]!, this.events);
      this.judged(this.scorer ? detector.lastScanned() : undefined, alerts);
    }
  }

  private judged(event: TraceEvent | undefined, alerts: readonly Alert[]): void {
    const { onAlert, onProgress } = this.options;
    if (onAlert) for (const a of alerts) onAlert(a);
    if (this.scorer) this.scorer.observe(event!, alerts);
    if (++this.events % this.every === 0) onProgress?.(this.events);
  }
}

/** Replays `tracePath` (LineReplay over the file's lines); returns the number of events. */
// eslint-disable-next-line @typescript-eslint/require-await -- the file is read synchronously (trace-file.ts); callers await a replay
export async function replayTrace(tracePath: string, options: ReplayOptions = {}, scorer?: Scorer): Promise<number> {
  tuneEngineForReplay();
  const replay = new LineReplay(options, scorer);
  forEachLine(
    tracePath,
    (buf, from, to, lineNo) => replay.line(buf, from, to, lineNo),
    () => replay.flush(),
  );
  return replay.events;
}

export async function scoreTrace(tracePath: string, labelsPath: string, options: ReplayOptions = {}): Promise<ScoreReport> {
  const scorer = new Scorer(await readLabels(labelsPath));
  await replayTrace(tracePath, options, scorer);
  return scorer.report();
}
