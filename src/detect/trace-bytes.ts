// The replay's fast path over trace lines as bytes (docs/detection.md "Throughput", third step): the scanner of
// trace.ts, run on the file's bytes instead of decoded text, filling preallocated columns (field positions, the
// time, constants as small ints) instead of building an event and a string per field. It accepts only lines the
// string scanner accepts, restricted to printable ASCII, and says the same of them (test/detect/trace-bytes.test.ts);
// every other line — non-ASCII, escapes, another key order, anything malformed — is decoded and handed to
// parseTraceLine, so refusals and their messages stay the strict path's.
import { Classifications } from '../cable/types.ts';
import { MAX_TRACE_LINE, TraceEventKinds } from './trace.ts';
import { MAX_TAGS, type ScannedLine } from './scanned-line.ts';
import { hashWord, Pattern, special, zeroByte } from './byte-words.ts';

const MAX_FIELD = 200;
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE = 0x7d;

const KEY_ORDER = ['t', 'kind', 'user', 'device', 'ip', 'cable', 'office', 'level', 'tags', 'age_days', 'canary'] as const;

const KEY_PREFIX = KEY_ORDER.map((k) => new Pattern(`,"${k}":`, 2));
const QUOTED_KINDS = TraceEventKinds.map((k) => new Pattern(`"${k}"`, 1));
const QUOTED_LEVELS = Classifications.map((l) => new Pattern(`"${l}"`, 1));
const TIME_PREFIX = new Pattern('{"t":"');
const TRUE = new Pattern('true');
const FALSE = new Pattern('false');
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The buffer `words` reads, and its DataView (made again only when the scanner is handed another buffer). */
let viewed: Uint8Array | undefined;
let words: DataView = new DataView(new ArrayBuffer(0));
let wordsEnd = 0;

/** Whether `buf[pos, end)` starts with `p`. Reads whole words, past `end` when the buffer goes on (the bytes past
 * the pattern are masked off); a byte loop only at the buffer's very end. */
function bytesAt(buf: Uint8Array, pos: number, end: number, p: Pattern): boolean {
  if (pos + p.length > end) return false;
  const w = p.words;
  const n = w.length;
  if (pos + 4 * n > wordsEnd) {
    for (let i = 0; i < p.length; i++) if (buf[pos + i] !== p.bytes[i]) return false;
    return true;
  }
  // Keys are two or three words: unrolled for them.
  if (n === 2) return words.getInt32(pos, true) === w[0] && (words.getInt32(pos + 4, true) & p.lastMask) === w[1];
  if (n === 3) return words.getInt32(pos, true) === w[0] && words.getInt32(pos + 4, true) === w[1] && (words.getInt32(pos + 8, true) & p.lastMask) === w[2];
  for (let i = 0; i < n - 1; i++) if (words.getInt32(pos + 4 * i, true) !== w[i]) return false;
  return (words.getInt32(pos + 4 * (n - 1), true) & p.lastMask) === w[n - 1];
}

/** Byte classes for the field scan: 0 plain (printable ASCII but the quote and the backslash), 1 the quote, 2
 * anything the fast path leaves to the strict path (control characters, the backslash, non-ASCII). */
const CLASS = new Uint8Array(256).fill(2);
for (let b = 0x20; b <= 0x7e; b++) CLASS[b] = 0;
CLASS[QUOTE] = 1;
CLASS[0x5c] = 2;

/** bytesHash (byte-names.ts) of the field fieldEnd, cableEnd or ipEnd last scanned, computed on the way. */
let fieldHash = 0;
/** cableEnd: the end of the cable id's first part (its first '/', or -1) and its hash. ipEnd: where the
 * address's network ends (sources.ts networkEnd) and its hash. */
let cutAt = -1;
let cutHash = 0;

/** Whether the byte at `i`, of class `c` (not plain), closes the field opened at `from`: a quote, after 1 to
 * MAX_FIELD bytes. */
function closes(c: number, from: number, i: number): boolean {
  return c === 1 && i - from - 1 > 0 && i - from - 1 <= MAX_FIELD;
}

/** The hash plainUntil reached. */
let plainHash = 0;

/**
 * From `i` (the hash so far `h`), over plain bytes (CLASS 0) up to the first that is not, or is `stop` (a byte; 0
 * for none, zero being no plain byte): whole words while none holds either, then bytes. Returns where it stopped,
 * with the hash there in plainHash.
 */
function plainUntil(buf: Uint8Array, i: number, end: number, h: number, stop: number): number {
  const lanes = stop * 0x01010101;
  for (let x = 0; i + 4 <= end && (special((x = words.getInt32(i, true))) | zeroByte(x ^ lanes)) === 0; i += 4) h = hashWord(h, x);
  for (; i < end; i++) {
    const b = buf[i]!;
    if (CLASS[b] !== 0 || b === stop) break;
    h = (Math.imul(h, 31) + b) | 0;
  }
  plainHash = h;
  return i;
}

/** The rest of a field opened at `from`, from `i` with the hash so far `h`: its end (the closing quote, its hash in
 * fieldHash), or -1. */
