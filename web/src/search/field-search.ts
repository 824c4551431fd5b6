// Field search over routing headers (never content): from, to/info, tag, level, precedence and a DTG date range,
// combined with AND, over every inbox line the node lets the user see. Pure, so Node can test it.
import { Classifications, Precedences, type Classification, type Precedence } from '../../../src/cable/types.ts';

/** The header fields field search reads (an inbox line has them all). */
export interface HeaderLine {
  readonly id: string;
  readonly dtg: string;
  readonly precedence: Precedence;
  readonly classification: Classification;
  readonly from: string;
  readonly to: readonly string[];
  readonly info: readonly string[];
  readonly tags: readonly string[];
}

export interface FieldQuery {
  readonly from: string;
  /** An action or information addressee. */
  readonly to: string;
  readonly tag: string;
  readonly level: Classification | '';
  readonly precedence: Precedence | '';
  /** `YYYY-MM-DD` bounds on the DTG's date, inclusive; empty for none. */
  readonly since: string;
  readonly until: string;
}

export const ANY: FieldQuery = { from: '', to: '', tag: '', level: '', precedence: '', since: '', until: '' };

export function isEmpty(q: FieldQuery): boolean {
  return Object.values(q).every((v) => v === '');
}

export function fieldMatch(line: HeaderLine, q: FieldQuery): boolean {
  const day = line.dtg.slice(0, 10);
  return (
    (!q.from || line.from === q.from) &&
    (!q.to || line.to.includes(q.to) || line.info.includes(q.to)) &&
    (!q.tag || line.tags.includes(q.tag)) &&
    (!q.level || line.classification === q.level) &&
    (!q.precedence || line.precedence === q.precedence) &&
    (!q.since || day >= q.since) &&
    (!q.until || day <= q.until)
  );
}

/** One line per cable (the inbox has one per addressed office of the user), FLASH first, newest first. */
export function distinctLines<L extends HeaderLine>(lines: readonly L[]): L[] {
  const byId = new Map<string, L>();
  for (const l of lines) if (!byId.has(l.id)) byId.set(l.id, l);
  return [...byId.values()].sort((a, b) => Precedences.indexOf(a.precedence) - Precedences.indexOf(b.precedence) || b.dtg.localeCompare(a.dtg));
}

/** The values the filters offer: those present in the headers. */
export function choicesOf(lines: readonly HeaderLine[]): { from: string[]; to: string[]; tags: string[]; levels: Classification[] } {
  const from = new Set<string>();
  const to = new Set<string>();
  const tags = new Set<string>();
  const levels = new Set<Classification>();
  for (const l of lines) {
    from.add(l.from);
    [...l.to, ...l.info].forEach((o) => to.add(o));
    l.tags.forEach((t) => tags.add(t));
    levels.add(l.classification);
  }
  return { from: [...from].sort(), to: [...to].sort(), tags: [...tags].sort(), levels: Classifications.filter((l) => levels.has(l)) };
}
