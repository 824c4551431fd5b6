// The inbox's lines as the screen shows them: one per cable (a cable addressed to several of the user's offices
// arrives once per office), FLASH → ROUTINE and newest first, filtered on the client over the lines loaded so far.
import type { InboxLine } from '../../../src/client/reading.ts';
import { Classifications, Precedences, type Classification } from '../../../src/cable/types.ts';

/** One cable in the inbox, with every office of the user it reached. */
export interface InboxItem {
  readonly line: InboxLine;
  readonly offices: readonly string[];
  readonly unread: boolean;
}

export interface InboxFilter {
  readonly office: string;
  readonly tag: string;
  readonly level: Classification | '';
  /** `YYYY-MM-DD` bounds on the DTG's date, inclusive; empty for none. */
  readonly from: string;
  readonly to: string;
}

export const NO_FILTER: InboxFilter = { office: '', tag: '', level: '', from: '', to: '' };

/** Merges the pages' entries into one item per cable, in precedence order then newest first. */
export function itemsOf(lines: readonly InboxLine[]): InboxItem[] {
  const byId = new Map<string, { line: InboxLine; offices: string[]; unread: boolean }>();
  for (const line of lines) {
    const seen = byId.get(line.id);
    if (!seen) byId.set(line.id, { line, offices: [line.office], unread: line.readAt === null });
    else {
      if (!seen.offices.includes(line.office)) seen.offices.push(line.office);
      // Read through any office is read: the read mark is the user's, not the office's.
      seen.unread = seen.unread && line.readAt === null;
    }
  }
  return [...byId.values()].sort(
    (a, b) => Precedences.indexOf(a.line.precedence) - Precedences.indexOf(b.line.precedence) || b.line.dtg.localeCompare(a.line.dtg) || b.line.acceptedAt - a.line.acceptedAt,
  );
}

export function matches(item: InboxItem, f: InboxFilter): boolean {
  const day = item.line.dtg.slice(0, 10);
  return (
    (!f.office || item.offices.includes(f.office)) &&
    (!f.tag || item.line.tags.includes(f.tag)) &&
    (!f.level || item.line.classification === f.level) &&
    (!f.from || day >= f.from) &&
    (!f.to || day <= f.to)
  );
}

/** The values each filter offers: only those present in the loaded lines. */
export function choicesOf(items: readonly InboxItem[]): { offices: string[]; tags: string[]; levels: Classification[] } {
  const offices = new Set<string>();
  const tags = new Set<string>();
  const levels = new Set<Classification>();
  for (const i of items) {
    i.offices.forEach((o) => offices.add(o));
    i.line.tags.forEach((t) => tags.add(t));
    levels.add(i.line.classification);
  }
  return { offices: [...offices].sort(), tags: [...tags].sort(), levels: Classifications.filter((l) => levels.has(l)) };
}

/** `2026-11-26T14:30:00Z` → `26 Nov 2026 14:30Z`, compact for a line. */
export function shortDtg(dtg: string): string {
  const d = new Date(dtg);
  if (Number.isNaN(d.getTime())) return dtg;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()} ${dtg.slice(11, 16)}Z`;
}
