// The Administration screen (security officers): new offices, new users, roles and clearances, and the peers with
// their outbox (read-only: adding a peer takes the offline organisation root, so `chancery peer add`).
import { OfficesPanel, Peers, UsersPanel } from '../admin/admin-tables.tsx';
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
            { id: 'offices', label: 'Offices', render: () => <OfficesPanel /> },
            { id: 'users', label: 'Users', render: () => <UsersPanel /> },
            { id: 'peers', label: 'Peers', render: () => <Peers /> },
          ]}
        />
      )}
    </section>
  );
}
