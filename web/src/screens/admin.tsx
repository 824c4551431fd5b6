// The Administration screen (security officers): offices, users and their memberships, peers with their outbox.
// Read-only for now: changes go through `chancery office|user|peer` on an officer's CLI device.
import { OfficesAndUsers, Peers } from '../admin/admin-tables.tsx';
import { Tabs } from '../security/tabs.tsx';
import { hasRole, useMe } from './workspace.tsx';
import '../security/security.css';

export function Admin() {
  const me = useMe();
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      {me === null ? (
        <p aria-busy="true">Loading your roles…</p>
      ) : !hasRole(me, 'security-officer') ? (
        <p>This screen is for security officers.</p>
      ) : (
        <Tabs
          label="Administration"
          tabs={[
            { id: 'offices', label: 'Offices', render: () => <OfficesAndUsers show="offices" /> },
            { id: 'users', label: 'Users', render: () => <OfficesAndUsers show="users" /> },
            { id: 'peers', label: 'Peers', render: () => <Peers /> },
          ]}
        />
      )}
    </section>
  );
}
