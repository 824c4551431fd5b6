// A device enrolled and signed in, waiting for its approval: the fingerprint to read out to the approving officer.
import { useState } from 'preact/hooks';
import type { DeviceRecord } from '../device/device-record.ts';
import { unlockBrowser, type Unlocked } from '../device/web-device.ts';

export function Pending({ record, onSignOut, onRetry }: { readonly record: DeviceRecord; readonly onSignOut: () => void; readonly onRetry: (u: Unlocked) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      onRetry(await unlockBrowser());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="sign-in card" aria-labelledby="pending-title">
      <h1 id="pending-title">Waiting for approval</h1>
      <p>
        Device <code data-testid="device-id">{record.device}</code> of <strong>{record.user}</strong> is enrolled at node {record.node}. A security officer must approve it
        before it can read or send.
      </p>
      <p>
        Read this fingerprint to the approving officer: <strong class="fingerprint" data-testid="device-fingerprint">{record.fingerprint}</strong>
      </p>
      <p class="note">
        Organisation root pinned: <code class="fingerprint">{record.rootFingerprint}</code>
      </p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void retry()} disabled={busy}>
          {busy ? 'Checking…' : 'Check again'}
        </button>
        <button type="button" class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </div>
      {error ? <p class="error" role="alert">{error}</p> : null}
    </section>
  );
}
