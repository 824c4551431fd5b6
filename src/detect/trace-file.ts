// Reading trace and labels files line by line (the file edge of the detector): streamed, so a trace of any length
// replays in the detector's bounded memory. Blank lines are skipped but still counted for line numbers. Lines end
// with \n or \r\n (JSON Lines).
//
// Read in large chunks and split here rather than through readline: readline's per-line events and an async
// iteration step per line cost more than parsing the line did (docs/detection.md "Throughput").
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FileError } from '../errors.ts';
import { parseLabelLine, type AttackLabel } from './labels.ts';
import { parseTraceLine, type TraceEvent } from './trace.ts';

/**
 * Bytes read at a time: large enough that the per-read cost vanishes, and small enough that the decoded text stays
 * below V8's large-object size (128 KiB): large objects are only freed by full collections, and 1 MiB chunks
 * doubled the replay's peak RSS.
 */
const CHUNK = 1 << 16;

/** A run of lines from one chunk, and the 1-based number of the first. */
interface Lines {
  readonly lines: string[];
  readonly firstLineNo: number;
}

/** The file's descriptor for reading; `file.missing` when it cannot be opened. */
function openTrace(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (cause) {
    throw new FileError('file.missing', `cannot read ${path}`, { cause });
  }
}

// eslint-disable-next-line @typescript-eslint/require-await -- the reads are synchronous on purpose (below); callers keep their for-await
async function* linesOf(path: string): AsyncGenerator<Lines> {
  // Synchronous reads: a 64 KiB read from the page cache takes microseconds, while an awaited one waited for a pool
  // thread and an event-loop turn (about a tenth of a replay's time spent idle on a busy machine).
  const fd = openTrace(path);
  try {
    // StringDecoder keeps a UTF-8 sequence split across two chunks whole.
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(CHUNK);
    let partial = '';
    let lineNo = 1;
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, CHUNK, null);
      const text = bytesRead > 0 ? decoder.write(buffer.subarray(0, bytesRead)) : decoder.end();
      const lines: string[] = [];
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        // The line left over from the last chunk is joined to its rest alone, never the whole chunk to it.
        const line = from === 0 && partial.length > 0 ? partial + text.slice(0, nl) : text.slice(from, nl);
        lines.push(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
        partial = '';
        from = nl + 1;
      }
      partial += text.slice(from);
      if (bytesRead === 0 && partial.length > 0) lines.push(partial.charCodeAt(partial.length - 1) === 13 ? partial.slice(0, -1) : partial);
      if (lines.length > 0) yield { lines, firstLineNo: lineNo };
      lineNo += lines.length;
      if (bytesRead === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Calls `onLine` with every line of the file as bytes, `buf[from, to)` without its line end, and its 1-based
 * number: the replay's fast path (trace-bytes.ts), which reads most lines without decoding them. Synchronous, in
 * CHUNK reads; a line is never split across calls (the buffer grows for a line longer than it).
 */
export function forEachLine(
  path: string,
  onLine: (buf: Buffer, from: number, to: number, lineNo: number) => void,
  onChunkEnd?: () => void,
): void {
  const fd = openTrace(path);
  try {
    let buf = Buffer.allocUnsafe(2 * CHUNK);
    let end = 0;
    let lineNo = 1;
    for (;;) {
      if (buf.length - end < CHUNK) {
        const grown = Buffer.allocUnsafe(Math.max(2 * CHUNK, 2 * end));
        buf.copy(grown, 0, 0, end);
        buf = grown;
      }
      const bytesRead = readSync(fd, buf, end, CHUNK, null);
      end += bytesRead;
      // Only [0, end) is this file's: a view, so indexOf does not find a stale newline past it.
      const view = buf.subarray(0, end);
      let start = 0;
      for (let nl = view.indexOf(10); nl >= 0; nl = view.indexOf(10, start)) {
        onLine(view, start, nl > start && view[nl - 1] === 13 ? nl - 1 : nl, lineNo++);
        start = nl + 1;
      }
      if (bytesRead === 0) {
        if (start < end) onLine(view, start, view[end - 1] === 13 ? end - 1 : end, lineNo);
        onChunkEnd?.();
        return;
      }
      onChunkEnd?.();
      buf.copy(buf, 0, start, end);
      end -= start;
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether a line holds anything: a line starting with `{` (every trace line) needs no trim. */
export const blank = (line: string) => line.charCodeAt(0) !== 0x7b && line.trim().length === 0;

/**
 * The trace's events in file order, in batches (one per chunk read, so the caller's loop runs synchronously over
 * each). The evidence numbering is the running count of events: blank lines do not count.
 */
export async function* readTrace(path: string): AsyncGenerator<TraceEvent[]> {
  for await (const { lines, firstLineNo } of linesOf(path)) {
    const events: TraceEvent[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!blank(line)) events.push(parseTraceLine(line, firstLineNo + i));
    }
    if (events.length > 0) yield events;
  }
}

export async function readLabels(path: string): Promise<AttackLabel[]> {
  const labels: AttackLabel[] = [];
  for await (const { lines, firstLineNo } of linesOf(path)) {
    for (let i = 0; i < lines.length; i++) if (!blank(lines[i]!)) labels.push(parseLabelLine(lines[i]!, firstLineNo + i));
  }
  return labels;
}
