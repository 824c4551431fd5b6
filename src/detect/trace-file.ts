// Reading trace and labels files line by line (the file edge of the detector): streamed, so a trace of any length
// replays in the detector's bounded memory. Blank lines are skipped but still counted for line numbers.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { FileError } from '../errors.ts';
import { parseLabelLine, type AttackLabel } from './labels.ts';
import { parseTraceLine, type TraceEvent } from './trace.ts';

async function* linesOf(path: string): AsyncGenerator<[string, number]> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (cause) => reject(new FileError('file.missing', `cannot read ${path}`, { cause })));
  });
  await opened;
  let lineNo = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim().length > 0) yield [line, lineNo];
  }
}

/** The trace's events in file order with their 0-based index (the evidence numbering: blank lines do not count). */
export async function* readTrace(path: string): AsyncGenerator<[TraceEvent, number]> {
  let index = 0;
  for await (const [line, lineNo] of linesOf(path)) yield [parseTraceLine(line, lineNo), index++];
}

export async function readLabels(path: string): Promise<AttackLabel[]> {
  const labels: AttackLabel[] = [];
  for await (const [line, lineNo] of linesOf(path)) labels.push(parseLabelLine(line, lineNo));
  return labels;
}
