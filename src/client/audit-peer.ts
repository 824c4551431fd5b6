// `chancery audit verify --peer NODE` (docs/federation.md "Gossip"): a security officer's device checks a peer's log
// as our node sees it. The peer's log key comes from the chain our pinned root certifies (peer-directory.ts); the
// checkpoint our node's gossip stored and the peer's own head (relayed by our node) must both verify under it, and
// a consistency proof from the peer must join them. The peer's entries are not ours to read: only heads and proofs.
import type { NodeName } from '../cable/types.ts';
import { fromUtf8, utf8 } from '../bytes.ts';
import { DecodeError, LogError } from '../errors.ts';
import { openCheckpoint } from '../log/checkpoint.ts';
import { NoteLimits } from '../log/note.ts';
import { signRequest } from '../protocol/http-signature.ts';
import type { SignedCheckpoint } from './audit-wire.ts';
import { RemoteError } from './http.ts';
import { LogView, noteText } from './log-view.ts';
import { peerSession, relayPath } from './peer-directory.ts';
import type { Session } from './session.ts';
import { fieldsOf, valueIn } from './wire.ts';

const TIMEOUT_MS = 30_000;

export interface PeerLogAudit {
  readonly peer: NodeName;
  /** The peer's head, relayed by our node: verified under the peer's certified log key. */
  readonly head: SignedCheckpoint;
  /** What our node's gossip stored of the peer (null: nothing yet), consistent with `head`. */
  readonly stored: SignedCheckpoint | null;
}

/** The peer's checkpoint through our node's relay: a text answer, so a signed GET of its own beside the JSON client. */
async function relayedCheckpoint(s: Session, peer: NodeName): Promise<string> {
  const target = new URL(relayPath(peer), s.http.url);
  target.searchParams.set('path', '/api/v1/log/checkpoint');
  const url = target.toString();
  const headers = await signRequest(s.p, { method: 'GET', url, body: new Uint8Array(0), keyId: `${s.keys.user}/${s.keys.device}`, signingSeed: s.keys.signingSeed, now: Date.now() });
  let res: Response;
  try {
    res = await fetch(url, { headers: { ...headers, accept: 'text/plain' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (cause) {
    throw new RemoteError('internal', `cannot reach the node at ${s.http.url}`, 0, [], { cause });
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) throw new RemoteError('internal', `the node answered HTTP ${res.status} for ${peer}'s checkpoint`, res.status);
  if (bytes.length > NoteLimits.maxBytes) throw new DecodeError('encoding.too_large', 'the checkpoint is too large');
  try {
    return noteText(fromUtf8(bytes), `${peer}'s checkpoint`);
  } catch (cause) {
    if (cause instanceof DecodeError) throw cause;
    throw new DecodeError('encoding.malformed', `${peer}'s checkpoint is not UTF-8 text`, { cause });
  }
}

/**
 * Verifies peer `peer`'s log as our node sees it: its head and the checkpoint gossip stored, each under the log key
 * the peer's root certified, joined by a consistency proof the peer serves (through the relay). Two that do not
 * join are `log.inconsistent`: the peer forked, and our node's log has a `peer.fork` entry for it.
 *
 * @example
 * ```ts
 * const audit = await verifyPeerLog(s, 'MFA.FR' as NodeName);
 * ```
 */
export async function verifyPeerLog(s: Session, peer: NodeName): Promise<PeerLogAudit> {
  const view = await peerSession(s, peer);
  const policy = view.node.log.policy;
  const open = async (note: string): Promise<SignedCheckpoint> => ({ checkpoint: await openCheckpoint(s.p, utf8(note), policy), note });
  const body = await s.http.get('/api/v1/federation/peer-checkpoints', { node: peer });
  const f = fieldsOf('peer checkpoints', body, ['node'], ['checkpoint']);
  if (f.token('node', 64) !== peer) throw new LogError('log.bad_checkpoint', `asked for ${peer}'s checkpoint, the node answered about another`);
  const stored = f.has('checkpoint') ? await open(noteText(valueIn('peer checkpoints', body, 'checkpoint'), 'the stored checkpoint')) : null;
  const head = await open(await relayedCheckpoint(s, peer));
  const log = await LogView.open(s.p, view.http, view.node.log, stored ? { lastCheckpoint: stored.note } : {});
  await log.accept(head.checkpoint, head.note);
  return { peer, head, stored };
}
