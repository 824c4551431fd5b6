// Every routing header the user may see, paged through the inbox once per session and kept in memory only (they
// are metadata, in clear at the node already; the session's end drops them).
import { fetchInbox, type InboxLine } from '../../../src/client/reading.ts';
import type { Session } from '../../../src/client/session.ts';
import { distinctLines } from './field-search.ts';

const PAGE = 200;
/** A bound on paging, so a node that keeps answering `next` cannot spin the tab. */
const MAX_PAGES = 500;

const cached = new WeakMap<Session, Promise<InboxLine[]>>();

async function fetchAll(s: Session): Promise<InboxLine[]> {
  const lines: InboxLine[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: { entries: InboxLine[]; next: string | null } = await fetchInbox(s, { limit: PAGE, ...(after ? { after } : {}) });
    lines.push(...answer.entries);
    after = answer.next;
    if (!after) break;
  }
  return distinctLines(lines);
}

/** One line per cable; fetched on first use in a session. `fresh` pages through again (the Refresh button). */
export function allHeaders(s: Session, fresh = false): Promise<InboxLine[]> {
  let p = fresh ? undefined : cached.get(s);
  if (!p) {
    p = fetchAll(s);
    cached.set(s, p);
    // A failed load is not cached: the next search tries again.
    p.catch(() => cached.delete(s));
  }
  return p;
}
