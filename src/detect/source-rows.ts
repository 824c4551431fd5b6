// The devices and networks every user has used (at most MAX_SOURCES each, least recently used dropped), one row per
// user in shared typed arrays, with when each was first and last seen. A source is found by a hash of its name
// first and the name itself only on a match: scanning per-user lists of strings (objects scattered over the heap)
// was the detector's most expensive lookup at 10,000 users (docs/detection.md "Throughput").

export const MAX_SOURCES = 8;

/** A 32-bit hash of a device or network name: a first filter, equality is still the name's. */
export function sourceHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

export class SourceRows {
  names: (string | undefined)[] = [];
  hashes = new Int32Array(0);
  firstSeen = new Float64Array(0);
  lastSeen = new Float64Array(0);
  /** Whether the source appeared after the user had a history (a user's very first device is not "new"). */
  judged = new Uint8Array(0);
  reads = new Int32Array(0);
  sizes = new Int32Array(0);

  // The detector asks for the same name twice per event (judging it, then learning it): the last answer is kept
  // until that row changes.
  private lastRow = -1;
  private lastName: string | undefined;
  private lastIndex = -1;

  /** Makes `row` exist and empty (rows are reused when a user is forgotten); grows by doubling. */
  reset(row: number): void {
    if (row >= this.sizes.length) {
      const rows = Math.max(row + 1, this.sizes.length * 2, 64);
      const n = rows * MAX_SOURCES;
      const grow = <A extends Int32Array | Float64Array | Uint8Array>(old: A, fresh: A): A => (fresh.set(old), fresh);
      this.hashes = grow(this.hashes, new Int32Array(n));
      this.firstSeen = grow(this.firstSeen, new Float64Array(n));
      this.lastSeen = grow(this.lastSeen, new Float64Array(n));
      this.judged = grow(this.judged, new Uint8Array(n));
      this.reads = grow(this.reads, new Int32Array(n));
      this.sizes = grow(this.sizes, new Int32Array(rows));
      while (this.names.length < n) this.names.push(undefined);
    }
    this.sizes[row] = 0;
    if (row === this.lastRow) this.lastRow = -1;
    const base = row * MAX_SOURCES;
    for (let i = 0; i < MAX_SOURCES; i++) this.names[base + i] = undefined; // let a forgotten user's strings go
  }

  /** The source's position in `row` (add row × MAX_SOURCES for the arrays), or -1. */
  find(row: number, name: string): number {
    if (row === this.lastRow && name === this.lastName) return this.lastIndex;
    const base = row * MAX_SOURCES;
    const n = this.sizes[row]!;
    const h = sourceHash(name);
    let found = -1;
    for (let i = 0; i < n; i++) {
      if (this.hashes[base + i] === h && this.names[base + i] === name) {
        found = i;
        break;
      }
    }
    this.lastRow = row;
    this.lastName = name;
    return (this.lastIndex = found);
  }

  /** Records a use (a read when `isRead`). Past the cap the least recently used source is dropped. */
  see(row: number, name: string, at: number, judged: boolean, isRead: boolean): void {
    const base = row * MAX_SOURCES;
    const i = this.find(row, name);
    if (i >= 0) {
      this.lastSeen[base + i] = at;
      if (isRead) this.reads[base + i]!++;
      return;
    }
    this.lastRow = -1;
    let n = this.sizes[row]!;
    if (n >= MAX_SOURCES) {
      let lru = 0;
      for (let j = 1; j < n; j++) if (this.lastSeen[base + j]! < this.lastSeen[base + lru]!) lru = j;
      // Shift the rest down, keeping the order (ties in the LRU choice go to the first).
      const from = base + lru + 1;
      const to = base + n;
      this.hashes.copyWithin(base + lru, from, to);
      this.firstSeen.copyWithin(base + lru, from, to);
      this.lastSeen.copyWithin(base + lru, from, to);
      this.judged.copyWithin(base + lru, from, to);
      this.reads.copyWithin(base + lru, from, to);
      for (let j = base + lru; j < to - 1; j++) this.names[j] = this.names[j + 1];
      n--;
    }
    const k = base + n;
    this.names[k] = name;
    this.hashes[k] = sourceHash(name);
    this.firstSeen[k] = at;
    this.lastSeen[k] = at;
    this.judged[k] = judged ? 1 : 0;
    this.reads[k] = isRead ? 1 : 0;
    this.sizes[row] = n + 1;
  }
}
