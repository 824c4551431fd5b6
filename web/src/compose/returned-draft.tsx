// A draft a releasing officer returned: who and when, the comment as this device opens it (sealed to it by the
// officer's device; fetchReturn checks the officer's signature), and "Edit and re-submit", which loads the draft into
// the compose form. Re-submitting files a new version under the same id and clears the return.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CableId } from '../../../src/cable/types.ts';
import { fetchReturn } from '../../../src/client/draft-returns.ts';
import type { DraftSummary } from '../../../src/client/drafts.ts';
import { useApp } from '../device-context.ts';
import { useTask } from '../components/use-task.ts';

const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function ReturnedDraft(props: { readonly draft: DraftSummary; readonly onEdit: (id: CableId) => void; readonly editing: boolean }) {
  const { draft, onEdit, editing } = props;
  const { session } = useApp().device;
  const [comment, setComment] = useState<string | null | undefined>(undefined);
  const load = useTask(useCallback(async () => setComment((await fetchReturn(session, draft.id)).comment), [session, draft.id]));
  // eslint-disable-next-line @typescript-eslint/unbound-method -- useTask's run is a closure (useCallback), it uses no `this`
  const run = load.run;
  useEffect(() => void run(), [run, draft.returned?.at]);
  return (
    <div class="returned" data-testid="returned">
      <p class="office-meta">
        returned by <strong>{draft.returned?.by}</strong> at {stamp(draft.returned?.at ?? 0)}
      </p>
      {load.error ? <p class="error" role="alert">{load.error}</p> : null}
      {comment === undefined && !load.error ? <p aria-busy="true">Opening the comment…</p> : null}
      {comment === null ? <p class="hint">The comment was not sealed to this device: read it on the device you used when it was returned.</p> : null}
      {typeof comment === 'string' ? (
        <blockquote class="return-comment" aria-label={`Comment on ${draft.id}`}>{comment}</blockquote>
      ) : null}
      <button type="button" class="primary" disabled={editing} aria-label={`Edit and re-submit ${draft.id}`} onClick={() => onEdit(draft.id)}>
        {editing ? 'In the form above' : 'Edit and re-submit'}
      </button>
    </div>
  );
}
