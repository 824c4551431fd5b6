// The devices and networks every user has used (at most MAX_SOURCES each, least recently used dropped), one row per
// user in shared typed arrays, with when each was first and last seen. A source is found by a hash of its name
// first and the name itself only on a match: scanning per-user lists of strings (objects scattered over the heap)
// was the detector's most expensive lookup at 10,000 users (docs/detection.md "Throughput").

import { sameName } from './byte-names.ts';

export const MAX_SOURCES = 8;

/** A 32-bit hash of a device or network name: a first filter, equality is still the name's. */
export function sourceHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

/** Doubles per source in a row: its name's hash, first and last use, judged (0/1), reads. */
const FIELDS = 5;
const HASH = 0;
const FIRST_SEEN = 1;
const LAST_SEEN = 2;
const JUDGED = 3;
const READS = 4;
/** Doubles per row: the count of sources, then MAX_SOURCES sources of FIELDS each. */
const STRIDE = 1 + MAX_SOURCES * FIELDS;
/** Bytes per source in `inline`: the name's length (a byte; NOT_INLINE when the name is not ASCII or does not fit),
 * then from the next word the name, compared four bytes at a time (byte-names.ts sameName). */
const INLINE = 32;
const NAME_AT = 4;
const NOT_INLINE = 255;

/**
 * One row per user in one Float64Array, `[size, (hash, firstSeen, lastSeen, judged, reads) × MAX_SOURCES]`, so
 * judging and learning a source touch a few adjacent cache lines rather than one line in each of six arrays; the
 * names are kept apart and compared only on a hash match.
 */
export class SourceRows {
  names: (string | undefined)[] = [];
  data = new Float64Array(0);
  /** The names again as bytes, INLINE a source, for the replay's fast path: comparing a line's bytes with them
   * touches one line of this array where a string was two loads, the names array and the string, one after the
   * other. Laid in a record (lay()), a view of the record's bytes. */
  inline = new Uint8Array(0);
  /** `inline` as Int32 words. */
  private inlineWords = new Int32Array(0);
  /** Doubles per row (a user's whole record once laid, UserRows) and where the row starts in it; bytes per row of
   * `inline` and where the row's names start in it. */
  stride = STRIDE;
  off = 0;
  private inlineStride = MAX_SOURCES * INLINE;
  private inlineOff = 0;
  private laid = false;

  /** Doubles a row takes in a record: the row, then its names' bytes. */
  static readonly SPAN = STRIDE + (MAX_SOURCES * INLINE) / 8;

  /** Lays the rows inside the records of `data` (`stride` doubles each, this table's SPAN at `off`): the owner of
   * `data` grows it and lays the table again. */
  lay(data: Float64Array<ArrayBuffer>, stride: number, off: number): void {
    this.data = data;
    this.inline = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.inlineWords = new Int32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
    this.stride = stride;
    this.off = off;
    this.inlineStride = stride * 8;
    this.inlineOff = (off + STRIDE) * 8;
    this.laid = true;
  }

  /** Makes `row` exist and empty (rows are reused when a user is forgotten); grows by doubling. */
  reset(row: number): void {
    if (!this.laid && (row + 1) * STRIDE > this.data.length) {
      const rows = Math.max(row + 1, (this.data.length / STRIDE) * 2, 64);
      const fresh = new Float64Array(rows * STRIDE);
      fresh.set(this.data);
      this.data = fresh;
      const inline = new Uint8Array(rows * MAX_SOURCES * INLINE);
      inline.set(this.inline);
      this.inline = inline;
      this.inlineWords = new Int32Array(inline.buffer);
    }
    while (this.names.length < (row + 1) * MAX_SOURCES) this.names.push(undefined);
    this.data[row * this.stride + this.off] = 0;
    const base = row * MAX_SOURCES;
    for (let i = 0; i < MAX_SOURCES; i++) this.names[base + i] = undefined; // let a forgotten user's strings go
  }

  /** Where the row's `i`th name's bytes start in `inline`. */
  private inlineAt(row: number, i: number): number {
    return row * this.inlineStride + this.inlineOff + i * INLINE;
  }

  /** UserRows.prefetch: the row's count and first source (two words, 40 bytes apart, cover its lines), and its
   * first name's length. */
  prefetch(row: number): number {
    const b = row * this.stride + this.off;
    return this.data[b]! + this.data[b + FIELDS]! + this.inline[this.inlineAt(row, 0)]!;
  }

