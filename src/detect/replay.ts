// Replaying a trace file through a fresh detector (and, for scoring, a scorer): the library call behind
// `chancery detect replay|score`, so the CLI stays a shell.
import type { Alert } from './alert.ts';
import type { DetectorSettings } from './config.ts';
import { Detector } from './detector.ts';
import { Scorer, type ScoreReport } from './score.ts';
import { ScannedLine, scanTraceBytes } from './trace-bytes.ts';
import { blank, forEachLine, readLabels } from './trace-file.ts';
import { parseTraceLine, type TraceEvent } from './trace.ts';

const BATCH = 8;

export interface ReplayOptions {
  /** Called with each alert as it is raised. */
  readonly onAlert?: (alert: Alert) => void;
  /** Called every `progressEvery` events with the count so far. */
  readonly onProgress?: (events: number) => void;
  readonly progressEvery?: number;
  /** The detector's settings, for a run other than the default (the forgetting checks). */
  readonly settings?: Partial<DetectorSettings>;
}

/**
 * Replays `tracePath`; returns the number of events. Lines the byte scanner takes go to the detector as bytes
 * (Detector.pushLine); every other line is decoded and parsed as always (parseTraceLine, so its errors), then pushed.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- the file is read synchronously (trace-file.ts); callers await a replay
export async function replayTrace(tracePath: string, options: ReplayOptions = {}, scorer?: Scorer): Promise<number> {
  const detector = new Detector(options.settings);
  const every = options.progressEvery ?? 1_000_000;
  const { onAlert, onProgress } = options;
  const batch = Array.from({ length: BATCH }, () => new ScannedLine());
  let queued = 0;
  let events = 0;
  const judge = (event: TraceEvent | undefined, alerts: readonly Alert[]) => {
    if (onAlert) for (const a of alerts) onAlert(a);
    if (scorer) scorer.observe(event!, alerts);
    events++;
    if (events % every === 0) onProgress?.(events);
  };
  const flush = () => {
    if (queued === 0) return;
    detector.hint(batch, queued);
    for (let i = 0; i < queued; i++) {
      const alerts = detector.pushLine(batch[i]!, events);
      judge(scorer ? detector.lastScanned() : undefined, alerts);
    }
    queued = 0;
  };
  forEachLine(
    tracePath,
    (buf, from, to, lineNo) => {
      if (scanTraceBytes(buf, from, to, batch[queued]!)) {
        if (++queued === BATCH) flush();
        return;
      }
      flush();
      const line = buf.toString('utf8', from, to);
      if (blank(line)) return;
      const event = parseTraceLine(line, lineNo);
      judge(event, detector.push(event, events));
    },
    flush,
  );
  return events;
}

export async function scoreTrace(tracePath: string, labelsPath: string, options: ReplayOptions = {}): Promise<ScoreReport> {
  const scorer = new Scorer(await readLabels(labelsPath));
  await replayTrace(tracePath, options, scorer);
  return scorer.report();
}
