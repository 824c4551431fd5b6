// Decayed frequencies in fixed space: a capped table of (key, weight) where recent observations weigh more.
// Weights are stored inflated by e^(t/τ) instead of deflating every entry on each tick: shares (weight / total)
// are unchanged by a common factor, so adding is O(1) amortised and decay costs nothing.

/** e^((at - origin)/τ): the inflation of an observation at `at` for half-life-like scale `tauMs`. */
export function inflation(at: number, origin: number, tauMs: number): number {
  return Math.exp((at - origin) / tauMs);
}

/** The factor that decays a lazily decayed accumulator from `since` to `at` with scale `tauMs` (1 when `at` is
 * not later). Rules that keep two accumulators of one age (a score and its reads) compute it once for both. */
export function decayFactor(since: number, at: number, tauMs: number): number {
  return at > since ? Math.exp((since - at) / tauMs) : 1;
}

/** `value` decayed from `since` to `at` with scale `tauMs`, plus `add` (for lazily decayed accumulators). */
export function decayAdd(value: number, since: number, at: number, tauMs: number, add: number): number {
  return value * decayFactor(since, at, tauMs) + add;
}

/**
 * The rows of many capped tables of one width, one row per user, in one shared Float64Array: a user's table is a
 * run of it, `[size, total, keys…, weights…]`, the keys packed as Int32 (two a double, through `keys`, a view of
 * the same memory), so looking a key up scans one or two cache lines and touches one more for its weight. (At
 * 10,000 users the state is far larger than the caches: separate arrays for sizes, totals, keys and weights, and a
 * Tally object per user and table, were each a cache miss per event.) Keys are small ints.
 */
export class TallyRows {
  data: Float64Array<ArrayBuffer>;
  keys: Int32Array;
  /** Doubles per row (a user's whole record once the rows are laid in one, UserRows). */
  stride: number;
  /** Where the row starts in its record. */
  off = 0;
  /** Where the weights start in a row (after the size, the total and the keys). */
  private readonly weights: number;
  private laid = false;

  constructor(
    readonly width: number,
    rows: number,
  ) {
    this.weights = 2 + Math.ceil(width / 2);
    this.stride = this.span;
    this.data = new Float64Array(this.stride * rows);
    this.keys = new Int32Array(this.data.buffer);
  }

  /** Doubles a row takes. */
  get span(): number {
    return this.weights + this.width;
  }

  /** Lays the rows inside the records of `data` (`stride` doubles each, this table at `off`): the owner of `data`
   * grows it and lays the table again. */
  lay(data: Float64Array<ArrayBuffer>, stride: number, off: number): void {
    this.data = data;
    this.keys = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
    this.stride = stride;
    this.off = off;
    this.laid = true;
  }

  /** Makes `row` exist and empty (rows are reused when a user is forgotten); grows by doubling. */
  reset(row: number): void {
    const stride = this.stride;
    if (!this.laid && (row + 1) * stride > this.data.length) {
      const rows = Math.max(row + 1, (this.data.length / stride) * 2);
      const fresh = new Float64Array(stride * rows);
      fresh.set(this.data);
      this.data = fresh;
      this.keys = new Int32Array(fresh.buffer);
    }
    const base = row * stride + this.off;
    this.data[base] = 0;
    this.data[base + 1] = 0;
  }

  size(row: number): number {
    return this.data[row * this.stride + this.off]!;
  }

  total(row: number): number {
    return this.data[row * this.stride + this.off + 1]!;
  }

  /** Index in `data` of `key`'s weight in `row`, or -1. */
  private slot(row: number, key: number): number {
    const base = row * this.stride + this.off;
    const n = this.data[base]!;
    const keys = this.keys;
    const k0 = 2 * base + 4;
    for (let j = 0; j < n; j++) if (keys[k0 + j] === key) return base + this.weights + j;
    return -1;
  }