  /** The source's position in `row` (for firstSeen, judged, reads, touch), or -1. */
  find(row: number, name: string): number {
    const d = this.data;
    const base = row * this.stride + this.off;
    const n = d[base]!;
    const h = sourceHash(name);
    for (let i = 0; i < n; i++) if (d[base + 1 + i * FIELDS + HASH] === h && this.names[row * MAX_SOURCES + i] === name) return i;
    return -1;
  }

  /** find() for the name `buf[from, to)` (ASCII) whose sourceHash is `h`: the replay's fast path, no string made. */
  findBytes(row: number, h: number, buf: Uint8Array, from: number, to: number): number {
    const d = this.data;
    const base = row * this.stride + this.off;
    const n = d[base]!;
    const len = to - from;
    for (let i = 0; i < n; i++) {
      if (d[base + 1 + i * FIELDS + HASH] !== h) continue;
      const at = this.inlineAt(row, i);
      const inlineLen = this.inline[at]!;
      if (inlineLen !== NOT_INLINE) {
        if (inlineLen === len && sameName(this.inlineWords, (at + NAME_AT) >> 2, buf, from, to)) return i;
        continue;
      }
      const name = this.names[row * MAX_SOURCES + i]!;
      if (name.length !== len) continue;
      let k = 0;
      while (k < len && name.charCodeAt(k) === buf[from + k]) k++;
      if (k === len) return i;
    }
    return -1;
  }

  /** How many sources `row` holds. */
  count(row: number): number {
    return this.data[row * this.stride + this.off]!;
  }

  firstSeen(row: number, i: number): number {
    return this.data[row * this.stride + this.off + 1 + i * FIELDS + FIRST_SEEN]!;
  }

  /** Whether the source appeared after the user had a history (a user's very first device is not "new"). */
  judged(row: number, i: number): boolean {
    return this.data[row * this.stride + this.off + 1 + i * FIELDS + JUDGED] !== 0;
  }

  reads(row: number, i: number): number {
    return this.data[row * this.stride + this.off + 1 + i * FIELDS + READS]!;
  }

  /** Records a use (a read when `isRead`). Past the cap the least recently used source is dropped. */
  see(row: number, name: string, at: number, judged: boolean, isRead: boolean): void {
    const i = this.find(row, name);
    if (i >= 0) this.touch(row, i, at, isRead);
    else this.insert(row, name, at, judged, isRead);
  }

  /** A use of the known source at position `i`. */
  touch(row: number, i: number, at: number, isRead: boolean): void {
    const at0 = row * this.stride + this.off + 1 + i * FIELDS;
    this.data[at0 + LAST_SEEN] = at;
    if (isRead) this.data[at0 + READS] = this.data[at0 + READS]! + 1;
  }

  /** The first use of a source the row does not hold (find gave -1). */
  insert(row: number, name: string, at: number, judged: boolean, isRead: boolean): void {
    const d = this.data;
    const base = row * this.stride + this.off;
    let n = d[base]!;
    if (n >= MAX_SOURCES) {
      let lru = 0;
      for (let j = 1; j < n; j++) if (d[base + 1 + j * FIELDS + LAST_SEEN]! < d[base + 1 + lru * FIELDS + LAST_SEEN]!) lru = j;
      // Shift the rest down, keeping the order (ties in the LRU choice go to the first).
      d.copyWithin(base + 1 + lru * FIELDS, base + 1 + (lru + 1) * FIELDS, base + 1 + n * FIELDS);
      const names = row * MAX_SOURCES;
      for (let j = names + lru; j < names + n - 1; j++) this.names[j] = this.names[j + 1];
      this.inline.copyWithin(this.inlineAt(row, lru), this.inlineAt(row, lru + 1), this.inlineAt(row, n));
      n--;
    }
    const k = base + 1 + n * FIELDS;
    this.names[row * MAX_SOURCES + n] = name;
    this.setInline(this.inlineAt(row, n), name);
    d[k + HASH] = sourceHash(name);
    d[k + FIRST_SEEN] = at;
    d[k + LAST_SEEN] = at;
    d[k + JUDGED] = judged ? 1 : 0;
    d[k + READS] = isRead ? 1 : 0;
    d[base] = n + 1;
  }

  private setInline(at: number, name: string): void {
    let ascii = name.length <= INLINE - NAME_AT;
    for (let i = 0; ascii && i < name.length; i++) ascii = name.charCodeAt(i) < 0x80;
    if (!ascii) {
      this.inline[at] = NOT_INLINE;
      return;
    }
    this.inline[at] = name.length;
    for (let i = 0; i < name.length; i++) this.inline[at + NAME_AT + i] = name.charCodeAt(i);
  }
}
