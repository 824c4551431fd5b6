// A fast cable factory for multi-node tests and the federation benchmark. Like traffic.ts it sends real cables from
// a harness node's delegation through the node's own routes — the drafter files a sealed draft (`POST
// /api/v1/drafts`), the releasing officer uploads the sealed, signed envelope (`.../release`), the drafter
// countersigns and sends it (`.../send`), every request signed by the device through its session — but the lookups
// the client library makes per cable (the office's epoch, the addressees' keys at our node and at peers, the release
// services, the next free serial) are made once per address set and level, with the library's own verification
// (`currentEpoch`, `sealKeys`), and cached. Per cable it only builds, seals, signs and posts: ~10× traffic.ts.
//
// What it skips is what the drafter's and releaser's devices check of each other (the releaser does not open the
// draft, the drafter does not open the released envelope): the factory built both from one cable it holds, and the
// node checks neither step's reading anyway. Use traffic.ts to test those paths.
//
// API (stable; the soak and delivery tests build on it):
//   const factory = await cableFactory(node, { concurrency: 16 });
//   await factory.prepare([peerHq], 'UNCLASSIFIED');          // optional: look the keys up now (before a kill)
//   const sent = await factory.send(cables, { onSent });      // TrafficCable[] → SentCable[] (input order)
//     SentCable = traffic.ts's {id, to, precedence, level, subject, body, sentAt (ack, ms)} + acceptMs (the send's round trip)
//   const one = await factory.sendOne(cable);                 // one cable, outside the pool (open-loop callers)
//   factory.close();
// Levels: UNCLASSIFIED (office key alone) and the release-gated LIMITED and RESTRICTED (the draft carries a draft
// share for our release service; the envelope splits every office's key with the hosting node's release service).
// Transient failures (no HTTP answer, 5xx) are retried until `timeoutMs`, through kills and restarts of the node,
// with traffic.ts's semantics: a draft re-filed replaces our own, a release retried after a lost answer is
// "already released" (the stored envelope is countersigned), a send retried after a lost ack is answered duplicate.
// Serials: one counter per node and office in this process (shared by every factory of that office), starting after
// the highest serial of the office's drafts; do not run traffic.ts's drafter at the same office at the same time.
import type { Cable, CableId, Classification, OfficeCode } from '../../src/cable/types.ts';
import { formatCableId, splitCableId } from '../../src/cable/ids.ts';
import { dtgFromDate } from '../../src/cable/dtg.ts';
import { fromBase64, toBase64 } from '../../src/bytes.ts';
import { ChanceryError } from '../../src/errors.ts';
import { buildCable, listDrafts } from '../../src/client/drafts.ts';
import { currentEpoch } from '../../src/client/key-directory.ts';
import { sealKeys, type SealKeys } from '../../src/client/recipients.ts';
import { cableSigner, type Session } from '../../src/client/session.ts';
import { encodeSealedDraft, sealDraft } from '../../src/envelope/draft.ts';
import { decodeEnvelope, encodeEnvelope } from '../../src/envelope/codec.ts';
import { addSignature, sealCable } from '../../src/envelope/seal.ts';
import type { Envelope } from '../../src/envelope/types.ts';
import { People, type HarnessNode } from './harness.ts';
import type { SentCable as TrafficSent, TrafficCable } from './traffic.ts';

export type { TrafficCable };

/** A cable the node acknowledged (traffic.ts's shape) and how long its send request took: the node's acceptance. */
export interface SentCable extends TrafficSent {
  readonly acceptMs: number;
}

export interface FactoryOptions {
  /** Cables in flight in `send` (default 16). */
  readonly concurrency?: number;
  /** How long one cable's steps are retried through outages before it fails (default 30 min). */
  readonly timeoutMs?: number;
  /** Addressed as info on every cable (default none). */
  readonly info?: readonly OfficeCode[];
}

