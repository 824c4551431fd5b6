// Decayed frequencies in fixed space: a capped table of (key, weight) where recent observations weigh more.
// Weights are stored inflated by e^(t/τ) instead of deflating every entry on each tick: shares (weight / total)
// are unchanged by a common factor, so adding is O(1) amortised and decay costs nothing.

/** e^((at - origin)/τ): the inflation of an observation at `at` for half-life-like scale `tauMs`. */
export function inflation(at: number, origin: number, tauMs: number): number {
  return Math.exp((at - origin) / tauMs);
}

/** `value` decayed from `since` to `at` with scale `tauMs`, plus `add` (for lazily decayed accumulators). */
export function decayAdd(value: number, since: number, at: number, tauMs: number, add: number): number {
  return (at > since ? value * Math.exp((since - at) / tauMs) : value) + add;
}

/**
 * A capped, decayed frequency table over small-int keys. When full, a new key replaces the lightest entry (which is
 * the least used and least recent, an LRU-ish eviction) so memory stays fixed whatever a user reads.
 */
export class Tally {
  readonly keys: Int32Array;
  readonly weights: Float64Array;
  size = 0;
  total = 0;

  constructor(capacity: number) {
    this.keys = new Int32Array(capacity);
    this.weights = new Float64Array(capacity);
  }

  private slot(key: number): number {
    for (let i = 0; i < this.size; i++) if (this.keys[i] === key) return i;
    return -1;
  }

  /** The inflated weight of `key` (0 when absent). */
  weight(key: number): number {
    const i = this.slot(key);
    return i < 0 ? 0 : this.weights[i]!;
  }

  /** The key's share of all weight, 0..1 (0 for an empty table). */
  share(key: number): number {
    return this.total > 0 ? this.weight(key) / this.total : 0;
  }

  /** Adds `w` to `key`'s weight and returns its new weight. */
  add(key: number, w: number): number {
    this.total += w;
    let i = this.slot(key);
    if (i < 0) {
      if (this.size < this.keys.length) i = this.size++;
      else {
        i = 0;
        for (let j = 1; j < this.size; j++) if (this.weights[j]! < this.weights[i]!) i = j;
        this.total -= this.weights[i]!;
        this.weights[i] = 0;
      }
      this.keys[i] = key;
    }
    return (this.weights[i] = this.weights[i]! + w);
  }
}

/** Strings to small ints, capped: past the cap, strings share ids by hash (stats merge, memory stays bounded). */
export class Interner {
  private readonly ids = new Map<string, number>();
  constructor(private readonly capacity: number) {}

  id(s: string): number {
    const known = this.ids.get(s);
    if (known !== undefined) return known;
    if (this.ids.size < this.capacity) {
      const id = this.ids.size;
      this.ids.set(s, id);
      return id;
    }
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return (h >>> 0) % this.capacity;
  }

  get size(): number {
    return this.ids.size;
  }
}

/** The last few event indices behind an accumulated suspicion: the alert's evidence. */
export class EvidenceRing {
  private readonly items: Int32Array;
  private next = 0;
  private count = 0;
  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
  }
  push(index: number): void {
    this.items[this.next] = index;
    this.next = (this.next + 1) % this.items.length;
    if (this.count < this.items.length) this.count++;
  }
  clear(): void {
    this.count = 0;
    this.next = 0;
  }
  /** Oldest first. */
  list(): number[] {
    const out: number[] = [];
    const start = (this.next - this.count + this.items.length) % this.items.length;
    for (let k = 0; k < this.count; k++) out.push(this.items[(start + k) % this.items.length]!);
    return out;
  }
}
