// The replay's memo from a user's name as bytes to their row (docs/detection.md "Throughput", fifth step): an
// index of (hash, row) pairs, 8 bytes a user, so at 10,000 users it stays in the caches where a 64-byte slot per
// name did not; the name itself is kept in the user's record (UserRows.keepName), whose lines the detector loads
// for the event anyway. Like ByteNames: a miss goes the string way once and is remembered; bounded, as a slot is
// overwritten by the next name that maps to it.
import { spread, stringHash } from './byte-names.ts';
import { USER_NAME_BYTES, type UserRows } from './user-rows.ts';

/** Int32s per bucket: two ways of (hash, row + 1), the newer first; row + 1 = 0 is an empty way. */
const BUCKET = 4;

export class UserNames {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** About `size` ways (a power of two, at least 64). */
  constructor(
    size: number,
    private readonly rows: UserRows,
  ) {
    let n = 64;
    while (n < size) n *= 2;
    this.mask = n / 2 - 1;
    this.slots = new Int32Array(n * 2);
  }

  private bucketOf(h: number): number {
    return (spread(h) & this.mask) * BUCKET;
  }

  /** The row a name with hash `h` probably has (its bucket's newer way with that hash), or -1: a hint only, the
   * name is not compared. */
  likelyRow(h: number): number {
    const b = this.bucketOf(h);
    const s = this.slots;
    return s[b] === h ? s[b + 1]! - 1 : s[b + 2] === h ? s[b + 3]! - 1 : -1;
  }

  /** The row of the user named `buf[from, to)` with hash `h` (bytesHash), or -1. */
  get(h: number, buf: Uint8Array, from: number, to: number): number {
    const b = this.bucketOf(h);
    const s = this.slots;
    if (s[b] === h && s[b + 1]! > 0 && this.rows.hasName(s[b + 1]! - 1, buf, from, to)) return s[b + 1]! - 1;
    if (s[b + 2] === h && s[b + 3]! > 0 && this.rows.hasName(s[b + 3]! - 1, buf, from, to)) return s[b + 3]! - 1;
    return -1;
  }

  /** Remembers `row` for a name get() did not find (the row's record made fresh already): its bucket's newer way,
   * the older dropped. A no-op for a name longer than a record keeps. */
  set(h: number, buf: Uint8Array, from: number, to: number, row: number): void {
    if (to - from > USER_NAME_BYTES) return;
    this.rows.keepName(row, buf, from, to);
    const b = this.bucketOf(h);
    const s = this.slots;
    s[b + 2] = s[b]!;
    s[b + 3] = s[b + 1]!;
    s[b] = h;
    s[b + 1] = row + 1;
  }

  /** Forgets the ASCII name `name` if it holds `row` (a forgotten user's row, about to be someone else's). */
  forget(name: string, row: number): void {
    const h = stringHash(name);
    const b = this.bucketOf(h);
    const s = this.slots;
    for (const w of [b, b + 2]) if (s[w] === h && s[w + 1] === row + 1) s[w + 1] = 0;
  }
}