  /** The inflated weight of `key` in `row` (0 when absent). */
  weight(row: number, key: number): number {
    const i = this.slot(row, key);
    return i < 0 ? 0 : this.data[i]!;
  }

  /** The key's share of the row's weight, 0..1 (0 for an empty row). */
  share(row: number, key: number): number {
    const total = this.data[row * this.stride + this.off + 1]!;
    return total > 0 ? this.weight(row, key) / total : 0;
  }

  /** Adds `w` to `key`'s weight in `row` and returns its new weight. When full, a new key replaces the lightest
   * entry (the first of equals). */
  add(row: number, key: number, w: number): number {
    const d = this.data;
    const base = row * this.stride + this.off;
    d[base + 1] = d[base + 1]! + w;
    let i = this.slot(row, key);
    if (i < 0) {
      const size = d[base]!;
      const wb = base + this.weights;
      if (size < this.width) {
        i = wb + size;
        d[base] = size + 1;
        d[i] = 0; // a reused row keeps its last user's weights
      } else {
        i = wb;
        for (let j = wb + 1; j < wb + size; j++) if (d[j]! < d[i]!) i = j;
        d[base + 1] = d[base + 1]! - d[i]!;
        d[i] = 0;
      }
      this.keys[2 * base + 4 + (i - wb)] = key;
    }
    return (d[i] = d[i]! + w);
  }
}

/**
 * The rows of a decayed frequency table over a small fixed domain of keys (levels, age bands), one row per user laid
 * in the users' records like TallyRows: `[total, weight of key 0, …]`. Every key has its slot, so there is no key
 * to look for and nothing to evict: the same sums as a TallyRows as wide as the domain, in one or two cache lines
 * (docs/detection.md "Throughput", fifth step).
 */
export class BandRows {
  data = new Float64Array(0);
  stride = 0;
  off = 0;

  constructor(readonly width: number) {}

  /** Doubles a row takes. */
  get span(): number {
    return 1 + this.width;
  }

  /** Lays the rows inside the records of `data` (`stride` doubles each, this table at `off`); a record is zeroed
   * when it is made fresh, which empties the row. */
  lay(data: Float64Array<ArrayBuffer>, stride: number, off: number): void {
    this.data = data;
    this.stride = stride;
    this.off = off;
  }

  /** Adds `w` to `key`'s weight in `row` (key < width). */
  add(row: number, key: number, w: number): void {
    const d = this.data;
    const base = row * this.stride + this.off;
    d[base] = d[base]! + w;
    d[base + 1 + key] = d[base + 1 + key]! + w;
  }

  /** The key's share of the row's weight, 0..1 (0 for an empty row). */
  share(row: number, key: number): number {
    const base = row * this.stride + this.off;
    const total = this.data[base]!;
    return total > 0 ? this.data[base + 1 + key]! / total : 0;
  }
}

/**
 * A capped, decayed frequency table over small-int keys (one row of a TallyRows). When full, a new key replaces the
 * lightest entry (which is the least used and least recent, an LRU-ish eviction) so memory stays fixed whatever a
 * user reads. The detector's hot path calls its TallyRows directly with the user's row.
 */
export class Tally {
  constructor(
    capacity: number,
    private readonly rows: TallyRows = new TallyRows(capacity, 1),
    private readonly row = 0,
  ) {
    rows.reset(row);
  }

  get size(): number {
    return this.rows.size(this.row);
  }

  get total(): number {
    return this.rows.total(this.row);
  }

  /** The inflated weight of `key` (0 when absent). */
  weight(key: number): number {
    return this.rows.weight(this.row, key);
  }

  /** The key's share of all weight, 0..1 (0 for an empty table). */
  share(key: number): number {
    return this.rows.share(this.row, key);
  }

  /** Adds `w` to `key`'s weight and returns its new weight. */
  add(key: number, w: number): number {
    return this.rows.add(this.row, key, w);
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
