// The simulator's driver: generates day by day (everyone's normal day, then the attacks'), releases events in time
// order once no later day can still produce an earlier one, and counts each attack's events as they go out, so a
// run of 10,000 people over 30 days holds about a day and a half of events at a time.
import { isoSeconds, SECONDS_PER_DAY } from './calendar.ts';
import type { AttackKind } from '../labels.ts';
import { planAttacks, type AttackPlan } from './attacks.ts';
import { planCrises, planLife, normalDay, type Crisis, type LifePlan } from './normal-life.ts';
import { makePerson, type Person } from './population.ts';
import { traceLine, type SimEvent } from './trace-event.ts';

export interface SimulationOptions {
  readonly users: number;
  readonly days: number;
  readonly seed: number;
  readonly attacks: readonly AttackKind[];
  /** Midnight UTC of the first simulated day, in seconds since the epoch. */
  readonly start: number;
}

/**
 * How far before its own UTC midnight a local day can begin: the easternmost offset in the world, UTC+9 (an office
 * or an attacker), with a margin. Events before `next midnight − this` can no longer be preceded.
 */
const EARLIEST_LOCAL_LEAD = 10 * 3600;
const LINES_PER_CHUNK = 4096;

interface LabelState {
  readonly plan: AttackPlan;
  start?: number;
  end?: number;
  seen: number;
  events: number;
}

/** Progress after each simulated day: days done, days in all, trace lines written so far. */
export type Progress = (done: number, days: number, lines: number) => void;

/**
 * One simulated period: the people, their plans and the attacks are fixed at construction; `trace()` then generates
 * it, and `labelLines()` gives the ground truth once the trace has been consumed.
 *
 * @example
 * const sim = new Simulation({ users: 100, days: 14, seed: 7, attacks: ['phished'], start: Date.UTC(2026, 2, 2) / 1000 });
 * for (const chunk of sim.trace()) out.write(chunk);
 * labels.write(sim.labelLines());
 */
export class Simulation {
  private readonly people: readonly Person[];
  private readonly lives: readonly LifePlan[];
  private readonly labels: readonly LabelState[];
  private readonly crises: readonly Crisis[];
  private readonly labelsOf = new Map<string, LabelState[]>();
  private lines = 0;

  constructor(private readonly options: SimulationOptions) {
    const { seed, users, days, start } = options;
    this.people = Array.from({ length: users }, (_, i) => makePerson(seed, i + 1, users));
    this.lives = this.people.map((p) => planLife(seed, p, days));
    this.crises = planCrises(seed, days);
    this.labels = planAttacks({ seed, days, start, people: this.people }, options.attacks).map((plan) => ({ plan, seen: 0, events: 0 }));
    for (const l of this.labels) this.labelsOf.set(l.plan.user, [...(this.labelsOf.get(l.plan.user) ?? []), l]);
  }

  /** The trace, in chunks of newline-terminated lines. */
  *trace(progress?: Progress): Generator<string> {
    const { seed, days, start } = this.options;
    let pending: (SimEvent & { readonly label?: number })[] = [];
    for (let day = 0; day < days; day++) {
      const dayStart = start + day * SECONDS_PER_DAY;
      this.people.forEach((p, i) => {
        const life = this.lives[i];
        if (life) for (const e of normalDay(seed, p, life, this.crises, day, dayStart)) pending.push(e);
      });
      this.labels.forEach((l, label) => {
        for (const e of l.plan.eventsOn(day, dayStart)) pending.push({ ...e, label });
      });
      // Array.prototype.sort is stable, so events at the same second keep their order of generation: deterministic.
      pending.sort((a, b) => a.t - b.t);
      const cutoff = day === days - 1 ? Infinity : dayStart + SECONDS_PER_DAY - EARLIEST_LOCAL_LEAD;
      let n = 0;
      while (n < pending.length && (pending[n]?.t ?? Infinity) < cutoff) n++;
      yield* this.write(pending.slice(0, n));
      pending = pending.slice(n);
      progress?.(day + 1, days, this.lines);
    }
  }

  /** The labels, one JSON line each (newline-terminated), once the whole trace has been taken. */
  labelLines(): string {
    return this.labels
      .filter((l) => l.start !== undefined && l.end !== undefined)
      .map((l) => {
        const { kind, user, device } = l.plan;
        return `{"attack":"${kind}","user":${JSON.stringify(user)},"device":${JSON.stringify(device)},"start":"${isoSeconds(l.start ?? 0)}","end":"${isoSeconds(l.end ?? 0)}","events":${l.events}}\n`;
      })
      .join('');
  }

  /** The events as text in pieces of a few thousand lines, so no day's text is held whole. */
  private *write(events: readonly (SimEvent & { readonly label?: number })[]): Generator<string> {
    for (let i = 0; i < events.length; i += LINES_PER_CHUNK) {
      const out: string[] = [];
      for (const e of events.slice(i, i + LINES_PER_CHUNK)) {
        this.count(e);
        out.push(traceLine(e), '\n');
      }
      this.lines += out.length / 2;
      yield out.join('');
    }
  }

  /**
   * A label's events are the trace lines of its user and device from its first attack event to its last: for a
   * phished account all of the attacker's device, for an insider their own reading in the attack's window.
   */
  private count(e: SimEvent & { readonly label?: number }): void {
    for (const l of this.labelsOf.get(e.user) ?? []) {
      if (l.plan.user !== e.user || l.plan.device !== e.device) continue;
      if (e.label !== undefined && this.labels[e.label] === l) {
        l.start ??= e.t;
        l.seen++;
        l.end = e.t;
        l.events = l.seen;
      } else if (l.start !== undefined) {
        l.seen++;
        if (e.t === l.end) l.events = l.seen;
      }
    }
  }
}
