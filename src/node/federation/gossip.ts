// Checkpoint gossip (docs/federation.md "Gossip"): every few seconds this node pulls each peer's latest signed
// checkpoint, checks it against the last one that peer showed us (a consistency proof from the peer), and stores it;
// then asks each peer what it saw of every other node we both know, ourselves included, and checks that against
// our own view. Two signed checkpoints of one log that no consistency proof joins are a fork: a log that shows one
// history to us and another to our peer is caught by whichever of us compares first.
import type { NodeName } from '../../cable/types.ts';
import { equalBytes, toBase64 } from '../../bytes.ts';
import type { NodeHttp } from '../../client/http.ts';
import { LogView, noteText, type NodeLog } from '../../client/log-view.ts';
import { ChanceryError, LogError } from '../../errors.ts';
import { fieldsOf, valueIn } from '../../client/wire.ts';
import { loggedWrite } from '../logged-write.ts';
import type { NodeContext } from '../node-context.ts';
import { fetchCheckpointNote, localProofs, openHead, ownLog, peerLog, type SignedHead } from './peer-log.ts';
import { trustedPeer, type TrustedPeer } from './peers.ts';
import type { Service } from './services.ts';

export const DEFAULT_GOSSIP_INTERVAL_MS = 5_000;

/** Two signed checkpoints of `node`'s log that nothing joins: ours (stored or our own) and the one shown to us. */
export interface ForkReport {
  readonly node: NodeName;
  /** The peer that showed us `other` (the forked node itself when we fetched it directly). */
  readonly via: NodeName;
  readonly ours: SignedHead;
  readonly other: SignedHead;
}

export interface GossipOptions {
  /** Between the end of one round and the start of the next; default 5 s. */
  readonly intervalMs?: number;
  /** Called once per fork raised, after its entry is logged (an alert webhook, a test). */
  readonly onFork?: (fork: ForkReport) => void;
}

/** How comparing a shown checkpoint with ours ended. */
type Verdict = 'same' | 'newer' | 'older' | 'fork';

/** Forks already raised, per node context: each is logged once, not at every round that sees it again. */
const raised = new WeakMap<NodeContext, Set<string>>();
/** Rounds of one node run one after another, whoever starts them (the service, a test). */
const rounds = new WeakMap<NodeContext, Promise<unknown>>();

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A proof that fails to verify, or a tree that shrank or changed at one size: the log showed two histories. */
function provesFork(error: unknown): boolean {
  return error instanceof LogError && (error.code === 'log.inconsistent' || error.code === 'log.bad_proof');
}

/**
 * Whether `shown` extends, precedes or equals `ours` — by a consistency proof from `proofs`, checked by the same
 * LogView a device uses on its own node — or contradicts it. A proof that cannot be had (the node is down, or does
 * not hold the larger tree) proves nothing either way: the error is thrown and the round tries again later.
 */
async function compare(node: NodeContext, log: NodeLog, ours: SignedHead, shown: SignedHead, proofs: NodeHttp): Promise<Verdict> {
  const view = await LogView.open(node.p, proofs, log, { lastCheckpoint: ours.note });
  try {
    await view.accept(shown.checkpoint, shown.note);
  } catch (error) {
    if (provesFork(error)) return 'fork';
    throw error;
  }
  if (shown.checkpoint.size === ours.checkpoint.size) return 'same';
  return shown.checkpoint.size > ours.checkpoint.size ? 'newer' : 'older';
}

function forkKey(fork: ForkReport): string {
  const side = (h: SignedHead) => `${h.checkpoint.size}:${toBase64(h.checkpoint.root)}`;
  return [fork.node, ...[side(fork.ours), side(fork.other)].sort()].join('|');
}

