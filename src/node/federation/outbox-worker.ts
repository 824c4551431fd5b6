// The outbox worker (docs/federation.md "Delivery"): pushes each peer's queued cables, FLASH first and then in
// acceptance order, a few in flight per peer; stores each signed receipt and logs `cable.forwarded`; on failure
// backs the peer off (backoff.ts) and keeps the row pending — a peer is never dropped. A conflict (the peer holds
// another envelope under the id) is final: the row is marked, `peer.conflict` logged, and an alert logged.
import type { NodeName } from '../../cable/types.ts';
import { b64 } from '../request-body.ts';
import { fromBase64, toHex } from '../../bytes.ts';
import { RemoteError } from '../../client/http.ts';
import { decodeDeliveryReceipt, encodeDeliveryReceipt, verifyDeliveryReceipt } from '../../keys/delivery-receipt.ts';
import type { OutboxRow } from '../../store/store.ts';
import { groupCommit } from '../commit-batcher.ts';
import type { NodeContext } from '../node-context.ts';
import { retryDelayMs } from './backoff.ts';
import { trustedPeer } from './peers.ts';
import type { Service } from './services.ts';

export interface OutboxOptions {
  /** Pushes in flight per peer; default 16. */
  readonly inFlight?: number;
  /** How often due retries are looked for without a kick; default 1 s. */
  readonly pollMs?: number;
  /** The jitter draw; default Math.random. */
  readonly random?: () => number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
}

interface PeerState {
  /** Consecutive failed rounds (reset by a delivery). */
  failures: number;
  /** No push to this peer before this time (its backoff). */
  blockedUntil: number;
  readonly inFlight: Set<number>;
}

const PUSH_PATH = '/api/v1/federation/cables';

type Outcome = { readonly kind: 'delivered' } | { readonly kind: 'failed'; readonly error: string } | { readonly kind: 'conflict'; readonly error: string };

