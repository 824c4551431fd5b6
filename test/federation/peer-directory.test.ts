// What a device refuses when its node lists a peer, before any of the peer's keys is used (docs/federation.md
// "Remote keys"): the chain our pinned root → peer certificate → peer root → peer node certificate must hold, and
// the peer's own `GET /api/v1/node` (relayed) must carry the very node certificate our node listed and the same
// root. The node's answers are recorded JSON here — refusals only; the working path runs against real nodes in
// remote-keys.test.ts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { DeviceId, NodeName, UserId } from '../../src/cable/types.ts';
import { toBase64 } from '../../src/bytes.ts';
import { generateDeviceKeys } from '../../src/client/device-keys.ts';
import type { NodeHttp } from '../../src/client/http.ts';
import { LogView, logKeyFingerprint } from '../../src/client/log-view.ts';
import { listPeers, peerSession, relayHttp, verifyPeerNode } from '../../src/client/peer-directory.ts';
import type { Session } from '../../src/client/session.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { hybridSigningKeyFromSeeds, type HybridSigningKey } from '../../src/crypto/hybrid-signature.ts';
import { xwingKeyPairFromSeed } from '../../src/crypto/xwing.ts';
import { ChanceryError } from '../../src/errors.ts';
import { checkpointPolicy } from '../../src/log/checkpoint.ts';
import { encodeNodeCertificate, signNodeCertificate, verifyNodeCertificate, type NodeCertificate } from '../../src/keys/node-certificate.ts';
import { encodeOrganisationRoot, type OrgId } from '../../src/keys/organisation-root.ts';
import { encodePeerCertificate, signPeerCertificate, type PeerCertificateBody } from '../../src/keys/peer-certificate.ts';
import { AT, makeRoot, seed, T0, YEAR } from '../keys/fixtures.ts';

const OURS = 'EEAS' as NodeName;
const PEER = 'MFA.FR' as NodeName;
type Root = Awaited<ReturnType<typeof makeRoot>>;

async function nodeCertificate(node: NodeName, org: string, root: HybridSigningKey, tag: number, log: HybridSigningKey): Promise<NodeCertificate> {
  const releaseKey = await xwingKeyPairFromSeed(p, seed(tag));
  return signNodeCertificate(
    p,
    { node, org: org as OrgId, signingKey: log.public, releaseKey: releaseKey.publicKey, log: { origin: `chancery/${node}`, publicKey: log.public }, validFrom: T0, validUntil: T0 + YEAR, serial: tag },
    root.secret,
  );
}

/** A node's answer to GET /api/v1/node. */
function nodeAnswer(cert: NodeCertificate, root: Root): Record<string, unknown> {
  const log = cert.log!;
  return {
    node: cert.node, org: cert.org, url: 'http://peer.test', certificate: toBase64(encodeNodeCertificate(cert)), root: toBase64(encodeOrganisationRoot(root.root)),
    log: { origin: log.origin, publicKey: { ed25519: toBase64(log.publicKey.ed25519), mlDsa65: toBase64(log.publicKey.mlDsa65) } },
  };
}

/** Recorded answers of our node: the peers listing, and the relayed GET /api/v1/node of the peer. */
interface Recorded {
  readonly peers: Record<string, unknown>[];
  readonly relayedNode: Record<string, unknown>;
}

function recordedHttp(r: Recorded, asked: string[]): NodeHttp {
  return {
    url: 'http://ours.test',
    get(path, query = {}) {
      asked.push(query.path === undefined ? path : `${path}?path=${query.path}`);
      if (path === '/api/v1/peers') return Promise.resolve({ peers: r.peers });
      if (path === `/api/v1/peers/${PEER}/directory` && query.path === '/api/v1/node') return Promise.resolve(r.relayedNode);
      return Promise.reject(new Error(`unexpected GET ${path}`));
    },
    post: () => Promise.reject(new Error('unexpected POST')),
  };
}

async function refusal(promise: Promise<unknown>): Promise<ChanceryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof ChanceryError, `expected a refusal, got ${String(error)}`);
  return error;
}