export interface CableFactory {
  readonly node: HarnessNode;
  /** Looks up and verifies the keys for cables to `to` at `level` now (send does it on first use). */
  prepare(to: readonly OfficeCode[], level: Classification): Promise<void>;
  /** Sends every cable, `concurrency` at a time; the acknowledged cables in input order. A refusal rejects. */
  send(cables: readonly TrafficCable[], options?: { readonly onSent?: (sent: SentCable) => void; readonly concurrency?: number }): Promise<SentCable[]>;
  /** One cable, not counted against `concurrency` (for open-loop senders). */
  sendOne(cable: TrafficCable): Promise<SentCable>;
  close(): void;
}

/** Keys of one address set at one level: the drafter's view of the originating office's epoch, the releaser's seal keys. */
interface Keys {
  readonly epoch: { readonly epoch: number; readonly publicKey: Uint8Array };
  readonly seal: SealKeys;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether an error means "try again": the node is down or restarting (no answer, 5xx), not a refusal. */
function transient(error: unknown): boolean {
  if (!(error instanceof ChanceryError)) return true;
  const status = (error as { status?: unknown }).status;
  return typeof status !== 'number' || status === 0 || status >= 500 || error.code === 'internal' || error.code === 'node.keeper_unavailable';
}

const isConflict = (error: unknown) => error instanceof ChanceryError && error.code === 'request.conflict';

/** Serial counters per node and office, shared by the factories of this process. */
const counters = new Map<string, Promise<{ next: number }>>();

function serials(drafter: Session, node: HarnessNode, office: OfficeCode): Promise<{ next: number }> {
  const key = `${node.name} ${node.url} ${office}`;
  let counter = counters.get(key);
  if (!counter) {
    counter = listDrafts(drafter, office).then((drafts) => ({ next: Math.max(0, ...drafts.map((d) => splitCableId(d.id).serial)) + 1 }));
    counters.set(key, counter);
    void counter.catch(() => counters.delete(key));
  }
  return counter;
}

/** The draft's routes' JSON for one draft: its status and, once released, the envelope the node stored. */
async function storedDraft(s: Session, id: CableId): Promise<{ status: string; released: Envelope | null }> {
  const body = (await s.http.get(`/api/v1/drafts/${encodeURIComponent(id)}`)) as { draft?: { status?: unknown; released?: unknown } };
  const status = typeof body.draft?.status === 'string' ? body.draft.status : 'unknown';
  const released = typeof body.draft?.released === 'string' ? decodeEnvelope(fromBase64(body.draft.released)) : null;
  return { status, released };
}

/** Runs `step` until it succeeds, through transient failures; a refusal (or the deadline) is thrown. */
async function retry<T>(what: string, step: () => Promise<T>, deadline: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!transient(error) || Date.now() > deadline) throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      if (process.env.TRAFFIC_DEBUG) console.error(`${what} retried: ${error instanceof Error ? error.message : String(error)}`);
      await pause(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
    }
  }
}

async function openSessions(node: HarnessNode, deadline: number): Promise<{ drafter: Session; releaser: Session }> {
  const drafter = await retry('drafter session', () => node.session(People.drafter), deadline);
  try {
    return { drafter, releaser: await retry('releaser session', () => node.session(People.releaser), deadline) };
  } catch (error) {
    drafter.close();
    throw error;
  }
}

/**
 * A factory sending from `node`'s delegation (People.drafter drafts and sends, People.releaser releases). The node
 * must answer while the factory opens its sessions (it waits for it up to `timeoutMs`).
 */
