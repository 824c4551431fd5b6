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

function Choice({ label, value, all, options, onPick }: { label: string; value: string; all: string; options: readonly string[]; onPick: (v: string) => void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onPick(e.currentTarget.value)}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o} value={o}>{o}</option>
        ))}
      </select>
    </label>
  );
}

export function SearchForm({ text, fields, choices, onText, onFields }: SearchFormProps) {
  const set = (patch: Partial<FieldQuery>) => onFields({ ...fields, ...patch });
  return (
    <form class="search-form" role="search" aria-label="Search cables" onSubmit={(e) => e.preventDefault()}>
      <label class="search-text">
        Words in cables opened on this device
        <input type="search" value={text} onInput={(e) => onText(e.currentTarget.value)} placeholder="e.g. tariffs steel" autoComplete="off" spellcheck={false} />
      </label>
      <Choice label="From office" value={fields.from} all="Any office" options={choices.from} onPick={(from) => set({ from })} />
      <Choice label="To or info office" value={fields.to} all="Any office" options={choices.to} onPick={(to) => set({ to })} />
      <Choice label="Tag" value={fields.tag} all="Any tag" options={choices.tags} onPick={(tag) => set({ tag })} />
      <Choice label="Level" value={fields.level} all="Any level" options={choices.levels} onPick={(level) => set({ level: level as Classification | '' })} />
      <Choice label="Precedence" value={fields.precedence} all="Any precedence" options={Precedences} onPick={(precedence) => set({ precedence: precedence as Precedence | '' })} />
      <label>
        Sent on or after
        <input type="date" value={fields.since} onChange={(e) => set({ since: e.currentTarget.value })} />
      </label>
      <label>
        Sent on or before
        <input type="date" value={fields.until} onChange={(e) => set({ until: e.currentTarget.value })} />
      </label>
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
