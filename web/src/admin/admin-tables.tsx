// The Admin screen's read-only lists: offices (code, name, ceiling), users (clearance, memberships), peers (outbox).
import { useLoad, utc } from '../security/use-load.ts';
import { loadDirectory, loadPeers, type Peer } from './admin-data.ts';

function Loading({ error, what }: { readonly error: string | null; readonly what: string }) {
  return error ? <p class="error" role="alert">{error}</p> : <p aria-busy="true">Loading {what}…</p>;
}

export function OfficesAndUsers({ show }: { readonly show: 'offices' | 'users' }) {
  const dir = useLoad(loadDirectory);
  if (!dir.data) return <Loading error={dir.error} what={show} />;
  if (show === 'offices') {
    return (
      <div class="table-wrap">
        <table class="sec-table">
          <caption class="visually-hidden">Offices</caption>
          <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Ceiling</th><th scope="col">Communities</th></tr></thead>
          <tbody>
            {dir.data.offices.map((o) => (
              <tr key={o.code} data-testid="office-row"><th scope="row"><code>{o.code}</code></th><td>{o.name}</td><td>{o.ceiling}</td><td>{o.communities.join(', ')}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <div class="table-wrap">
      <table class="sec-table">
        <caption class="visually-hidden">Users</caption>
        <thead><tr><th scope="col">User</th><th scope="col">Name</th><th scope="col">Clearance</th><th scope="col">Memberships</th><th scope="col">State</th></tr></thead>
        <tbody>
          {dir.data.users.map((u) => (
            <tr key={u.id} data-testid="user-row">
              <th scope="row"><code>{u.id}</code></th>
              <td>{u.name}</td>
              <td>{u.clearance}</td>
              <td>
                <ul class="tags-list">
                  {u.memberships.map((m) => (
                    <li key={`${m.office}/${m.role}`}>{m.office}: {m.role}{m.role === 'releasing-officer' ? ` (up to ${m.releaseCeiling})` : ''}</li>
                  ))}
                </ul>
              </td>
              <td>{[u.active ? 'active' : 'inactive', ...(u.frozen ? ['FROZEN'] : [])].join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function queueText(p: Peer): string {
  const q = p.queue;
  if (!q) return 'nothing queued';
  const parts = [`${q.pending} pending`, `${q.delivered} delivered`, `${q.conflicts} conflicts`];
  if (q.oldestPendingAt !== null) parts.push(`oldest pending ${utc(q.oldestPendingAt)}`);
  if (q.lastError) parts.push(`last error: ${q.lastError}`);
  return parts.join(', ');
}

export function Peers() {
  const peers = useLoad(loadPeers);
  if (!peers.data) return <Loading error={peers.error} what="peers" />;
  if (peers.data.length === 0) return <p>This node has no peers.</p>;
  return (
    <div class="table-wrap">
      <table class="sec-table">
        <caption class="visually-hidden">Peers</caption>
        <thead><tr><th scope="col">Node</th><th scope="col">Organisation</th><th scope="col">URL</th><th scope="col">Added</th><th scope="col">Outbox</th></tr></thead>
        <tbody>
          {peers.data.map((p) => (
            <tr key={p.node} data-testid="peer-row"><th scope="row"><code>{p.node}</code></th><td>{p.org}</td><td><code>{p.url}</code></td><td>{utc(p.addedAt)}</td><td>{queueText(p)}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