function fieldRest(buf: Uint8Array, from: number, i: number, end: number, h: number): number {
  i = plainUntil(buf, i, end, h, 0);
  if (i >= end || !closes(CLASS[buf[i]!]!, from, i)) return -1;
  fieldHash = plainHash;
  return i;
}

/** End (the closing quote) of a plain field whose opening quote is at `from`, or -1: only printable ASCII without
 * a backslash (anything else is the strict path's), 1 to MAX_FIELD bytes. */
function fieldEnd(buf: Uint8Array, from: number, end: number): number {
  return buf[from] === QUOTE ? fieldRest(buf, from, from + 1, end, 0) : -1;
}

/** fieldEnd for the cable, noting its first '/' (novelty.ts originatorOf) in cutAt and cutHash. */
function cableEnd(buf: Uint8Array, from: number, end: number): number {
  cutAt = -1;
  if (buf[from] !== QUOTE) return -1;
  const i = plainUntil(buf, from + 1, end, 0, 0x2f);
  if (i < end && buf[i] === 0x2f) {
    cutAt = i;
    cutHash = plainHash;
  }
  return fieldRest(buf, from, i, end, plainHash);
}

/** fieldEnd for the address, with its network's end and hash (sources.ts networkOf) in cutAt and cutHash: without
 * a colon (IPv4, or anything dotted), up to its last dot; with one (IPv6), up to its fourth (colonIpEnd). */
function ipEnd(buf: Uint8Array, from: number, end: number): number {
  if (buf[from] !== QUOTE) return -1;
  const i = plainUntil(buf, from + 1, end, 0, 0x3a);
  if (i < end && buf[i] === 0x3a) return colonIpEnd(buf, from, end);
  const close = fieldRest(buf, from, i, end, plainHash);
  if (close >= 0) networkCut(buf, from + 1, close);
  return close;
}

/** The network of a colonless address `buf[from, to)`: up to its last dot (all of it without one), and its hash. */
function networkCut(buf: Uint8Array, from: number, to: number): void {
  let dot = to - 1;
  while (dot >= from && buf[dot] !== 0x2e) dot--;
  cutAt = dot >= from ? dot : to;
  plainUntil(buf, from, cutAt, 0, 0);
  cutHash = plainHash;
}

/** ipEnd for an address with a colon: bytes, with the network's end at its fourth colon (or its end). */
function colonIpEnd(buf: Uint8Array, from: number, end: number): number {
  let h = 0;
  let colons = 0;
  let cut = -1;
  for (let i = from + 1; i < end; i++) {
    const b = buf[i]!;
    const c = CLASS[b]!;
    if (c !== 0) {
      if (!closes(c, from, i)) return -1;
      fieldHash = h;
      if (cut < 0) {
        cut = i;
        cutHash = h;
      }
      cutAt = cut;
      return i;
    }
    if (b === 0x3a && ++colons === 4 && cut < 0) {
      cut = i;
      cutHash = h;
    }
    h = (Math.imul(h, 31) + b) | 0;
  }
  return -1;
}

/** Index of the quoted constant at `from` (followed by `,` or `}`), or -1. */
function constantAt(buf: Uint8Array, from: number, end: number, quoted: readonly Pattern[]): number {
  const letter = buf[from + 1];
  for (let i = 0; i < quoted.length; i++) {
    const q = quoted[i]!;
    if (q.probe === letter && bytesAt(buf, from, end, q)) {
      const next = from + q.length < end ? buf[from + q.length] : -1;
      return next === COMMA || next === CLOSE ? i : -1;
    }
  }
  return -1;
}

function digits(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

/** The date (YYYY-MM-DD) timeAt last accepted, as bytes, and its midnight: a trace's lines come in time order, so
 * nearly every line's date is the last one's and is compared, not parsed. */
let lastDate0 = 0;
let lastDate1 = 0;
let lastDate2 = 0;
let lastDateValid = false;
let lastDayMs = 0;

/** trace.ts's timeAt over bytes: the same checks, the date parsed and checked once per day. */
function timeAt(s: Uint8Array, from: number, to: number): number {
  const len = to - from;
  if (len < 20 || len > 24) return Number.NaN;
  if (s[from + 10] !== 84 || s[from + 13] !== 58 || s[from + 16] !== 58 || s[to - 1] !== 90) return Number.NaN;
  let ms = 0;
  if (len > 20) {
    if (s[from + 19] !== 46 || len === 21) return Number.NaN;
    ms = digits(s, from + 20, to - 1) * 10 ** (24 - len);
  }
  const hour = digits(s, from + 11, from + 13);
  const minute = digits(s, from + 14, from + 16);
  const second = digits(s, from + 17, from + 19);
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
  const d0 = words.getInt32(from, true);
  const d1 = words.getInt32(from + 4, true);
  const d2 = words.getUint16(from + 8, true);
  if (!(lastDateValid && d0 === lastDate0 && d1 === lastDate1 && d2 === lastDate2)) {
    if (s[from + 4] !== 45 || s[from + 7] !== 45) return Number.NaN;
    const year = digits(s, from, from + 4);
    const month = digits(s, from + 5, from + 7);
    const day = digits(s, from + 8, from + 10);
    if (!(year >= 1970 && month >= 1 && month <= 12 && day >= 1)) return Number.NaN;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !leap)) return Number.NaN;
    lastDate0 = d0;
    lastDate1 = d1;
    lastDate2 = d2;
    lastDateValid = true;
    lastDayMs = Date.UTC(year, month - 1, day);
  }
  return lastDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/**
 * Scans `buf[from, to)` (one line, without its line end) into `out`: true when the line is one the fast path
 * takes, false for anything else (then decode it and call parseTraceLine). Never throws.
 */
