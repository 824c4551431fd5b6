// Audit log: the last entries under the node's latest checkpoint, proven together against this device's pinned log
// view, and per entry an inclusion proof checked on demand (verified ✓, or the error).
import { useState } from 'preact/hooks';
import { useTask } from '../components/use-task.ts';
import { useApp } from '../device-context.ts';
import { lastEntries, proveInclusion, type ListedEntry } from './log-proofs.ts';
import { useLoad, utc } from './use-load.ts';

const TAIL = 25;

const WHO_FIELDS = ['user', 'officer', 'releaser', 'drafter', 'by'] as const;

/** Who an entry is about, in the first field it has of the usual ones. */
export function whoOf(entry: ListedEntry['entry']): string {
  if (!entry) return '—';
  const fields = entry as unknown as Record<string, unknown>;
  for (const k of WHO_FIELDS) {
    const v = fields[k];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(' + ');
  }
  return '—';
}

function EntryRow({ entry }: { readonly entry: ListedEntry }) {
  const app = useApp();
  const [result, setResult] = useState<string | null>(null);
  const verify = useTask(async () => {
    setResult(null);
    const proven = await proveInclusion(app.device.session, entry.index);
    setResult(`verified ✓ in the tree of ${proven.size} entries`);
  });
  const kind = entry.entry?.kind ?? 'unknown (newer format)';
  return (
    <tr data-testid="log-entry" data-index={entry.index}>
      <td>{entry.index}</td>
      <td><code>{kind}</code></td>
      <td>{entry.entry ? <time dateTime={new Date(entry.entry.at).toISOString()}>{utc(entry.entry.at)}</time> : utc(entry.appendedAt)}</td>
      <td>{whoOf(entry.entry)}</td>
      <td>
        <button type="button" class="secondary" disabled={verify.busy} aria-label={`Verify inclusion of entry ${entry.index}`} onClick={() => void verify.run()}>
          {verify.busy ? 'Verifying…' : 'Verify inclusion'}
        </button>
        <span aria-live="polite" data-testid="inclusion-result">
          {result ? <span class="verified"> {result}</span> : null}
          {verify.error ? <span class="error"> {verify.error}</span> : null}
        </span>
      </td>
    </tr>
  );
}

export function AuditPanel() {
  const tail = useLoad((s) => lastEntries(s, TAIL));
  return (
    <div>
      <p class="lead">
        The last {TAIL} entries under the node's latest signed checkpoint
        {tail.data ? ` (${tail.data.head.checkpoint.size} entries)` : ''}, which this device checked is consistent with every one it saw before. Verify an entry to prove it is in that tree.
      </p>
      {tail.error ? <p class="error" role="alert">{tail.error}</p> : null}
      {tail.data === null ? (
        tail.error ? null : <p aria-busy="true">Loading the log…</p>
      ) : (
        <div class="table-wrap">
          <table class="sec-table">
            <caption class="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr><th scope="col">Index</th><th scope="col">Kind</th><th scope="col">Time</th><th scope="col">Who</th><th scope="col">Inclusion</th></tr>
            </thead>
            <tbody>
              {[...tail.data.entries].reverse().map((e) => (
                <EntryRow key={e.index} entry={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => tail.reload()} disabled={tail.loading}>
          Refresh the log
        </button>
      </div>
    </div>
  );
}