describe('a peer listed by our node is verified against our pinned root', () => {
  let ours: Root;
  let peerRoot: Root;
  let stranger: Root;
  let strangerOfOurOrg: Root;
  let peerCert: NodeCertificate;
  let listing: Record<string, unknown>;
  let session: (r: Recorded, asked?: string[]) => Promise<Session>;
  let peerCertificateBy: (root: Root, body?: Partial<PeerCertificateBody>) => Promise<string>;

  before(async () => {
    ours = await makeRoot(p, 'EEAS' as OrgId, 60);
    peerRoot = await makeRoot(p, 'MFA.FR' as OrgId, 62);
    stranger = await makeRoot(p, 'MFA.FR' as OrgId, 64);
    strangerOfOurOrg = await makeRoot(p, 'EEAS' as OrgId, 66);
    const ourLog = await hybridSigningKeyFromSeeds(p, seed(70), seed(71));
    const ourCert = await verifyNodeCertificate(p, await nodeCertificate(OURS, 'EEAS', ours.key, 72, ourLog), ours.anchor, AT);
    peerCert = await nodeCertificate(PEER, 'MFA.FR', peerRoot.key, 74, await hybridSigningKeyFromSeeds(p, seed(75), seed(76)));
    peerCertificateBy = async (root, body = {}) =>
      toBase64(encodePeerCertificate(await signPeerCertificate(p, {
        org: root.root.org, peer: PEER, peerOrg: 'MFA.FR' as OrgId, peerRootFingerprint: peerRoot.anchor.fingerprint, url: 'http://peer.test', validFrom: T0, validUntil: T0 + YEAR, ...body,
      }, root.key.secret)));
    listing = {
      node: PEER, org: 'MFA.FR', url: 'http://peer.test', addedAt: T0,
      certificate: await peerCertificateBy(ours), root: toBase64(encodeOrganisationRoot(peerRoot.root)), nodeCertificate: toBase64(encodeNodeCertificate(peerCert)),
      offices: [{ code: 'MFA.FR.PARIS', name: 'Paris', ceiling: 'SECRET', communities: ['EU'] }],
    };
    const keys = await generateDeviceKeys(p, 'ada' as UserId, 'd-ada-1' as DeviceId, OURS);
    const log = { origin: `chancery/${OURS}`, publicKey: ourLog.public, policy: checkpointPolicy(p, `chancery/${OURS}`, ourLog.public), fingerprint: logKeyFingerprint(p, `chancery/${OURS}`, ourLog.public) };
    session = async (r, asked = []) => {
      const http = recordedHttp(r, asked);
      const node = { name: OURS, root: ours.anchor, certificate: ourCert, fingerprint: '', log };
      return { p, keys, http, node, log: await LogView.open(p, http, log), now: () => AT, close: () => undefined };
    };
    // The baseline each case below alters in one place: unaltered, the chain holds.
    const s = await session({ peers: [listing], relayedNode: nodeAnswer(peerCert, peerRoot) });
    const [listed] = await listPeers(s);
    assert.ok(listed);
    assert.equal((await verifyPeerNode(s, listed, relayHttp(s, PEER))).name, PEER);
  });

  const refused = async (peer: Record<string, unknown>, relayedNode: Record<string, unknown> = nodeAnswer(peerCert, peerRoot)) =>
    refusal(peerSession(await session({ peers: [peer], relayedNode }), PEER));

  it('refuses a peer certificate signed by another root of our organisation (bad signature)', async () => {
    const error = await refused({ ...listing, certificate: await peerCertificateBy(strangerOfOurOrg) });
    assert.equal(error.code, 'verify.bad_signature');
  });

  it('refuses a peer certificate of another organisation', async () => {
    const error = await refused({ ...listing, certificate: await peerCertificateBy(stranger) });
    assert.equal(error.code, 'verify.untrusted_key');
    assert.match(error.message, /another organisation/);
  });

  it('refuses a peer root other than the one our root certified, even with a node certificate under it', async () => {
    const forged = await nodeCertificate(PEER, 'MFA.FR', stranger.key, 74, await hybridSigningKeyFromSeeds(p, seed(75), seed(76)));
    const error = await refused(
      { ...listing, root: toBase64(encodeOrganisationRoot(stranger.root)), nodeCertificate: toBase64(encodeNodeCertificate(forged)) },
      nodeAnswer(forged, stranger),
    );
    assert.equal(error.code, 'verify.untrusted_key');
    assert.match(error.message, /fingerprint/);
  });

  it('refuses a node certificate that is not signed by the peer root', async () => {
    const forged = await nodeCertificate(PEER, 'MFA.FR', stranger.key, 74, await hybridSigningKeyFromSeeds(p, seed(75), seed(76)));
    const error = await refused({ ...listing, nodeCertificate: toBase64(encodeNodeCertificate(forged)) }, nodeAnswer(forged, peerRoot));
    assert.equal(error.code, 'verify.bad_signature');
  });

  it('refuses a peer certificate that names another node, and an expired one', async () => {
    const other = await refused({ ...listing, certificate: await peerCertificateBy(ours, { peer: 'MFA.IT' as NodeName }) });
    assert.equal(other.code, 'verify.untrusted_key');
    const expired = await refused({ ...listing, certificate: await peerCertificateBy(ours, { validUntil: AT - 1 }) });
    assert.equal(expired.code, 'verify.untrusted_key');
    assert.match(expired.message, /expired/);
  });

  it('refuses a relayed GET /api/v1/node whose certificate differs from the listed one, though the peer root signed it', async () => {
    const rekeyed = await nodeCertificate(PEER, 'MFA.FR', peerRoot.key, 78, await hybridSigningKeyFromSeeds(p, seed(75), seed(76)));
    const error = await refused(listing, nodeAnswer(rekeyed, peerRoot));
    assert.equal(error.code, 'verify.untrusted_key');
    assert.match(error.message, /another node certificate/);
  });

  it('refuses a relayed GET /api/v1/node that presents another root beside the listed certificate', async () => {
    const error = await refused(listing, nodeAnswer(peerCert, stranger));
    assert.equal(error.code, 'verify.untrusted_key');
    assert.match(error.message, /not the pinned/);
  });

  it('asks the peer only through the relay path, its query inside `path`, and never posts to it', async () => {
    const asked: string[] = [];
    const s = await session({ peers: [listing], relayedNode: nodeAnswer(peerCert, peerRoot) }, asked);
    const relay = relayHttp(s, PEER);
    await relay.get('/api/v1/node');
    await relay.get('/api/v1/epochs', { office: 'MFA.FR.PARIS', none: undefined }).catch(() => null);
    assert.deepEqual(asked, [`/api/v1/peers/${PEER}/directory?path=/api/v1/node`, `/api/v1/peers/${PEER}/directory?path=/api/v1/epochs?office=MFA.FR.PARIS`]);
    assert.equal((await refusal(relay.post('/api/v1/epochs', {}))).code, 'request.forbidden');
  });
});
