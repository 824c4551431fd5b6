// The search form: the full-text box (cables opened on this device) and the routing-field filters, all applied as
// the user types or picks; every control has a visible label, so its accessible name is what it says.
import { Precedences, type Classification, type Precedence } from '../../../src/cable/types.ts';
import { ANY, type FieldQuery } from './field-search.ts';

export interface SearchFormProps {
  readonly text: string;
  readonly fields: FieldQuery;
  readonly choices: { readonly from: readonly string[]; readonly to: readonly string[]; readonly tags: readonly string[]; readonly levels: readonly Classification[] };
  readonly onText: (text: string) => void;
  readonly onFields: (fields: FieldQuery) => void;
}

// `for`/`id` rather than nesting, so a select's accessible name is its label alone, not the label plus its options.
function Choice({ id, label, value, all, options, onPick }: { id: string; label: string; value: string; all: string; options: readonly string[]; onPick: (v: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onPick(e.currentTarget.value)}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    </div>
  );
}

export function SearchForm({ text, fields, choices, onText, onFields }: SearchFormProps) {
  const set = (patch: Partial<FieldQuery>) => onFields({ ...fields, ...patch });
  return (
    <form class="search-form" role="search" aria-label="Search cables" onSubmit={(e) => e.preventDefault()}>
      <div class="field search-text">
        <label for="search-words">Words in cables opened on this device</label>
        <input id="search-words" type="search" value={text} onInput={(e) => onText(e.currentTarget.value)} placeholder="e.g. tariffs steel" autoComplete="off" spellcheck={false} />
      </div>
      <Choice id="search-from" label="From office" value={fields.from} all="Any office" options={choices.from} onPick={(from) => set({ from })} />
      <Choice id="search-to" label="To or info office" value={fields.to} all="Any office" options={choices.to} onPick={(to) => set({ to })} />
      <Choice id="search-tag" label="Tag" value={fields.tag} all="Any tag" options={choices.tags} onPick={(tag) => set({ tag })} />
      <Choice id="search-level" label="Level" value={fields.level} all="Any level" options={choices.levels} onPick={(level) => set({ level: level as Classification | '' })} />
      <Choice id="search-precedence" label="Precedence" value={fields.precedence} all="Any precedence" options={Precedences} onPick={(precedence) => set({ precedence: precedence as Precedence | '' })} />
      <div class="field">
        <label for="search-since">Sent on or after</label>
        <input id="search-since" type="date" value={fields.since} onChange={(e) => set({ since: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="search-until">Sent on or before</label>
        <input id="search-until" type="date" value={fields.until} onChange={(e) => set({ until: e.currentTarget.value })} />
      </div>
      <button
        type="button"
        class="secondary"
        onClick={() => {
          onText('');
          onFields(ANY);
        }}
      >
        Clear search
      </button>
    </form>
  );
}