/** Logs `peer.fork` (once per pair of checkpoints) and puts both notes in the node's log at error level. */
async function raiseFork(node: NodeContext, fork: ForkReport, options: GossipOptions): Promise<void> {
  let seen = raised.get(node);
  if (!seen) raised.set(node, (seen = new Set()));
  const key = forkKey(fork);
  if (seen.has(key)) return;
  seen.add(key);
  const { ours, other } = fork;
  try {
    await loggedWrite(node, { now: node.now(), client: null }, (_tx, record) =>
      record([{ kind: 'peer.fork', peer: fork.node, size: ours.checkpoint.size, root: ours.checkpoint.root, otherSize: other.checkpoint.size, otherRoot: other.checkpoint.root }]),
    );
  } catch (error) {
    // Not raised after all: the next round sees the same two notes and tries again.
    seen.delete(key);
    throw error;
  }
  node.log.error(
    { peer: fork.node, via: fork.via, size: ours.checkpoint.size, otherSize: other.checkpoint.size, note: ours.note, otherNote: other.note },
    `peer.fork: ${fork.node} signed two histories of its log that no consistency proof joins`,
  );
  options.onFork?.(fork);
}

/**
 * A stored note opened under the key certified now; null when it no longer verifies (the peer's root certified a new
 * log key since): it cannot be compared, and the new key's heads start a new chain rather than stalling gossip.
 */
async function openStored(node: NodeContext, log: NodeLog, note: string | undefined): Promise<SignedHead | null> {
  if (note === undefined) return null;
  try {
    return await openHead(node, log, note);
  } catch (error) {
    if (error instanceof LogError) return null;
    throw error;
  }
}

/** The peer's own latest checkpoint, checked against the last it showed us, and stored when it holds. */
async function pullDirect(node: NodeContext, peer: TrustedPeer, http: NodeHttp, options: GossipOptions): Promise<void> {
  const name = peer.row.node;
  const log = peerLog(node, peer);
  const shown = await openHead(node, log, await fetchCheckpointNote(peer.row.url));
  const ours = await openStored(node, log, node.store.transaction((tx) => tx.latestPeerCheckpoint(name))?.note);
  if (ours) {
    // A head smaller than one the peer already showed us is a rollback, consistent prefix or not.
    const verdict = shown.checkpoint.size < ours.checkpoint.size ? 'fork' : await compare(node, log, ours, shown, http);
    if (verdict === 'fork') return raiseFork(node, { node: name, via: name, ours, other: shown }, options);
    if (verdict !== 'newer') return;
  }
  const { checkpoint, note } = shown;
  node.store.transaction((tx) => tx.putPeerCheckpoint({ peer: name, size: checkpoint.size, root: checkpoint.root, note, receivedAt: node.now() }));
}

/** What `via` answers for `GET /api/v1/federation/checkpoints?node=X`: its latest checkpoint of X, or null. */
async function viewOf(http: NodeHttp, subject: NodeName): Promise<string | null> {
  const body = await http.get('/api/v1/federation/checkpoints', { node: subject });
  const f = fieldsOf('gossip view', body, ['node'], ['checkpoint']);
  if (f.token('node', 64) !== subject) throw new LogError('log.bad_checkpoint', `asked for ${subject}, the peer answered about another node`);
  return f.has('checkpoint') ? noteText(valueIn('gossip view', body, 'checkpoint'), 'the gossiped checkpoint') : null;
}

/** Our side of a node's log: the checkpoint we hold, the one at a given size if any, and where proofs come from. */
interface OurView {
  readonly log: NodeLog;
  readonly latest: SignedHead | null;
  at(size: number): string | undefined;
  readonly proofs: NodeHttp;
  readonly self: boolean;
}