export async function cableFactory(node: HarnessNode, options: FactoryOptions = {}): Promise<CableFactory> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const info = options.info ?? [];
  const from = node.offices.del;
  const { drafter, releaser } = await openSessions(node, Date.now() + timeoutMs);
  const keyCache = new Map<string, Promise<Keys>>();

  const keysFor = (to: readonly OfficeCode[], level: Classification, deadline: number): Promise<Keys> => {
    const key = `${level}|${to.join(',')}`;
    let keys = keyCache.get(key);
    if (!keys) {
      keys = retry('keys', async () => {
        const epoch = (await currentEpoch(drafter, from, level)).epoch;
        return { epoch: { epoch: epoch.epoch, publicKey: epoch.publicKey }, seal: await sealKeys(releaser, [from, ...to, ...info], level) };
      }, deadline);
      keyCache.set(key, keys);
      void keys.catch(() => keyCache.delete(key));
    }
    return keys;
  };

  /** Files the draft under a fresh serial; a serial taken meanwhile (another drafter) moves on to the next. */
  const fileDraft = async (c: TrafficCable, keys: Keys, deadline: number): Promise<Cable> => {
    const counter = await retry('serials', () => serials(drafter, node, from), deadline);
    for (let attempt = 0; ; attempt++) {
      const now = new Date(drafter.now());
      const id = formatCableId(from, now.getUTCFullYear(), counter.next++);
      const cable = buildCable(drafter, { from, to: c.to, info, precedence: c.precedence, level: c.level, subject: c.subject, body: c.body, releaser: People.releaser }, id, now);
      const releaseService = { node: drafter.node.name, publicKey: drafter.node.certificate.releaseKey };
      const sealed = await sealDraft(drafter.p, cable, keys.epoch, releaseService, cableSigner(drafter, 'drafter'));
      const body = { draft: toBase64(encodeSealedDraft(sealed)) };
      try {
        // Filed again after a lost answer, the draft replaces our own (still a draft): the same serial, no harm.
        await retry('draft', () => drafter.http.post('/api/v1/drafts', body), deadline);
        return cable;
      } catch (error) {
        if (!(isConflict(error) || isConflict((error as { cause?: unknown }).cause)) || attempt >= 5) throw error;
      }
    }
  };

  /** The envelope the node holds as released: ours, or — after a lost answer — the one it stored from us. */
  const release = async (drafted: Cable, keys: Keys, deadline: number): Promise<Envelope> => {
    const id = drafted.header.id;
    const path = `/api/v1/drafts/${encodeURIComponent(id)}/release`;
    return retry('release', async () => {
      // Sealed at each attempt: the node checks the DTG against its clock (±10 min), and an outage may be longer.
      const cable: Cable = { ...drafted, header: { ...drafted.header, dtg: dtgFromDate(new Date(releaser.now())), releaser: releaser.keys.user } };
      const { envelope, bytes } = await sealCable(releaser.p, { cable, ...keys.seal, signers: [cableSigner(releaser, 'releaser')] });
      try {
        await releaser.http.post(path, { envelope: toBase64(bytes) });
        return envelope;
      } catch (error) {
        if (!isConflict(error)) throw error;
        const stored = await storedDraft(releaser, id);
        if (stored.status === 'draft' || !stored.released) throw error;
        return stored.released;
      }
    }, deadline);
  };

  const sendOne = async (c: TrafficCable): Promise<SentCable> => {
    const deadline = Date.now() + timeoutMs;
    const keys = await keysFor(c.to, c.level, deadline);
    const drafted = await fileDraft(c, keys, deadline);
    const released = await release(drafted, keys, deadline);
    const signatures = await addSignature(drafter.p, released.headerBytes, released.signatures, cableSigner(drafter, 'drafter'));
    const body = { envelope: toBase64(encodeEnvelope({ ...released, signatures })) };
    // Sent again after a lost acknowledgement, the same envelope is answered `duplicate`.
    const start = performance.now();
    await retry('send', () => drafter.http.post(`/api/v1/drafts/${encodeURIComponent(drafted.header.id)}/send`, body), deadline);
    return { ...c, id: drafted.header.id, sentAt: Date.now(), acceptMs: performance.now() - start };
  };

  return {
    node,
    prepare: async (to, level) => void (await keysFor(to, level, Date.now() + timeoutMs)),
    sendOne,
    async send(cables, sendOptions = {}) {
      const out: SentCable[] = new Array<SentCable>(cables.length);
      let next = 0;
      let failed = false;
      const worker = async () => {
        while (!failed && next < cables.length) {
          const i = next++;
          try {
            out[i] = await sendOne(cables[i]!);
          } catch (error) {
            failed = true;
            throw error;
          }
          sendOptions.onSent?.(out[i]);
        }
      };
      await Promise.all(Array.from({ length: sendOptions.concurrency ?? options.concurrency ?? 16 }, worker));
      return out;
    },
    close() {
      drafter.close();
      releaser.close();
    },
  };
}
