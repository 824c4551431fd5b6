// Compose a cable (issue 6 "Screens"): the drafter fills the routing header and the text, sees live what the cable
// model and the policy would refuse — per field, with codes, and per addressed office — and submits it for release:
// draftCable seals it to the originating office and files it. Below, the user's drafts and where each stands; a
// returned one loads back into the form and is re-submitted under its id (resubmitDraft).
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Classifications, Precedences, type Classification, type Marking } from '../../../src/cable/types.ts';
import { CableLimits } from '../../../src/cable/limits.ts';
import type { CableId } from '../../../src/cable/types.ts';
import { resubmitDraft } from '../../../src/client/draft-returns.ts';
import { draftCable } from '../../../src/client/drafts.ts';
import type { Office } from '../../../src/client/directory.ts';
import { mayReceive } from '../../../src/policy/receive.ts';
import { useApp, useMarking } from '../device-context.ts';
import { useTask } from '../components/use-task.ts';
import { AttachmentsField } from '../compose/attachments-field.tsx';
import { checkForm, draftingOffices, emptyForm, markingOf, draftInputOf, type DraftForm, type FieldKey } from '../compose/draft-form.ts';
import { loadDraftForm } from '../compose/edit-draft.ts';
import { MyDrafts } from '../compose/my-drafts.tsx';
import { OfficePicker, Problems } from '../compose/office-picker.tsx';
import { useOffices } from '../compose/use-offices.ts';
import { useMe } from './workspace.tsx';
import '../compose/compose.css';

function refusalAt(marking: Marking) {
  return (office: Office) => {
    const d = mayReceive(office, marking);
    return d.allowed ? [] : d.reasons;
  };
}

