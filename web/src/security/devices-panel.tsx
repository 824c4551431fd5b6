// Devices: the pending enrollments of the users of the offices this officer secures, each with the fingerprint of
// its listed keys — compared with what the person reads from their pending screen before approving (after a passkey
// step-up). And a one-time enrollment code for a user's new browser, shown once.
import { useState } from 'preact/hooks';
import type { DeviceId, UserId } from '../../../src/cable/types.ts';
import { deviceFingerprint } from '../../../src/client/device-keys.ts';
import { listMembers } from '../../../src/client/directory.ts';
import { RemoteError } from '../../../src/client/http.ts';
import { issueEnrollmentCode, type EnrollmentCode } from '../../../src/client/enrollment-codes.ts';
import { listDevices } from '../../../src/client/key-directory.ts';
import type { Session } from '../../../src/client/session.ts';
import { describeError, useTask } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import { useMe } from '../screens/workspace.tsx';
import { approveDevice } from '../../../src/client/admin.ts';
import { useLoad, utc } from './use-load.ts';

interface PendingDevice {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly fingerprint: string;
  readonly createdAt: number;
}

/** The users of the offices where the signed-in user is security officer, sorted. */
async function securedUsers(s: Session, offices: readonly string[]): Promise<UserId[]> {
  const rosters = await Promise.all(offices.map((o) => listMembers(s, o as Parameters<typeof listMembers>[1])));
  return [...new Set(rosters.flat().map((m) => m.user))].sort();
}

async function pendingOf(s: Session, users: readonly UserId[]): Promise<PendingDevice[]> {
  const lists = await Promise.all(users.map((u) => listDevices(s, u)));
  return lists
    .flat()
    .filter((d) => d.status === 'pending')
    .map((d) => ({ user: d.user, device: d.device, createdAt: d.createdAt, fingerprint: deviceFingerprint(s.p, d.signingKey, d.encryptionKey) }));
}

function PendingRow({ pending, onApproved }: { readonly pending: PendingDevice; readonly onApproved: (m: string) => void }) {
  const app = useApp();
  const approve = useTask(async () => {
    await app.device.stepUp();
    // Signed by this browser's own device key, naming it (admin.ts): the node chains it through this device's record
    // to the officer's root-signed certificate. A refusal (a revoked device, a lapsed certificate) is shown as the node words it.
    const r = await approveDevice(app.device.session, pending.user, pending.device, pending.fingerprint).catch((e: unknown) => {
      if (e instanceof RemoteError) throw new Error(`The node refused the approval: ${describeError(e)}`);
      throw e;
    });
    onApproved(`Device ${pending.device} of ${pending.user} approved (fingerprint ${r.deviceFingerprint}).`);
  });
  return (
    <li class="pending-device" data-testid="pending-device" data-user={pending.user} data-device={pending.device}>
      <div>
        <strong>{pending.user}</strong> · <code>{pending.device}</code> · enrolled {utc(pending.createdAt)}
      </div>
      <div>
        Fingerprint: <strong class="fingerprint" data-testid="pending-fingerprint">{pending.fingerprint}</strong>
      </div>
      <p class="note">Approve only if the person reads you this same fingerprint from their screen.</p>
      <button type="button" class="primary" disabled={approve.busy} aria-label={`Approve device ${pending.device} of ${pending.user}`} onClick={() => void approve.run()}>
        {approve.busy ? 'Approving…' : 'Approve'}
      </button>
      {approve.error ? <p class="error" role="alert">{approve.error}</p> : null}
    </li>
  );
}

function EnrollmentCodeForm({ users }: { readonly users: readonly UserId[] }) {
  const { session } = useApp().device;
  const [user, setUser] = useState<string>('');
  const [issued, setIssued] = useState<EnrollmentCode | null>(null);
  const issue = useTask(async () => {
    setIssued(null);
    setIssued(await issueEnrollmentCode(session, user as UserId));
  });
  return (
    <form
      class="code-form"
      aria-labelledby="code-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (user) void issue.run();
      }}
    >
      <h3 id="code-title">Enrollment code for a new browser</h3>
      <div class="inline-fields">
        <label>
          User
          <select value={user} onChange={(e) => setUser(e.currentTarget.value)} required>
            <option value="">Choose a user…</option>
            {users.map((u) => (
              <option key={u} value={u}>{u}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary" disabled={issue.busy || !user}>
          Issue enrollment code
        </button>
      </div>
      {issue.error ? <p class="error" role="alert">{issue.error}</p> : null}
      {issued ? (
        <p class="notice" role="status">
          Code for <strong>{issued.user}</strong>: <code data-testid="enrollment-code">{issued.code}</code> — single use, valid until {utc(issued.expiresAt)}. It is
          shown only now: give it to the person in person.
        </p>
      ) : null}
    </form>
  );
}

export function DevicesPanel() {
  const me = useMe();
  const offices = (me?.memberships ?? []).filter((m) => m.role === 'security-officer').map((m) => m.office);
  const key = offices.join(',');
  const users = useLoad((s) => securedUsers(s, offices), [key]);
  const pending = useLoad((s) => (users.data ? pendingOf(s, users.data) : Promise.resolve(null)), [users.data]);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div>
      <p class="lead">Pending devices of the users of {offices.length ? offices.join(', ') : 'your offices'}.</p>
      {message ? <p class="notice" role="status">{message}</p> : null}
      {users.error ?? pending.error ? <p class="error" role="alert">{users.error ?? pending.error}</p> : null}
      {pending.data === null ? (
        users.error || pending.error ? null : <p aria-busy="true">Loading devices…</p>
      ) : pending.data.length === 0 ? (
        <p data-testid="devices-empty">No device is waiting for approval.</p>
      ) : (
        <ul class="pending-list" aria-label="Pending devices">
          {pending.data.map((p) => (
            <PendingRow
              key={`${p.user}/${p.device}`}
              pending={p}
              onApproved={(m) => {
                setMessage(m);
                pending.reload();
              }}
            />
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => pending.reload()} disabled={pending.loading}>
          Refresh pending devices
        </button>
      </div>
      <EnrollmentCodeForm users={users.data ?? []} />
    </div>
  );
}
