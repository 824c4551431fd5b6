// One of the user's own devices. A pending one is approved from here after a passkey step-up, only with the
// fingerprint the new device shows typed in (approveDevice refuses any other: the node may have swapped the keys);
// an approved one that is not this browser gets this device's office keys re-sealed to it, so it reads the user's
// history at once (DESIGN.md: a device passes on nothing more than it has).
import { useState } from 'preact/hooks';
import { approveDevice } from '../../../src/client/admin.ts';
import { resealGrants } from '../../../src/client/key-admin.ts';
import { useTask } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import { utc } from '../security/use-load.ts';
import { normaliseFingerprint, type OwnDevice } from './own-devices.ts';

function ApproveForm({ device, onApproved }: { readonly device: OwnDevice; readonly onApproved: (m: string) => void }) {
  const app = useApp();
  const [typed, setTyped] = useState('');
  const approve = useTask(async () => {
    await app.device.stepUp();
    const r = await approveDevice(app.device.session, app.device.session.keys.user, device.device, normaliseFingerprint(typed));
    onApproved(`Device ${device.device} approved (fingerprint ${r.deviceFingerprint}). Now re-seal your office keys to it.`);
  });
  return (
    <form
      class="inline-fields"
      onSubmit={(e) => {
        e.preventDefault();
        if (typed.trim()) void approve.run();
      }}
    >
      <label>
        Fingerprint shown on the new device
        <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autocomplete="off" spellcheck={false} placeholder="xxxx-xxxx-xxxx-xxxx-xxxx" required />
      </label>
      <button type="submit" class="primary" disabled={approve.busy || !typed.trim()} aria-label={`Approve my device ${device.device}`}>
        {approve.busy ? 'Approving…' : 'Approve'}
      </button>
      {approve.error ? <p class="error" role="alert">{approve.error}</p> : null}
    </form>
  );
}

function ResealButton({ device, onDone }: { readonly device: OwnDevice; readonly onDone: (m: string) => void }) {
  const { session } = useApp().device;
  const reseal = useTask(async () => {
    const granted = await resealGrants(session, device.device);
    onDone(granted.length === 0 ? `No office keys to re-seal to ${device.device}.` : `Re-sealed ${granted.length} office key${granted.length === 1 ? '' : 's'} to ${device.device}.`);
  });
  return (
    <div>
      <button type="button" class="secondary" disabled={reseal.busy} aria-label={`Re-seal my office keys to ${device.device}`} onClick={() => void reseal.run()}>
        {reseal.busy ? 'Re-sealing…' : 'Re-seal my office keys to it'}
      </button>
      {reseal.error ? <p class="error" role="alert">{reseal.error}</p> : null}
    </div>
  );
}

export function OwnDeviceRow({ device, onChanged }: { readonly device: OwnDevice; readonly onChanged: (m: string) => void }) {
  return (
    <li class="pending-device" data-testid="own-device" data-device={device.device} data-status={device.status}>
      <div>
        <code>{device.device}</code> · <strong>{device.status}</strong>
        {device.current ? <> · <em data-testid="this-browser">this browser</em></> : null} · enrolled {utc(device.createdAt)}
      </div>
      <div>
        Fingerprint: <strong class="fingerprint">{device.fingerprint}</strong>
      </div>
      {device.status === 'approved' && !device.onLog ? <p class="error">Not on the audit log: tell a security officer.</p> : null}
      {device.status === 'pending' ? (
        <>
          <p class="note">Approve only if you typed the fingerprint your new device shows, or compared it with the one above.</p>
          <ApproveForm device={device} onApproved={onChanged} />
        </>
      ) : null}
      {device.status === 'approved' && device.onLog && !device.current ? <ResealButton device={device} onDone={onChanged} /> : null}
    </li>
  );
}
