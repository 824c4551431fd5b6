// Changing one listed user (security officers): adding a role (addRoles keeps the others; a releasing officer's
// comes with a release ceiling) or changing the clearance (the node logs clearance.changed with both levels).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Classification, OfficeCode } from '../../../src/cable/types.ts';
import { addRoles } from '../../../src/client/admin.ts';
import type { UserView } from '../../../src/client/directory.ts';
import { changeClearance } from '../../../src/client/user-clearance.ts';
import { useTask } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import type { Problem } from './admin-validate.ts';
import { EMPTY_ROLE, LevelSelect, membershipOf, ROLE_WORDS, RoleFields, type RoleDraft } from './form-parts.tsx';
import { IssueCodes } from '../../../src/cable/issue-codes.ts';

export type UserAction = 'role' | 'clearance';

export interface UserActionProps {
  readonly user: UserView;
  readonly action: UserAction;
  readonly offices: readonly OfficeCode[];
  readonly onDone: (user: UserView, what: string) => void;
  readonly onCancel: () => void;
}

export function UserActionPanel({ user, action, offices, onDone, onCancel }: UserActionProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [user.id, action]);
  const title = action === 'role' ? `Add a role to ${user.id}` : `Change the clearance of ${user.id}`;
  return (
    <section class="admin-form user-action" aria-labelledby="user-action-title" data-testid="user-action">
      <h2 id="user-action-title" tabIndex={-1} ref={heading}>{title}</h2>
      {action === 'role' ? <AddRoleForm user={user} offices={offices} onDone={onDone} onCancel={onCancel} /> : <ClearanceForm user={user} onDone={onDone} onCancel={onCancel} />}
    </section>
  );
}

function AddRoleForm({ user, offices, onDone, onCancel }: Omit<UserActionProps, 'action'>) {
  const { device } = useApp();
  const [role, setRole] = useState<RoleDraft>(EMPTY_ROLE);
  const [officeProblems, setOfficeProblems] = useState<Problem[]>([]);
  const save = useTask(async (r: RoleDraft, office: OfficeCode) => addRoles(device.session, user.id, [membershipOf(r, office)]));
  const submit = async () => {
    const office = offices.find((o) => o === role.office);
    if (!office) {
      setOfficeProblems([{ code: IssueCodes.fieldMissing, message: 'choose the office of the role' }]);
      return;
    }
    setOfficeProblems([]);
    const updated = await save.run(role, office);
    const ceiling = role.role === 'releasing-officer' ? ` up to ${role.releaseCeiling}` : '';
    if (updated) onDone(updated, `${user.id} is now ${ROLE_WORDS[role.role].toLowerCase()} of ${office}${ceiling}.`);
  };
  return (
    <form
      noValidate
      aria-label={`Add a role to ${user.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p class="hint">The user's other roles are kept. A releasing officer may release cables of the office up to the release ceiling.</p>
      <div class="admin-grid">
        <RoleFields idPrefix="add-role" value={role} onChange={setRole} offices={offices} officeProblems={officeProblems} />
      </div>
      {save.error ? <p class="error" role="alert">{save.error}</p> : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={save.busy}>{save.busy ? 'Saving…' : 'Add role'}</button>
        <button type="button" class="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

function ClearanceForm({ user, onDone, onCancel }: Omit<UserActionProps, 'action' | 'offices'>) {
  const { device } = useApp();
  const [level, setLevel] = useState<Classification>(user.clearance);
  const save = useTask(async (to: Classification) => changeClearance(device.session, user.id, to));
  const submit = async () => {
    const updated = await save.run(level);
    if (updated) onDone(updated, `${user.id}'s clearance is now ${updated.clearance} (was ${user.clearance}); the change is on the audit log.`);
  };
  return (
    <form
      noValidate
      aria-label={`Change the clearance of ${user.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p class="hint">
        Now {user.clearance}. The node records the change on the audit log (<code>clearance.changed</code>, with both levels and you).
      </p>
      <div class="admin-grid">
        <LevelSelect id="change-clearance" label="New clearance" value={level} onChange={setLevel} />
      </div>
      {save.error ? <p class="error" role="alert">{save.error}</p> : null}
      <div class="actions">
        <button type="submit" class="primary" disabled={save.busy || level === user.clearance}>{save.busy ? 'Saving…' : 'Change clearance'}</button>
        <button type="button" class="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
