// What a security officer's device asks the node about canaries and the personas that drafted them (docs/detection.md
// "Canaries", "Planted canaries"): the marked cables and the declared accounts, both officer-only. The CLI lists them;
// the web app uses them to set canaries and personas apart on an officer's screens, because an officer who opens a
// canary is frozen like anyone. Each answer is checked field by field: it is network data.
import { parseCableId } from '../cable/ids.ts';
import type { CableId } from '../cable/types.ts';
import { DecodeError } from '../errors.ts';
import type { Session } from './session.ts';

/** A canary as the node lists it. */
export interface ListedCanary {
  readonly cable: string;
  readonly officer: string;
  readonly markedAt: number;
}

/** A persona: an account a security officer declared to draft or release decoys, and the office it acts for. */
export interface ListedPersona {
  readonly persona: string;
  readonly office: string;
  readonly officer: string;
  readonly declaredAt: number;
}

const MAX_LISTED = 100_000;
const MAX_FIELD = 200;

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError('encoding.malformed', `the node's ${what} is not an object`);
  return value as Record<string, unknown>; // an object: its fields are each checked below
}

function fields(value: unknown, what: string) {
  const o = record(value, what);
  return {
    str(k: string): string {
      const v = o[k];
      if (typeof v !== 'string' || v.length === 0 || v.length > MAX_FIELD) throw new DecodeError('encoding.malformed', `the node's ${what} has no ${k}`);
      return v;
    },
    time(k: string): number {
      const v = o[k];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new DecodeError('encoding.malformed', `the node's ${what} has no ${k}`);
      return v;
    },
  };
}

export function canaryOf(value: unknown): ListedCanary {
  const f = fields(value, 'canary');
  return { cable: f.str('cable'), officer: f.str('officer'), markedAt: f.time('markedAt') };
}

export function personaOf(value: unknown): ListedPersona {
  const f = fields(value, 'persona');
  return { persona: f.str('persona'), office: f.str('office'), officer: f.str('officer'), declaredAt: f.time('declaredAt') };
}

function listOf<T>(body: unknown, key: string, what: string, item: (v: unknown) => T): T[] {
  const list = record(body, what)[key];
  if (!Array.isArray(list) || list.length > MAX_LISTED) throw new DecodeError('encoding.malformed', `the node's ${what} is not a list`);
  return list.map(item);
}

/** The cables marked as canaries, oldest mark first (security officers only: 403 otherwise). */
export async function listCanaries(session: Session): Promise<ListedCanary[]> {
  return listOf(await session.http.get('/api/v1/canaries', {}), 'canaries', 'canary list', canaryOf);
}

/** Marks a cable stored at the node as a canary; `marked` is false when it already was one. */
export async function markCanary(session: Session, cable: CableId): Promise<{ readonly canary: ListedCanary; readonly marked: boolean }> {
  const body = record(await session.http.post('/api/v1/canaries', { cable: parseCableId(cable) }), 'answer');
  return { canary: canaryOf(body.canary), marked: body.marked === true };
}

/** The declared personas, oldest first (security officers only). */
export async function listPersonas(session: Session): Promise<ListedPersona[]> {
  return listOf(await session.http.get('/api/v1/personas', {}), 'personas', 'persona list', personaOf);
}
