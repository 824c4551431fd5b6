// Remote keys (docs/federation.md "Remote keys"): a peer's key directory as this device trusts it. Our node relays
// the peer's public listings but is not believed about them: the peer certificate must verify under the root this
// device pinned, it pins the peer's root, the peer's node certificate and log key must chain to that root, and every
// key record is then checked exactly as for our own node (key-directory.ts, key-transparency.ts) — against the
// peer's root and on the peer's log. So neither our node nor the relay path can substitute a key.
import type { NodeName, OfficeCode } from '../cable/types.ts';
import { Classifications, type Classification } from '../cable/types.ts';
import { CablePatterns } from '../cable/limits.ts';
import { parseNodeName, parseOfficeCode } from '../cable/ids.ts';
import { equalBytes, toHex } from '../bytes.ts';
import { RequestError, VerificationError } from '../errors.ts';
import { decodeNodeCertificate, verifyNodeCertificate } from '../keys/node-certificate.ts';
import { decodePeerCertificate, verifyPeerCertificate } from '../keys/peer-certificate.ts';
import type { SignerKeyResolver } from '../envelope/signatures.ts';
import type { Envelope } from '../envelope/types.ts';
import { listOffices, type Office } from './directory.ts';
import type { NodeHttp } from './http.ts';
import { signerResolver } from './key-directory.ts';
import { LogView } from './log-view.ts';
import { verifiedNodeOf, type Session, type VerifiedNode } from './session.ts';
import { base64Of, fieldsOf, listIn } from './wire.ts';

/**
 * How old a relayed checkpoint of a peer's log may be, by default: a day. A peer that is down is still sealed to,
 * on the last view our node relayed (store and forward); the price is that an epoch closed or a device revoked at
 * the peer within that day may go unseen here (docs/key-transparency.md "Peers' logs").
 */
export const DEFAULT_PEER_MAX_LOG_AGE_MS = 24 * 60 * 60 * 1000;

/** A peer as our node lists it: its three records (not yet verified) and the offices it hosts. */
export interface PeerListing {
  readonly node: NodeName;
  readonly certificate: Uint8Array;
  readonly root: Uint8Array;
  readonly nodeCertificate: Uint8Array;
  readonly offices: readonly Office[];
}

const MAX_PEERS = 1000;
const MAX_PEER_OFFICES = 10_000;

function officeOf(node: NodeName, value: unknown): Office {
  const f = fieldsOf('peer office', value, ['code', 'name', 'ceiling', 'communities'], ['node']);
  return {
    code: f.id('code', parseOfficeCode),
    node,
    name: f.text('name', 200),
    ceiling: f.oneOf<Classification>('ceiling', Classifications),
    communities: f.codeList('communities', 16, CablePatterns.community),
  };
}

function peerOf(value: unknown): PeerListing {
  const f = fieldsOf('peer', value, ['node', 'org', 'url', 'certificate', 'root', 'nodeCertificate', 'offices'], ['addedAt']);
  const node = f.id('node', parseNodeName);
  return {
    node,
    certificate: base64Of(f, 'certificate', 16 * 1024),
    root: base64Of(f, 'root', 16 * 1024),
    nodeCertificate: base64Of(f, 'nodeCertificate', 16 * 1024),
    offices: listIn('peer', value, 'offices', MAX_PEER_OFFICES).map((o) => officeOf(node, o)),
  };
}

interface Cache {
  peers: Promise<PeerListing[]> | undefined;
  readonly sessions: Map<NodeName, Promise<Session>>;
}

// Per session, like key-directory.ts: a peer's chain costs a few ML-DSA verifications and relayed round trips, and a
// session is short enough that its peer listing does not go stale in the middle of it.
const caches = new WeakMap<Session, Cache>();
function cacheOf(s: Session): Cache {
  let c = caches.get(s);
  if (!c) caches.set(s, (c = { peers: undefined, sessions: new Map() }));
  return c;
}

/** `GET /api/v1/peers` as peerSession reads it: our node's peers with their records and offices (its word, verified there). */
export function listPeers(s: Session): Promise<PeerListing[]> {
  const c = cacheOf(s);
  if (!c.peers) {
    const peers = (async () => listIn('peers', await s.http.get('/api/v1/peers'), 'peers', MAX_PEERS).map(peerOf))();
    void peers.catch(() => (c.peers = undefined));
    c.peers = peers;
  }
  return c.peers;
}

/** The relay path of a peer path with its query (docs/federation.md "Remote keys"). */
export function relayPath(peer: NodeName): string {
  return `/api/v1/peers/${encodeURIComponent(peer)}/directory`;
}

/**
 * A NodeHttp whose GETs reach `peer` through our node's relay. Only GETs: nothing is ever written at a peer through
 * a device.
 */
export function relayHttp(s: Session, peer: NodeName): NodeHttp {
  const base = relayPath(peer);
  return {
    url: `${s.http.url}${base}`,
    get(path, query = {}) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
      const qs = params.toString();
      const target = qs === '' ? path : `${path}?${qs}`;
      return s.http.get(base, { path: target });
    },
    post() {
      return Promise.reject(new RequestError('request.forbidden', `a device writes nothing at peer ${peer}`));
    },
  };
}

/**
 * Verifies a listed peer against our pinned root and the peer's own answer to `GET /api/v1/node` (relayed by
 * `http`): our root → peer certificate → peer root → node certificate, listed and relayed byte for byte the same,
 * naming the peer and carrying the log key its root certified.
 */