export function Compose({ draft }: { readonly draft?: string | undefined }) {
  const app = useApp();
  const me = useMe();
  const { offices, loading, error: officesError, peerNote } = useOffices();
  const mine = draftingOffices(me);
  const [form, setForm] = useState<DraftForm>(() => emptyForm(''));
  const [filed, setFiled] = useState<string | null>(null);
  // The returned draft loaded into the form: submitting files a new version under its id.
  const [editing, setEditing] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [refresh, setRefresh] = useState(0);
  useEffect(() => {
    if (form.from === '' && mine[0]) setForm((f) => ({ ...f, from: mine[0]! }));
  }, [mine, form.from]);

  const check = useMemo(() => checkForm(form, me, offices, new Date()), [form, me, offices]);
  const marking = markingOf(form);
  // What is typed here is classified at the chosen level: the banners say so while composing.
  useMarking(form.level);

  const set = <K extends keyof DraftForm>(key: K, value: DraftForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const findings = (key: FieldKey) => check.byField.get(key) ?? [];
  const described = (key: string) => ({ 'aria-describedby': `${key}-problems`, 'aria-invalid': findings(key as FieldKey).length > 0 ? true : undefined });

  const submit = useTask(useCallback(async (f: DraftForm) => {
    const id = editing ? await resubmitDraft(app.device.session, editing as CableId, draftInputOf(f)) : await draftCable(app.device.session, draftInputOf(f));
    setEditing(null);
    setFiled(id);
    setTried(false);
    setForm(emptyForm(f.from));
    setRefresh((n) => n + 1);
  }, [app, editing]));

  const edit = useTask(useCallback(async (id: CableId) => {
    setFiled(null);
    setForm(await loadDraftForm(app.device.session, id));
    setEditing(id);
    document.getElementById('compose-title')?.scrollIntoView({ block: 'start' });
  }, [app]));

  const onSubmit = (e: Event) => {
    e.preventDefault();
    setTried(true);
    setFiled(null);
    if (check.count === 0) void submit.run(form);
  };

  const paragraphs = form.body.split(/\n\s*\n/).filter((p) => p.trim() !== '').length;
  const bodyBytes = new TextEncoder().encode(form.body).length;

  return (
    <section class="compose" aria-labelledby="compose-title">
      <h1 id="compose-title">Compose a cable</h1>
      {officesError ? <p class="error" role="alert">{officesError}</p> : null}
      {peerNote ? <p class="hint">{peerNote}</p> : null}
      {edit.error ? <p class="error" role="alert">{edit.error}</p> : null}
      {editing ? (
        <p class="notice" role="status" data-testid="editing">
          Editing <strong>{editing}</strong>, returned to you: submitting files this version under the same id and puts it back in the release queue.{' '}
          <button type="button" class="secondary" onClick={() => { setEditing(null); setForm(emptyForm(form.from)); }}>
            Stop editing
          </button>
        </p>
      ) : null}
      <form class="compose-form" onSubmit={onSubmit} noValidate aria-busy={loading || submit.busy || edit.busy}>
        <div class="grid">
          <div class="field">
            <label for="compose-from">Originating office</label>
            <select id="compose-from" value={form.from} disabled={editing !== null} onChange={(e) => set('from', e.currentTarget.value)} {...described('from')}>
              {mine.length === 0 ? <option value="">(loading your offices)</option> : null}
              {mine.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
            <Problems id="from-problems" findings={findings('from')} />
          </div>
          <div class="field">
            <label for="compose-level">Classification</label>
            <select id="compose-level" value={form.level} onChange={(e) => set('level', e.currentTarget.value as Classification)} {...described('level')}>
              {Classifications.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
            <Problems id="level-problems" findings={findings('level')} />
          </div>
          <div class="field">
            <label for="compose-precedence">Precedence</label>
            <select id="compose-precedence" value={form.precedence} onChange={(e) => set('precedence', e.currentTarget.value as DraftForm['precedence'])} {...described('precedence')}>
              {Precedences.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
            <Problems id="precedence-problems" findings={findings('precedence')} />
          </div>
          <div class="field">
            <label for="compose-caveats">Caveats (comma-separated)</label>
            <input id="compose-caveats" value={form.caveats} onInput={(e) => set('caveats', e.currentTarget.value.toUpperCase())} placeholder="e.g. CRYPTO" {...described('caveats')} />
            <Problems id="caveats-problems" findings={findings('caveats')} />
          </div>
          <div class="field">
            <label for="compose-releasableTo">Releasable to (communities)</label>
            <input id="compose-releasableTo" value={form.releasableTo} onInput={(e) => set('releasableTo', e.currentTarget.value.toUpperCase())} placeholder="e.g. EU" {...described('releasableTo')} />
            <Problems id="releasableTo-problems" findings={findings('releasableTo')} />
          </div>
          <div class="field">
            <label for="compose-tags">Tags</label>
            <input id="compose-tags" value={form.tags} onInput={(e) => set('tags', e.currentTarget.value.toUpperCase())} placeholder="e.g. PREL, US" {...described('tags')} />
            <Problems id="tags-problems" findings={findings('tags')} />
          </div>
        </div>
        <p class="marking-line" aria-live="polite">
          Marking: <strong>{[marking.classification, ...marking.caveats].join(' // ')}{marking.releasableTo.length ? ` // REL ${marking.releasableTo.join(', ')}` : ''}</strong>
        </p>
        <div class="pickers">
          <OfficePicker id="to" label="To" offices={offices} selected={form.to} taken={[form.from, ...form.info]} flags={check.byOffice} refusal={refusalAt(marking)} findings={findings('to')} onChange={(v) => set('to', v)} />
          <OfficePicker id="info" label="Info" offices={offices} selected={form.info} taken={[form.from, ...form.to]} flags={check.byOffice} refusal={refusalAt(marking)} findings={findings('info')} onChange={(v) => set('info', v)} />
        </div>
        <div class="field">
          <label for="compose-references">References (cable ids)</label>
          <input id="compose-references" value={form.references} onInput={(e) => set('references', e.currentTarget.value)} placeholder="e.g. EEAS.DEL.WASHINGTON/2026/000012" {...described('references')} />
          <Problems id="references-problems" findings={findings('references')} />
        </div>
        <div class="field">
          <label for="compose-subject">Subject</label>
          <input id="compose-subject" value={form.subject} maxLength={CableLimits.subjectMaxChars * 2} onInput={(e) => set('subject', e.currentTarget.value)} {...described('subject')} />
          <Problems id="subject-problems" findings={findings('subject')} />
        </div>
        <div class="field">
          <label for="compose-body">Body (paragraphs separated by a blank line)</label>
          <textarea id="compose-body" value={form.body} onInput={(e) => set('body', e.currentTarget.value)} {...described('body')} />
          <span class="hint">{paragraphs} paragraph(s), {bodyBytes} of {CableLimits.bodyMaxBytes} bytes</span>
          <Problems id="body-problems" findings={findings('body')} />
        </div>
        <AttachmentsField value={form.attachments} findings={findings('attachments')} onChange={(a) => set('attachments', a)} />
        <Problems id="general-problems" findings={findings('general')} />
        <div class="actions">
          <button type="submit" class="primary" disabled={submit.busy}>
            {submit.busy ? 'Sealing and filing…' : editing ? 'Re-submit for release' : 'Submit for release'}
          </button>
          <span class={check.count > 0 ? 'problem-count' : 'hint'} data-testid="problem-count">
            {check.count === 0 ? 'No problems found.' : `${check.count} problem(s) to fix before submitting.`}
          </span>
        </div>
        {tried && check.count > 0 ? <p class="error" role="alert">Not submitted: fix the {check.count} problem(s) flagged above.</p> : null}
        {submit.error ? <p class="error" role="alert">{submit.error}</p> : null}
        {filed ? (
          <p class="notice" role="status" data-testid="filed">
            Filed <strong>{filed}</strong>, sealed: awaiting release by a releasing officer of {filed.split('/')[0]}.
          </p>
        ) : null}
      </form>
      <MyDrafts refresh={refresh} highlight={draft} editing={editing} onEdit={(id) => void edit.run(id)} />
    </section>
  );
}
