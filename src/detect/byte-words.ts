// A trace line's bytes four at a time (docs/detection.md "Throughput", fifth step): the format's constants as
// little-endian words, and the bit tricks that test and hash a word of a field at once. Pure; the scanner
// (trace-bytes.ts) reads the words.

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * A constant of the format (a key with its quotes, comma and colon; a kind; a level) as little-endian 32-bit words,
 * compared four bytes at a time through a DataView: a byte loop over the key names was a third of the scanner's
 * time (docs/detection.md "Throughput", fifth step).
 */
export class Pattern {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  /** The bits of the last word that belong to the pattern. */
  readonly lastMask: number;
  readonly length: number;
  /** Its byte at `probe` (a key's or a constant's first letter): a cheap first test between candidates. */
  readonly probe: number;
  constructor(
    text: string,
    readonly probeAt = 0,
  ) {
    this.bytes = ascii(text);
    this.length = this.bytes.length;
    this.probe = this.bytes[probeAt]!;
    const padded = new Uint8Array(Math.ceil(this.length / 4) * 4);
    padded.set(this.bytes);
    this.words = new Int32Array(padded.length / 4);
    const dv = new DataView(padded.buffer);
    for (let i = 0; i < this.words.length; i++) this.words[i] = dv.getInt32(4 * i, true);
    const tail = this.length % 4;
    this.lastMask = tail === 0 ? -1 : (1 << (8 * tail)) - 1;
  }
}
/** Non-zero when some byte of the word `x` is zero (exact as a yes or no; the classic bit trick). */
export function zeroByte(x: number): number {
  return (x - 0x01010101) & ~x & 0x80808080;
}

/** Non-zero when some byte of the word `x` is not a plain field byte (CLASS 0): non-ASCII, below 0x20, DEL, the
 * quote or the backslash. Four bytes tested in a few operations, where a byte loop costs a load and a branch each. */
export function special(x: number): number {
  return (x & 0x80808080) | ((x - 0x20202020) & ~x & 0x80808080) | zeroByte(x ^ 0x22222222) | zeroByte(x ^ 0x5c5c5c5c) | zeroByte(x ^ 0x7f7f7f7f);
}

/** bytesHash's h·31 + b over the four bytes of the little-endian word `x`, in one step: the same value, as
 * multiplications and sums mod 2^32 commute (the products are exact in a double before `| 0`). */
export function hashWord(h: number, x: number): number {
  return (Math.imul(h, 923521) + Math.imul(x & 0xff, 29791) + Math.imul((x >>> 8) & 0xff, 961) + Math.imul((x >>> 16) & 0xff, 31) + (x >>> 24)) | 0;
}

