// Returning a draft under review to its drafter with a comment (issue 6 "Release queue"): returnDraft signs the
// comment and seals it to the drafter's verified devices and this one; the node stores it sealed, logs
// `draft.returned` and takes the draft out of the queue until the drafter re-submits it. No step-up: it releases nothing.
import { useCallback, useState } from 'preact/hooks';
import type { CableId } from '../../../src/cable/types.ts';
import { returnDraft } from '../../../src/client/draft-returns.ts';
import { useApp } from '../device-context.ts';
import { useTask } from '../components/use-task.ts';

export function ReturnForm(props: { readonly id: CableId; readonly disabled: boolean; readonly onReturned: (id: string) => void }) {
  const { id, disabled, onReturned } = props;
  const { session } = useApp().device;
  const [comment, setComment] = useState('');
  const send = useTask(useCallback(async (text: string) => {
    await returnDraft(session, id, text);
    onReturned(id);
  }, [session, id, onReturned]));
  const empty = comment.trim() === '';
  const onSubmit = (e: Event) => {
    e.preventDefault();
    if (!empty) void send.run(comment);
  };
  return (
    <form class="return-form" onSubmit={onSubmit} aria-busy={send.busy}>
      <label for="return-comment">Comment for the drafter</label>
      <textarea id="return-comment" value={comment} rows={4} onInput={(e) => setComment(e.currentTarget.value)} aria-describedby="return-hint" />
      <p id="return-hint" class="hint">
        Sealed on this device to the drafter's devices and yours: the node stores it but cannot read it. The draft leaves the queue until the drafter re-submits it.
      </p>
      <button type="submit" class="secondary" disabled={disabled || send.busy || empty}>
        {send.busy ? 'Sealing and returning…' : 'Return to the drafter'}
      </button>
      {send.error ? <p class="error" role="alert">{send.error}</p> : null}
    </form>
  );
}
