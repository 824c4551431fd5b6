// The user's own drafts with where each stands: awaiting release, returned with a comment (to edit and re-submit),
// released (then the drafter sends it: sendCable checks the released envelope is the draft, countersigns and hands it
// to the node), or sent.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CableId } from '../../../src/cable/types.ts';
import { listDrafts, type DraftSummary } from '../../../src/client/drafts.ts';
import { sendCable } from '../../../src/client/send.ts';
import { useApp } from '../device-context.ts';
import { useTask } from '../components/use-task.ts';
import { hrefOf } from '../route.ts';
import { ReturnedDraft } from './returned-draft.tsx';

const STATE: Record<DraftSummary['status'], string> = { draft: 'awaiting release', released: 'released — ready to send', sent: 'sent' };

export function MyDrafts(props: { readonly refresh: number; readonly highlight?: string | undefined; readonly editing: string | null; readonly onEdit: (id: CableId) => void }) {
  const { refresh, highlight, editing, onEdit } = props;
  const { session } = useApp().device;
  const [drafts, setDrafts] = useState<DraftSummary[] | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const load = useTask(useCallback(async () => setDrafts((await listDrafts(session)).filter((d) => d.drafter === session.keys.user)), [session]));
  const send = useTask(useCallback(async (id: CableId) => {
    const r = await sendCable(session, id);
    setSent(`${r.id} sent to ${r.deliveredTo.join(', ') || 'no local office'}${r.queuedFor.length ? `; queued for ${r.queuedFor.join(', ')}` : ''}.`);
    setDrafts((await listDrafts(session)).filter((d) => d.drafter === session.keys.user));
  }, [session]));
  // Reloads when the parent files a draft (refresh changes).
  // eslint-disable-next-line @typescript-eslint/unbound-method -- useTask's run is a closure (useCallback), it uses no `this`
  const reload = load.run;
  useEffect(() => void reload(), [refresh, reload]);
  // A link to one draft (#/compose/<id>) lands on it in the list.
  useEffect(() => {
    if (highlight && drafts) document.querySelector('.draft-list li.current')?.scrollIntoView({ block: 'center' });
  }, [highlight, drafts]);

  return (
    <section class="my-drafts" aria-labelledby="my-drafts-title">
      <div class="section-head">
        <h2 id="my-drafts-title">My drafts</h2>
        <button type="button" class="secondary" onClick={() => void load.run()} disabled={load.busy}>
          Refresh my drafts
        </button>
      </div>
      {load.error ? <p class="error" role="alert">{load.error}</p> : null}
      {send.error ? <p class="error" role="alert">{send.error}</p> : null}
      {sent ? <p class="notice" role="status">{sent}</p> : null}
      {drafts === null ? <p aria-busy="true">Loading…</p> : drafts.length === 0 ? <p class="hint">No drafts yet.</p> : null}
      <ul class="draft-list">
        {(drafts ?? []).map((d) => (
          <li key={d.id} class={d.id === highlight ? 'current' : ''} data-testid="my-draft" data-status={d.returned ? 'returned' : d.status}>
            <a href={hrefOf({ screen: 'compose', draft: d.id })} class="office-code">{d.id}</a>
            <span class={`level-tag level-${d.level.toLowerCase()}`}>{d.level}</span>
            <span class="state">{d.returned ? 'returned with a comment' : STATE[d.status]}</span>
            {d.returned && d.status === 'draft' ? <ReturnedDraft draft={d} editing={editing === d.id} onEdit={onEdit} /> : null}
            {d.releaser && d.status !== 'draft' ? <span class="office-meta">released by {d.releaser}</span> : null}
            {d.status === 'released' ? (
              <button type="button" class="primary" disabled={send.busy} aria-label={`Send ${d.id}`} onClick={() => void send.run(d.id)}>
                {send.busy ? 'Sending…' : 'Send'}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
