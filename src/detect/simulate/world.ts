// The simulated network: its offices (with time zones and topics), and a catalogue of cables in which a cable's
// level and tags are a function of its id, so every read of one cable agrees on them. Canary cables live in a
// serial range the catalogue of ordinary cables never reaches.
import { formatCableId, parseOfficeCode } from '../../cable/ids.ts';
import { Classifications, type CableId, type Classification } from '../../cable/types.ts';
import { SECONDS_PER_DAY, yearAndDay } from './calendar.ts';
import { hashText, mix } from './random.ts';

export const SubjectTags = ['PREL', 'PGOV', 'ECON', 'MARR', 'PHUM', 'ETRD', 'ENRG', 'SNAR', 'KPAO', 'CVIS', 'SMIG', 'TSPA'] as const;
export type SubjectTag = (typeof SubjectTags)[number];

export interface Office {
  readonly code: string;
  /** The ministry or service node the office belongs to. */
  readonly node: string;
  /** UTC offset of the office's local time, in minutes. */
  readonly utcOffsetMinutes: number;
  /** Relative headcount. */
  readonly size: number;
  /** Ordinary cables originated per day. */
  readonly cablesPerDay: number;
  /** Country tag its cables carry. */
  readonly country: string;
  /** Subject tags its cables are mostly about, most frequent first. */
  readonly topics: readonly SubjectTag[];
  /** A small ministry: the kind of place the EU breach went in through. */
  readonly small: boolean;
}

function office(code: string, utcOffsetHours: number, size: number, country: string, topics: readonly SubjectTag[], small = false): Office {
  const node = code.startsWith('EEAS.') ? 'EEAS' : code.split('.').slice(0, 2).join('.');
  return { code, node, utcOffsetMinutes: Math.round(utcOffsetHours * 60), size, cablesPerDay: 4 + size * 3, country, topics, small };
}

/** From the Americas to Asia; headquarters are the largest, delegations and embassies smaller. */
export const Offices: readonly Office[] = [
  office('EEAS.HQ', 1, 10, 'EU', ['PREL', 'PGOV', 'ECON', 'PHUM']),
  office('EEAS.DEL.WASHINGTON', -5, 5, 'US', ['PREL', 'ECON', 'ETRD', 'MARR']),
  office('EEAS.DEL.BRASILIA', -3, 3, 'BR', ['ECON', 'ETRD', 'PGOV', 'ENRG']),
  office('EEAS.DEL.MOSCOW', 3, 4, 'RU', ['PREL', 'MARR', 'PGOV', 'ENRG']),
  office('EEAS.DEL.ADDISABABA', 3, 2, 'ET', ['PHUM', 'PGOV', 'SMIG', 'ECON']),
  office('EEAS.DEL.NEWDELHI', 5.5, 3, 'IN', ['ECON', 'ETRD', 'PREL', 'TSPA']),
  office('EEAS.DEL.BEIJING', 8, 4, 'CN', ['ECON', 'PREL', 'TSPA', 'MARR']),
  office('EEAS.DEL.TOKYO', 9, 3, 'JP', ['ETRD', 'ECON', 'TSPA', 'PREL']),
  office('MFA.FR.HQ', 1, 8, 'FR', ['PREL', 'PGOV', 'MARR', 'ECON']),
  office('MFA.FR.EMB.WASHINGTON', -5, 3, 'US', ['PREL', 'MARR', 'ECON', 'KPAO']),
  office('MFA.FR.EMB.BEIJING', 8, 2, 'CN', ['ECON', 'TSPA', 'PREL', 'CVIS']),
  office('MFA.DE.HQ', 1, 8, 'DE', ['PREL', 'ECON', 'ENRG', 'PGOV']),
  office('MFA.DE.EMB.MOSCOW', 3, 3, 'RU', ['PREL', 'ENRG', 'MARR', 'PHUM']),
  office('MFA.CY.HQ', 2, 3, 'CY', ['PREL', 'PGOV', 'SMIG', 'ECON'], true),
  office('MFA.CY.AMERICAS', -5, 1, 'US', ['PREL', 'KPAO', 'CVIS', 'ECON'], true),
  office('MFA.MT.HQ', 1, 2, 'MT', ['SMIG', 'PREL', 'ECON', 'SNAR'], true),
  office('MFA.EE.HQ', 2, 2, 'EE', ['PREL', 'MARR', 'TSPA', 'PGOV'], true),
];

