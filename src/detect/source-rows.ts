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

/** Doubles per source in a row: its name's hash, first and last use, judged (0/1), reads. */
const FIELDS = 5;
const HASH = 0;
const FIRST_SEEN = 1;
const LAST_SEEN = 2;
const JUDGED = 3;
const READS = 4;
/** Doubles per row: the count of sources, then MAX_SOURCES sources of FIELDS each. */
const STRIDE = 1 + MAX_SOURCES * FIELDS;

/**
 * One row per user in one Float64Array, `[size, (hash, firstSeen, lastSeen, judged, reads) × MAX_SOURCES]`, so
 * judging and learning a source touch a few adjacent cache lines rather than one line in each of six arrays; the
 * names are kept apart and compared only on a hash match.
 */
export class SourceRows {
  names: (string | undefined)[] = [];
  data = new Float64Array(0);

  // The detector asks for the same name twice per event (judging it, then learning it): the last answer is kept
  // until that row changes.
  private lastRow = -1;
  private lastName: string | undefined;
  private lastIndex = -1;

  /** Makes `row` exist and empty (rows are reused when a user is forgotten); grows by doubling. */
  reset(row: number): void {
    if ((row + 1) * STRIDE > this.data.length) {
      const rows = Math.max(row + 1, (this.data.length / STRIDE) * 2, 64);
      const fresh = new Float64Array(rows * STRIDE);
      fresh.set(this.data);
      this.data = fresh;
      while (this.names.length < rows * MAX_SOURCES) this.names.push(undefined);
    }
    this.data[row * STRIDE] = 0;
    if (row === this.lastRow) this.lastRow = -1;
    const base = row * MAX_SOURCES;
    for (let i = 0; i < MAX_SOURCES; i++) this.names[base + i] = undefined; // let a forgotten user's strings go
  }

  /** The source's position in `row` (for firstSeen, judged, reads), or -1. */
  find(row: number, name: string): number {
    if (row === this.lastRow && name === this.lastName) return this.lastIndex;
    const d = this.data;
    const base = row * STRIDE;
    const n = d[base]!;
    const h = sourceHash(name);
    let found = -1;
    for (let i = 0; i < n; i++) {
      if (d[base + 1 + i * FIELDS + HASH] === h && this.names[row * MAX_SOURCES + i] === name) {
        found = i;
        break;
      }
    }
    this.lastRow = row;
    this.lastName = name;
    return (this.lastIndex = found);
  }

  /** How many sources `row` holds. */
  count(row: number): number {
    return this.data[row * STRIDE]!;
  }

  firstSeen(row: number, i: number): number {
    return this.data[row * STRIDE + 1 + i * FIELDS + FIRST_SEEN]!;
  }

  /** Whether the source appeared after the user had a history (a user's very first device is not "new"). */
  judged(row: number, i: number): boolean {
    return this.data[row * STRIDE + 1 + i * FIELDS + JUDGED] !== 0;
  }

  reads(row: number, i: number): number {
    return this.data[row * STRIDE + 1 + i * FIELDS + READS]!;
  }

  /** Records a use (a read when `isRead`). Past the cap the least recently used source is dropped. */
  see(row: number, name: string, at: number, judged: boolean, isRead: boolean): void {
    const d = this.data;
    const base = row * STRIDE;
    const i = this.find(row, name);
    if (i >= 0) {
      const at0 = base + 1 + i * FIELDS;
      d[at0 + LAST_SEEN] = at;
      if (isRead) d[at0 + READS] = d[at0 + READS]! + 1;
      return;
    }
    this.lastRow = -1;
    let n = d[base]!;
    if (n >= MAX_SOURCES) {
      let lru = 0;
      for (let j = 1; j < n; j++) if (d[base + 1 + j * FIELDS + LAST_SEEN]! < d[base + 1 + lru * FIELDS + LAST_SEEN]!) lru = j;
      // Shift the rest down, keeping the order (ties in the LRU choice go to the first).
      d.copyWithin(base + 1 + lru * FIELDS, base + 1 + (lru + 1) * FIELDS, base + 1 + n * FIELDS);
      const names = row * MAX_SOURCES;
      for (let j = names + lru; j < names + n - 1; j++) this.names[j] = this.names[j + 1];
      n--;
    }
    const k = base + 1 + n * FIELDS;
    this.names[row * MAX_SOURCES + n] = name;
    d[k + HASH] = sourceHash(name);
    d[k + FIRST_SEEN] = at;
    d[k + LAST_SEEN] = at;
    d[k + JUDGED] = judged ? 1 : 0;
    d[k + READS] = isRead ? 1 : 0;
    d[base] = n + 1;
  }
}
