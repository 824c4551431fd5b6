// A small bounded cache with a time to live, for results that are costly to recompute and safe to reuse for a
// short while — trust.ts keeps verified officer certificates and device chains in one. An entry expires `ttlMs`
// after it was stored however often it is used, so what it caches is re-checked in full at least that often; when
// the cache is full, the least recently used entry goes first.
export class BoundedTtlCache<K, V> {
  readonly #entries = new Map<K, { readonly value: V; readonly expires: number }>();
  readonly maxEntries: number;
  readonly ttlMs: number;

  constructor(maxEntries: number, ttlMs: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 0) throw new RangeError('ttlMs must be a non-negative integer of milliseconds');
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
  }

  /** The value stored under `key` if it has not expired at `now` (Unix ms); it becomes the most recently used. */
  get(key: K, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (now >= entry.expires) return undefined;
    this.#entries.set(key, entry); // a Map iterates in insertion order: the least recently used comes first
    return entry.value;
  }

  /** Stores `value` under `key` from `now` for `ttlMs`, evicting the least recently used entry when full. */
  set(key: K, value: V, now: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expires: now + this.ttlMs });
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** Drops every entry whose key or value `matches`. */
  deleteWhere(matches: (key: K, value: V) => boolean): void {
    for (const [key, entry] of this.#entries) if (matches(key, entry.value)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