/** The share of ordinary cables at each level, lowest first (most traffic is routine and lowly marked). */
const LEVEL_WEIGHTS = [0.3, 0.38, 0.2, 0.09, 0.03] as const;

/** Canary serials: far above anything `cablesPerDay` × 366 reaches, so no ordinary read can land on one. */
const CANARY_SERIAL_BASE = 900_000;
const CANARIES_PER_OFFICE = 3;

/** A cable as the trace shows it. */
export interface CableView {
  readonly id: CableId;
  readonly office: string;
  readonly level: Classification;
  readonly tags: readonly string[];
  /** Midnight UTC of the day it was originated. */
  readonly day: number;
  readonly canary: boolean;
}

function levelOf(u: number): Classification {
  let x = u;
  for (let i = 0; i < LEVEL_WEIGHTS.length; i++) {
    x -= LEVEL_WEIGHTS[i] ?? 0;
    if (x < 0) return Classifications[i] ?? 'UNCLASSIFIED';
  }
  return 'SECRET';
}

/** Each office's code as a number, so a cable's traits come from mixing numbers rather than hashing its id. */
const OFFICE_HASH = new Map(Offices.map((o) => [o, hashText(parseOfficeCode(o.code))]));

/**
 * The `index`-th ordinary cable an office originated on the UTC day starting at `day`. Its subject tag follows the
 * office's topics (the first most often), and it carries the office's country tag. The id is assembled without
 * re-parsing (this runs for every candidate of every read): the office codes were parsed above, the year and serial
 * are in range by construction, and the tests parse every id written.
 */
export function ordinaryCable(o: Office, day: number, index: number): CableView {
  const { year, dayOfYear } = yearAndDay(day);
  const serial = dayOfYear * o.cablesPerDay + (index % o.cablesPerDay) + 1;
  const id = `${o.code}/${year}/${String(serial).padStart(6, '0')}` as CableId; // see above
  const traits = mix(OFFICE_HASH.get(o) ?? 0, year, serial);
  const topic = o.topics[topicIndex(traits & 0xffff, o.topics.length)] ?? 'PREL';
  const tags = o.country === 'EU' ? [topic] : [topic, o.country];
  return { id, office: o.code, level: levelOf((traits >>> 16) / 65536), tags, day, canary: false };
}

/** Topic weights n, n−1, …, 1 for the office's topics in order, from 16 random bits. */
function topicIndex(bits: number, n: number): number {
  let x = (bits / 65536) * ((n * (n + 1)) / 2);
  for (let i = 0; i < n; i++) {
    x -= n - i;
    if (x < 0) return i;
  }
  return n - 1;
}

/**
 * The office's canary cables: believable decoys (a plausible topic, a level worth stealing), dated a little
 * before the simulation starts and addressed so that no one with a real need opens them.
 */
export function canaryCables(o: Office, start: number): readonly CableView[] {
  return Array.from({ length: CANARIES_PER_OFFICE }, (_, k) => {
    const day = start - (7 + 5 * k) * SECONDS_PER_DAY;
    const id = formatCableId(o.code, yearAndDay(day).year, CANARY_SERIAL_BASE + k + 1);
    const topic = o.topics[k % o.topics.length] ?? 'PREL';
    return { id, office: o.code, level: k === 0 ? 'CONFIDENTIAL' : 'RESTRICTED', tags: [topic, o.country === 'EU' ? 'EU' : o.country], day, canary: true };
  });
}

export function levelRank(level: Classification): number {
  return Classifications.indexOf(level);
}
