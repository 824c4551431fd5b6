// The Security screen (security officers): alerts, devices waiting for approval and enrollment codes, the audit log
// with inclusion proofs, and the offices' key epochs — one tab each.
import { AlertsPanel } from '../security/alerts-panel.tsx';
import { AuditPanel } from '../security/audit-panel.tsx';
import { DevicesPanel } from '../security/devices-panel.tsx';
import { EpochsPanel } from '../security/epochs-panel.tsx';
import { Tabs } from '../security/tabs.tsx';
import { hasRole, useMe } from './workspace.tsx';
import '../security/security.css';

export function Security() {
  const me = useMe();
  return (
    <section aria-labelledby="security-title">
      <h1 id="security-title">Security</h1>
      {me === null ? (
        <p aria-busy="true">Loading your roles…</p>
      ) : !hasRole(me, 'security-officer') ? (
        <p>This screen is for security officers.</p>
      ) : (
        <Tabs
          label="Security"
          tabs={[
            { id: 'alerts', label: 'Alerts', render: () => <AlertsPanel /> },
            { id: 'devices', label: 'Devices', render: () => <DevicesPanel /> },
            { id: 'audit', label: 'Audit log', render: () => <AuditPanel /> },
            { id: 'epochs', label: 'Key epochs', render: () => <EpochsPanel /> },
          ]}
        />
      )}
    </section>
  );
}
