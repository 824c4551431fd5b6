// A searchable multi-select of offices for one addressee list (To or Info): the chosen offices as a list, each with
// the policy's reasons if it may not receive the cable at the chosen marking and a button to remove it; a search
// field and the matching offices (with their ceiling and host node) to add. Plain buttons and lists, so every
// control has an accessible name and works with a keyboard and a screen reader without ARIA widgets to emulate.
import { useState } from 'preact/hooks';
import type { Office } from '../../../src/client/directory.ts';
import type { DenialReason } from '../../../src/policy/decision.ts';
import type { Finding } from './draft-form.ts';

export interface OfficePickerProps {
  readonly id: string;
  readonly label: string;
  readonly offices: readonly Office[];
  readonly selected: readonly string[];
  /** Offices already used elsewhere on the cable (the other list, the originating office): not offered. */
  readonly taken: readonly string[];
  readonly flags: ReadonlyMap<string, readonly DenialReason[]>;
  /** Would this office be refused at the current marking? Shown beside the search results before choosing. */
  readonly refusal: (office: Office) => readonly DenialReason[];
  readonly findings: readonly Finding[];
  readonly onChange: (codes: string[]) => void;
}

const SHOWN = 8;

export function OfficePicker(props: OfficePickerProps) {
  const { id, label, offices, selected, taken, flags, refusal, findings, onChange } = props;
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const candidates = offices.filter((o) => !selected.includes(o.code) && !taken.includes(o.code) && (q === '' || o.code.toLowerCase().includes(q) || o.name.toLowerCase().includes(q)));
  const byCode = new Map(offices.map((o) => [o.code as string, o]));

  return (
    <fieldset class="office-picker" aria-describedby={`${id}-problems`}>
      <legend>{label}</legend>
      {selected.length === 0 ? <p class="hint">No office chosen.</p> : null}
      <ul class="chosen" aria-label={`${label}: chosen offices`}>
        {selected.map((code) => {
          const office = byCode.get(code);
          const reasons = flags.get(code) ?? [];
          return (
            <li key={code} class={reasons.length > 0 ? 'flagged' : ''} data-testid={`${id}-chosen`}>
              <span class="office-code">{code}</span>
              {office ? <span class="office-meta"> up to {office.ceiling} · {office.node}</span> : null}
              {reasons.map((r) => (
                <span class="flag" role="note" key={r.code}>
                  ⚠ {r.message} <code>{r.code}</code>
                </span>
              ))}
              <button type="button" class="link" aria-label={`Remove ${code} from ${label}`} onClick={() => onChange(selected.filter((c) => c !== code))}>
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <label class="search">
        Search offices for {label}
        <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="code or name" autocomplete="off" />
      </label>
      <ul class="candidates" aria-label={`Offices to add to ${label}`} aria-live="polite">
        {candidates.slice(0, SHOWN).map((o) => {
          const would = refusal(o);
          return (
            <li key={o.code}>
              <button type="button" class="candidate" aria-label={`Add ${o.code} to ${label}`} onClick={() => { onChange([...selected, o.code]); setQuery(''); }}>
                <span class="office-code">{o.code}</span>
                <span class="office-meta">{o.name} · up to {o.ceiling} · {o.node}</span>
                {would.length > 0 ? <span class="flag">⚠ {would.map((r) => r.code).join(', ')}</span> : null}
              </button>
            </li>
          );
        })}
        {candidates.length > SHOWN ? <li class="hint">{candidates.length - SHOWN} more: narrow the search.</li> : null}
        {candidates.length === 0 ? <li class="hint">No other office matches.</li> : null}
      </ul>
      <Problems id={`${id}-problems`} findings={findings} />
    </fieldset>
  );
}

/** The findings of one field, each with its code; an empty region when there are none, so it can be referenced. */
export function Problems({ id, findings }: { readonly id: string; readonly findings: readonly Finding[] }) {
  return (
    <ul id={id} class="problems" aria-live="polite">
      {findings.map((f, i) => (
        <li key={`${f.code}-${i}`}>
          {f.message} <code>{f.code}</code>
        </li>
      ))}
    </ul>
  );
}
