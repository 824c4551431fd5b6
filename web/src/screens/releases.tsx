// The release queue (issue 6 "Screens"): for a releasing officer, the drafts of their offices awaiting release
// (others' drafts only: release takes two people), each opened for review through the release service, then
// approved with a passkey step-up, or returned with a comment. Released drafts stay listed until their drafter sends
// them; returned ones until their drafter re-submits them.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CableId } from '../../../src/cable/types.ts';
import { listDrafts, type DraftSummary } from '../../../src/client/drafts.ts';
import { prepareRelease, type ReleaseCandidate } from '../../../src/client/release.ts';
import { useApp } from '../device-context.ts';
import { useTask } from '../components/use-task.ts';
import { isStepUpRequired, StepUpPrompt } from '../components/step-up-prompt.tsx';
import { ReleaseReview } from '../releases/release-review.tsx';
import { hasRole, useMe } from './workspace.tsx';
import '../releases/releases.css';

const stamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function Releases() {
  const app = useApp();
  const { session } = app.device;
  const me = useMe();
  const offices = [...new Set((me?.memberships ?? []).filter((m) => m.role === 'releasing-officer').map((m) => m.office))];
  const key = offices.join(',');
  const [drafts, setDrafts] = useState<DraftSummary[] | null>(null);
  const [candidate, setCandidate] = useState<ReleaseCandidate | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useTask(useCallback(async () => {
    const lists = await Promise.all(key.split(',').filter((o) => o !== '').map((o) => listDrafts(session, o as DraftSummary['from'])));
    setDrafts(lists.flat().filter((d) => d.status !== 'sent' && d.drafter !== session.keys.user).sort((a, b) => a.createdAt - b.createdAt));
  }, [session, key]));
  // Opening a draft is a logged read: after a step-up alert the node first wants the passkey again.
  const [askStepUp, setAskStepUp] = useState<CableId | null>(null);
  const open = useTask(useCallback(async (id: CableId) => {
    setDone(null);
    setAskStepUp(null);
    try {
      setCandidate(await prepareRelease(session, id));
    } catch (e) {
      if (!isStepUpRequired(e)) throw e;
      setAskStepUp(id);
    }
  }, [session]));
  // eslint-disable-next-line @typescript-eslint/unbound-method -- useTask's run is a closure (useCallback), it uses no `this`
  const reload = load.run;
  useEffect(() => {
    if (key !== '') void reload();
  }, [key, reload]);

  const onReturned = useCallback((id: string) => {
    setCandidate(null);
    setDone(`${id} returned to its drafter with your comment. It comes back here when they re-submit it.`);
    void reload();
  }, [reload]);

  const onReleased = useCallback((id: string, dtg: string) => {
    setCandidate(null);
    setDone(`${id} released at ${dtg}. Its drafter can now send it.`);
    void reload();
  }, [reload]);

  if (me && !hasRole(me, 'releasing-officer')) {
    return (
      <section aria-labelledby="releases-title">
        <h1 id="releases-title">Release queue</h1>
        <p>You are not a releasing officer of any office.</p>
      </section>
    );
  }
  // A returned draft waits for its drafter, not for release: it comes back when re-submitted (which clears the return).
  const waiting = (drafts ?? []).filter((d) => d.status === 'draft' && !d.returned);
  const returned = (drafts ?? []).filter((d) => d.status === 'draft' && d.returned);
  const released = (drafts ?? []).filter((d) => d.status === 'released');
  return (
    <section class="releases" aria-labelledby="releases-title">
      <h1 id="releases-title">Release queue</h1>
      <div class="section-head">
        <p class="hint">Drafts of {offices.join(', ') || 'your offices'} awaiting release.</p>
        <button type="button" class="secondary" onClick={() => void reload()} disabled={load.busy}>
          Refresh the queue
        </button>
      </div>
      {load.error ? <p class="error" role="alert">{load.error}</p> : null}
      {open.error ? <p class="error" role="alert">{open.error}</p> : null}
      {done ? <p class="notice" role="status" data-testid="released">{done}</p> : null}
      {askStepUp ? <StepUpPrompt then="opens the draft for review" onConfirmed={() => void open.run(askStepUp)} testId="review-step-up" /> : null}
      {candidate ? (
        <ReleaseReview candidate={candidate} onClose={() => setCandidate(null)} onReleased={onReleased} onReturned={onReturned} />
      ) : null}
      {drafts === null ? <p aria-busy="true">Loading…</p> : waiting.length === 0 ? <p>Nothing awaits release.</p> : null}
      <ul class="queue" aria-label="Drafts awaiting release">
        {waiting.map((d) => (
          <li key={d.id} data-testid="queued-draft" class={candidate?.id === d.id ? 'current' : ''}>
            <span class="office-code">{d.id}</span>
            <span class={`level-tag level-${d.level.toLowerCase()}`}>{d.level}</span>
            <span class="office-meta">by {d.drafter} · {stamp(d.createdAt)}</span>
            <button type="button" class="secondary" disabled={open.busy} aria-label={`Review ${d.id}`} onClick={() => void open.run(d.id)}>
              {candidate?.id === d.id ? 'Reviewing' : open.busy ? 'Opening…' : 'Review'}
            </button>
          </li>
        ))}
      </ul>
      {returned.length > 0 ? (
        <>
          <h2 class="sub">Returned, awaiting the drafter</h2>
          <ul class="queue" aria-label="Returned drafts">
            {returned.map((d) => (
              <li key={d.id} data-testid="returned-draft">
                <span class="office-code">{d.id}</span>
                <span class={`level-tag level-${d.level.toLowerCase()}`}>{d.level}</span>
                <span class="office-meta">by {d.drafter} · returned by {d.returned?.by} at {stamp(d.returned?.at ?? 0)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {released.length > 0 ? (
        <>
          <h2 class="sub">Released, awaiting sending by the drafter</h2>
          <ul class="queue" aria-label="Released drafts">
            {released.map((d) => (
              <li key={d.id} data-testid="released-draft">
                <span class="office-code">{d.id}</span>
                <span class={`level-tag level-${d.level.toLowerCase()}`}>{d.level}</span>
                <span class="office-meta">by {d.drafter} · released by {d.releaser ?? '?'}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
