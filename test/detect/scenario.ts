// Hand-built traces for the detector's tests: a steady user with a portfolio and office hours, and helpers to add
// the deviation each rule looks for. Deterministic (a fixed linear congruential sequence), no simulator needed.
import type { TraceEvent } from '../../src/detect/trace.ts';
import { Detector } from '../../src/detect/detector.ts';
import type { Alert } from '../../src/detect/alert.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2026, 2, 2);

export function sequence(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Habit {
  readonly user: string;
  readonly office: string;
  readonly tags: readonly string[];
  readonly device: string;
  readonly ip: string;
  readonly readsPerDay: number;
  /** First and last working hour, UTC. */
  readonly hours: readonly [number, number];
}

export const habit = (n: number, office = 'MFA.CY.AMERICAS'): Habit => ({
  user: `u-${String(n).padStart(4, '0')}`,
  office,
  tags: ['PREL', 'US', 'ECON'],
  device: `d-${n}-1`,
  ip: `10.20.${n % 250}.7`,
  readsPerDay: 20,
  hours: [8, 17],
});

/** A read by `h` through their own office; `origin` is the office that wrote the cable (their interests). */
export function read(h: Habit, at: number, extra: Partial<TraceEvent> = {}, origin = 'EEAS.DEL.WASHINGTON'): TraceEvent {
  const cable = `${origin}/2026/${String(at % 1_000_000).padStart(6, '0')}`;
  return { at, kind: 'read', user: h.user, device: h.device, ip: h.ip, cable, office: h.office, level: 'LIMITED', tags: [h.tags[at % h.tags.length]!], ageDays: 2, canary: false, ...extra };
}

/** `days` working days of normal reading for `h`, starting at `from`. */
export function normalDays(h: Habit, from: number, days: number, seed = 1): TraceEvent[] {
  const rnd = sequence(seed);
  const out: TraceEvent[] = [];
  for (let d = 0; d < days; d++) {
    const dayStart = from + d * DAY;
    out.push({ at: dayStart + h.hours[0] * HOUR, kind: 'login', user: h.user, device: h.device, ip: h.ip });
    const span = (h.hours[1] - h.hours[0]) * HOUR;
    const times = Array.from({ length: h.readsPerDay }, () => dayStart + h.hours[0] * HOUR + Math.floor(rnd() * span)).sort((a, b) => a - b);
    for (const at of times) out.push(read(h, at));
  }
  return out;
}

/** Runs events (merged in time order) through a detector; returns every alert with the detector. */
export function run(events: readonly TraceEvent[], detector = new Detector()): { alerts: Alert[]; detector: Detector; events: TraceEvent[] } {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const alerts: Alert[] = [];
  sorted.forEach((e, i) => alerts.push(...detector.push(e, i)));
  return { alerts, detector, events: sorted };
}

export const ruleAlerts = (alerts: readonly Alert[], rule: string) => alerts.filter((a) => a.rule === rule);
export const mediumPlus = (alerts: readonly Alert[]) => alerts.filter((a) => a.severity !== 'low');
