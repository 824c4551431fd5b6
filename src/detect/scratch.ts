// The per-event scratch the detector fills in place and hands to the rules (detector.ts): one read's facts and the
// rules' context. Reused for every event: the rules only look at them during their call, and an object per event
// was a good part of the collector's work at hundreds of thousands of events a second.
import type { DetectorSettings } from './config.ts';
import type { OfficeNorm } from './office-norms.ts';
import type { ReadFacts, RuleContext } from './rules/rule.ts';
import { SweepRows } from './sweep.ts';
import type { TraceEvent } from './trace.ts';
import type { UserState } from './user-state.ts';

/** One read's facts, filled in place for each read: the rules only look at them during their call, and an object
 * per event was a good part of the collector's work at hundreds of thousands of events a second. */
export class ReadScratch implements ReadFacts {
  warm = false;
  // Doubles start as doubles (NaN; every field is filled before it is read): a field that began as a small integer
  // changes its object's layout the first time it holds a fraction, and undoes the optimised code built on it.
  novelty = Number.NaN;
  newSource = false;
  newDevice = false;
  newNetwork = false;
  firstReadOnNewSource = false;
  offHours = false;
  count5 = 0;
  novel5 = 0;
  cableOffice: OfficeNorm | undefined = undefined;
  homeOffice: OfficeNorm | undefined = undefined;
  inflation = Number.NaN;
  origin = -1;
  youngSource = false;
  officeNovelty = Number.NaN;
  officeOffHours = false;
  /** State, not scratch: the bulk rule's per-user windows (sweep.ts), here because rules reach only their context. */
  readonly sweeps = new SweepRows();
}

/** The rules' context, reused for every event like ReadScratch. */
export class ContextScratch implements RuleContext {
  event!: TraceEvent;
  index = 0;
  user!: UserState;
  read: ReadFacts | undefined = undefined;
  constructor(readonly config: DetectorSettings) {}
}
