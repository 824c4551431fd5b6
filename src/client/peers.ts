// Adding, listing and removing peer nodes from a security officer's device (docs/federation.md "Peers"). Adding is
// an act of our organisation root: the peer's node is fetched anonymously, its root checked against the fingerprint
// given out of band and its node certificate under that root, and only then does our root sign the peer certificate
// the node stores. Nothing is signed for a peer whose root does not match.
import type { NodeName } from '../cable/types.ts';
import { parseNodeName } from '../cable/ids.ts';
import { equalBytes, fromHex, toBase64, toHex } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { VerificationError } from '../errors.ts';
import { decodeOrganisationRoot, rootFingerprint } from '../keys/organisation-root.ts';
import { encodePeerCertificate, signPeerCertificate } from '../keys/peer-certificate.ts';
import { createNodeHttp } from './http.ts';
import type { RootKey } from './root-secret.ts';
import { transportOf, verifiedNodeOf, type Session, type Transport, type VerifiedNode } from './session.ts';
import { base64Of, fieldsOf, listIn } from './wire.ts';

const DAY_MS = 24 * 3600 * 1000;
/** A peer certificate's default validity: two years, like a node certificate. */
export const DEFAULT_PEER_VALID_DAYS = 730;
const MAX_PEERS = 10_000;
const MAX_OFFICES = 100_000;

/**
 * A root fingerprint as people read it out (any case, with `:`, `-` or spaces between groups), as 64 lower-case hex
 * digits; a TypeError for anything else.
 */
export function normaliseFingerprint(text: string): string {
  const hex = text.replace(/[\s:-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new TypeError('a root fingerprint is 64 hexadecimal digits (SHA-256)');
  return hex;
}

/** A peer node as fetched and verified, with the exact records it served (what the node is asked to store). */
export interface FetchedPeer {
  readonly node: VerifiedNode;
  readonly rootRecord: Uint8Array;
  readonly nodeCertificate: Uint8Array;
}

/**
 * Fetches `GET /api/v1/node` at `url` anonymously and verifies it against the `fingerprint` given out of band. A
 * mismatch is refused before anything else is looked at, naming both fingerprints.
 */
export async function fetchPeerNode(p: CryptoProvider, url: string, fingerprint: string, transport: Transport = {}, now = Date.now()): Promise<FetchedPeer> {
  const expected = normaliseFingerprint(fingerprint);
  const http = createNodeHttp(p, { url, signer: null, ...transportOf(transport) });
  const body = await http.get('/api/v1/node');
  // What the node stores is what is verified here, byte for byte.
  const f = fieldsOf('node', body, ['node', 'org', 'url', 'certificate', 'root', 'log']);
  const rootRecord = base64Of(f, 'root', 16 * 1024);
  const served = toHex(rootFingerprint(p, decodeOrganisationRoot(rootRecord)));
  if (served !== expected) {
    throw new VerificationError(
      'verify.untrusted_key',
      `refusing to add the peer at ${http.url}: it presents organisation root ${served}, not the fingerprint given (${expected}); nothing was signed. Compare the fingerprint with the peer's security officer out of band.`,
    );
  }
  const node = await verifiedNodeOf(p, body, http.url, expected, now);
  return { node, rootRecord, nodeCertificate: base64Of(f, 'certificate', 16 * 1024) };
}

export interface AddPeerInput extends Transport {
  readonly url: string;
  /** The peer organisation root's fingerprint, as its security officer read it out. */
  readonly fingerprint: string;
  /** Validity from now; default two years. */
  readonly validDays?: number;
}

export interface AddedPeer {
  readonly node: NodeName;
  readonly org: string;
  readonly url: string;
  readonly peerRootFingerprint: string;
  readonly validFrom: number;
  readonly validUntil: number;
  /** The node held exactly these records already: nothing was stored or logged again. */
  readonly duplicate: boolean;
}

/**
 * Adds the node at `input.url` as a peer of the session's node: verifies it (see `fetchPeerNode`), signs the peer
 * certificate with our organisation root (`root`, which must be the root this device pinned) and uploads it with the
 * peer's root and node certificate. The caller wipes `root`.
 */
export async function addPeer(s: Session, root: RootKey, input: AddPeerInput): Promise<AddedPeer> {
  if (!equalBytes(rootFingerprint(s.p, root.root), s.node.root.fingerprint)) {
    throw new VerificationError('verify.untrusted_key', `the root key given is of ${root.org} (${toHex(rootFingerprint(s.p, root.root))}), not the root ${s.node.fingerprint} this device pinned for node ${s.node.name}`);
  }
  const days = input.validDays ?? DEFAULT_PEER_VALID_DAYS;
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError('a peer certificate is valid for a whole number of days, at least 1');
  const now = s.now();
  const peer = await fetchPeerNode(s.p, input.url, input.fingerprint, input, now);
  if (peer.node.name === s.node.name) throw new VerificationError('verify.untrusted_key', `the node at ${input.url} is ${peer.node.name}: this node itself`);
  const body = {
    org: root.org,
    peer: peer.node.name,
    peerOrg: peer.node.certificate.org,
    peerRootFingerprint: fromHex(peer.node.fingerprint),
    url: input.url.replace(/\/+$/, ''),
    validFrom: now,
    validUntil: now + days * DAY_MS,
  };
  const certificate = await signPeerCertificate(s.p, body, root.secret);
  const answer = await s.http.post('/api/v1/peers', {
    certificate: toBase64(encodePeerCertificate(certificate)),
    root: toBase64(peer.rootRecord),
    nodeCertificate: toBase64(peer.nodeCertificate),
  });
  const duplicate = fieldsOf('peer added', answer, ['duplicate', 'peer']).bool('duplicate');
  return { node: body.peer, org: body.peerOrg, url: body.url, peerRootFingerprint: peer.node.fingerprint, validFrom: body.validFrom, validUntil: body.validUntil, duplicate };
}

/** A peer as the node lists it (`GET /api/v1/peers`); its records are not verified here (peer-directory.ts does). */
export interface ListedPeer {
  readonly node: NodeName;
  readonly org: string;
  readonly url: string;
  readonly addedAt: number;
  readonly offices: readonly string[];
}

function officeCodeOf(value: unknown): string {
  if (typeof value === 'string' && value.length <= 64) return value;
  return fieldsOf('peer office', value, ['code'], ['node', 'peer', 'name', 'ceiling', 'communities', 'syncedAt']).token('code', 64);
}

function listedPeerOf(value: unknown): ListedPeer {
  const f = fieldsOf('peer', value, ['node', 'org', 'url', 'addedAt'], ['certificate', 'root', 'nodeCertificate', 'offices', 'removedAt']);
  const offices = f.has('offices') ? listIn('peer', value, 'offices', MAX_OFFICES).map(officeCodeOf) : [];
  return { node: parseNodeName(f.token('node', 64)), org: f.token('org', 64), url: f.token('url', 2048), addedAt: f.uint('addedAt'), offices };
}

/** The node's peers (member). */
export async function listPeers(s: Session): Promise<ListedPeer[]> {
  return listIn('peers', await s.http.get('/api/v1/peers'), 'peers', MAX_PEERS).map(listedPeerOf);
}

/** Removes a peer (security officer): nothing new is queued for it; what is queued stays listed. */
export async function removePeer(s: Session, node: NodeName): Promise<{ readonly node: NodeName }> {
  await s.http.post(`/api/v1/peers/${encodeURIComponent(node)}/removal`, {});
  return { node };
}