async function ourView(node: NodeContext, subject: NodeName): Promise<OurView | null> {
  if (subject === node.identity.node) {
    const latest = node.auditLog.latest();
    const log = ownLog(node);
    return {
      log,
      latest: latest ? await openHead(node, log, latest.note) : null,
      at: (size) => node.store.transaction((tx) => tx.checkpointAt(size))?.note,
      proofs: localProofs(node),
      self: true,
    };
  }
  const peer = await trustedPeer(node, subject);
  if (!peer) return null;
  const log = peerLog(node, peer);
  return {
    log,
    latest: await openStored(node, log, node.store.transaction((tx) => tx.latestPeerCheckpoint(subject))?.note),
    at: (size) => node.store.transaction((tx) => tx.peerCheckpointAt(subject, size))?.note,
    proofs: node.federation!.http(peer.row.url),
    self: false,
  };
}

/** What peer `via` saw of `subject`, checked against what we saw (or, for ourselves, what we signed). */
async function crossCheck(node: NodeContext, via: NodeName, http: NodeHttp, subject: NodeName, options: GossipOptions): Promise<void> {
  const note = await viewOf(http, subject);
  if (note === null) return;
  const ours = await ourView(node, subject);
  if (!ours?.latest) return;
  const shown = await openHead(node, ours.log, note);
  const report = (mine: SignedHead) => raiseFork(node, { node: subject, via, ours: mine, other: shown }, options);
  const mine = await openStored(node, ours.log, ours.at(shown.checkpoint.size));
  if (mine) {
    if (!equalBytes(mine.checkpoint.root, shown.checkpoint.root)) return report(mine);
    return;
  }
  // A tree of ours larger than anything we signed: our log key signed a history we do not have.
  if (ours.self && shown.checkpoint.size > ours.latest.checkpoint.size) return report(ours.latest);
  if ((await compare(node, ours.log, ours.latest, shown, ours.proofs)) === 'fork') return report(ours.latest);
}

/** One peer's share of a round: its own head, then its view of ourselves and of every other peer we both know. */
async function gossipWith(node: NodeContext, name: NodeName, others: readonly NodeName[], options: GossipOptions): Promise<void> {
  const peer = await trustedPeer(node, name);
  if (!peer) return;
  const http = node.federation!.http(peer.row.url);
  const step = async (what: string, job: () => Promise<void>) => {
    try {
      await job();
    } catch (error) {
      // Unreachable, refused, a bad signature: nothing proven; said once per round and tried again at the next.
      const level = error instanceof ChanceryError && error.code.startsWith('log.') ? 'warn' : 'debug';
      node.log[level]({ peer: name, what, err: message(error) }, 'gossip step failed');
    }
  };
  await step('checkpoint', () => pullDirect(node, peer, http, options));
  for (const subject of [node.identity.node, ...others.filter((o) => o !== name)]) {
    await step(`view of ${subject}`, () => crossCheck(node, name, http, subject, options));
  }
}

/**
 * One round of gossip with every active peer, in parallel per peer; rounds of one node never overlap. Never
 * throws: what fails is logged and tried again next round.
 */
export function gossipRound(node: NodeContext, options: GossipOptions = {}): Promise<void> {
  const run = async () => {
    if (!node.federation) return;
    const names = node.store.transaction((tx) => tx.listPeers().map((r) => r.node));
    await Promise.all(names.map((name) => gossipWith(node, name, names, options).catch((error: unknown) => node.log.warn({ peer: name, err: message(error) }, 'gossip with peer failed'))));
  };
  const previous = rounds.get(node) ?? Promise.resolve();
  const next = previous.then(run, run);
  rounds.set(node, next.catch(() => undefined));
  return next;
}

/**
 * The gossip service: a round now, then one `intervalMs` after each round ends. `stop` waits for the round in
 * flight.
 *
 * @example
 * ```ts
 * const gossip = startGossip(node, { intervalMs: 200 });
 * await gossip.stop();
 * ```
 */
export function startGossip(node: NodeContext, options: GossipOptions = {}): Service {
  const interval = options.intervalMs ?? DEFAULT_GOSSIP_INTERVAL_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    current = gossipRound(node, options).finally(() => {
      if (!stopped) timer = setTimeout(tick, interval);
    });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
