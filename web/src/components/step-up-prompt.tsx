// "Chancery asks you to confirm it is you": what a screen shows when the node refuses an opening until a fresh
// passkey assertion (the detector's step-up action, docs/detection.md "Step-up"). The person confirms, the screen
// tries once more; nothing is opened behind their back.
import { useState } from 'preact/hooks';
import { RemoteError } from '../../../src/client/http.ts';
import { useApp } from '../device-context.ts';
import { describeError, isSessionEnd } from './use-task.ts';

export function isStepUpRequired(error: unknown): boolean {
  return error instanceof RemoteError && error.code === 'auth.step_up_required';
}

export interface StepUpPromptProps {
  /** What happens once confirmed, in words: "opens the cable", "opens the draft for review". */
  readonly then: string;
  /** The node's answer when it asked again right after a confirmation. */
  readonly problem?: string | null;
  readonly onConfirmed: () => void;
  readonly testId?: string;
}

export function StepUpPrompt({ then, problem = null, onConfirmed, testId }: StepUpPromptProps) {
  const app = useApp();
  const [confirming, setConfirming] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const confirm = async () => {
    setConfirming(true);
    setFailed(null);
    try {
      await app.device.stepUp();
    } catch (e) {
      if (isSessionEnd(e)) app.sessionEnded(describeError(e));
      else setFailed(`The passkey confirmation did not complete, so nothing was opened: ${describeError(e)}`);
      return;
    } finally {
      setConfirming(false);
    }
    onConfirmed();
  };
  const shown = failed ?? problem;
  return (
    <div class="step-up-prompt" role="alertdialog" aria-labelledby="step-up-title" aria-describedby="step-up-why" data-testid={testId}>
      <h2 id="step-up-title">Chancery asks you to confirm it is you</h2>
      <p id="step-up-why">
        A security check noticed something unusual about recent reading from your account, so the node wants a fresh confirmation with your passkey
        before it {then}. Confirm, and it does; the read is recorded on the audit log as usual.
      </p>
      {shown ? (
        <p class="error" role="alert">
          {shown}
        </p>
      ) : null}
      <button type="button" class="primary" disabled={confirming} onClick={() => void confirm()}>
        {confirming ? 'Waiting for your passkey…' : 'Confirm with your passkey'}
      </button>
    </div>
  );
}
