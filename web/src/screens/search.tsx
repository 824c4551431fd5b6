// Search, done in the browser: field search over every routing header the user may see (paged from the inbox once
// per session), and full text over the cables this device opened (its own sealed index). Searching never fetches
// or opens a cable: results link to the reader, where opening is the user's explicit, logged read.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Classifications, type Classification } from '../../../src/cable/types.ts';
import type { InboxLine } from '../../../src/client/reading.ts';
import { describeError, isSessionEnd } from '../components/use-task.ts';
import { useApp, useMarking } from '../device-context.ts';
import { ANY, choicesOf, fieldMatch, isEmpty, type FieldQuery, type HeaderLine } from '../search/field-search.ts';
import { allHeaders } from '../search/headers.ts';
import { openedIndex } from '../search/opened.ts';
import { Results, type ResultLine } from '../search/results.tsx';
import { SearchForm } from '../search/search-form.tsx';
import type { TextIndex } from '../search/text-index.ts';
import '../search/search.css';

const SHOWN = 200;

function run(headers: readonly InboxLine[], byId: ReadonlyMap<string, InboxLine>, index: TextIndex, text: string, fields: FieldQuery): ResultLine[] {
  const subjectOf = (id: string) => index.cable(id)?.subject ?? null;
  if (text.trim()) {
    const out: ResultLine[] = [];
    for (const id of index.search(text)) {
      // A cable opened here but no longer in the user's inbox keeps what the index knows of its header.
      const meta = index.cable(id);
      const line: HeaderLine | undefined = byId.get(id) ?? (meta ? { ...meta, precedence: meta.precedence as HeaderLine['precedence'], classification: meta.classification as HeaderLine['classification'], to: [], info: [], tags: [] } : undefined);
      if (line && fieldMatch(line, fields)) out.push({ ...line, subject: subjectOf(id) });
    }
    return out;
  }
  if (isEmpty(fields)) return [];
  return headers.filter((l) => fieldMatch(l, fields)).map((l) => ({ ...l, subject: subjectOf(l.id) }));
}

export function Search() {
  const app = useApp();
  const { session } = app.device;
  const [headers, setHeaders] = useState<InboxLine[] | null>(null);
  const [index, setIndex] = useState<TextIndex | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [fields, setFields] = useState<FieldQuery>(ANY);

  const load = (fresh: boolean) => {
    setError(null);
    allHeaders(session, fresh).then(setHeaders, (e: unknown) => (isSessionEnd(e) ? app.sessionEnded(describeError(e)) : setError(describeError(e))));
  };
  // Once per session (`load` is recreated each render, so it is not a dependency).
  useEffect(() => load(false), [session]);
  useEffect(() => {
    openedIndex(session).then(setIndex, (e: unknown) => setError(`The full-text index could not be opened: ${describeError(e)}`));
  }, [session]);

  const byId = useMemo(() => new Map((headers ?? []).map((l) => [l.id, l])), [headers]);
  const choices = useMemo(() => choicesOf(headers ?? []), [headers]);
  const outcome = useMemo(() => {
    if (!headers || !index) return null;
    const started = performance.now();
    const lines = run(headers, byId, index, text, fields);
    return { lines, ms: performance.now() - started };
  }, [headers, byId, index, text, fields]);

  const asked = text.trim() !== '' || !isEmpty(fields);
  const shown = asked && outcome ? outcome.lines.slice(0, SHOWN) : [];
  // A subject is protected content: the banners rise to the highest level of any cable whose subject is on screen.
  const marking = shown.reduce<Classification>((top, l) => {
    const level = l.classification as Classification;
    return l.subject !== null && Classifications.indexOf(level) > Classifications.indexOf(top) ? level : top;
  }, 'UNCLASSIFIED');
  useMarking(marking);
  return (
    <section class="search" aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <p class="search-help">
        Filters search the routing header of every cable you may see. Words search only the {index ? index.size : '…'} cable
        {index?.size === 1 ? '' : 's'} opened on this device (each opening was a recorded read); searching opens nothing.
      </p>
      <SearchForm text={text} fields={fields} choices={choices} onText={setText} onFields={setFields} />
      {error ? (
        <p class="error" role="alert">
          {error}{' '}
          <button type="button" class="secondary" onClick={() => load(true)}>
            Try again
          </button>
        </p>
      ) : null}
      {!outcome && !error ? <p aria-busy="true">Loading the routing headers…</p> : null}
      {outcome ? (
        <>
          <p class="search-summary" role="status" data-testid="search-summary">
            {asked
              ? `${outcome.lines.length} result${outcome.lines.length === 1 ? '' : 's'} among ${headers?.length ?? 0} headers (${outcome.ms.toFixed(1)} ms)${outcome.lines.length > SHOWN ? `, first ${SHOWN} shown` : ''}`
              : `${headers?.length ?? 0} routing headers loaded. Type words or pick a filter.`}{' '}
            <button type="button" class="link" onClick={() => load(true)}>
              Refresh headers
            </button>
          </p>
          {asked ? <Results lines={shown} /> : null}
        </>
      ) : null}
    </section>
  );
}
