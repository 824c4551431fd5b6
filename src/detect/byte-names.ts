// Names met as bytes (the replay's fast path) to the small ints the detector already gave them as strings: a
// fixed-size, direct-mapped memo in typed arrays, so a known user, office or tag costs a hash of its bytes and one
// compare, with no string made and no Map probed (docs/detection.md "Throughput", third step). A miss — a new name,
// a collision, a name too long to keep — goes the string way once and is remembered, so ids come out exactly as the
// string path gives them. Bounded whatever the trace holds: a slot is overwritten by the next name that maps to it.

/** A 32-bit hash of a name's bytes (the same for a string of the same ASCII characters: sourceHash's formula). */
export function bytesHash(buf: Uint8Array, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
  return h;
}

export function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Bytes of a name kept per slot; longer names are never remembered (they always go the string way). */
const NAME_BYTES = 52;
/** Int32s per slot (64 bytes, one cache line): hash, value, length, then the name. */
const SLOT = 3 + NAME_BYTES / 4;

/**
 * Two-way: a name lives in one of the two slots of its bucket (adjacent, so one pair of cache lines), the newer
 * first, so two names that share a bucket do not evict each other at every turn.
 */
export class ByteNames {
  private readonly slots: Int32Array;
  private readonly names: Uint8Array;
  private readonly mask: number;

  /** About `size` slots (a power of two, at least 64). */
  constructor(size: number) {
    let n = 64;
    while (n < size) n *= 2;
    this.mask = n / 2 - 1;
    this.slots = new Int32Array(n * SLOT);
    this.names = new Uint8Array(this.slots.buffer);
    this.slots.fill(-1);
  }

  private bucketOf(h: number): number {
    const x = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    return ((x ^ (x >>> 12)) & this.mask) * 2 * SLOT;
  }

  private matches(s: number, h: number, buf: Uint8Array, from: number, to: number): boolean {
    const slots = this.slots;
    if (slots[s] !== h || slots[s + 2] !== to - from) return false;
    const names = this.names;
    const at = (s + 3) * 4;
    for (let i = 0; i < to - from; i++) if (names[at + i] !== buf[from + i]) return false;
    return true;
  }

  /** Reads the bucket of hash `h` and returns a word of it: a hint that brings its line near before get(). */
  touch(h: number): number {
    return this.slots[this.bucketOf(h)]!;
  }

  /** The value remembered for the name `buf[from, to)` with hash `h` (bytesHash), or -1. */
  get(h: number, buf: Uint8Array, from: number, to: number): number {
    const s = this.bucketOf(h);
    if (this.matches(s, h, buf, from, to)) return this.slots[s + 1]!;
    if (this.matches(s + SLOT, h, buf, from, to)) return this.slots[s + SLOT + 1]!;
    return -1;
  }

  /** Remembers `value` for a name get() did not find, in its bucket's first slot; the first goes second, the second
   * is dropped. A no-op for a name longer than a slot holds. */
  set(h: number, buf: Uint8Array, from: number, to: number, value: number): void {
    if (to - from > NAME_BYTES) return;
    const s = this.bucketOf(h);
    this.slots.copyWithin(s + SLOT, s, s + SLOT);
    this.slots[s] = h;
    this.slots[s + 1] = value;
    this.slots[s + 2] = to - from;
    this.names.set(buf.subarray(from, to), (s + 3) * 4);
  }

  /** Forgets the ASCII name `name` if it holds `value` (a forgotten user's row, about to be someone else's). */
  forget(name: string, value: number): void {
    const h = stringHash(name);
    const b = this.bucketOf(h);
    for (const s of [b, b + SLOT]) {
      if (this.slots[s] === h && this.slots[s + 1] === value) {
        this.slots[s] = -1;
        this.slots[s + 2] = -1;
      }
    }
  }
}
