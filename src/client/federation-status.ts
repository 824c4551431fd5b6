// Where cables stand between nodes (docs/federation.md "Status"): the node's outbox per peer, and one cable's
// delivery per addressed office. Answers are network data, parsed field by field before use.
import type { CableId } from '../cable/types.ts';
import { DecodeError } from '../errors.ts';
import type { Session } from './session.ts';
import { fieldsOf, listIn, valueIn } from './wire.ts';

const MAX_PEERS = 10_000;
const MAX_OFFICES = 10_000;
const MAX_ERROR = 2_000;

/** An error as the node recorded it (a peer's words, possibly multi-line): shown on one line, capped. */
function errorText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new DecodeError('encoding.malformed', 'lastError must be text');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced here
  return value.slice(0, MAX_ERROR).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

/** One peer's queue at our node. */
export interface PeerQueue {
  readonly peer: string;
  readonly pending: number;
  readonly delivered: number;
  readonly conflicts: number;
  readonly oldestPendingAt: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
}

function peerQueueOf(value: unknown): PeerQueue {
  const f = fieldsOf('outbox peer', value, ['peer', 'pending', 'delivered', 'conflicts'], ['oldestPendingAt', 'lastError', 'lastErrorAt']);
  return {
    peer: f.token('peer', 64),
    pending: f.uint('pending'),
    delivered: f.uint('delivered'),
    conflicts: f.uint('conflicts'),
    oldestPendingAt: f.has('oldestPendingAt') ? f.uint('oldestPendingAt') : null,
    lastError: errorText(valueIn('outbox peer', value, 'lastError')),
    lastErrorAt: f.has('lastErrorAt') ? f.uint('lastErrorAt') : null,
  };
}

/** The node's outbox, per peer (security officers). */
export async function getOutbox(s: Session): Promise<PeerQueue[]> {
  return listIn('outbox', await s.http.get('/api/v1/outbox'), 'peers', MAX_PEERS).map(peerQueueOf);
}

export const DeliveryStates = ['delivered', 'pending', 'conflict'] as const;
export type DeliveryState = (typeof DeliveryStates)[number];

/** One addressed office: delivered at `at`, or pending since `at` (with attempts so far), or in conflict. */
export interface OfficeDelivery {
  readonly office: string;
  readonly node: string;
  readonly state: DeliveryState;
  readonly at: number | null;
  readonly attempts: number | null;
  readonly lastError: string | null;
}

export interface CableStatus {
  readonly cable: string;
  readonly offices: readonly OfficeDelivery[];
}

function officeDeliveryOf(value: unknown): OfficeDelivery {
  const f = fieldsOf('office delivery', value, ['office', 'node', 'state'], ['at', 'attempts', 'lastError']);
  const state = f.token('state', 16);
  const known = DeliveryStates.find((x) => x === state);
  if (!known) throw new DecodeError('encoding.malformed', 'office delivery: state must be delivered, pending or conflict');
  return {
    office: f.token('office', 64),
    node: f.token('node', 64),
    state: known,
    at: f.has('at') ? f.uint('at') : null,
    attempts: f.has('attempts') ? f.uint('attempts') : null,
    lastError: errorText(valueIn('office delivery', value, 'lastError')),
  };
}

/** Where one cable stands at each addressed office (its drafter, releaser, originating office, officers). */
export async function getCableStatus(s: Session, cable: CableId): Promise<CableStatus> {
  const body = await s.http.get(`/api/v1/cables/${encodeURIComponent(cable)}/status`);
  const f = fieldsOf('cable status', body, ['cable', 'offices']);
  return { cable: f.token('cable', 128), offices: listIn('cable status', body, 'offices', MAX_OFFICES).map(officeDeliveryOf) };
}
