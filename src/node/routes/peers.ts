// Peers (docs/federation.md "Peers", "Remote keys"): a security officer adds a peer with the certificate our root
// signed for it, the peer's root and its node certificate — verified as one chain and logged (`peer.added`) in one
// write — or removes one (`peer.removed`). Members list the peers with their offices, and reach a peer's public key
// directory through this node's relay (federation/peer-relay.ts); clients verify what it relays themselves.
import { parseNodeName } from '../../cable/ids.ts';
import { equalBytes } from '../../bytes.ts';
import { RequestError } from '../../errors.ts';
import { decodePeerCertificate } from '../../keys/peer-certificate.ts';
import type { PeerRow, StoreTx } from '../../store/store.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { syncPeerOffices } from '../federation/directory-sync.ts';
import { relay, relayTarget } from '../federation/peer-relay.ts';
import { verifyPeerRecords } from '../federation/peers.ts';
import { loggedWrite } from '../logged-write.ts';
import { b64, base64Field, jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';

const RECORD_MAX_BYTES = 16 * 1024;

function peerJson(tx: StoreTx, row: PeerRow) {
  return {
    node: row.node, org: row.org, url: row.url, certificate: b64(row.certificate), root: b64(row.root), nodeCertificate: b64(row.nodeCertificate), addedAt: row.addedAt,
    offices: tx.listPeerOffices(row.node).map((o) => ({ code: o.code, name: o.name, ceiling: o.ceiling, communities: o.communities })),
  };
}

function sameRecords(a: PeerRow, b: PeerRow): boolean {
  return a.url === b.url && equalBytes(a.certificate, b.certificate) && equalBytes(a.root, b.root) && equalBytes(a.nodeCertificate, b.nodeCertificate);
}

const addPeer: Route = {
  method: 'POST',
  path: '/api/v1/peers',
  summary: 'Add (or restore) a peer node: our root\'s peer certificate, the peer\'s root and node certificate, verified as one chain, logging peer.added (security officers); the same again: 200 {duplicate: true}',
  auth: 'device',
  async handle(node, input) {
    const caller = callerOf(input.caller);
    node.store.transaction((tx) => requireOfficer(tx, caller));
    const f = jsonBody(input.body, 'peer', ['certificate', 'root', 'nodeCertificate']);
    const certificate = base64Field(f, 'certificate', RECORD_MAX_BYTES);
    const root = base64Field(f, 'root', RECORD_MAX_BYTES);
    const nodeCertificate = base64Field(f, 'nodeCertificate', RECORD_MAX_BYTES);
    const name = decodePeerCertificate(certificate).peer;
    if (name === node.identity.node) throw new RequestError('request.conflict', `${name} is this node, not a peer`);
    const verified = await verifyPeerRecords(node, { node: name, certificate, root, nodeCertificate }, input.now);
    const row: PeerRow = { node: name, org: verified.certificate.peerOrg, url: verified.certificate.url, certificate, root, nodeCertificate, addedAt: input.now, removedAt: null };
    const added = await loggedWrite(node, input, (tx, record) => {
      requireOfficer(tx, caller);
      const stored = tx.getPeer(name);
      if (stored && stored.removedAt === null && sameRecords(stored, row)) return false;
      tx.putPeer(row);
      record([{ kind: 'peer.added', peer: name, rootFingerprint: verified.root.fingerprint, certificateHash: node.p.sha256(certificate), by: caller.user }]);
      return true;
    });
    if (!added) return { status: 200, body: { duplicate: true, peer: node.store.transaction((tx) => peerJson(tx, tx.getPeer(name) ?? row)) } };
    node.log.info({ peer: name, url: row.url, by: caller.user }, 'peer added');
    // Its offices now rather than at the next round; a peer that is not up yet is tried again later.
    void syncPeerOffices(node, name);
    return { status: 201, body: { duplicate: false, peer: node.store.transaction((tx) => peerJson(tx, row)) } };
  },
};

const listPeers: Route = {
  method: 'GET',
  path: '/api/v1/peers',
  summary: 'The active peers with their records (base64) and the offices they host (any approved device)',
  auth: 'device',
  handle(node, input) {
    callerOf(input.caller);
    return { body: { peers: node.store.transaction((tx) => tx.listPeers().map((row) => peerJson(tx, row))) } };
  },
};

const removePeer: Route = {
  method: 'POST',
  path: '/api/v1/peers/:node/removal',
  summary: 'Remove a peer, logging peer.removed: nothing new is queued for it, what is queued stays listed (security officers)',
  auth: 'device',
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const name = parseNodeName(input.params.node ?? '');
    const removed = await loggedWrite(node, input, (tx, record) => {
      requireOfficer(tx, caller);
      const stored = tx.getPeer(name);
      if (!stored) throw new RequestError('request.not_found', `${name} is not a peer of this node`);
      if (stored.removedAt !== null) return false;
      tx.removePeer(name, input.now);
      record([{ kind: 'peer.removed', peer: name, by: caller.user }]);
      return true;
    });
    if (removed) node.log.info({ peer: name, by: caller.user }, 'peer removed');
    return { body: { peer: name, removed } };
  },
};

const peerDirectory: Route = {
  method: 'GET',
  path: '/api/v1/peers/:node/directory',
  summary:
    "Relay a GET of one of a peer's public paths (?path=: /api/v1/node, /api/v1/offices, /api/v1/epochs?office=, /api/v1/officers/{user}, /api/v1/devices/{user}, /api/v1/log/checkpoint, /api/v1/log/consistency?from=&to=), signed by this node; its answer unchanged, or the last one cached while the peer is down (any approved device)",
  auth: 'device',
  async handle(node, input) {
    callerOf(input.caller);
    const name = parseNodeName(input.params.node ?? '');
    const answer = await relay(node, name, relayTarget(input.query.get('path')));
    return { body: answer.body, produces: answer.text ? 'text' : 'json' };
  },
};

export const peerRoutes: readonly Route[] = [addPeer, listPeers, removePeer, peerDirectory];
