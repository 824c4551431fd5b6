// My devices: the user's own devices (which one is this browser), approving a new one of one's own by the fingerprint
// it shows, re-sealing one's office keys to it, and an enrollment code for it.
import { useState } from 'preact/hooks';
import { ownDevices } from '../devices/own-devices.ts';
import { OwnDeviceRow } from '../devices/own-device-row.tsx';
import { SelfEnrollmentCode } from '../devices/self-enrollment-code.tsx';
import { useLoad } from '../security/use-load.ts';

export function Devices() {
  const devices = useLoad((s) => ownDevices(s), []);
  const [message, setMessage] = useState<string | null>(null);
  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">My devices</h1>
      {message ? <p class="notice" role="status">{message}</p> : null}
      {devices.error ? <p class="error" role="alert">{devices.error}</p> : null}
      {devices.data === null ? (
        devices.error ? null : <p aria-busy="true">Loading your devices…</p>
      ) : (
        <ul class="pending-list" aria-label="My devices">
          {devices.data.map((d) => (
            <OwnDeviceRow
              key={d.device}
              device={d}
              onChanged={(m) => {
                setMessage(m);
                devices.reload();
              }}
            />
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => devices.reload()} disabled={devices.loading}>
          Refresh my devices
        </button>
      </div>
      <SelfEnrollmentCode />
    </section>
  );
}
