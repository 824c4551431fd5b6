// The relay of a peer's key directory for our devices (docs/federation.md "Remote keys"): one GET of a whitelisted,
// peer-callable path, signed by this node, answered with the peer's body unchanged. The last good answer per path is
// kept (peer_directory) and served while the peer is down, so senders can still seal to its offices and the cable
// waits in the outbox (store-and-forward). The node only relays: clients verify every record to the peer's root.
import type { NodeName } from '../../cable/types.ts';
import { isOfficeCode, isUserId } from '../../cable/ids.ts';
import { fromUtf8 } from '../../bytes.ts';
import { RemoteError } from '../../client/http.ts';
import { RequestError, UnavailableError } from '../../errors.ts';
import { signRequest } from '../../protocol/http-signature.ts';
import { formatNodeKeyId } from '../../protocol/key-id.ts';
import { groupCommit } from '../commit-batcher.ts';
import type { NodeContext } from '../node-context.ts';
import { PEER_REQUEST_TIMEOUT_MS } from './federation.ts';
import { trustedPeer, type TrustedPeer } from './peers.ts';

/** A relayable request: the peer path, its query, and whether the peer answers with text (a signed checkpoint). */
export interface RelayTarget {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly text: boolean;
  /** The canonical form (path and the query in a fixed order): the cache key. */
  readonly key: string;
}

const COUNT = /^(0|[1-9][0-9]{0,15})$/;
const MAX_PATH = 512;

function target(path: string, query: Record<string, string>, text = false): RelayTarget {
  const qs = new URLSearchParams(query).toString();
  return { path, query, text, key: qs === '' ? path : `${path}?${qs}` };
}

function noQuery(params: URLSearchParams): boolean {
  return [...params.keys()].length === 0;
}

function only(params: URLSearchParams, names: readonly string[]): boolean {
  const keys = [...params.keys()];
  return keys.length === names.length && names.every((n) => params.getAll(n).length === 1);
}

/**
 * Parses `?path=` into one of the peer-callable paths (`request.malformed` for anything else): the public key
 * directory, node identity and log heads — never a route that reads another organisation's records.
 */
export function relayTarget(raw: string | null): RelayTarget {
  if (raw === null || raw.length === 0 || raw.length > MAX_PATH || !raw.startsWith('/') || raw.startsWith('//')) {
    throw new RequestError('request.malformed', 'path must be a peer directory path such as /api/v1/offices');
  }
  let url: URL;
  try {
    url = new URL(raw, 'http://peer.invalid');
  } catch {
    throw new RequestError('request.malformed', 'path is not a URL path');
  }
  const params = url.searchParams;
  let segments: string[];
  try {
    segments = url.pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    throw new RequestError('request.malformed', 'path is not a URL path');
  }
  const [api, v1, what, id, more] = segments;
  if (api === 'api' && v1 === 'v1' && more === undefined && url.hash === '') {
    if (what === 'node' && id === undefined && noQuery(params)) return target('/api/v1/node', {});
    if (what === 'offices' && id === undefined && noQuery(params)) return target('/api/v1/offices', {});
    const office = params.get('office');
    if (what === 'epochs' && id === undefined && only(params, ['office']) && office !== null && isOfficeCode(office)) return target('/api/v1/epochs', { office });
    if ((what === 'officers' || what === 'devices') && id !== undefined && isUserId(id) && noQuery(params)) return target(`/api/v1/${what}/${encodeURIComponent(id)}`, {});
    if (what === 'log' && id === 'checkpoint' && noQuery(params)) return target('/api/v1/log/checkpoint', {}, true);
    const from = params.get('from');
    const to = params.get('to');
    if (what === 'log' && id === 'consistency' && only(params, ['from', 'to']) && from !== null && to !== null && COUNT.test(from) && COUNT.test(to)) {
      return target('/api/v1/log/consistency', { from, to });
    }
  }
  throw new RequestError('request.malformed', `${url.pathname} is not a path a peer serves to other nodes`);
}

/** A GET of a text route (the checkpoint), signed by this node like every request to a peer. */
async function getText(node: NodeContext, peer: TrustedPeer, path: string): Promise<string> {
  const federation = node.federation;
  if (!federation) throw new UnavailableError('node.peer_unavailable', 'this node does not federate (no node key loaded)');
  const url = new URL(path, peer.row.url).toString();
  const headers = await signRequest(node.p, { method: 'GET', url, body: new Uint8Array(0), keyId: formatNodeKeyId(node.identity.node), signingSeed: federation.signingKey.ed25519Seed, now: Date.now() });
  let res: Response;
  try {
    res = await fetch(url, { headers: { ...headers, accept: 'text/plain' }, signal: AbortSignal.timeout(PEER_REQUEST_TIMEOUT_MS) });
  } catch (cause) {
    throw new RemoteError('internal', `cannot reach ${peer.row.node}`, 0, [], { cause });
  }
  const body = fromUtf8(new Uint8Array(await res.arrayBuffer()));
  if (!res.ok) throw new RemoteError('internal', `${peer.row.node} answered HTTP ${res.status}`, res.status);
  return body;
}

/** Whether a failure is the peer's considered answer about the request (passed on), not its absence (cache). */
function isPeerVerdict(error: unknown): error is RemoteError {
  return error instanceof RemoteError && error.status >= 400 && error.status < 500 && !error.code.startsWith('auth.') && error.status !== 429;
}

/** What the relay answers: the peer's body (parsed JSON, or text), and whether it came from the cache. */
export interface RelayAnswer {
  readonly body: unknown;
  readonly text: boolean;
  readonly cachedAt: number | null;
}

/**
 * Relays one GET to an active peer. A peer's 4xx about the request itself (an unknown officer) is passed on as its
 * error; a peer that does not answer (or fails, or refuses us) gets the cached answer for that exact path, or
 * `node.peer_unavailable` (503).
 */
export async function relay(node: NodeContext, name: NodeName, t: RelayTarget): Promise<RelayAnswer> {
  const peer = await trustedPeer(node, name);
  if (!peer) throw new RequestError('request.not_found', `${name} is not a peer of this node`);
  const federation = node.federation;
  let body: string;
  try {
    if (!federation) throw new UnavailableError('node.peer_unavailable', 'this node does not federate (no node key loaded)');
    body = t.text ? await getText(node, peer, t.path) : JSON.stringify(await federation.http(peer.row.url).get(t.path, t.query));
  } catch (error) {
    if (isPeerVerdict(error)) throw error;
    const cached = node.store.transaction((tx) => tx.getPeerDirectory(name, t.key));
    node.log.warn({ peer: name, path: t.key, cached: cached !== null, err: error instanceof Error ? error.message : String(error) }, 'peer directory unreachable');
    if (!cached) throw new UnavailableError('node.peer_unavailable', `${name} does not answer and nothing of ${t.key} is cached`, { cause: error });
    return { body: t.text ? cached.body : (JSON.parse(cached.body) as unknown), text: t.text, cachedAt: cached.fetchedAt };
  }
  const fetchedAt = node.now();
  await groupCommit(node.store, (tx) => tx.putPeerDirectory({ peer: name, path: t.key, body, fetchedAt }));
  return { body: t.text ? body : (JSON.parse(body) as unknown), text: t.text, cachedAt: null };
}
