// The attacks the simulator injects, each as a plan fixed in advance (victim, device, days) that yields its events
// day by day. The simulation turns each plan into a label, counting its events as they are written.
import { AttackKinds, type AttackKind } from '../labels.ts';
import { weekday } from './calendar.ts';
import { deviceId, type Person } from './population.ts';
import { Random } from './random.ts';
import { readAt, spread, type Interest } from './reading.ts';
import type { SimEvent } from './trace-event.ts';
import { canaryCables, levelRank, Offices, type Office } from './world.ts';


export interface AttackPlan {
  readonly kind: AttackKind;
  readonly user: string;
  /** The device the attack reads from: the attacker's own for a phished account, the insider's otherwise. */
  readonly device: string;
  eventsOn(day: number, dayStart: number): readonly SimEvent[];
}

/** Where the simulated world stands, as attack plans need it. */
export interface AttackContext {
  readonly seed: number;
  readonly days: number;
  readonly start: number;
  readonly people: readonly Person[];
}

const localToUtc = (p: Person, dayStart: number, minutes: number): number => dayStart + minutes * 60 - p.home.utcOffsetMinutes * 60;

/** Offices and tags the person does not usually read: what a spy, or a drifting insider, goes after. */
function foreignInterest(r: Random, p: Person, minRank = -1): Interest {
  const own = new Set(p.offices.map(([o]) => o));
  const others = Offices.filter((o) => !own.has(o));
  const targets: (readonly [Office, number])[] = [];
  for (let i = 0; i < 3 && others.length > 0; i++) targets.push([r.pick(others), r.int(1, 3)]);
  const ownTags = new Set<string>(p.tags.map(([t]) => t));
  return { offices: targets.length > 0 ? targets : p.offices, wantsTag: (t) => !ownTags.has(t), clearance: p.clearance, minRank };
}

/** An insider downloads hundreds to thousands of cables within hours, of anything they can see. */
function bulk(ctx: AttackContext, r: Random, p: Person): AttackPlan {
  const first = Math.floor(ctx.days / 2);
  const candidates = Array.from({ length: ctx.days - first }, (_, i) => first + i);
  // On one of their working days when there is one: the download hides in an ordinary day at the desk.
  const workdays = candidates.filter((d) => p.workDays.includes(weekday(ctx.start + d * 86_400)));
  const day = r.pick(workdays.length > 0 ? workdays : candidates);
  const device = p.devices[0] ?? deviceId(p.id, 1);
  const any: Interest = { offices: Offices.map((o) => [o, 1] as const), wantsTag: () => true, clearance: p.clearance };
  return {
    kind: 'bulk',
    user: p.id,
    device,
    eventsOn(d, dayStart) {
      if (d !== day) return [];
      const from = localToUtc(p, dayStart, p.workStart) + r.int(3600, 3 * 3600);
      const count = r.int(300, 3000);
      const to = from + r.int(1, 4) * 3600;
      return spread(r, count, from, to).map((t) => readAt(r, any, t, { user: p.id, device, ip: p.officeIp, memberships: p.memberships }, r.int(0, 400)));
    },
  };
}

/**
 * A phished account at a small ministry: a new device on a new network, a few reads a day for weeks, on other
 * offices' and topics' cables, at the attacker's hours. The owner keeps working on their own device.
 */
function phished(ctx: AttackContext, r: Random, p: Person): AttackPlan {
  const first = r.int(Math.floor(ctx.days * 0.2), Math.max(Math.floor(ctx.days * 0.2), Math.floor(ctx.days * 0.5)));
  const last = Math.min(ctx.days - 1, first + r.int(14, 42));
  const device = deviceId(p.id, 9);
  const interest = foreignInterest(r, p);
  // The attacker works from a time zone at least five hours from the owner's, so their day is often the owner's night.
  const zones = [-5, 3, 8, 9].map((h) => h * 60).filter((m) => Math.abs(m - p.home.utcOffsetMinutes) >= 5 * 60);
  const attackerOffsetMin = r.pick(zones.length > 0 ? zones : [8 * 60]);
  return {
    kind: 'phished',
    user: p.id,
    device,
    eventsOn(d, dayStart) {
      if (d < first || d > last || (d !== first && r.chance(0.15))) return [];
      // The attacker moves between a few networks of their own, none the owner ever used.
      const ip = `203.0.113.${r.int(1, 40) + (d % 3 === 0 ? 100 : 0)}`;
      const from = dayStart + r.int(8 * 3600, 20 * 3600) - attackerOffsetMin * 60;
      const events: SimEvent[] = [];
      if (d === first) events.push({ t: from - r.int(60, 600), kind: 'device_enrolled', user: p.id, device, ip });
      events.push({ t: from, kind: 'login', user: p.id, device, ip });
      let t = from;
      for (let i = r.int(2, 6); i > 0; i--) {
        t += r.int(3 * 60, 50 * 60);
        events.push(readAt(r, interest, t, { user: p.id, device, ip, memberships: p.memberships }, Math.min(60, Math.floor(r.exponential(4)))));
      }
      return events;
    },
  };
}

