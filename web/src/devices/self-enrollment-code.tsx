// A one-time enrollment code for the user's own new browser, shown once (the node lets a user issue one for themself).
import { useState } from 'preact/hooks';
import { issueEnrollmentCode, type EnrollmentCode } from '../../../src/client/enrollment-codes.ts';
import { useTask } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import { utc } from '../security/use-load.ts';

export function SelfEnrollmentCode() {
  const { session } = useApp().device;
  const [issued, setIssued] = useState<EnrollmentCode | null>(null);
  const issue = useTask(async () => {
    setIssued(null);
    setIssued(await issueEnrollmentCode(session, session.keys.user));
  });
  return (
    <section aria-labelledby="self-code-title">
      <h2 id="self-code-title">A new device of mine</h2>
      <button type="button" class="secondary" disabled={issue.busy} onClick={() => void issue.run()}>
        Issue an enrollment code for my new device
      </button>
      {issue.error ? <p class="error" role="alert">{issue.error}</p> : null}
      {issued ? (
        <p class="notice" role="status">
          Your code: <code data-testid="own-enrollment-code">{issued.code}</code> — single use, valid until {utc(issued.expiresAt)}. Type it on the new
          device only; it is shown only now.
        </p>
      ) : null}
    </section>
  );
}
