// Cable traffic for federation tests and the benchmark: a node's drafter drafts, its releasing officer releases and
// the drafter sends, through the client library against the real node, several cables at once — and every step is
// retried while the node is down (killed by the test), so what comes back is exactly the set of cables the node
// acknowledged. A draft whose answer was lost is left behind as a draft (never sent); a send whose acknowledgement
// was lost is sent again and answered `duplicate` (docs/node.md "Release workflow").
import type { CableId, Classification, OfficeCode, Precedence } from '../../src/cable/types.ts';
import { draftCable, fetchDraft } from '../../src/client/drafts.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import type { Session } from '../../src/client/session.ts';
import { ChanceryError } from '../../src/errors.ts';
import { People, type HarnessNode } from './harness.ts';

export interface TrafficCable {
  readonly to: readonly OfficeCode[];
  readonly precedence: Precedence;
  readonly level: Classification;
  readonly subject: string;
  readonly body: string;
}

export interface SentCable extends TrafficCable {
  readonly id: CableId;
  /** When the node acknowledged the send (ms). */
  readonly sentAt: number;
}

interface Sessions {
  drafter: Session;
  releaser: Session;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether an error means "try again": the node is down or restarting (no answer, 5xx), not a refusal. */
function transient(error: unknown): boolean {
  if (!(error instanceof ChanceryError)) return true;
  const status = (error as { status?: unknown }).status;
  return typeof status !== 'number' || status === 0 || status >= 500 || error.code === 'internal' || error.code === 'node.keeper_unavailable';
}

/** A node's sender: sessions opened lazily and reopened after the node came back. */
class Sender {
  #sessions: Promise<Sessions> | null = null;
  /** Every session opened: closed at the end, not at a reset (other steps in flight may still be signing with them). */
  readonly #opened: Session[] = [];
  constructor(private readonly node: () => HarnessNode) {}

  sessions(): Promise<Sessions> {
    this.#sessions ??= (async () => {
      const drafter = await this.node().session(People.drafter);
      this.#opened.push(drafter);
      const releaser = await this.node().session(People.releaser);
      this.#opened.push(releaser);
      return { drafter, releaser };
    })();
    void this.#sessions.catch(() => (this.#sessions = null));
    return this.#sessions;
  }

  /** The next step opens fresh sessions (the node restarted: its trust in a session's view may have moved on). */
  reset(): void {
    this.#sessions = null;
  }

  close(): void {
    for (const s of this.#opened.splice(0)) s.close();
  }

  /** Runs `step` until it succeeds, reopening sessions after a transient failure; a refusal is thrown. */
  async retry<T>(what: string, step: (s: Sessions) => Promise<T>, deadline: number): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step(await this.sessions());
      } catch (error) {
        if (!transient(error) || Date.now() > deadline) throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        if (process.env.TRAFFIC_DEBUG) console.error(`${what} retried: ${error instanceof Error ? error.message : String(error)}`);
        this.reset();
        await pause(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
      }
    }
  }
}

/**
 * Sends every cable of `cables` from `node()`'s delegation, `concurrency` at a time, surviving restarts of the node.
 * `onSent` sees each acknowledged cable (a progress count for the caller).
 */
export async function sendTraffic(
  node: () => HarnessNode,
  cables: readonly TrafficCable[],
  options: { readonly concurrency?: number; readonly timeoutMs?: number; readonly onSent?: (sent: SentCable) => void } = {},
): Promise<SentCable[]> {
  const sender = new Sender(node);
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  const sent: SentCable[] = [];
  let next = 0;
  // One drafter takes the next free serial of the office: drafts one at a time, or two would take the same id (the
  // node lets a drafter replace their own draft).
  let drafting: Promise<unknown> = Promise.resolve();
  const one = async (c: TrafficCable): Promise<void> => {
    const from = node().offices.del;
    const draft = drafting.then(() => sender.retry('draft', (s) => draftCable(s.drafter, { from, to: c.to, precedence: c.precedence, level: c.level, subject: c.subject, body: c.body }), deadline));
    drafting = draft.catch(() => {});
    const id = await draft;
    await sender.retry('release', async (s) => {
      try {
        if ((await fetchDraft(s.releaser, id)).summary.status === 'draft') await releaseCandidate(s.releaser, await prepareRelease(s.releaser, id));
      } catch (error) {
        // A release whose answer was lost, seen as "already released" on the retry: done.
        if (!(error instanceof ChanceryError && error.code === 'request.conflict' && (await fetchDraft(s.releaser, id)).summary.status !== 'draft')) throw error;
      }
    }, deadline);
    await sender.retry('send', (s) => sendCable(s.drafter, id), deadline);
    const done = { ...c, id, sentAt: Date.now() };
    sent.push(done);
    options.onSent?.(done);
  };
  const worker = async () => {
    while (next < cables.length) await one(cables[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  } finally {
    sender.close();
  }
  return sent;
}
