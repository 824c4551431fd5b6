// "Who read this" for security officers: every logged read of the cable (and of it as a draft), proven under the
// latest checkpoint (cableReads scans and hashes the whole log, so it runs when asked, not on every opening).
import { useState } from 'preact/hooks';
import type { CableId } from '../../../src/cable/types.ts';
import { cableReads, type ReadRecord } from '../../../src/client/audit-queries.ts';
import type { Session } from '../../../src/client/session.ts';
import { useTask } from '../components/use-task.ts';

const KIND_WORDS: Readonly<Record<ReadRecord['entry']['kind'], string>> = {
  'cable.read': 'read the cable',
  'draft.read': 'opened the draft',
  'share.released': 'opened the draft (release)',
};

export function WhoRead({ session, id }: { readonly session: Session; readonly id: CableId }) {
  const [reads, setReads] = useState<readonly ReadRecord[] | null>(null);
  const [progress, setProgress] = useState('');
  const task = useTask(async () => {
    const r = await cableReads(session, id, { onProgress: (p) => setProgress(`${p.done} of ${p.total} log entries checked`) });
    setReads(r.reads);
  });
  return (
    <section class="cable-reads" aria-labelledby="reads-title">
      <h3 id="reads-title">Who read this cable</h3>
      {reads === null ? (
        <div class="actions">
          <button type="button" class="secondary" disabled={task.busy} onClick={() => void task.run()}>
            {task.busy ? 'Checking the audit log…' : 'Show who read this cable'}
          </button>
          {task.busy ? <span class="note" aria-live="polite">{progress}</span> : null}
        </div>
      ) : reads.length === 0 ? (
        <p>No reads on the audit log.</p>
      ) : (
        <table data-testid="reads-table">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">User</th>
              <th scope="col">Device</th>
              <th scope="col">Office</th>
              <th scope="col">What</th>
              <th scope="col">Log entry</th>
            </tr>
          </thead>
          <tbody>
            {reads.map((r) => (
              <tr key={r.index}>
                <td>{new Date(r.entry.at).toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td>{r.entry.user}</td>
                <td><code>{r.entry.device}</code></td>
                <td><code>{r.entry.office}</code></td>
                <td>{KIND_WORDS[r.entry.kind]}</td>
                <td>#{r.index} (proven)</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {task.error ? <p class="error" role="alert">{task.error}</p> : null}
    </section>
  );
}
