// "New office" (security officers): code, name, ceiling and communities, checked with the core's grammars, then
// createOffice. A new office has no key epochs yet, so the form says who opens them and how.
import { useState } from 'preact/hooks';
import type { Classification } from '../../../src/cable/types.ts';
import { createOffice, type OfficeInput } from '../../../src/client/admin.ts';
import { useTask } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import { checkOffice, type OfficeDraft, type OfficeField, type Problems } from './admin-validate.ts';
import { LevelSelect, TextField } from './form-parts.tsx';

const EMPTY: OfficeDraft = { code: '', name: '', ceiling: 'CONFIDENTIAL', communities: 'EU' };

/** What an office needs after it is created: key epochs, opened with the CLI by officers (src/cli/admin-commands.ts). */
export function EpochNextStep({ office }: { readonly office: string }) {
  return (
    <p class="next-step">
      Next: nobody can draft or read cables for <code>{office}</code> until its key epochs are opened. A security officer opens them on a CLI device
      with co-officers (one co-officer below CONFIDENTIAL, two from CONFIDENTIAL up, since an officer may not grant a key to themselves):
      <code class="command">chancery epoch open --key your.key --office {office} --co-officer second-officer.key --co-officer third-officer.key</code>
      then grants them to members with <code>chancery grant issue</code>.
    </p>
  );
}

export function NewOfficeForm({ onCreated }: { readonly onCreated: (office: OfficeInput) => void }) {
  const { device } = useApp();
  const [draft, setDraft] = useState<OfficeDraft>(EMPTY);
  const [problems, setProblems] = useState<Problems<OfficeField>>({});
  const [created, setCreated] = useState<OfficeInput | null>(null);
  const save = useTask(async (input: OfficeInput) => createOffice(device.session, input));
  const set = (key: keyof OfficeDraft) => (value: string) => setDraft({ ...draft, [key]: value });

  const submit = async () => {
    setCreated(null);
    const checked = checkOffice(draft);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    const office = await save.run(checked.value);
    if (!office) return;
    setCreated(checked.value);
    setDraft(EMPTY);
    onCreated(checked.value);
  };

  return (
    <form
      class="admin-form"
      aria-labelledby="new-office-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="new-office-title">New office</h2>
      <div class="admin-grid">
        <TextField id="office-code" label="Office code" value={draft.code} onInput={set('code')} problems={problems.code} placeholder="EEAS.DEL.OTTAWA" autoCapitalize="characters" />
        <TextField id="office-name" label="Office name" value={draft.name} onInput={set('name')} problems={problems.name} placeholder="EU Delegation to Canada" autoCapitalize="words" />
        <LevelSelect id="office-ceiling" label="Ceiling" value={draft.ceiling} onChange={(ceiling: Classification) => setDraft({ ...draft, ceiling })} />
        <TextField
          id="office-communities"
          label="Communities"
          hint="Releasability communities, comma-separated: EU, CY, NATO"
          value={draft.communities}
          onInput={set('communities')}
          problems={problems.communities}
          autoCapitalize="characters"
        />
      </div>
      {save.error ? <p class="error" role="alert">{save.error}</p> : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={save.busy}>
          {save.busy ? 'Creating…' : 'Create office'}
        </button>
      </div>
      {created ? (
        <div class="notice" role="status" data-testid="office-created">
          <p>
            Office <code>{created.code}</code> ({created.ceiling}) created.
          </p>
          <EpochNextStep office={created.code} />
        </div>
      ) : null}
    </form>
  );
}
