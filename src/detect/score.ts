// Scoring a replay against ground truth (issue 7 "Simulator and scoring"): per attack kind, recall and
// time-to-detect in reads and hours from the attack's start, counting medium+ alerts on the attacked user; and
// medium+ alerts nobody attacked explains, per 1,000 user-days. Fed in stream order, it keeps one set of users.
import { SeverityRank, type Alert } from './alert.ts';
import { AttackKinds, type AttackKind, type AttackLabel } from './labels.ts';
import type { TraceEvent } from './trace.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An alert this long after an attack's last event still counts as its detection, not as a false alert. */
export const DETECTION_GRACE = DAY;

/** Each kind's issue 7 target, as a test on one detected attack. */
const TARGETS: Readonly<Record<AttackKind, (d: Detection) => boolean>> = {
  bulk: (d) => d.freezeReads !== undefined && d.freezeReads <= 50 && d.freezeHours! <= 5 / 60,
  phished: (d) => d.hours !== undefined && d.hours <= 7 * 24,
  widening: (d) => d.hours !== undefined && d.hours <= 7 * 24,
  canary: (d) => d.reads === 1,
};

interface Detection {
  readonly label: AttackLabel;
  reads: number;
  /** Reads and hours from the start to the first medium+ alert (and to the first freeze), when detected. */
  detectedReads?: number;
  hours?: number;
  freezeReads?: number;
  freezeHours?: number;
  rule?: string;
}

export interface KindScore {
  readonly attacks: number;
  readonly detected: number;
  readonly recall: number;
  readonly withinTarget: number;
  readonly medianReads: number | null;
  readonly medianHours: number | null;
  readonly maxHours: number | null;
  readonly rules: Record<string, number>;
  readonly missed: readonly string[];
}

export interface ScoreReport {
  readonly events: number;
  readonly users: number;
  readonly days: number;
  readonly userDays: number;
  readonly kinds: Partial<Record<AttackKind, KindScore>>;
  readonly falseAlerts: { readonly count: number; readonly per1000UserDays: number; readonly byRule: Record<string, number> };
}

const median = (xs: number[]): number | null => (xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!);
const round = (x: number) => Math.round(x * 1000) / 1000;

export class Scorer {
  private readonly detections: Detection[];
  private readonly byUser = new Map<string, Detection[]>();
  private readonly users = new Set<string>();
  private events = 0;
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  private readonly falseByRule: Record<string, number> = {};
  private falseCount = 0;

  constructor(labels: readonly AttackLabel[]) {
    this.detections = labels.map((label) => ({ label, reads: 0 }));
    for (const d of this.detections) {
      const list = this.byUser.get(d.label.user) ?? [];
      list.push(d);
      this.byUser.set(d.label.user, list);
    }
  }

  /** One event of the trace, in order, and the alerts the detector raised on it. */
  observe(event: TraceEvent, alerts: readonly Alert[]): void {
    this.events++;
    this.users.add(event.user);
    if (event.at < this.first) this.first = event.at;
    if (event.at > this.last) this.last = event.at;
    const attacks = this.byUser.get(event.user);
    if (attacks && event.kind === 'read') for (const d of attacks) if (event.at >= d.label.start && d.hours === undefined) d.reads++;
    for (const a of alerts) if (SeverityRank[a.severity] >= SeverityRank.medium) this.credit(a, attacks);
  }

  private credit(a: Alert, attacks: readonly Detection[] | undefined): void {
    const covering = attacks?.filter((d) => a.at >= d.label.start && a.at <= d.label.end + DETECTION_GRACE) ?? [];
    if (covering.length === 0) {
      this.falseCount++;
      this.falseByRule[a.rule] = (this.falseByRule[a.rule] ?? 0) + 1;
      return;
    }
    for (const d of covering) {
      if (d.hours === undefined) {
        d.hours = (a.at - d.label.start) / HOUR;
        d.detectedReads = d.reads;
        d.rule = a.rule;
      }
      if (a.action === 'freeze' && d.freezeHours === undefined) {
        d.freezeHours = (a.at - d.label.start) / HOUR;
        d.freezeReads = d.reads;
      }
    }
  }

  report(): ScoreReport {
    const days = this.events === 0 ? 0 : Math.max(1, Math.ceil((this.last - this.first) / DAY));
    const userDays = this.users.size * days;
    const kinds: Partial<Record<AttackKind, KindScore>> = {};
    for (const kind of AttackKinds) {
      const ds = this.detections.filter((d) => d.label.attack === kind);
      if (ds.length === 0) continue;
      const hit = ds.filter((d) => d.hours !== undefined);
      const rules: Record<string, number> = {};
      for (const d of hit) rules[d.rule!] = (rules[d.rule!] ?? 0) + 1;
      kinds[kind] = {
        attacks: ds.length,
        detected: hit.length,
        recall: round(hit.length / ds.length),
        withinTarget: round(ds.filter((d) => d.hours !== undefined && TARGETS[kind]({ ...d, reads: d.detectedReads! })).length / ds.length),
        medianReads: median(hit.map((d) => d.detectedReads!)),
        medianHours: round(median(hit.map((d) => d.hours!)) ?? Number.NaN),
        maxHours: hit.length === 0 ? null : round(Math.max(...hit.map((d) => d.hours!))),
        rules,
        missed: ds.filter((d) => d.hours === undefined).map((d) => d.label.user),
      };
      if (hit.length === 0) kinds[kind] = { ...kinds[kind], medianHours: null };
    }
    return {
      events: this.events,
      users: this.users.size,
      days,
      userDays,
      kinds,
      falseAlerts: { count: this.falseCount, per1000UserDays: userDays === 0 ? 0 : round((this.falseCount * 1000) / userDays), byRule: this.falseByRule },
    };
  }
}
