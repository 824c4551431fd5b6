// The reader: opens one cable when the user navigates to it (a logged read through the release service), marks it
// read, raises the page's banners to the cable's level, and offers printing with the marking on every page. When a
// security alert asks this user to confirm it is them (docs/detection.md "Step-up"), the node answers 401
// auth.step_up_required: the reader asks for the passkey, then tries the read once more.
import { useEffect, useState } from 'preact/hooks';
import type { CableId } from '../../../src/cable/types.ts';
import { renderMarking } from '../../../src/cable/telegram.ts';
import { ChanceryError } from '../../../src/errors.ts';
import { DenialCodes } from '../../../src/policy/decision.ts';
import { RemoteError } from '../../../src/client/http.ts';
import { markRead, readCable, type OpenedCable } from '../../../src/client/reading.ts';
import { describeError, isSessionEnd } from '../components/use-task.ts';
import { useApp, useMarking } from '../device-context.ts';
import { CableView } from '../reader/cable-view.tsx';
import { DeliveryState } from '../reader/delivery-state.tsx';
import { WhoRead } from '../reader/who-read.tsx';
import { hasRole, useMe } from './workspace.tsx';
import type { UserView } from '../../../src/client/directory.ts';
import { hrefOf } from '../route.ts';
import { rememberOpened } from '../search/opened.ts';
import { isStepUpRequired, StepUpPrompt } from '../components/step-up-prompt.tsx';
import { CanaryWarning } from '../canaries/canary-warning.tsx';
import { officerCanaries } from '../canaries/officer-canaries.ts';
import '../reader/reader.css';
import '../reader/print.css';

type State =
  | { kind: 'opening' }
  | { kind: 'refused'; message: string }
  | { kind: 'step-up'; problem: string | null }
  | { kind: 'canary'; problem: string | null }
  | { kind: 'open'; opened: OpenedCable; readMark: string | null };

/** Words for a refusal: not cleared / not addressed is said plainly, with the node's or the client's reason. */
function refusal(error: unknown): string {
  // Frozen is not a matter of clearance: the person must know an officer has to act, not that the cable is out of reach.
  if (error instanceof RemoteError && error.reasons.some((r) => r.code === DenialCodes.userFrozen)) {
    return 'Your account is frozen after a security alert: nothing can be opened until two security officers clear it. Contact your security officer.';
  }
  const denied = (error instanceof RemoteError && (error.status === 403 || error.status === 404)) || (error instanceof ChanceryError && error.code === 'open.not_addressed');
  return denied ? `You cannot open this cable: your clearance, offices or keys do not cover it. ${describeError(error)}` : `The cable could not be opened. ${describeError(error)}`;
}

/**
 * Whether the node will show this user the cable's delivery state (its drafter, releaser, originating office,
 * security officers): asking otherwise only earns a 403 the browser logs as an error.
 */
function mayTrack(header: { readonly from: string; readonly drafter: string; readonly releaser: string }, me: UserView | null, officer: boolean): boolean {
  if (officer || me === null) return officer;
  return header.drafter === me.id || header.releaser === me.id || me.memberships.some((m) => m.office === header.from);
}

export function Reader({ id }: { readonly id: string }) {
  const app = useApp();
  const { session } = app.device;
  // "Who read this" is for security officers (issue 6 "Reader"); the node refuses anyone else's log queries anyway.
  const me = useMe();
  const officer = hasRole(me, 'security-officer');
  const [state, setState] = useState<State>({ kind: 'opening' });
  // Each confirmation with the passkey bumps this, which reads the cable once more.
  const [attempt, setAttempt] = useState(0);
  // An officer opens a canary only after saying so (the reader is remounted for each cable, so this is per cable).
  const [canaryChosen, setCanaryChosen] = useState(false);
  const known = me !== null;

  useEffect(() => {
    // Whether this user is a security officer decides whether the canary check comes first.
    if (!known) return;
    let live = true;
    setState({ kind: 'opening' });
    const cable = id as CableId;
    const open = () =>
      void readCable(session, cable).then(
        async (opened) => {
          if (!live) return;
          setState({ kind: 'open', opened, readMark: null });
          // This device's own full-text index (encrypted at rest) learns only what the user just opened.
          void rememberOpened(app.device, opened.cable);
          try {
            await markRead(session, cable);
          } catch (e) {
            if (live) setState({ kind: 'open', opened, readMark: `Not marked as read: ${describeError(e)}` });
          }
        },
        (e: unknown) => {
          if (!live) return;
          if (isSessionEnd(e)) app.sessionEnded(describeError(e));
          else if (isStepUpRequired(e)) {
            // A second refusal right after a confirmation (its 2 minutes ran out, or another tab used it) asks again.
            setState({ kind: 'step-up', problem: attempt > 0 ? `The node asked again: ${describeError(e)}` : null });
          } else setState({ kind: 'refused', message: refusal(e) });
        },
      );
    const guard: Promise<{ problem: string | null } | null> =
      officer && !canaryChosen
        ? officerCanaries(session).then(
            (set) => (set.has(id) ? { problem: null } : null),
            (e: unknown) => ({ problem: describeError(e) }),
          )
        : Promise.resolve(null);
    void guard.then((canary) => {
      if (!live) return;
      if (canary) setState({ kind: 'canary', problem: canary.problem });
      else open();
    });
    return () => {
      live = false;
    };
  }, [id, session, app, attempt, known, officer, canaryChosen]);
  useMarking(state.kind === 'open' ? state.opened.cable.header.marking.classification : 'UNCLASSIFIED');

  return (
    <section class="reader" aria-labelledby="reader-title" aria-busy={state.kind === 'opening'}>
      <div class="reader-bar no-print">
        <a href={hrefOf({ screen: 'inbox' })} class="back">
          ← Back to the inbox
        </a>
        {state.kind === 'open' ? (
          <button type="button" class="secondary" onClick={() => window.print()} aria-label={`Print this cable (${renderMarking(state.opened.cable.header.marking)} marking on every page)`}>
            Print
          </button>
        ) : null}
      </div>
      <h1 id="reader-title">
        Cable <code>{id}</code>
      </h1>
      {state.kind === 'opening' ? <p>Opening the cable… (this read is recorded on the audit log)</p> : null}
      {state.kind === 'refused' ? (
        <p class="error" role="alert" data-testid="reader-error">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'step-up' ? (
        <StepUpPrompt then="opens another cable" problem={state.problem} onConfirmed={() => setAttempt((n) => n + 1)} testId="reader-step-up" />
      ) : null}
      {state.kind === 'canary' ? <CanaryWarning problem={state.problem} onOpen={() => setCanaryChosen(true)} /> : null}
      {state.kind === 'open' ? (
        <>
          {state.readMark ? <p class="note">{state.readMark}</p> : null}
          <CableView cable={state.opened.cable} office={state.opened.office} />
          <div class="no-print">
            {mayTrack(state.opened.cable.header, me, officer) ? <DeliveryState session={session} id={id as CableId} /> : null}
            {officer ? <WhoRead session={session} id={id as CableId} /> : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
