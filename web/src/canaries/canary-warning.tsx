// What the reader shows a security officer before opening a canary: opening it is judged like anyone's opening — a
// high alert and a freeze until two officers clear it — so the officer decides knowingly. The node does not know
// who is careful; this screen only keeps an officer from tripping the wire by a click in the inbox.
import { useState } from 'preact/hooks';
import './canaries.css';

export function CanaryWarning({ problem, onOpen }: { readonly problem: string | null; readonly onOpen: () => void }) {
  const [sure, setSure] = useState(false);
  return (
    <div class="canary-warning" role="alertdialog" aria-labelledby="canary-title" aria-describedby="canary-why" data-testid="canary-warning">
      <h2 id="canary-title">{problem ? 'This cable may be a canary' : 'This cable is a canary'}</h2>
      <p id="canary-why">
        {problem
          ? `The node could not say whether this cable is marked as a canary (${problem}). `
          : 'A security officer marked this cable as a decoy. '}
        Opening a canary raises a high alert and freezes the account that opened it — yours too — until two security officers clear it.
        Who has opened it is on the Security screen's audit log, without opening it.
      </p>
      <label class="canary-confirm">
        <input type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} /> I understand that opening it freezes my account
      </label>
      <button type="button" class="danger" disabled={!sure} onClick={onOpen}>
        Open the canary
      </button>
    </div>
  );
}
