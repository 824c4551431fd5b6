// Where the cable stands at each addressed office (getCableStatus). Only its drafter, releaser, originating office
// and officers may see it: for anyone else the node answers 403 and the section is simply not shown.
import { useEffect, useState } from 'preact/hooks';
import type { CableId } from '../../../src/cable/types.ts';
import { RemoteError } from '../../../src/client/http.ts';
import { getCableStatus, type CableStatus } from '../../../src/client/federation-status.ts';
import type { Session } from '../../../src/client/session.ts';
import { describeError } from '../components/use-task.ts';

type State = { kind: 'loading' } | { kind: 'hidden' } | { kind: 'error'; message: string } | { kind: 'shown'; status: CableStatus };

function when(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + 'Z';
}

export function DeliveryState({ session, id }: { readonly session: Session; readonly id: CableId }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    getCableStatus(session, id).then(
      (status) => live && setState({ kind: 'shown', status }),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof RemoteError && (e.status === 403 || e.status === 404)) setState({ kind: 'hidden' });
        else setState({ kind: 'error', message: describeError(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [session, id]);
  if (state.kind === 'hidden' || state.kind === 'loading') return null;
  return (
    <section class="cable-delivery" aria-labelledby="delivery-title">
      <h3 id="delivery-title">Delivery</h3>
      {state.kind === 'error' ? (
        <p class="note">Delivery state unavailable: {state.message}</p>
      ) : (
        <table data-testid="delivery-table">
          <thead>
            <tr>
              <th scope="col">Office</th>
              <th scope="col">Node</th>
              <th scope="col">State</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {state.status.offices.map((o) => (
              <tr key={o.office}>
                <td><code>{o.office}</code></td>
                <td>{o.node}</td>
                <td class={`state-${o.state}`}>
                  {o.state}
                  {o.attempts ? ` (${o.attempts} attempts)` : ''}
                  {o.lastError ? ` — ${o.lastError}` : ''}
                </td>
                <td>{when(o.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
