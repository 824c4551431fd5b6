// Ground truth of a simulated trace (labels.jsonl, docs/detection.md "Trace and labels"): one line per injected
// attack, parsed strictly like trace lines.
import { DetectError } from '../errors.ts';

export const AttackKinds = ['bulk', 'phished', 'widening', 'canary'] as const;
export type AttackKind = (typeof AttackKinds)[number];

export interface AttackLabel {
  readonly attack: AttackKind;
  readonly user: string;
  readonly device?: string;
  readonly start: number;
  readonly end: number;
  readonly events: number;
}

const KNOWN = new Set(['attack', 'user', 'device', 'start', 'end', 'events']);

function bad(lineNo: number, why: string): DetectError {
  return new DetectError('detect.bad_trace', `labels line ${lineNo}: ${why}`);
}

function time(v: unknown, key: string, lineNo: number): number {
  const at = typeof v === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(at)) throw bad(lineNo, `"${key}" is not an ISO 8601 UTC time`);
  return at;
}

export function parseLabelLine(line: string, lineNo: number): AttackLabel {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    throw bad(lineNo, 'not JSON');
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw bad(lineNo, 'not a JSON object');
  const r = o as Record<string, unknown>;
  for (const key in r) if (!KNOWN.has(key)) throw bad(lineNo, `unknown field "${key}"`);
  const attack = AttackKinds.find((k) => k === r.attack);
  if (!attack) throw bad(lineNo, `"attack" is not one of ${AttackKinds.join(', ')}`);
  if (typeof r.user !== 'string' || r.user.length === 0) throw bad(lineNo, '"user" is missing');
  if (r.device !== undefined && typeof r.device !== 'string') throw bad(lineNo, '"device" is not a string');
  const events = r.events;
  if (typeof events !== 'number' || !Number.isInteger(events) || events < 0) throw bad(lineNo, '"events" is not a whole number');
  const start = time(r.start, 'start', lineNo);
  const end = time(r.end, 'end', lineNo);
  if (end < start) throw bad(lineNo, '"end" is before "start"');
  return { attack, user: r.user, ...(typeof r.device === 'string' ? { device: r.device } : {}), start, end, events };
}
