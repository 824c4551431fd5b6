// One trace line as the byte scanner (trace-bytes.ts) leaves it: columns of field positions and numbers, reused for
// every line, and read by the detector's fast path (Detector.pushLine) and ScannedEvent.
import { Classifications } from '../cable/types.ts';
import { TraceEventKinds, type TraceEvent } from './trace.ts';

/** Tags a line may carry on the fast path (more go to the strict path). */
export const MAX_TAGS = 32;

/** Field ranks in issue 7's key order; F_* index the from/to columns of the text fields. */
export const F_USER = 2;
export const F_DEVICE = 3;
export const F_IP = 4;
export const F_CABLE = 5;
export const F_OFFICE = 6;
/**
 * One scanned line, as columns reused for every line: where each text field lies in `buf` (from, to; -1 when
 * absent), and the rest as numbers. Valid until the next line is scanned into it.
 */
export class ScannedLine {
  buf: Uint8Array = new Uint8Array(0);
  /** Milliseconds (a double from the start: see scratch.ts). */
  at = Number.NaN;
  /** Index in TraceEventKinds. */
  kind = 0;
  /** Bit per key rank present. */
  seen = 0;
  readonly from = new Int32Array(7);
  readonly to = new Int32Array(7);
  /** bytesHash of each text field, computed while scanning it. */
  readonly hash = new Int32Array(7);
  /** The cable id's first part ends here (its first '/'; -1 when it has none), with its hash. */
  originEnd = -1;
  originHash = 0;
  /** The address's network (sources.ts networkOf) ends here, with its hash. */
  networkEnd = -1;
  networkHash = 0;
  /** Index in Classifications, or -1. */
  level = -1;
  /** -1 when the line has no tags. */
  tagCount = -1;
  readonly tagFrom = new Int32Array(MAX_TAGS);
  readonly tagTo = new Int32Array(MAX_TAGS);
  readonly tagHash = new Int32Array(MAX_TAGS);
  /** -1 when absent. */
  ageDays = -1;
  /** -1 absent, 0 false, 1 true. */
  canary = -1;

  has(field: number): boolean {
    return (this.seen & (1 << field)) !== 0;
  }

  /** A text field as a string (ASCII, so one byte is one character), or undefined when absent. */
  text(field: number): string | undefined {
    return this.has(field) ? latin1(this.buf, this.from[field]!, this.to[field]!) : undefined;
  }

  tags(): string[] | undefined {
    if (this.tagCount < 0) return undefined;
    const tags: string[] = [];
    for (let i = 0; i < this.tagCount; i++) tags.push(latin1(this.buf, this.tagFrom[i]!, this.tagTo[i]!));
    return tags;
  }

  /** The line as the event parseTraceLine gives for it (tests, and callers that want an event). */
  event(): TraceEvent {
    const e: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = { at: this.at, kind: TraceEventKinds[this.kind]!, user: this.text(F_USER)! };
    for (const [f, key] of [[F_DEVICE, 'device'], [F_IP, 'ip'], [F_CABLE, 'cable'], [F_OFFICE, 'office']] as const) if (this.has(f)) e[key] = this.text(f)!;
    if (this.level >= 0) e.level = Classifications[this.level]!;
    if (this.tagCount >= 0) e.tags = this.tags()!;
    if (this.ageDays >= 0) e.ageDays = this.ageDays;
    if (this.canary >= 0) e.canary = this.canary === 1;
    return e;
  }
}

/** `buf[from, to)` as a string, one character per byte (the fast path's text is ASCII). Only for names not met
 * before, and for rules or callers that ask for a text field. */
export function latin1(buf: Uint8Array, from: number, to: number): string {
  return ASCII.decode(buf.subarray(from, to));
}
// windows-1252 under WHATWG's name, which is ASCII below 0x80: all the fast path lets through.
const ASCII = new TextDecoder('latin1');

