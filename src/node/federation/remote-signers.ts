// The signing keys of a peer organisation's devices, verified by this node (docs/federation.md "Delivery"): what
// the receiving side checks a pushed cable's drafter and releaser signatures with. Verified exactly as a client
// verifies its own node's keys (src/client/key-directory.ts): the device listing and officer certificates come from
// the peer's key directory over node-signed requests, every record must chain to the peer's root — pinned by the
// peer certificate our root signed (trustedPeer) — and be on the peer's log, under a checkpoint signed by the log
// key that root certified and consistent with every checkpoint of that peer this node accepted before (gossip's
// included).
import type { DeviceId, NodeName, UserId } from '../../cable/types.ts';
import { parseDeviceId, parseUserId } from '../../cable/ids.ts';
import { concatBytes, toHex } from '../../bytes.ts';
import { generateDeviceKeys, type DeviceKeys } from '../../client/device-keys.ts';
import { RemoteError } from '../../client/http.ts';
import { verifiedDevice } from '../../client/key-directory.ts';
import { LogView } from '../../client/log-view.ts';
import type { Session } from '../../client/session.ts';
import { ChanceryError, UnavailableError, VerificationError } from '../../errors.ts';
import { BoundedTtlCache } from '../bounded-cache.ts';
import type { NodeContext } from '../node-context.ts';
import { peerLog } from './peer-log.ts';
import { trustedPeer, type TrustedPeer } from './peers.ts';

/** How long a verified key is reused: a revocation at the peer takes effect here within a minute. */
export const REMOTE_SIGNER_TTL_MS = 60_000;
const MAX_CACHED_KEYS = 4096;

interface PeerLogState {
  /** The peer records the view was opened for: new records (a re-added peer) start a new view. */
  readonly records: string;
  readonly view: Promise<LogView>;
}

interface State {
  readonly keys: BoundedTtlCache<string, Uint8Array>;
  readonly inFlight: Map<string, Promise<Uint8Array>>;
  readonly logs: Map<NodeName, PeerLogState>;
  placeholder?: Promise<DeviceKeys>;
}

const states = new WeakMap<NodeContext, State>();

function stateOf(node: NodeContext): State {
  let s = states.get(node);
  if (!s) states.set(node, (s = { keys: new BoundedTtlCache(MAX_CACHED_KEYS, REMOTE_SIGNER_TTL_MS), inFlight: new Map(), logs: new Map() }));
  return s;
}

/**
 * The client's Session type carries a device's keys, which the key-directory functions never use; the node signs
 * its requests with its own key (federation.http). A throwaway key pair fills the slot, made once per node and
 * never used to sign.
 */
function placeholderKeys(node: NodeContext, state: State): Promise<DeviceKeys> {
  state.placeholder ??= generateDeviceKeys(node.p, parseUserId('node'), parseDeviceId('d-node'), node.identity.node);
  return state.placeholder;
}

/** This node's view of `peer`'s log, kept across calls so every checkpoint it shows must extend the last one. */
function peerLogView(node: NodeContext, state: State, peer: TrustedPeer): Promise<LogView> {
  const records = toHex(node.p.sha256(concatBytes(peer.row.certificate, peer.row.root, peer.row.nodeCertificate)));
  const known = state.logs.get(peer.row.node);
  if (known?.records === records) return known.view;
  const federation = node.federation;
  if (!federation) throw new UnavailableError('node.peer_unavailable', 'this node does not federate (no node key loaded)');
  // From the head gossip last stored for the peer, if any: the log the keys are shown on must extend the one every
  // other check of this node saw, not merely be consistent with itself.
  const gossiped = node.store.transaction((tx) => tx.latestPeerCheckpoint(peer.row.node));
  const memory = gossiped ? { lastCheckpoint: gossiped.note } : {};
  const view = LogView.open(node.p, federation.http(peer.row.url), peerLog(node, peer), memory);
  void view.catch(() => state.logs.delete(peer.row.node));
  state.logs.set(peer.row.node, { records, view });
  return view;
}

/** A Session over `peer`'s key directory, as the client's key-directory.ts functions take it. */
async function peerSession(node: NodeContext, state: State, peer: TrustedPeer): Promise<Session> {
  const federation = node.federation;
  if (!federation) throw new UnavailableError('node.peer_unavailable', 'this node does not federate (no node key loaded)');
  const log = peerLog(node, peer);
  return {
    p: node.p,
    keys: await placeholderKeys(node, state),
    http: federation.http(peer.row.url),
    node: { name: peer.row.node, root: peer.root, certificate: peer.node, fingerprint: toHex(peer.root.fingerprint), log },
    log: await peerLogView(node, state, peer),
    now: () => node.now(),
    close: () => undefined,
  };
}

/** A peer that did not answer is unavailable (try again later), not a forger. */
function asUnavailable(peer: NodeName, error: unknown): unknown {
  if (error instanceof RemoteError && (error.status === 0 || error.status >= 500)) {
    return new UnavailableError('node.peer_unavailable', `peer ${peer} did not answer: ${error.message}`, { cause: error });
  }
  return error;
}

async function verify(node: NodeContext, state: State, peerName: NodeName, user: UserId, device: DeviceId): Promise<Uint8Array> {
  const peer = await trustedPeer(node, peerName);
  if (!peer) throw new VerificationError('verify.untrusted_key', `${peerName} is not a peer of ${node.identity.node}`);
  try {
    const verified = await verifiedDevice(await peerSession(node, state, peer), user, device);
    if (verified.record.node !== peerName) throw new VerificationError('verify.untrusted_key', `${user}/${device} is a device of ${verified.record.node}, not of ${peerName}`);
    return verified.record.signingKey;
  } catch (error) {
    throw asUnavailable(peerName, error);
  }
}

/**
 * The Ed25519 signing key of `user`/`device`, an approved, unrevoked device of peer `peer` whose chain reaches the
 * peer's root and whose record is on the peer's log. `verify.untrusted_key` (unknown, pending, revoked or another
 * node's device; not a peer), `verify.not_logged`, `log.*` (the peer's log does not hold together), or
 * `node.peer_unavailable` (the peer did not answer). Verified keys are reused for a minute.
 *
 * @example
 * ```ts
 * const key = await remoteSignerKey(node, 'EEAS', 'anna', 'd-anna-1');
 * ```
 */
export async function remoteSignerKey(node: NodeContext, peer: NodeName, user: UserId, device: DeviceId): Promise<Uint8Array> {
  const state = stateOf(node);
  const key = `${peer}\n${user}\n${device}`;
  const hit = state.keys.get(key, node.now());
  if (hit) return hit;
  let pending = state.inFlight.get(key);
  if (!pending) {
    pending = verify(node, state, peer, user, device)
      .then((signingKey) => {
        state.keys.set(key, signingKey, node.now());
        return signingKey;
      })
      .finally(() => state.inFlight.delete(key));
    state.inFlight.set(key, pending);
  }
  return pending;
}

/** Whether an error of `remoteSignerKey` means "try later" rather than "forged". */
export function isPeerUnavailable(error: unknown): boolean {
  return error instanceof ChanceryError && error.code === 'node.peer_unavailable';
}
