// Enrolling this browser as a new device: the user's id and the one-time code a security officer (or the user's own
// device) issued, optionally the organisation root's fingerprint to check the node against; then the passkey.
import { useState } from 'preact/hooks';
import type { DeviceRecord } from '../device/device-record.ts';
import { enrollBrowser, type Unlocked } from '../device/web-device.ts';
import { NodeLine } from './node-line.tsx';

export function Enroll({ onDone, replacing }: { readonly onDone: (u: Unlocked) => void; readonly replacing?: DeviceRecord }) {
  const [user, setUser] = useState('');
  const [code, setCode] = useState('');
  const [root, setRoot] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const done = await enrollBrowser({ user, code, ...(root.trim() ? { rootFingerprint: root } : {}) });
      history.replaceState(null, '', '#/inbox');
      onDone(done);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="sign-in card" aria-labelledby="enroll-title">
      <h1 id="enroll-title">Enroll this browser</h1>
      <NodeLine />
      {replacing ? (
        <p class="notice" role="status">
          This browser already holds {replacing.user}'s device {replacing.device}; enrolling again replaces it here.
        </p>
      ) : null}
      <form onSubmit={(e) => void submit(e)} class="stack">
        <label>
          Your user id
          <input name="user" autocomplete="username" required value={user} onInput={(e) => setUser(e.currentTarget.value)} />
        </label>
        <label>
          One-time enrollment code
          <input name="code" autocomplete="one-time-code" required placeholder="XXXX-XXXX-XXXX-XXXX" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </label>
        <label>
          Organisation root fingerprint (from your security officer; optional)
          <input name="root" spellcheck={false} value={root} onInput={(e) => setRoot(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating your passkey…' : 'Create a passkey and enroll'}
        </button>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <p class="note">
        Your browser makes this device's keys itself; the node never sees them. A security officer approves the device
        before it can read.
      </p>
    </section>
  );
}
