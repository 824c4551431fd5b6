// Group commit: writes of concurrent requests that arrive together share one SQLite transaction — one fsync — and
// each is acknowledged only after that transaction committed. Each write runs in its own savepoint inside it, so one
// request's failure rolls back that request alone. Measured: the node was bound by two fsyncs per accepted cable
// (docs/benchmarks.md "node").
import type { Store, StoreTx } from '../store/store.ts';

interface Pending {
  readonly job: (tx: StoreTx) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Most writes one group commit carries; the rest wait for the next one. */
const MAX_BATCH = 256;

class CommitBatcher {
  readonly #store: Store;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(store: Store) {
    this.#store = store;
  }

  run<T>(job: (tx: StoreTx) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // After the current I/O callbacks: requests that arrived together are all queued by then.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const batch = this.#queue.splice(0, MAX_BATCH);
    this.#scheduled = this.#queue.length > 0;
    if (this.#scheduled) setImmediate(() => this.#flush());
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.#store.transaction(() => {
        for (const item of batch) {
          try {
            // A nested transaction is a SAVEPOINT: this write alone rolls back if it throws.
            outcomes.push({ ok: true, value: this.#store.transaction(item.job) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch is stored, so nothing is acknowledged.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}

const batchers = new WeakMap<Store, CommitBatcher>();

/** Runs `job` in the store's next group commit; resolves once that commit is durable. */
export function groupCommit<T>(store: Store, job: (tx: StoreTx) => T): Promise<T> {
  let batcher = batchers.get(store);
  if (!batcher) {
    batcher = new CommitBatcher(store);
    batchers.set(store, batcher);
  }
  return batcher.run(job);
}
