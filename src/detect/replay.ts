// Replaying a trace file through a fresh detector (and, for scoring, a scorer): the library call behind
// `chancery detect replay|score`, so the CLI stays a shell.
import type { Alert } from './alert.ts';
import type { DetectorSettings } from './config.ts';
import { Detector } from './detector.ts';
import { Scorer, type ScoreReport } from './score.ts';
import { ScannedLine, scanTraceBytes } from './trace-bytes.ts';
import { blank, forEachLine, readLabels } from './trace-file.ts';
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

/**
 * Replays `tracePath`; returns the number of events. Lines the byte scanner takes go to the detector as bytes
 * (Detector.pushLine); every other line is decoded and parsed as always (parseTraceLine, so its errors), then pushed.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- the file is read synchronously (trace-file.ts); callers await a replay
export async function replayTrace(tracePath: string, options: ReplayOptions = {}, scorer?: Scorer): Promise<number> {
  const detector = new Detector(options.settings);
  const every = options.progressEvery ?? 1_000_000;
  const { onAlert, onProgress } = options;
  const scanned = new ScannedLine();
  let events = 0;
  forEachLine(tracePath, (buf, from, to, lineNo) => {
    let alerts: readonly Alert[];
    let event: TraceEvent | undefined;
    if (scanTraceBytes(buf, from, to, scanned)) {
      alerts = detector.pushLine(scanned, events);
      if (scorer) event = detector.lastScanned();
    } else {
      const line = buf.toString('utf8', from, to);
      if (blank(line)) return;
      event = parseTraceLine(line, lineNo);
      alerts = detector.push(event, events);
    }
    if (onAlert) for (const a of alerts) onAlert(a);
    if (scorer) scorer.observe(event!, alerts);
    events++;
    if (events % every === 0) onProgress?.(events);
  });
  return events;
}

export async function scoreTrace(tracePath: string, labelsPath: string, options: ReplayOptions = {}): Promise<ScoreReport> {
  const scorer = new Scorer(await readLabels(labelsPath));
  await replayTrace(tracePath, options, scorer);
  return scorer.report();
}
