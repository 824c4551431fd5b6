// Ordinary working life: each person's days of logins, reads and searches, with the events that make normal
// traffic noisy — travel (a new network for some days), crises (an office's cables read much more), leave and the
// catch-up after it, a new device now and then, old cables reread.
import { weekday } from './calendar.ts';
import { deviceId, type Person } from './population.ts';
import { Random } from './random.ts';
import { reactionDays, readAt, spread, type Interest } from './reading.ts';
import type { SimEvent } from './trace-event.ts';
import { Offices, type Office } from './world.ts';

/** Whole simulated days, counted from 0. */
interface Span {
  readonly first: number;
  readonly last: number;
}

/** The unusual days of one person's period, fixed in advance from their own stream. */
export interface LifePlan {
  readonly trip?: Span & { readonly ip: string };
  readonly leave?: Span;
  readonly newDevice?: { readonly day: number; readonly device: string };
}

/** A few days when one office's cables are read much more by the people who follow it. */
export interface Crisis extends Span {
  readonly office: Office;
}

function span(r: Random, days: number, minLength: number, maxLength: number): Span {
  const first = r.int(0, days - 1);
  return { first, last: Math.min(days - 1, first + r.int(minLength, maxLength) - 1) };
}

const inSpan = (s: Span | undefined, day: number): boolean => s !== undefined && day >= s.first && day <= s.last;

export function planLife(seed: number, p: Person, days: number): LifePlan {
  const r = Random.for(seed, 0x11fe, p.index);
  const trip = r.chance(Math.min(0.5, days / 80)) ? { ...span(r, days, 2, 6), ip: `198.18.${r.int(0, 255)}.${r.int(1, 254)}` } : undefined;
  const leave = r.chance(Math.min(0.4, days / 90)) ? span(r, days, 3, 10) : undefined;
  const enrollDay = r.int(0, days - 1);
  // Enrolled on a day they come in (the day is then a working one for them), never while on leave.
  const newDevice = r.chance(Math.min(0.1, days / 400)) && !inSpan(leave, enrollDay) ? { day: enrollDay, device: deviceId(p.id, p.devices.length + 1) } : undefined;
  return { ...(trip ? { trip } : {}), ...(leave ? { leave } : {}), ...(newDevice ? { newDevice } : {}) };
}

export function planCrises(seed: number, days: number): readonly Crisis[] {
  const r = Random.for(seed, 0xc515);
  return Array.from({ length: Math.max(1, Math.round(days / 15)) }, () => ({ ...span(r, days, 2, 4), office: r.pick(Offices) }));
}

/** The person's usual interest: their offices, their portfolio, anything up to their clearance. */
function usualInterest(p: Person): Interest {
  const tags = new Set<string>(p.tags.map(([t]) => t));
  return { offices: p.offices, wantsTag: (t) => tags.has(t), clearance: p.clearance };
}

/** Working days missed before `day` because of leave, for the catch-up on the day of return. */
function missedDays(plan: LifePlan, day: number): number {
  const leave = plan.leave;
  return leave !== undefined && day === leave.last + 1 ? leave.last - leave.first + 1 : 0;
}

/** Local minutes of `dayStart` as UTC seconds for a person in their office's time zone; never before local midnight. */
function localToUtc(p: Person, dayStart: number, minutes: number): number {
  return dayStart + Math.round(Math.max(0, minutes) * 60) - p.home.utcOffsetMinutes * 60;
}

/** Everything person `p` does on simulated day `day` (starting at UTC midnight `dayStart`), unsorted. */
export function normalDay(seed: number, p: Person, plan: LifePlan, crises: readonly Crisis[], day: number, dayStart: number): SimEvent[] {
  if (inSpan(plan.leave, day)) return [];
  const r = Random.for(seed, 0xda7, p.index, day);
  const working = p.workDays.includes(weekday(dayStart));
  const enrolled = plan.newDevice !== undefined && day >= plan.newDevice.day ? plan.newDevice : undefined;
  if (!working && !r.chance(0.04) && enrolled?.day !== day) return [];
  const laptop = p.devices[1] ?? p.devices[0] ?? deviceId(p.id, 1);
  const travelling = inSpan(plan.trip, day);
  const fromHome = !working || (!travelling && r.chance(0.12));
  const device = enrolled?.device ?? (travelling || fromHome ? laptop : (p.devices[0] ?? laptop));
  const ip = travelling && plan.trip ? plan.trip.ip : fromHome ? `${p.homePrefix}.${10 + (p.index % 200)}` : p.officeIp;

  const startMin = working ? p.workStart + r.normal() * 20 : r.int(10 * 60, 18 * 60);
  const lengthMin = working ? p.workLength + r.normal() * 30 : r.int(20, 90);
  const from = localToUtc(p, dayStart, startMin);
  const to = localToUtc(p, dayStart, startMin + Math.max(30, lengthMin));
  const events: SimEvent[] = [];
  if (enrolled?.day === day) events.push({ t: from - 60, kind: 'device_enrolled', user: p.id, device, ip });
  events.push({ t: from, kind: 'login', user: p.id, device, ip });

  const usual = usualInterest(p);
  const seat = { user: p.id, device, ip, memberships: p.memberships };
  const rate = working ? p.readsPerDay * r.logNormal(1, 0.3) : r.int(1, 4);
  for (const t of spread(r, r.poisson(rate), from + 60, to)) events.push(readAt(r, usual, t, seat, reactionDays(r, p.reactionMean)));
  for (const t of spread(r, r.poisson(p.searchesPerDay), from + 60, to)) events.push({ t, kind: 'search', user: p.id, device, ip });

  // Back from leave: many reads, all of their own portfolio, reaching back over the days they missed.
  const missed = missedDays(plan, day);
  if (missed > 0) {
    const n = Math.min(400, Math.round(missed * p.readsPerDay * 0.6));
    for (const t of spread(r, n, from + 60, to)) events.push(readAt(r, usual, t, seat, r.int(0, missed + 2)));
  }
  for (const c of crises) {
    const follows = c.office === p.home || p.offices.some(([o]) => o === c.office);
    if (!working || !follows || !inSpan(c, day)) continue;
    const crisis: Interest = { offices: [[c.office, 1]], wantsTag: () => true, clearance: p.clearance };
    for (const t of spread(r, r.poisson(p.readsPerDay * 2), from + 60, to)) events.push(readAt(r, crisis, t, seat, Math.min(1, Math.floor(r.exponential(0.4)))));
  }
  if (working && r.chance(0.08)) events.push(...evening(r, p, usual, dayStart, laptop));
  return events;
}

/** A short look from home in the evening, on the laptop if they have one. */
function evening(r: Random, p: Person, usual: Interest, dayStart: number, device: string): SimEvent[] {
  const ip = `${p.homePrefix}.${10 + (p.index % 200)}`;
  const from = localToUtc(p, dayStart, r.int(19 * 60, 22 * 60));
  const events: SimEvent[] = [{ t: from, kind: 'login', user: p.id, device, ip }];
  const seat = { user: p.id, device, ip, memberships: p.memberships };
  for (const t of spread(r, r.int(1, 5), from + 30, from + 40 * 60)) events.push(readAt(r, usual, t, seat, reactionDays(r, p.reactionMean)));
  return events;
}
