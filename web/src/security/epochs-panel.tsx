// Office key epochs: per office and level, the current (newest open) epoch, each verified to the organisation root
// and checked against the audit log by the client library. Read-only: opening epochs takes two officers' devices.
import { Classifications } from '../../../src/cable/types.ts';
import { listOffices, type Office } from '../../../src/client/directory.ts';
import { officeEpochs, type EpochState } from '../../../src/client/key-directory.ts';
import type { Session } from '../../../src/client/session.ts';
import { useLoad } from './use-load.ts';

interface OfficeEpochs {
  readonly office: Office;
  readonly epochs: readonly EpochState[] | null;
  readonly error: string | null;
}

async function allEpochs(s: Session): Promise<OfficeEpochs[]> {
  const offices = await listOffices(s);
  return Promise.all(
    offices.map(async (office) => {
      try {
        return { office, epochs: await officeEpochs(s, office.code), error: null };
      } catch (e) {
        // One office's bad chain is shown on its row, not hiding the others.
        return { office, epochs: null, error: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
}

function levelCell(epochs: readonly EpochState[], level: string): string {
  const atLevel = epochs.filter((e) => e.verified.epoch.level === level);
  if (atLevel.length === 0) return '—';
  const open = atLevel.filter((e) => !e.closed).sort((a, b) => b.verified.epoch.epoch - a.verified.epoch.epoch)[0];
  const closed = atLevel.length - (open ? 1 : 0);
  const current = open ? `epoch ${open.verified.epoch.epoch}${open.onLog ? '' : ' (NOT ON LOG)'}` : 'none open';
  return closed > 0 ? `${current}, ${closed} closed` : current;
}

export function EpochsPanel() {
  const rows = useLoad(allEpochs);
  return (
    <div>
      <p class="lead">The current key epoch of each office at each level up to its ceiling, verified to the organisation root.</p>
      {rows.error ? <p class="error" role="alert">{rows.error}</p> : null}
      {rows.data === null ? (
        rows.error ? null : <p aria-busy="true">Loading key epochs…</p>
      ) : (
        <div class="table-wrap">
          <table class="sec-table">
            <caption class="visually-hidden">Office key epochs</caption>
            <thead>
              <tr>
                <th scope="col">Office</th>
                {Classifications.map((l) => (
                  <th scope="col" key={l}>{l}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.data.map((r) => (
                <tr key={r.office.code} data-testid="epoch-row" data-office={r.office.code}>
                  <th scope="row"><code>{r.office.code}</code></th>
                  {r.epochs === null ? (
                    <td colSpan={Classifications.length} class="error">{r.error}</td>
                  ) : (
                    Classifications.map((l) => (
                      <td key={l}>{Classifications.indexOf(l) > Classifications.indexOf(r.office.ceiling) ? 'above ceiling' : levelCell(r.epochs ?? [], l)}</td>
                    ))
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
