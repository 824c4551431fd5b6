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
 * The rows of many capped tables of one width, one row per user, in a few shared typed arrays: a user's table is a
 * slice of them, so reading it touches its data and not a typed-array object of its own per user (at 10,000 users
 * those objects, scattered over the heap, were most of the cache misses behind the detector's lookups).
 */
export class TallyRows {
  keys: Int32Array;
  weights: Float64Array;
  sizes: Int32Array;
  totals: Float64Array;

  constructor(
    readonly width: number,
    rows: number,
  ) {
    this.keys = new Int32Array(width * rows);
    this.weights = new Float64Array(width * rows);
    this.sizes = new Int32Array(rows);
    this.totals = new Float64Array(rows);
  }

  /** Makes `row` exist and empty (rows are reused when a user is forgotten); grows by doubling. */
  reset(row: number): void {
    if (row >= this.sizes.length) {
      const rows = Math.max(row + 1, this.sizes.length * 2);
      const grow = <A extends Int32Array | Float64Array>(old: A, fresh: A): A => (fresh.set(old), fresh);
      this.keys = grow(this.keys, new Int32Array(this.width * rows));
      this.weights = grow(this.weights, new Float64Array(this.width * rows));
      this.sizes = grow(this.sizes, new Int32Array(rows));
      this.totals = grow(this.totals, new Float64Array(rows));
    }
    this.sizes[row] = 0;
    this.totals[row] = 0;
  }
}

/**
 * A capped, decayed frequency table over small-int keys (one row of a TallyRows). When full, a new key replaces the
 * lightest entry (which is the least used and least recent, an LRU-ish eviction) so memory stays fixed whatever a
 * user reads.
 */
export class Tally {
  private readonly base: number;

  constructor(
    capacity: number,
    private readonly rows: TallyRows = new TallyRows(capacity, 1),
    private readonly row = 0,
  ) {
    rows.reset(row);
    this.base = row * rows.width;
  }

  get size(): number {
    return this.rows.sizes[this.row]!;
  }

  get total(): number {
    return this.rows.totals[this.row]!;
  }

  private slot(key: number): number {
    const keys = this.rows.keys;
    const base = this.base;
    const n = this.rows.sizes[this.row]!;
    for (let i = 0; i < n; i++) if (keys[base + i] === key) return i;
    return -1;
  }

  /** The inflated weight of `key` (0 when absent). */
  weight(key: number): number {
    const i = this.slot(key);
    return i < 0 ? 0 : this.rows.weights[this.base + i]!;
  }

  /** The key's share of all weight, 0..1 (0 for an empty table). */
  share(key: number): number {
    const total = this.rows.totals[this.row]!;
    return total > 0 ? this.weight(key) / total : 0;
  }

  /** Adds `w` to `key`'s weight and returns its new weight. */
  add(key: number, w: number): number {
    const { weights, totals, sizes, width } = this.rows;
    const base = this.base;
    totals[this.row] = totals[this.row]! + w;
    let i = this.slot(key);
    if (i < 0) {
      const size = sizes[this.row]!;
      if (size < width) {
        i = size;
        sizes[this.row] = size + 1;
        weights[base + i] = 0; // a reused row keeps its last user's weights
      } else {
        i = 0;
        for (let j = 1; j < size; j++) if (weights[base + j]! < weights[base + i]!) i = j;
        totals[this.row] = totals[this.row]! - weights[base + i]!;
        weights[base + i] = 0;
      }
      this.rows.keys[base + i] = key;
    }
    return (weights[base + i] = weights[base + i]! + w);
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
