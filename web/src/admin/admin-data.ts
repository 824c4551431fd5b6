// What the Admin screen lists: offices, the users of those offices with their memberships, and the node's peers with
// their outbox. Peers are read here rather than through src/client/peers.ts, whose root-key import reaches node:fs.
import { parseNodeName } from '../../../src/cable/ids.ts';
import type { UserId } from '../../../src/cable/types.ts';
import { getUser, listMembers, listOffices, type Office, type UserView } from '../../../src/client/directory.ts';
import { getOutbox, type PeerQueue } from '../../../src/client/federation-status.ts';
import type { Session } from '../../../src/client/session.ts';
import { fieldsOf, listIn } from '../../../src/client/wire.ts';

export interface Peer {
  readonly node: string;
  readonly org: string;
  readonly url: string;
  readonly addedAt: number;
  readonly queue: PeerQueue | null;
}

export interface Directory {
  readonly offices: readonly Office[];
  readonly users: readonly UserView[];
}

export async function loadDirectory(s: Session): Promise<Directory> {
  const offices = await listOffices(s);
  const rosters = await Promise.all(offices.map((o) => listMembers(s, o.code)));
  const ids = [...new Set<UserId>(rosters.flat().map((m) => m.user))].sort();
  const users = await Promise.all(ids.map((id) => getUser(s, id)));
  return { offices, users };
}

export async function loadPeers(s: Session): Promise<Peer[]> {
  const [body, outbox] = await Promise.all([s.http.get('/api/v1/peers'), getOutbox(s)]);
  return listIn('peers', body, 'peers', 10_000).map((item) => {
    const f = fieldsOf('peer', item, ['node', 'org', 'url', 'addedAt'], ['certificate', 'root', 'nodeCertificate', 'offices', 'removedAt']);
    const node = parseNodeName(f.token('node', 64));
    return { node, org: f.token('org', 64), url: f.token('url', 2048), addedAt: f.uint('addedAt'), queue: outbox.find((q) => q.peer === node) ?? null };
  });
}
