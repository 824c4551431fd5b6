// Replaying a trace file through a fresh detector (and, for scoring, a scorer): the library call behind
// `chancery detect replay|score`, so the CLI stays a shell.
import type { Alert } from './alert.ts';
import { Detector } from './detector.ts';
import { Scorer, type ScoreReport } from './score.ts';
import { readLabels, readTrace } from './trace-file.ts';

export interface ReplayOptions {
  /** Called with each alert as it is raised. */
  readonly onAlert?: (alert: Alert) => void;
  /** Called every `progressEvery` events with the count so far. */
  readonly onProgress?: (events: number) => void;
  readonly progressEvery?: number;
}

/** Replays `tracePath`; returns the number of events. */
export async function replayTrace(tracePath: string, options: ReplayOptions = {}, scorer?: Scorer): Promise<number> {
  const detector = new Detector();
  const every = options.progressEvery ?? 1_000_000;
  let events = 0;
  for await (const batch of readTrace(tracePath)) {
    for (const event of batch) {
      const alerts = detector.push(event, events);
      if (options.onAlert) for (const a of alerts) options.onAlert(a);
      scorer?.observe(event, alerts);
      events++;
      if (events % every === 0) options.onProgress?.(events);
    }
  }
  return events;
}

export async function scoreTrace(tracePath: string, labelsPath: string, options: ReplayOptions = {}): Promise<ScoreReport> {
  const scorer = new Scorer(await readLabels(labelsPath));
  await replayTrace(tracePath, options, scorer);
  return scorer.report();
}
