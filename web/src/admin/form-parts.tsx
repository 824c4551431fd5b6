// Pieces the Admin forms share: a labelled text field with its problems (codes shown, tied to the input by
// aria-describedby), a classification picker, and a role picker whose release ceiling appears for a releasing officer.
import { Classifications, type Classification, type OfficeCode } from '../../../src/cable/types.ts';
import { Roles, type Membership, type Role } from '../../../src/policy/subjects.ts';
import type { Problem } from './admin-validate.ts';

export const ROLE_WORDS: Record<Role, string> = { member: 'Member', 'releasing-officer': 'Releasing officer', 'security-officer': 'Security officer' };

export function ProblemList({ id, problems }: { readonly id: string; readonly problems: readonly Problem[] | undefined }) {
  return (
    <ul class="problems" id={id} data-testid={`${id}`}>
      {(problems ?? []).map((p, i) => (
        <li key={`${p.code}-${i}`}>
          {p.message} <code>{p.code}</code>
        </li>
      ))}
    </ul>
  );
}

export interface TextFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly problems?: readonly Problem[] | undefined;
  readonly hint?: string;
  readonly placeholder?: string;
  readonly autoCapitalize?: 'none' | 'characters' | 'words';
}

export function TextField({ id, label, value, onInput, problems, hint, placeholder, autoCapitalize = 'none' }: TextFieldProps) {
  const invalid = (problems?.length ?? 0) > 0;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint ? <p class="hint" id={`${id}-hint`}>{hint}</p> : null}
      <input
        id={id}
        type="text"
        value={value}
        placeholder={placeholder}
        autoComplete="off"
        spellcheck={false}
        autoCapitalize={autoCapitalize}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : '', `${id}-problems`].filter(Boolean).join(' ')}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <ProblemList id={`${id}-problems`} problems={problems} />
    </div>
  );
}

export function LevelSelect({ id, label, value, onChange, upTo }: { readonly id: string; readonly label: string; readonly value: Classification; readonly onChange: (level: Classification) => void; readonly upTo?: Classification }) {
  const levels = upTo ? Classifications.slice(0, Classifications.indexOf(upTo) + 1) : Classifications;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Classification)}>
        {levels.map((l) => (
          <option key={l} value={l}>{l}</option>
        ))}
      </select>
    </div>
  );
}

export interface RoleDraft {
  readonly office: string;
  readonly role: Role;
  readonly releaseCeiling: Classification;
}

export const EMPTY_ROLE: RoleDraft = { office: '', role: 'member', releaseCeiling: 'RESTRICTED' };

/** The membership a role draft stands for (the office already chosen from the node's list). */
export function membershipOf(d: RoleDraft, office: OfficeCode): Membership {
  return d.role === 'releasing-officer' ? { office, role: d.role, releaseCeiling: d.releaseCeiling } : { office, role: d.role };
}

export interface RoleFieldsProps {
  readonly idPrefix: string;
  readonly value: RoleDraft;
  readonly onChange: (next: RoleDraft) => void;
  readonly offices: readonly OfficeCode[];
  readonly officeProblems?: readonly Problem[] | undefined;
}

export function RoleFields({ idPrefix, value, onChange, offices, officeProblems }: RoleFieldsProps) {
  const invalid = (officeProblems?.length ?? 0) > 0;
  return (
    <>
      <div class="field">
        <label for={`${idPrefix}-office`}>Office</label>
        <select
          id={`${idPrefix}-office`}
          value={value.office}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={`${idPrefix}-office-problems`}
          onChange={(e) => onChange({ ...value, office: e.currentTarget.value })}
        >
          <option value="">Choose an office…</option>
          {offices.map((o) => (
            <option key={o} value={o}>{o}</option>
          ))}
        </select>
        <ProblemList id={`${idPrefix}-office-problems`} problems={officeProblems} />
      </div>
      <div class="field">
        <label for={`${idPrefix}-role`}>Role</label>
        <select id={`${idPrefix}-role`} value={value.role} onChange={(e) => onChange({ ...value, role: e.currentTarget.value as Role })}>
          {Roles.map((r) => (
            <option key={r} value={r}>{ROLE_WORDS[r]}</option>
          ))}
        </select>
      </div>
      {value.role === 'releasing-officer' ? (
        <LevelSelect id={`${idPrefix}-ceiling`} label="Release ceiling" value={value.releaseCeiling} onChange={(releaseCeiling) => onChange({ ...value, releaseCeiling })} />
      ) : null}
    </>
  );
}
