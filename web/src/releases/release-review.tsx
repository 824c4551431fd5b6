// Reviewing one draft for release: the exact telegram prepareRelease rendered (opening it was a logged `draft.read`),
// its marking in the banners, and Approve — a fresh passkey assertion (step-up) right before releaseCandidate, since
// the node refuses a browser device's release without one (401 auth.step_up_required) — or return it with a comment.
import { useCallback, useState } from 'preact/hooks';
import { RemoteError } from '../../../src/client/http.ts';
import { releaseCandidate, type ReleaseCandidate } from '../../../src/client/release.ts';
import { useApp, useMarking } from '../device-context.ts';
import { describeError, useTask } from '../components/use-task.ts';
import { ReturnForm } from './return-form.tsx';

function stepUpWords(error: unknown): never {
  if (error instanceof RemoteError && error.code === 'auth.step_up_required') {
    throw new Error(`The node refused the release: it needs a fresh passkey confirmation (step-up) within 2 minutes of releasing. Approve again and confirm with your passkey. (${error.code})`);
  }
  throw error;
}

export function ReleaseReview(props: {
  readonly candidate: ReleaseCandidate;
  readonly onClose: () => void;
  readonly onReleased: (id: string, dtg: string) => void;
  readonly onReturned: (id: string) => void;
}) {
  const { candidate, onClose, onReleased, onReturned } = props;
  const app = useApp();
  const { header, content } = candidate.cable;
  const [stage, setStage] = useState<'idle' | 'passkey' | 'sealing'>('idle');
  useMarking(header.marking.classification);

  const approve = useTask(useCallback(async () => {
    try {
      setStage('passkey');
      await app.device.stepUp().catch((e: unknown) => {
        throw new Error(`The passkey confirmation did not complete, so nothing was released: ${describeError(e)}`);
      });
      setStage('sealing');
      const released = await releaseCandidate(app.device.session, candidate).catch(stepUpWords);
      onReleased(released.id, released.dtg);
    } finally {
      setStage('idle');
    }
  }, [app, candidate, onReleased]));

  const marking = [header.marking.classification, ...header.marking.caveats].join(' // ') + (header.marking.releasableTo.length ? ` // REL ${header.marking.releasableTo.join(', ')}` : '');
  return (
    <article class="release-review" aria-labelledby="review-title">
      <h2 id="review-title">
        Review <span class="office-code">{candidate.id}</span>
      </h2>
      <dl class="review-facts">
        <dt>Marking</dt>
        <dd data-testid="review-marking">{marking}</dd>
        <dt>Precedence</dt>
        <dd>{header.precedence}</dd>
        <dt>From</dt>
        <dd class="office-code">{header.from}</dd>
        <dt>To</dt>
        <dd class="office-code">{header.to.join(', ')}</dd>
        {header.info.length ? (
          <>
            <dt>Info</dt>
            <dd class="office-code">{header.info.join(', ')}</dd>
          </>
        ) : null}
        <dt>Drafter</dt>
        <dd>{header.drafter}</dd>
        <dt>Attachments</dt>
        <dd>{content.attachments.length === 0 ? 'none' : content.attachments.map((a) => `${a.name} (${a.mediaType}, ${a.data.length} bytes)`).join('; ')}</dd>
      </dl>
      <p class="hint">This is the exact text that will be sealed and signed with your device key. Opening it was recorded in the audit log.</p>
      <pre class="telegram" tabIndex={0} aria-label={`Telegram of ${candidate.id}`}>{candidate.telegram}</pre>
      <div class="actions">
        <button type="button" class="primary" disabled={approve.busy} onClick={() => void approve.run()}>
          {stage === 'passkey' ? 'Confirm with your passkey…' : stage === 'sealing' ? 'Sealing and releasing…' : 'Approve and release (passkey)'}
        </button>
        <button type="button" class="secondary" disabled={approve.busy} onClick={onClose}>
          Close without releasing
        </button>
      </div>
      <p class="hint">Closing leaves the draft in the queue.</p>
      {approve.error ? <p class="error" role="alert">{approve.error}</p> : null}
      <h3 class="sub">Return with a comment</h3>
      <ReturnForm id={candidate.id} disabled={approve.busy} onReturned={onReturned} />
    </article>
  );
}