export function scanTraceBytes(buf: Uint8Array, from: number, to: number, out: ScannedLine): boolean {
  if (buf !== viewed) {
    viewed = buf;
    words = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    wordsEnd = buf.byteLength;
  }
  if (to - from > MAX_TRACE_LINE || !bytesAt(buf, from, to, TIME_PREFIX)) return false;
  // A time without fractions ends 20 bytes on; a quote earlier than that fails timeAt either way.
  let end = from + 26 < to && buf[from + 26] === QUOTE ? from + 26 : from + 6;
  while (end < to && buf[end] !== QUOTE) end++;
  if (end >= to) return false;
  const at = timeAt(buf, from + 6, end);
  if (Number.isNaN(at)) return false;
  out.buf = buf;
  out.at = at;
  out.kind = 0;
  out.level = -1;
  out.tagCount = -1;
  out.ageDays = -1;
  out.canary = -1;
  let pos = end + 1;
  let rank = 0;
  let seen = 1;
  while (pos < to && buf[pos] === COMMA) {
    let r = rank + 1;
    const letter = buf[pos + 2];
    while (r < KEY_ORDER.length && !(KEY_PREFIX[r]!.probe === letter && bytesAt(buf, pos, to, KEY_PREFIX[r]!))) r++;
    if (r === KEY_ORDER.length) return false;
    rank = r;
    seen |= 1 << r;
    pos = scanValue(buf, pos + KEY_PREFIX[r]!.length, to, r, out);
    if (pos < 0) return false;
  }
  if (pos !== to - 1 || buf[pos] !== CLOSE) return false;
  out.seen = seen;
  return (seen & 0b110) === 0b110 && (out.kind !== 0 || (seen & 0b1100000) === 0b1100000);
}

function scanValue(buf: Uint8Array, from: number, to: number, r: number, out: ScannedLine): number {
  switch (r) {
    case 8:
      return scanTags(buf, from, to, out);
    case 9: {
      let i = from;
      let n = 0;
      for (; i < to && i - from < 8; i++) {
        const d = buf[i]! - 48;
        if (d < 0 || d > 9) break;
        n = n * 10 + d;
      }
      if (i === from || i - from >= 8 || (buf[from] === 48 && i - from > 1) || n > 1_000_000) return -1;
      out.ageDays = n;
      return i;
    }
    case 10:
      if (bytesAt(buf, from, to, TRUE)) out.canary = 1;
      else if (bytesAt(buf, from, to, FALSE)) out.canary = 0;
      else return -1;
      return from + 4 + (1 - out.canary);
    case 1: {
      const k = constantAt(buf, from, to, QUOTED_KINDS);
      if (k < 0) return -1;
      out.kind = k;
      return from + QUOTED_KINDS[k]!.length;
    }
    case 7: {
      const l = constantAt(buf, from, to, QUOTED_LEVELS);
      if (l < 0) return -1;
      out.level = l;
      return from + QUOTED_LEVELS[l]!.length;
    }
    default: {
      const end = r === 5 ? cableEnd(buf, from, to) : r === 4 ? ipEnd(buf, from, to) : fieldEnd(buf, from, to);
      if (end < 0) return -1;
      out.from[r] = from + 1;
      out.to[r] = end;
      out.hash[r] = fieldHash;
      if (r === 5) {
        out.originEnd = cutAt;
        out.originHash = cutHash;
      } else if (r === 4) {
        out.networkEnd = cutAt;
        out.networkHash = cutHash;
      }
      return end + 1;
    }
  }
}

function scanTags(buf: Uint8Array, from: number, to: number, out: ScannedLine): number {
  if (buf[from] !== 0x5b) return -1; // '['
  let n = 0;
  let pos = from + 1;
  if (buf[pos] !== 0x5d) {
    for (;;) {
      const end = fieldEnd(buf, pos, to);
      if (end < 0 || n === MAX_TAGS) return -1;
      out.tagFrom[n] = pos + 1;
      out.tagTo[n] = end;
      out.tagHash[n] = fieldHash;
      n++;
      pos = end + 1;
      if (buf[pos] !== COMMA) break;
      pos++;
    }
    if (buf[pos] !== 0x5d) return -1; // ']'
  }
  out.tagCount = n;
  return pos + 1;
}

