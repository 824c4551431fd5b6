// The sign-in screen of an enrolled browser: one passkey assertion unlocks the device keys and opens the session.
import { useState } from 'preact/hooks';
import type { DeviceRecord } from '../device/device-record.ts';
import { unlockBrowser, type Unlocked } from '../device/web-device.ts';
import { NodeLine } from './node-line.tsx';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function SignIn({ record, notice, onDone }: { readonly record: DeviceRecord; readonly notice?: string | undefined; readonly onDone: (u: Unlocked) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const unlock = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await unlockBrowser());
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="sign-in card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Chancery — sign in with your passkey</h1>
      <NodeLine />
      <p>
        This browser is <strong>{record.user}</strong>'s device <code>{record.device}</code>.
      </p>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <button type="button" class="primary" onClick={() => void unlock()} disabled={busy} aria-describedby="passkey-note">
        {busy ? 'Waiting for your passkey…' : 'Sign in with your passkey'}
      </button>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <p id="passkey-note" class="note">
        Chancery never asks for a password. Your passkey unlocks this device's keys, which never leave this browser.{' '}
        <a href="#/enroll">Enroll this browser again</a>
      </p>
    </section>
  );
}
