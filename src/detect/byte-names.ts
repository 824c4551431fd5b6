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

/** Whether the Int32Array views of the slots read bytes as little-endian words, as the DataView reads are asked to
 * (on a big-endian machine names are compared byte by byte). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

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
  /** The buffer last compared against, and a DataView of it for reading its bytes four at a time. */
  private viewed: Uint8Array | undefined;
  private words: DataView = new DataView(new ArrayBuffer(0));

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
    const length = to - from;
    if (slots[s] !== h || slots[s + 2] !== length) return false;
    if (buf !== this.viewed) {
      this.viewed = buf;
      this.words = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    // Four bytes at a time (the name is at a word boundary of the slot): the last word masked to the name's
    // bytes, as the slot keeps an earlier, longer name's bytes past it. Bytes at the very end of the buffer.
    const full = length >> 2;
    const words = this.words;
    const at = s + 3;
    if (!LITTLE_ENDIAN || from + 4 * full + 4 > buf.byteLength) {
      const names = this.names;
      for (let i = 0; i < length; i++) if (names[at * 4 + i] !== buf[from + i]) return false;
      return true;
    }
    for (let k = 0; k < full; k++) if (words.getInt32(from + 4 * k, true) !== slots[at + k]) return false;
    const tail = length & 3;
    if (tail === 0) return true;
    const mask = (1 << (8 * tail)) - 1;
    return ((words.getInt32(from + 4 * full, true) ^ slots[at + full]!) & mask) === 0;
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
