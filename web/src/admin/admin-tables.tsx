// The Admin screen's panels: offices (New office, the list), users (New user, the list with Add role and Change
// clearance per user), peers (read-only: adding one takes the offline organisation root, so the CLI).
import { useState } from 'preact/hooks';
import type { OfficeCode } from '../../../src/cable/types.ts';
import { listPersonas, type ListedPersona } from '../../../src/client/canaries.ts';
import type { UserView } from '../../../src/client/directory.ts';
import { useLoad, utc } from '../security/use-load.ts';
import { loadDirectory, loadPeers, type Peer } from './admin-data.ts';
import { NewOfficeForm } from './office-form.tsx';
import { UserActionPanel, type UserAction } from './user-actions.tsx';
import { NewUserForm } from './user-form.tsx';
import './admin.css';
import '../canaries/canaries.css';

function Loading({ error, what }: { readonly error: string | null; readonly what: string }) {
  return error ? <p class="error" role="alert">{error}</p> : <p aria-busy="true">Loading {what}…</p>;
}

export function OfficesPanel() {
  const dir = useLoad(loadDirectory);
  return (
    <>
      <NewOfficeForm onCreated={() => dir.reload()} />
      <h2 class="list-title" id="offices-title">Offices of this node</h2>
      {!dir.data ? (
        <Loading error={dir.error} what="offices" />
      ) : (
        <div class="table-wrap">
          <table class="sec-table" aria-labelledby="offices-title">
            <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Ceiling</th><th scope="col">Communities</th></tr></thead>
            <tbody>
              {dir.data.offices.map((o) => (
                <tr key={o.code} data-testid="office-row" data-office={o.code}><th scope="row"><code>{o.code}</code></th><td>{o.name}</td><td>{o.ceiling}</td><td>{o.communities.join(', ')}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Memberships({ u }: { readonly u: UserView }) {
  return (
    <ul class="tags-list">
      {u.memberships.map((m) => (
        <li key={`${m.office}/${m.role}`}>{m.office}: {m.role}{m.role === 'releasing-officer' ? ` (up to ${m.releaseCeiling})` : ''}</li>
      ))}
    </ul>
  );
}

/** A persona's state: officers must know it is a decoy account (its traffic is canaries) and not treat it as a person. */
function PersonaNote({ personas }: { readonly personas: readonly ListedPersona[] }) {
  if (personas.length === 0) return null;
  return (
    <span class="persona-mark" data-testid="persona-mark">
      persona for {personas.map((p) => p.office).join(', ')} (decoys; declared by {[...new Set(personas.map((p) => p.officer))].join(', ')})
    </span>
  );
}

export function UsersPanel() {
  const dir = useLoad(loadDirectory);
  // Only officers see this screen, and only they are told which accounts are personas.
  const personas = useLoad(listPersonas);
  const [open, setOpen] = useState<{ user: UserView; action: UserAction } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const offices: OfficeCode[] = dir.data?.offices.map((o) => o.code) ?? [];
  const start = (user: UserView, action: UserAction) => {
    setDone(null);
    setOpen({ user, action });
  };
  return (
    <>
      <NewUserForm offices={offices} onCreated={() => dir.reload()} />
      <h2 class="list-title" id="users-title">Users of this node's offices</h2>
      {done ? <p class="notice" role="status" data-testid="user-updated">{done}</p> : null}
      {open ? (
        <UserActionPanel
          user={open.user}
          action={open.action}
          offices={offices}
          onCancel={() => setOpen(null)}
          onDone={(_, what) => {
            setOpen(null);
            setDone(what);
            dir.reload();
          }}
        />
      ) : null}
      {!dir.data ? (
        <Loading error={dir.error} what="users" />
      ) : (
        <div class="table-wrap">
          <table class="sec-table" aria-labelledby="users-title">
            <thead><tr><th scope="col">User</th><th scope="col">Name</th><th scope="col">Clearance</th><th scope="col">Memberships</th><th scope="col">State</th><th scope="col">Change</th></tr></thead>
            <tbody>
              {dir.data.users.map((u) => (
                <tr key={u.id} data-testid="user-row" data-user={u.id}>
                  <th scope="row"><code>{u.id}</code></th>
                  <td>{u.name}</td>
                  <td>{u.clearance}</td>
                  <td><Memberships u={u} /></td>
                  <td>
                    {[u.active ? 'active' : 'inactive', ...(u.frozen ? ['FROZEN'] : [])].join(', ')}{' '}
                    <PersonaNote personas={personas.data?.filter((p) => p.persona === u.id) ?? []} />
                  </td>
                  <td>
                    <div class="row-actions">
                      <button type="button" class="secondary" aria-label={`Add a role to ${u.id}`} onClick={() => start(u, 'role')}>Add role</button>
                      <button type="button" class="secondary" aria-label={`Change the clearance of ${u.id}`} onClick={() => start(u, 'clearance')}>Clearance</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
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

/** Why peers are added on the CLI, and how (src/cli/peer-commands.ts). */
function AddPeerHowTo() {
  return (
    <div class="admin-form how-to" data-testid="peer-how-to">
      <h2>Adding a peer</h2>
      <p>
        Adding a peer is signed by this organisation's root key, which stays offline and never reaches a browser, so it is done on an officer's CLI
        device with the root key at hand:
      </p>
      <code class="command">chancery peer add --key your.key --url https://peer.example --fingerprint PEER-ROOT-FINGERPRINT --root-key /media/offline/ORG.root.key</code>
      <p class="hint">The fingerprint is the peer organisation root's, read out by its security officer. The peer's officer adds this node too before cables flow both ways.</p>
    </div>
  );
}

export function Peers() {
  const peers = useLoad(loadPeers);
  return (
    <>
      <h2 class="list-title" id="peers-title">Peers of this node</h2>
      {!peers.data ? (
        <Loading error={peers.error} what="peers" />
      ) : peers.data.length === 0 ? (
        <p>This node has no peers.</p>
      ) : (
        <div class="table-wrap">
          <table class="sec-table" aria-labelledby="peers-title">
            <thead><tr><th scope="col">Node</th><th scope="col">Organisation</th><th scope="col">URL</th><th scope="col">Added</th><th scope="col">Outbox</th></tr></thead>
            <tbody>
              {peers.data.map((p) => (
                <tr key={p.node} data-testid="peer-row"><th scope="row"><code>{p.node}</code></th><td>{p.org}</td><td><code>{p.url}</code></td><td>{utc(p.addedAt)}</td><td>{queueText(p)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddPeerHowTo />
    </>
  );
}
