// The inbox's filters: office, tag, level and a date range, applied in the browser to the lines loaded so far.
import type { Classification } from '../../../src/cable/types.ts';
import { NO_FILTER, type InboxFilter } from './inbox-lines.ts';

export interface InboxFiltersProps {
  readonly filter: InboxFilter;
  readonly choices: { readonly offices: readonly string[]; readonly tags: readonly string[]; readonly levels: readonly Classification[] };
  readonly onChange: (f: InboxFilter) => void;
}

export function InboxFilters({ filter, choices, onChange }: InboxFiltersProps) {
  const set = (patch: Partial<InboxFilter>) => onChange({ ...filter, ...patch });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  return (
    <form class="inbox-filters" aria-label="Filter the inbox" onSubmit={(e) => e.preventDefault()}>
      <label>
        Office
        <select value={filter.office} onChange={(e) => set({ office: value(e) })}>
          <option value="">All offices</option>
          {choices.offices.map((o) => (
            <option key={o} value={o}>{o}</option>
          ))}
        </select>
      </label>
      <label>
        Tag
        <select value={filter.tag} onChange={(e) => set({ tag: value(e) })}>
          <option value="">All tags</option>
          {choices.tags.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Level
        <select value={filter.level} onChange={(e) => set({ level: value(e) as Classification | '' })}>
          <option value="">All levels</option>
          {choices.levels.map((l) => (
            <option key={l} value={l}>{l}</option>
          ))}
        </select>
      </label>
      <label>
        From date
        <input type="date" value={filter.from} onChange={(e) => set({ from: value(e) })} />
      </label>
      <label>
        To date
        <input type="date" value={filter.to} onChange={(e) => set({ to: value(e) })} />
      </label>
      <button type="button" class="secondary" onClick={() => onChange(NO_FILTER)}>
        Clear filters
      </button>
    </form>
  );
}
