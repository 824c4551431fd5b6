// The inbox: the routing headers of the cables addressed to the user's offices (never their content — opening one
// is a logged read, so this screen only links to the reader). FLASH and IMMEDIATE stand out in words and in shape,
// unread lines are bold and say so, and the list is walked with the arrow keys or j/k and opened with Enter.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { renderMarking } from '../../../src/cable/telegram.ts';
import { fetchInbox, type InboxLine } from '../../../src/client/reading.ts';
import { describeError, isSessionEnd } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import { choicesOf, itemsOf, matches, NO_FILTER, shortDtg, type InboxFilter, type InboxItem } from '../inbox/inbox-lines.ts';
import { InboxFilters } from '../inbox/inbox-filters.tsx';
import { hrefOf } from '../route.ts';
import { useCanaries } from '../canaries/officer-canaries.ts';
import { hasRole, useMe } from './workspace.tsx';
import '../inbox/inbox.css';
import '../canaries/canaries.css';

const PAGE = 100;

function Line(props: { readonly item: InboxItem; readonly active: boolean; readonly showOffice: boolean; readonly canary: boolean; readonly onFocus: () => void }) {
  const { item, active, showOffice, canary, onFocus } = props;
  const l = item.line;
  const urgent = l.precedence === 'FLASH' || l.precedence === 'IMMEDIATE';
  const marking = renderMarking({ classification: l.classification, caveats: l.caveats, releasableTo: l.releasableTo });
  const label = `${l.precedence} ${marking} cable ${l.id} from ${l.from} to ${item.offices.join(', ')}, ${shortDtg(l.dtg)}${item.unread ? ', unread' : ''}${canary ? ', a canary: opening it freezes your account' : ''}`;
  return (
    <li class={`inbox-line${item.unread ? ' unread' : ''}${urgent ? ` urgent prec-${l.precedence.toLowerCase()}` : ''}`}>
      <a href={hrefOf({ screen: 'cable', id: l.id })} tabIndex={active ? 0 : -1} aria-label={label} data-testid="inbox-line" data-cable={l.id} onFocus={onFocus}>
        <span class={`prec prec-${l.precedence.toLowerCase()}`}>{urgent ? `▲ ${l.precedence}` : l.precedence}</span>
        <span class={`lvl lvl-${l.classification.toLowerCase()}`}>{marking}</span>
        <span class="cid">{l.id}</span>
        <span class="route">
          {l.from}
          {showOffice ? ` → ${item.offices.join(', ')}` : ''}
        </span>
        <span class="tags">{l.tags.join(' ')}</span>
        <time class="dtg" dateTime={l.dtg}>{shortDtg(l.dtg)}</time>
        <span class="marks">
          {item.unread ? <span class="unread-mark">Unread</span> : null}
          {canary ? <span class="canary-mark" data-testid="canary-mark">Canary</span> : null}
        </span>
      </a>
    </li>
  );
}

export function Inbox() {
  const app = useApp();
  const { session } = app.device;
  const [lines, setLines] = useState<InboxLine[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<InboxFilter>(NO_FILTER);
  const [active, setActive] = useState(0);
  const list = useRef<HTMLOListElement>(null);
  // A security officer sees which lines are canaries: opening one would freeze them too.
  const canaries = useCanaries(session, hasRole(useMe(), 'security-officer'));

  const load = (after?: string) => {
    setLoading(true);
    setError(null);
    fetchInbox(session, { limit: PAGE, ...(after ? { after } : {}) }).then(
      (page) => {
        setLines((old) => (after ? [...old, ...page.entries] : page.entries));
        setNext(page.next);
        setLoading(false);
      },
      (e: unknown) => {
        setLoading(false);
        if (isSessionEnd(e)) app.sessionEnded(describeError(e));
        else setError(describeError(e));
      },
    );
  };
  // Loads once per session (`load` is recreated every render, so it is not a dependency).
  useEffect(() => load(), [session]);

  const items = useMemo(() => itemsOf(lines), [lines]);
  const choices = useMemo(() => choicesOf(items), [items]);
  const shown = useMemo(() => items.filter((i) => matches(i, filter)), [items, filter]);
  const urgent = shown.filter((i) => i.line.precedence === 'FLASH' || i.line.precedence === 'IMMEDIATE').length;
  const unread = shown.filter((i) => i.unread).length;
  const current = Math.min(active, Math.max(0, shown.length - 1));

  const move = (to: number) => {
    const target = Math.max(0, Math.min(shown.length - 1, to));
    setActive(target);
    list.current?.querySelectorAll<HTMLAnchorElement>('a[data-testid="inbox-line"]')[target]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const keys: Record<string, number> = { ArrowDown: current + 1, j: current + 1, ArrowUp: current - 1, k: current - 1, Home: 0, End: shown.length - 1 };
    const to = keys[e.key];
    if (to === undefined) return;
    e.preventDefault();
    move(to);
  };

  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <InboxFilters filter={filter} choices={choices} onChange={(f) => { setFilter(f); setActive(0); }} />
      <p class="inbox-summary" aria-live="polite">
        {loading && !lines.length ? 'Loading the inbox…' : `${shown.length} of ${items.length} cables shown · ${urgent} FLASH or IMMEDIATE · ${unread} unread`}
        {filter !== NO_FILTER ? ' · filters apply to the cables loaded so far' : ''}
      </p>
      <p class="note inbox-help">Use ↑ ↓ or j k to move through the list, Enter to open a cable. Opening a cable is recorded on the audit log.</p>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <ol class="inbox-lines" ref={list} aria-label="Cables, most urgent first" onKeyDown={onKey}>
        {shown.map((item, i) => (
          <Line key={item.line.id} item={item} active={i === current} showOffice={choices.offices.length > 1} canary={canaries?.has(item.line.id) ?? false} onFocus={() => setActive(i)} />
        ))}
      </ol>
      {!loading && !error && shown.length === 0 ? <p>No cables{items.length ? ' match these filters' : ' yet'}.</p> : null}
      {next ? (
        <button type="button" class="secondary" disabled={loading} onClick={() => load(next)}>
          {loading ? 'Loading…' : 'Load more cables'}
        </button>
      ) : null}
    </section>
  );
}
