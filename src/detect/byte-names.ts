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

/** The bits of a name's hash mixed, so names that differ in their last bytes land in different buckets. */
export function spread(h: number): number {
  const x = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return x ^ (x >>> 12);
}

/** The buffer sameName last read, and a DataView of it (one per chunk of a trace, which serves thousands of lines). */
let viewed: Uint8Array | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));
/** Its length in bytes (a typed array's byteLength is not a plain load). */
let viewedEnd = 0;

/**
 * Whether `buf[from, to)` is the name kept at word `at` of `words` (an Int32Array view, the name starting at a
 * word boundary). Four bytes at a time: the last word masked to the name's bytes, as the words keep an earlier,
 * longer name's bytes past it; byte by byte at the very end of the buffer (or on a big-endian machine).
 */
export function sameName(words: Int32Array, at: number, buf: Uint8Array, from: number, to: number): boolean {
  if (buf !== viewed) {
    viewed = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    viewedEnd = buf.byteLength;
  }
  const length = to - from;
  const full = length >> 2;
  if (!LITTLE_ENDIAN || from + 4 * full + 4 > viewedEnd) {
    const bytes = new Uint8Array(words.buffer, words.byteOffset + 4 * at, length);
    for (let i = 0; i < length; i++) if (bytes[i] !== buf[from + i]) return false;
    return true;
  }
  const v = view;
  for (let k = 0; k < full; k++) if (v.getInt32(from + 4 * k, true) !== words[at + k]) return false;
  const tail = length & 3;
  return tail === 0 || ((v.getInt32(from + 4 * full, true) ^ words[at + full]!) & ((1 << (8 * tail)) - 1)) === 0;
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
    return (spread(h) & this.mask) * 2 * SLOT;
  }

  private matches(s: number, h: number, buf: Uint8Array, from: number, to: number): boolean {
    const slots = this.slots;
    return slots[s] === h && slots[s + 2] === to - from && sameName(slots, s + 3, buf, from, to);
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
