// A semaphore whose waiters are served by precedence: FLASH before IMMEDIATE before PRIORITY before ROUTINE, then in
// arrival order. The receiver runs its verification of pushed cables through one, so a FLASH push overtakes a queue
// of ROUTINE ones waiting for the CPU (docs/federation.md "Delivery").
import type { Precedence } from '../../cable/types.ts';
import { Precedences } from '../../cable/types.ts';

interface Waiter {
  readonly rank: number;
  readonly order: number;
  readonly wake: () => void;
}

export class PriorityGate {
  readonly #capacity: number;
  #running = 0;
  #order = 0;
  readonly #waiting: Waiter[] = [];

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('PriorityGate: capacity must be a positive integer');
    this.#capacity = capacity;
  }

  /** Runs `job` once a slot is free and no more urgent waiter is ahead of it. */
  async run<T>(precedence: Precedence, job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#capacity) {
      const rank = Precedences.indexOf(precedence);
      await new Promise<void>((wake) => {
        const waiter = { rank: rank < 0 ? Precedences.length : rank, order: this.#order++, wake };
        // Few waiters at a time (a peer has a handful of pushes in flight): a sorted insert is enough.
        const at = this.#waiting.findIndex((w) => w.rank > waiter.rank || (w.rank === waiter.rank && w.order > waiter.order));
        this.#waiting.splice(at < 0 ? this.#waiting.length : at, 0, waiter);
      });
    } else {
      this.#running++;
    }
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so #running counts it without a gap another caller could take.
      if (next) next.wake();
      else this.#running--;
    }
  }

  /** Waiters not yet running (for metrics and tests). */
  get waiting(): number {
    return this.#waiting.length;
  }
}