export async function verifyPeerNode(s: Session, listing: PeerListing, http: NodeHttp): Promise<VerifiedNode> {
  const at = s.now();
  const certificate = decodePeerCertificate(listing.certificate);
  if (certificate.peer !== listing.node) throw new VerificationError('verify.untrusted_key', `the peer certificate listed for ${listing.node} is for ${certificate.peer}`);
  // Our pinned root, never one the node or the relay serves: that is what makes the peer's root ours to trust.
  const peer = await verifyPeerCertificate(s.p, certificate, s.node.root, listing.root, at);
  const listed = await verifyNodeCertificate(s.p, decodeNodeCertificate(listing.nodeCertificate), peer.root, at);
  if (listed.node !== listing.node) throw new VerificationError('verify.untrusted_key', `the node certificate listed for ${listing.node} names ${listed.node}`);
  const body = await http.get('/api/v1/node');
  const served = base64Of(fieldsOf('node', body, ['node', 'org', 'url', 'certificate', 'root', 'log']), 'certificate', 16 * 1024);
  if (!equalBytes(served, listing.nodeCertificate)) {
    throw new VerificationError('verify.untrusted_key', `peer ${listing.node} answers with another node certificate than the one our node lists for it`);
  }
  const node = await verifiedNodeOf(s.p, body, http.url, toHex(peer.root.fingerprint), at);
  if (node.name !== listing.node) throw new VerificationError('verify.untrusted_key', `peer ${listing.node} answers as ${node.name}`);
  return node;
}

async function openPeerSession(s: Session, peer: NodeName): Promise<Session> {
  if (peer === s.node.name) throw new RequestError('request.malformed', `${peer} is this device's own node, not a peer`);
  const listing = (await listPeers(s)).find((l) => l.node === peer);
  if (!listing) throw new RequestError('request.not_found', `${peer} is not a peer of ${s.node.name}`);
  const http = relayHttp(s, peer);
  const node = await verifyPeerNode(s, listing, http);
  // Resumed from this device's last checkpoint of the peer's log, if it keeps one: a peer (or our relay) showing
  // another history later is caught as for our own node.
  const log = await LogView.open(s.p, http, node.log, s.peerLogMemory?.(node.log));
  return {
    p: s.p,
    keys: s.keys,
    http,
    node,
    log,
    now: () => s.now(),
    maxLogAgeMs: s.peerMaxLogAgeMs ?? DEFAULT_PEER_MAX_LOG_AGE_MS,
    // The keys belong to the session this view was made from: it wipes them.
    close: () => undefined,
  };
}

/**
 * A Session view of `peer`'s key directory through our node's relay, verified as above; key-directory.ts functions
 * given it check records against the peer's root and log. Cached per session; a failure is not remembered.
 */
export function peerSession(s: Session, peer: NodeName): Promise<Session> {
  const sessions = cacheOf(s).sessions;
  let view = sessions.get(peer);
  if (!view) {
    view = openPeerSession(s, peer);
    void view.catch(() => sessions.delete(peer));
    sessions.set(peer, view);
  }
  return view;
}

/** Where `office` is hosted: at this node (`'local'`), or at the peer that lists it; `request.not_found` otherwise. */
export async function officeHost(s: Session, office: OfficeCode): Promise<'local' | NodeName> {
  return (await hostedOffices(s, [office]))[0]!.host;
}

/** An addressed office and where it is hosted (a remote one as its peer lists it, `node` the peer). */
export interface HostedOffice {
  readonly office: Office;
  readonly host: 'local' | NodeName;
}

/**
 * Each of `codes` with its host, in order: our node's offices first (one listing), then, only if some office is not
 * ours, the peers' (so a cable within the node costs no federation request).
 */
export async function hostedOffices(s: Session, codes: readonly OfficeCode[]): Promise<HostedOffice[]> {
  const local = new Map((await listOffices(s)).map((o) => [o.code, o]));
  const remote = new Map<OfficeCode, HostedOffice>();
  if (codes.some((c) => !local.has(c))) {
    for (const peer of await listPeers(s)) for (const office of peer.offices) if (!remote.has(office.code)) remote.set(office.code, { office, host: peer.node });
  }
  return codes.map((code) => {
    const office = local.get(code);
    if (office) return { office, host: 'local' as const };
    const found = remote.get(code);
    if (!found) throw new RequestError('request.not_found', `no office ${code} at ${s.node.name} or any of its peers`);
    return found;
  });
}

/** The session whose key directory vouches for `node`'s keys: `s` itself for its own node, else the peer's view. */
export function sessionFor(s: Session, node: NodeName): Promise<Session> {
  return node === s.node.name ? Promise.resolve(s) : peerSession(s, node);
}

/**
 * The signer resolver for an envelope, by the node hosting its originating office (the first manifest entry): the
 * drafter and releaser of a cable from a peer's office are that peer's devices, chained to the peer's root. The node
 * the manifest names must be the one hosting the office, so a peer cannot pass off its devices as another node's
 * (ours or a third one's) originators.
 */
export async function originSignerResolver(s: Session, envelope: Envelope): Promise<SignerKeyResolver> {
  const origin = envelope.header.manifest[0];
  if (!origin) throw new VerificationError('verify.manifest_mismatch', 'the manifest is empty');
  // Our own node's cables resolve as they always did: a forged local origin still needs devices under our root.
  if (origin.node === s.node.name) return signerResolver(s);
  const host = await officeHost(s, origin.office);
  if (host !== origin.node) {
    throw new VerificationError('verify.untrusted_key', `the cable names ${origin.node} as the node of ${origin.office}, which is hosted ${host === 'local' ? 'here' : `by ${host}`}`);
  }
  return signerResolver(await peerSession(s, origin.node));
}