/** An insider whose reading drifts, over weeks, into offices, topics and levels beyond their portfolio. */
function widening(ctx: AttackContext, r: Random, p: Person): AttackPlan {
  const first = Math.floor(ctx.days * 0.25);
  const device = p.devices[0] ?? deviceId(p.id, 1);
  const interest = foreignInterest(r, p, levelRank(p.clearance) - 1);
  return {
    kind: 'widening',
    user: p.id,
    device,
    eventsOn(d, dayStart) {
      if (d < first || !p.workDays.includes(weekday(dayStart))) return [];
      const progress = (d - first + 1) / Math.max(1, ctx.days - first);
      const count = Math.max(1, r.poisson(p.readsPerDay * (0.1 + 0.5 * progress)));
      const from = localToUtc(p, dayStart, p.workStart + 30);
      const to = localToUtc(p, dayStart, p.workStart + p.workLength);
      return spread(r, count, from, to).map((t) => readAt(r, interest, t, { user: p.id, device, ip: p.officeIp, memberships: p.memberships }, r.chance(0.2) ? r.int(4, 700) : r.int(0, 3)));
    },
  };
}

/**
 * Someone opens a canary: a decoy from an office they have no business with, addressed (among others nobody reads it
 * at) to their own office, which is how they can open it at all.
 */
function canary(ctx: AttackContext, r: Random, p: Person): AttackPlan {
  const day = r.int(Math.floor(ctx.days * 0.3), ctx.days - 1);
  const device = p.devices[0] ?? deviceId(p.id, 1);
  const own = new Set(p.offices.map(([o]) => o));
  const strange = Offices.filter((o) => !own.has(o));
  const office = r.pick(strange.length > 0 ? strange : Offices);
  const decoy = r.pick(canaryCables(office, ctx.start));
  return {
    kind: 'canary',
    user: p.id,
    device,
    eventsOn(d, dayStart) {
      if (d !== day) return [];
      const t = localToUtc(p, dayStart, p.workStart) + r.int(30 * 60, Math.max(31, p.workLength - 30) * 60);
      return [{ t, kind: 'read', user: p.id, device, ip: p.officeIp, office: p.home.code, cable: decoy, ageDays: Math.floor((t - decoy.day) / 86_400) }];
    },
  };
}

const MAKERS = { bulk, phished, widening, canary } as const;

/**
 * One or more plans per kind (one more for every 1,000 people), each on a different victim while people last.
 * A phished victim works at a small ministry when one has anyone.
 */
export function planAttacks(ctx: AttackContext, kinds: readonly AttackKind[]): readonly AttackPlan[] {
  const r = Random.for(ctx.seed, 0xa77a);
  const taken = new Set<number>();
  const choose = (pool: readonly Person[]): Person => {
    const free = pool.filter((p) => !taken.has(p.index));
    const fallback = ctx.people.filter((p) => !taken.has(p.index));
    const p = r.pick(free.length > 0 ? free : fallback.length > 0 ? fallback : ctx.people);
    taken.add(p.index);
    return p;
  };
  const perKind = 1 + Math.floor(ctx.people.length / 1000);
  const plans: AttackPlan[] = [];
  for (const kind of AttackKinds.filter((k) => kinds.includes(k))) {
    for (let i = 0; i < perKind; i++) {
      const victim = choose(kind === 'phished' ? ctx.people.filter((p) => p.home.small) : ctx.people);
      plans.push(MAKERS[kind](ctx, Random.for(ctx.seed, 0xa77b, plans.length), victim));
    }
  }
  return plans;
}
