// The simulated people: where they sit, what they read, when they work, and from which devices and networks.
import type { Classification } from '../../cable/types.ts';
import { Random } from './random.ts';
import { Offices, SubjectTags, type Office, type SubjectTag } from './world.ts';

export interface Person {
  readonly index: number;
  readonly id: string;
  readonly home: Office;
  /** Offices they are a member of, and so read through: their home office, and a second one for some. */
  readonly memberships: readonly Office[];
  /** Offices whose cables they usually read (originators), with weights; their own office first. */
  readonly offices: readonly (readonly [Office, number])[];
  /** Subject tags of their portfolio, with weights. */
  readonly tags: readonly (readonly [SubjectTag, number])[];
  /** The highest level they are cleared for. */
  readonly clearance: Classification;
  /** Local minutes after midnight at which their working day usually starts, and its length in minutes. */
  readonly workStart: number;
  readonly workLength: number;
  /** Days of the week they work (0 = Sunday). */
  readonly workDays: readonly number[];
  readonly partTime: boolean;
  /** Their own devices (`d-0042-1`, and a laptop `d-0042-2` for some). */
  readonly devices: readonly string[];
  /** Desk address on the office network and a home network prefix (three octets). */
  readonly officeIp: string;
  readonly homePrefix: string;
  /** Reads on an ordinary working day (heavy-tailed across people). */
  readonly readsPerDay: number;
  readonly searchesPerDay: number;
  /** Mean delay, in days, between a cable's arrival and their reading it. */
  readonly reactionMean: number;
}

/** `u-0042`: four digits at least, more for larger populations so ids stay sortable. */
export function userId(index: number, users: number): string {
  return `u-${String(index).padStart(Math.max(4, String(users).length), '0')}`;
}

export function deviceId(user: string, n: number): string {
  return `d-${user.slice(2)}-${n}`;
}

const CLEARANCES: readonly (readonly [Classification, number])[] = [
  ['LIMITED', 0.15],
  ['RESTRICTED', 0.35],
  ['CONFIDENTIAL', 0.35],
  ['SECRET', 0.15],
];

function readingOffices(r: Random, home: Office): readonly (readonly [Office, number])[] {
  const others = Offices.filter((o) => o !== home);
  // Mostly the same region or the same node (a desk officer follows the posts of their region), and headquarters.
  const near = others.filter((o) => o.node === home.node || o.utcOffsetMinutes === home.utcOffsetMinutes || o.code.endsWith('.HQ'));
  const chosen: [Office, number][] = [[home, 6]];
  const count = r.int(1, 4);
  for (let i = 0; i < count; i++) {
    const pool = near.length > 0 && r.chance(0.7) ? near : others;
    const o = r.pick(pool);
    if (!chosen.some(([c]) => c === o)) chosen.push([o, r.int(1, 4)]);
  }
  return chosen;
}

function memberships(r: Random, home: Office): readonly Office[] {
  // A few people also cover a desk at another office of their ministry (headquarters and a post, or two posts).
  const sameNode = Offices.filter((o) => o !== home && o.node === home.node);
  return sameNode.length > 0 && r.chance(0.1) ? [home, r.pick(sameNode)] : [home];
}

function portfolio(r: Random, home: Office): readonly (readonly [SubjectTag, number])[] {
  const tags: [SubjectTag, number][] = [];
  const count = r.int(2, 4);
  while (tags.length < count) {
    // Mostly topics their office writes about, so their reading of their own office falls in their portfolio.
    const t = r.chance(0.75) ? r.pick(home.topics) : r.pick(SubjectTags);
    if (!tags.some(([x]) => x === t)) tags.push([t, r.int(1, 5)]);
  }
  return tags;
}

function workDays(r: Random, partTime: boolean): readonly number[] {
  if (!partTime) return [1, 2, 3, 4, 5];
  const days = [1, 2, 3, 4, 5];
  const drop = r.int(0, 4);
  days.splice(drop, 1);
  if (r.chance(0.5)) days.splice(r.int(0, days.length - 1), 1);
  return days;
}

/** Person `index` (1-based) of `users`, from their own stream: adding people does not change the others. */
export function makePerson(seed: number, index: number, users: number): Person {
  const r = Random.for(seed, 0x9e09, index);
  const home = r.weighted(Offices.map((o) => [o, o.size] as const));
  const id = userId(index, users);
  const partTime = r.chance(0.12);
  const officeIndex = Offices.indexOf(home);
  return {
    index,
    id,
    home,
    memberships: memberships(r, home),
    offices: readingOffices(r, home),
    tags: portfolio(r, home),
    clearance: r.weighted(CLEARANCES),
    workStart: r.int(7 * 60, 10 * 60),
    workLength: partTime ? r.int(4 * 60, 5 * 60) : r.int(8 * 60, 9 * 60 + 30),
    workDays: workDays(r, partTime),
    partTime,
    devices: r.chance(0.4) ? [deviceId(id, 1), deviceId(id, 2)] : [deviceId(id, 1)],
    officeIp: `10.${officeIndex + 10}.${(index >> 8) & 255}.${index & 255}`,
    homePrefix: `172.${16 + (index % 16)}.${(index >> 4) & 255}`,
    readsPerDay: Math.min(250, Math.max(2, r.logNormal(partTime ? 8 : 15, 0.7))),
    searchesPerDay: r.float() * 2,
    reactionMean: 0.3 + r.float() * 1.2,
  };
}
