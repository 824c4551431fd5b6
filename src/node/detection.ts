// The detector live in the node (issue 7; docs/detection.md "In the node"): after each group commit the newly
// committed audit-log entries are read back by index, turned into trace events (src/log/trace-line.ts) and pushed,
// in log order, through one Detector; each alert it returns is raised as a logged write (detection/raise.ts), and a
// freeze is real because policy refuses frozen users everything. At start the whole log is replayed, so a restart
// forgets no baseline; raising is idempotent over replays, so it raises no alert twice, and an alert a crash
// prevented from being written is raised on the next start.
import type { Logger } from 'pino';
import { Detector } from '../detect/detector.ts';
import type { Alert } from '../detect/alert.ts';
import { parseTraceLine, type TraceEvent } from '../detect/trace.ts';
import { decodeLogEntry } from '../log/events.ts';
import { decodePersonalDetails, isNetworkAddress } from '../log/personal-details.ts';
import { toTraceLine } from '../log/trace-line.ts';
import type { LogEntryRow } from '../store/store.ts';
import { raiseAlert } from './detection/raise.ts';
import type { AlertWebhook } from './detection/webhook.ts';
import type { NodeContext } from './node-context.ts';

/** Entries read per store transaction: one page of `logEntries`. */
const PAGE = 1000;
/** How often the replay at start reports progress in the server log. */
const PROGRESS_EVERY = 100_000;
/**
 * A safety net beside the after-commit kick: entries committed by another process on the same store (a tool) or
 * whose signing failed are still judged within this long.
 */
const SWEEP_MS = 2000;

export interface DetectionOptions {
  readonly webhook?: AlertWebhook;
}

/** Counts for the server log and tests. */
export interface DetectionStats {
  readonly fed: number;
  readonly raised: number;
}

export class DetectionService {
  readonly #node: NodeContext;
  readonly #log: Logger;
  readonly #webhook: AlertWebhook | undefined;
  readonly #detector = new Detector();
  /** The next log index to judge. */
  #next = 0;
  #raised = 0;
  /** Runs of `#catchUp` in sequence: the detector is fed in log order by one run at a time. */
  #chain: Promise<void> = Promise.resolve();
  #queued = false;
  #stopped = false;
  #sweep: NodeJS.Timeout | undefined;
  /**
   * Alerts judged but not yet written (a failed write: the keeper away). The detector has learnt their events and
   * will not judge them again, so they wait here and are raised first on the next run.
   */
  readonly #unraised: { readonly alert: Alert; readonly trigger: number }[] = [];

  constructor(node: NodeContext, options: DetectionOptions = {}) {
    this.#node = node;
    this.#log = node.log;
    this.#webhook = options.webhook;
  }

  /** Replays the whole log into the detector (raising whatever alert is missing), then follows it. */
  async start(): Promise<void> {
    const size = this.#node.store.transaction((tx) => tx.logSize());
    const began = Date.now();
    this.#log.info({ entries: size }, 'detection: replaying the audit log');
    // On the chain like every run: the alerts the replay raises are signed, and each signing kicks a run, which must
    // wait for the replay rather than feed the detector beside it.
    this.#chain = this.#catchUp(size).catch((error: unknown) => {
      this.#log.error({ err: error instanceof Error ? error.message : String(error), next: this.#next }, 'detection: the replay stopped; the sweep resumes it');
    });
    await this.#chain;
    this.#log.info({ entries: this.#next, ms: Date.now() - began, alerts: this.#raised }, 'detection: replay done, following the log');
    this.#sweep = setInterval(() => this.kick(), SWEEP_MS);
    this.#sweep.unref();
  }

  /** Judges whatever was committed since the last run; called after every group commit's checkpoint. */
  kick(): void {
    if (this.#stopped || this.#queued) return;
    this.#queued = true;
    this.#chain = this.#chain.then(() => {
      this.#queued = false;
      return this.#stopped ? undefined : this.#catchUp();
    }).catch((error: unknown) => {
      this.#log.error({ err: error instanceof Error ? error.message : String(error), next: this.#next }, 'detection: could not judge the log; will retry');
    });
  }

  /** Resolves once every entry committed before the call has been judged (and its alerts raised). */
  async settled(): Promise<void> {
    this.kick();
    await this.#chain;
  }

  stats(): DetectionStats {
    return { fed: this.#next, raised: this.#raised };
  }

  /** Stops following the log; waits for the run under way and the webhook's deliveries. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#sweep);
    await this.#chain;
    await this.#webhook?.drain();
  }

  /** Feeds entries from `#next` until the log's end (its alerts add entries: those are read too, and skipped). */
  async #catchUp(replaying?: number): Promise<void> {
    await this.#raiseWaiting();
    for (;;) {
      const rows = this.#node.store.transaction((tx) => tx.logEntries(this.#next, PAGE));
      if (rows.length === 0) return;
      for (const row of rows) {
        const event = this.#eventOf(row);
        const alerts = event ? this.#detector.push(event, row.index) : [];
        this.#next = row.index + 1;
        for (const alert of alerts) this.#unraised.push({ alert, trigger: row.index });
        await this.#raiseWaiting();
        if (replaying !== undefined && this.#next % PROGRESS_EVERY === 0) this.#log.info({ done: this.#next, of: replaying }, 'detection: replaying');
      }
      // Between pages, let requests in: a long catch-up must not stall the node.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * The entry as a trace event, or undefined for a kind the trace does not carry. An entry this release cannot
   * decode is skipped with a warning: the detector must not stop at it, and the log's own audit reports it.
   */
  #eventOf(row: LogEntryRow): TraceEvent | undefined {
    let line: string | undefined;
    try {
      const entry = decodeLogEntry(row.leaf);
      const ip = row.details ? decodePersonalDetails(row.details).ip : undefined;
      // A read of a cable the security officers marked as a canary (routes/canaries.ts), made at or after the mark,
      // is judged as a canary read; a read from before the mark stays ordinary, so a replay freezes no earlier reader.
      const mark = entry.kind === 'cable.read' ? this.#node.store.transaction((tx) => tx.getCanary(entry.cable)) : null;
      const canary = entry.kind === 'cable.read' && mark !== null && entry.at >= mark.markedAt;
      line = toTraceLine(entry, { ...(ip !== undefined && isNetworkAddress(ip) ? { ip } : {}), canary });
      return line === undefined ? undefined : parseTraceLine(line, row.index + 1);
    } catch (error) {
      this.#log.warn({ index: row.index, err: error instanceof Error ? error.message : String(error) }, 'detection: skipped an entry it cannot judge');
      return undefined;
    }
  }

  async #raiseWaiting(): Promise<void> {
    for (let next = this.#unraised[0]; next; next = this.#unraised[0]) {
      await this.#raise(next.alert, next.trigger);
      this.#unraised.shift();
    }
  }

  async #raise(alert: Alert, trigger: number): Promise<void> {
    const raised = await raiseAlert(this.#node, alert, trigger);
    if (!raised?.fresh) return;
    this.#raised++;
    const { row } = raised;
    this.#log.warn({ alert: row.id, user: row.user, rule: row.rule, severity: row.severity, action: row.action, evidence: row.evidence, froze: raised.froze }, 'alert raised');
    this.#webhook?.send(row.id, alert);
  }
}
