// The users in activity order, the least recently active first (forgotten first, detector.ts): a doubly linked list
// threaded through the users' rows in two small Int32Arrays (-1 ends it), so moving a user touches a few entries
// of arrays that stay in cache rather than the neighbours' objects.

export class ActivityOrder {
  private before = new Int32Array(64);
  private after = new Int32Array(64);
  /** The least and the most recently active row, -1 when none. */
  oldest = -1;
  newest = -1;

  /** Puts `row` (not in the list) at its end, growing the arrays by doubling. */
  append(row: number): void {
    if (row >= this.before.length) {
      const size = Math.max(row + 1, this.before.length * 2);
      const before = new Int32Array(size);
      before.set(this.before);
      this.before = before;
      const after = new Int32Array(size);
      after.set(this.after);
      this.after = after;
    }
    this.before[row] = this.newest;
    this.after[row] = -1;
    if (this.newest >= 0) this.after[this.newest] = row;
    else this.oldest = row;
    this.newest = row;
  }

  /** Takes `row` (in the list) out of it. */
  unlink(row: number): void {
    const before = this.before[row]!;
    const after = this.after[row]!;
    if (before >= 0) this.after[before] = after;
    else this.oldest = after;
    if (after >= 0) this.before[after] = before;
    else this.newest = before;
  }

  /** Moves `row` (in the list) to its end. */
  touch(row: number): void {
    if (row === this.newest) return;
    this.unlink(row);
    this.append(row);
  }
}