function describe(error: unknown): string {
  if (error instanceof RemoteError) return error.status === 0 ? error.message : `HTTP ${error.status} ${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

export class OutboxWorker implements Service {
  readonly #node: NodeContext;
  readonly #inFlight: number;
  readonly #pollMs: number;
  readonly #random: () => number;
  readonly #base: number | undefined;
  readonly #cap: number | undefined;
  readonly #peers = new Map<NodeName, PeerState>();
  #timer: NodeJS.Timeout | null = null;
  #pumpQueued = false;
  #stopped = false;
  readonly #pending = new Set<Promise<void>>();

  constructor(node: NodeContext, options: OutboxOptions = {}) {
    this.#node = node;
    this.#inFlight = options.inFlight ?? 16;
    this.#pollMs = options.pollMs ?? 1_000;
    this.#random = options.random ?? Math.random;
    this.#base = options.backoffBaseMs;
    this.#cap = options.backoffCapMs;
  }

  start(): this {
    this.#node.federation?.onKick(() => this.kick());
    this.kick();
    return this;
  }

  /** Looks for due rows now (after a commit that queued cables, or a push that freed a slot). */
  kick(): void {
    if (this.#stopped || this.#pumpQueued) return;
    this.#pumpQueued = true;
    setImmediate(() => {
      this.#pumpQueued = false;
      try {
        this.#pump();
      } catch (error) {
        this.#node.log.error({ err: describe(error) }, 'outbox: could not read the queue');
        this.#arm(this.#pollMs);
      }
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await Promise.allSettled([...this.#pending]);
  }

  #state(peer: NodeName): PeerState {
    let s = this.#peers.get(peer);
    if (!s) this.#peers.set(peer, (s = { failures: 0, blockedUntil: 0, inFlight: new Set() }));
    return s;
  }

  #arm(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.kick(), Math.max(10, delayMs));
    this.#timer.unref();
  }

  #pump(): void {
    if (this.#stopped) return;
    const node = this.#node;
    const now = node.now();
    let wake = this.#pollMs;
    const peers = node.store.transaction((tx) => tx.listPeers());
    for (const peer of peers) {
      const state = this.#state(peer.node);
      if (now < state.blockedUntil) {
        wake = Math.min(wake, state.blockedUntil - now);
        continue;
      }
      const free = this.#inFlight - state.inFlight.size;
      if (free <= 0) continue;
      const rows = node.store
        .transaction((tx) => tx.dueOutbox(peer.node, now, this.#inFlight + state.inFlight.size))
        .filter((r) => !state.inFlight.has(r.seq))
        .slice(0, free);
      for (const row of rows) this.#launch(row, state);
    }
    this.#arm(wake);
  }

  #launch(row: OutboxRow, state: PeerState): void {
    state.inFlight.add(row.seq);
    const started = this.#node.now();
    const job = this.#push(row)
      .then((outcome) => this.#record(row, state, outcome, started))
      .catch((error: unknown) => this.#node.log.error({ peer: row.peer, cable: row.cable, err: describe(error) }, 'outbox: could not record an attempt'))
      .finally(() => {
        state.inFlight.delete(row.seq);
        this.#pending.delete(job);
        this.kick();
      });
    this.#pending.add(job);
  }

  async #push(row: OutboxRow): Promise<Outcome> {
    const node = this.#node;
    const federation = node.federation;
    if (!federation) return { kind: 'failed', error: 'this node does not federate' };
    let peer;
    try {
      peer = await trustedPeer(node, row.peer);
    } catch (error) {
      return { kind: 'failed', error: `the peer's records do not verify: ${describe(error)}` };
    }
    if (!peer) return { kind: 'failed', error: 'not an active peer (removed): kept queued' };
    const cable = node.store.transaction((tx) => tx.getCable(row.cable));
    if (!cable) return { kind: 'failed', error: 'the queued cable is not stored (broken invariant)' };
    let answer: unknown;
    try {
      answer = await federation.http(peer.row.url).post(PUSH_PATH, { envelope: b64(cable.envelope) });
    } catch (error) {
      if (error instanceof RemoteError && error.status === 409 && error.code === 'request.conflict') return { kind: 'conflict', error: describe(error) };
      return { kind: 'failed', error: describe(error) };
    }
    try {
      const text = (answer as { receipt?: unknown } | null)?.receipt;
      if (typeof text !== 'string') throw new Error('the answer carries no receipt');
      const receipt = decodeDeliveryReceipt(fromBase64(text));
      await verifyDeliveryReceipt(node.p, receipt, peer.node.signingKey, { node: row.peer, fromNode: node.identity.node, cable: row.cable, envelopeHash: cable.envelopeHash });
      const bytes = encodeDeliveryReceipt(receipt);
      const at = node.now();
      const size = await groupCommit(node.store, (tx) => {
        tx.markDelivered(row.peer, row.seq, bytes, at);
        return node.auditLog.append(tx, at, [
          { kind: 'cable.forwarded', cable: row.cable, peer: row.peer, offices: receipt.offices, envelopeHash: cable.envelopeHash, receiptHash: node.p.sha256(bytes) },
        ], null).size;
      });
      // Nobody waits on this entry: let the checkpoint come with the next one signed.
      void node.auditLog.checkpoint(size).catch((error: unknown) => node.log.warn({ err: describe(error) }, 'outbox: checkpoint after a delivery failed'));
      node.log.info({ cable: row.cable, peer: row.peer, offices: receipt.offices.length, attempts: row.attempts + 1 }, 'cable delivered to peer');
      return { kind: 'delivered' };
    } catch (error) {
      return { kind: 'failed', error: `bad receipt: ${describe(error)}` };
    }
  }

  async #record(row: OutboxRow, state: PeerState, outcome: Outcome, started: number): Promise<void> {
    const node = this.#node;
    const now = node.now();
    if (outcome.kind === 'delivered') {
      state.failures = 0;
      state.blockedUntil = 0;
      return;
    }
    if (outcome.kind === 'conflict') {
      const cable = node.store.transaction((tx) => tx.getCable(row.cable));
      const size = await groupCommit(node.store, (tx) => {
        tx.markConflict(row.peer, row.seq, outcome.error, now);
        return node.auditLog.append(tx, now, [{ kind: 'peer.conflict', peer: row.peer, cable: row.cable, envelopeHash: cable?.envelopeHash ?? new Uint8Array(32) }], null).size;
      });
      void node.auditLog.checkpoint(size).catch(() => {});
      node.federation?.alert({ rule: 'peer_conflict', peer: row.peer, cable: row.cable, evidence: cable ? [toHex(cable.envelopeHash)] : [] });
      return;
    }
    // One failure round per backoff period: pushes in flight together when the peer went away count once.
    if (started >= state.blockedUntil) {
      state.failures++;
      state.blockedUntil = now + retryDelayMs(state.failures, this.#random(), this.#base, this.#cap);
      node.log.warn({ peer: row.peer, failures: state.failures, retryInMs: state.blockedUntil - now, error: outcome.error }, 'outbox: push failed; backing off');
    }
    node.store.transaction((tx) => tx.markAttemptFailed(row.peer, row.seq, outcome.error.slice(0, 500), Math.max(state.blockedUntil, now), now));
  }
}

/** The outbox worker as a federation service (services.ts). */
export function startOutbox(node: NodeContext, options: OutboxOptions = {}): OutboxWorker {
  return new OutboxWorker(node, options).start();
}
