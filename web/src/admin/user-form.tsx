// "New user" (security officers): id, name, clearance, nationality, communities, caveats and a first role, checked
// with the core's grammars, then createUser. The node lists users by their offices, so a user starts with a role.
import { useState } from 'preact/hooks';
import type { OfficeCode } from '../../../src/cable/types.ts';
import { createUser } from '../../../src/client/admin.ts';
import type { UserView } from '../../../src/client/directory.ts';
import { useTask } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import { checkUser, type CheckedUser, type Problems, type UserDraft, type UserField } from './admin-validate.ts';
import { EMPTY_ROLE, LevelSelect, membershipOf, RoleFields, TextField, type RoleDraft } from './form-parts.tsx';

const EMPTY: Omit<UserDraft, 'office'> = { id: '', name: '', clearance: 'RESTRICTED', nationality: '', organisations: 'EU', caveats: '' };

export function NewUserForm({ offices, onCreated }: { readonly offices: readonly OfficeCode[]; readonly onCreated: (user: UserView) => void }) {
  const { device } = useApp();
  const [draft, setDraft] = useState(EMPTY);
  const [role, setRole] = useState<RoleDraft>(EMPTY_ROLE);
  const [problems, setProblems] = useState<Problems<UserField>>({});
  const [created, setCreated] = useState<UserView | null>(null);
  const save = useTask(async (u: CheckedUser, r: RoleDraft) =>
    createUser(device.session, { id: u.id, name: u.name, clearance: u.clearance, nationality: u.nationality, organisations: u.organisations, caveats: u.caveats, memberships: [membershipOf(r, u.office)] }),
  );
  const set = (key: keyof typeof EMPTY) => (value: string) => setDraft({ ...draft, [key]: value });

  const submit = async () => {
    setCreated(null);
    const checked = checkUser({ ...draft, office: role.office });
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    const user = await save.run(checked.value, role);
    if (!user) return;
    setCreated(user);
    setDraft(EMPTY);
    setRole(EMPTY_ROLE);
    onCreated(user);
  };

  return (
    <form
      class="admin-form"
      aria-labelledby="new-user-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="new-user-title">New user</h2>
      <div class="admin-grid">
        <TextField id="user-id" label="User id" value={draft.id} onInput={set('id')} problems={problems.id} placeholder="anna.schmidt" />
        <TextField id="user-name" label="Full name" value={draft.name} onInput={set('name')} problems={problems.name} placeholder="Anna Schmidt" autoCapitalize="words" />
        <LevelSelect id="user-clearance" label="Clearance" value={draft.clearance} onChange={(clearance) => setDraft({ ...draft, clearance })} />
        <TextField id="user-nationality" label="Nationality" hint="ISO 3166 alpha-2: DE, FR, CY" value={draft.nationality} onInput={set('nationality')} problems={problems.nationality} autoCapitalize="characters" />
        <TextField id="user-organisations" label="Organisations" hint="Communities such as EU, NATO, comma-separated" value={draft.organisations} onInput={set('organisations')} problems={problems.organisations} autoCapitalize="characters" />
        <TextField id="user-caveats" label="Caveats" hint="Special access held, comma-separated (optional): CRYPTO, EYES ONLY" value={draft.caveats} onInput={set('caveats')} problems={problems.caveats} autoCapitalize="characters" />
      </div>
      <fieldset class="role-fieldset">
        <legend>First role</legend>
        <div class="admin-grid">
          <RoleFields idPrefix="user-role" value={role} onChange={setRole} offices={offices} officeProblems={problems.office} />
        </div>
      </fieldset>
      {save.error ? <p class="error" role="alert">{save.error}</p> : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={save.busy}>
          {save.busy ? 'Creating…' : 'Create user'}
        </button>
      </div>
      {created ? (
        <p class="notice" role="status" data-testid="user-created">
          User <code>{created.id}</code> ({created.clearance}) created. Next: give them an enrollment code (Security → Devices) so they can enroll a
          browser, and have an officer grant them the office's keys (<code>chancery grant issue</code>).
        </p>
      ) : null}
    </form>
  );
}
