// What every rule sees and returns. Rules judge an event against the state before it is learned; facts shared by
// several rules (is this read unusual, is the source new) are computed once by the detector.
import type { AlertAction, AlertSeverity } from '../../log/event-types.ts';
import type { RuleName } from '../alert.ts';
import type { DetectorSettings } from '../config.ts';
import type { OfficeNorm } from '../office-norms.ts';
import type { SweepRows } from '../sweep.ts';
import type { TraceEvent } from '../trace.ts';
import type { UserState } from '../user-state.ts';
import type { YoungFacts } from '../young-account.ts';

export interface ReadFacts extends Readonly<YoungFacts> {
  /** The user has enough history to be judged against their own baseline. */
  readonly warm: boolean;
  /** How far outside the user's usual offices, tags and levels this read is: 0 (usual) to 2.5. */
  readonly novelty: number;
  /** The device or network was first used recently, after the user already had a history. */
  readonly newSource: boolean;
  readonly newDevice: boolean;
  readonly newNetwork: boolean;
  /** This is the first read from a new device or network. */
  readonly firstReadOnNewSource: boolean;
  /** The hour is one the user is almost never active at. */
  readonly offHours: boolean;
  /** Reads in the bulk window, this one included. */
  readonly count5: number;
  /** ... and how many of them were unusual for the user (novelty ≥ 1). */
  readonly novel5: number;
  /** The norms of the office the cable was opened through (age bands), and of the user's home office (rates). */
  readonly cableOffice: OfficeNorm | undefined;
  readonly homeOffice: OfficeNorm | undefined;
  /** The detector's current inflation factor for profile weights (tally.ts): turns them back into counts. */
  readonly inflation: number;
  /** The interned id of the cable's originating office. */
  readonly origin: number;
  /** Every user's last reads as the bulk rule judges sweeps (sweep.ts). */
  readonly sweeps: SweepRows;
}

export interface RuleContext {
  readonly event: TraceEvent;
  readonly index: number;
  readonly user: UserState;
  readonly config: DetectorSettings;
  /** Present for reads only. */
  readonly read: ReadFacts | undefined;
}

export interface Finding {
  readonly rule: RuleName;
  readonly severity: AlertSeverity;
  readonly action: AlertAction;
  readonly evidence: readonly number[];
}

export type Rule = (ctx: RuleContext) => Finding | undefined;
