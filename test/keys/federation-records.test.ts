// Peer certificates (our root's word for a peer and its root) and delivery receipts (a receiver's signed word that
// it stored a cable): what verifies, and every way each can be wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CableId, NodeName, OfficeCode } from '../../src/cable/types.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { ChanceryError } from '../../src/errors.ts';
import { decodeDeliveryReceipt, encodeDeliveryReceipt, signDeliveryReceipt, verifyDeliveryReceipt } from '../../src/keys/delivery-receipt.ts';
import { encodeOrganisationRoot, rootFingerprint, type OrgId } from '../../src/keys/organisation-root.ts';
import { decodePeerCertificate, encodePeerCertificate, signPeerCertificate, verifyPeerCertificate, type PeerCertificateBody } from '../../src/keys/peer-certificate.ts';
import { AT, DAY, makeRoot, ORG, flipped } from './fixtures.ts';

const code = (c: string) => (e: unknown) => e instanceof ChanceryError && e.code === c;
const PEER_ORG = 'EEAS' as OrgId;

async function roots() {
  const ours = await makeRoot(p, ORG, 10);
  const theirs = await makeRoot(p, PEER_ORG, 20);
  const stranger = await makeRoot(p, 'MFA.FR' as OrgId, 30);
  const body: PeerCertificateBody = {
    org: ORG, peer: 'EEAS' as NodeName, peerOrg: PEER_ORG, peerRootFingerprint: rootFingerprint(p, theirs.root), url: 'https://eeas.example/',
    validFrom: AT - DAY, validUntil: AT + DAY,
  };
  return { ours, theirs, stranger, body };
}

describe('peer certificate', () => {
  it("round-trips, verifies under our root and pins the peer's root by its fingerprint", async () => {
    const { ours, theirs, body } = await roots();
    const cert = decodePeerCertificate(encodePeerCertificate(await signPeerCertificate(p, body, ours.key.secret)));
    const verified = await verifyPeerCertificate(p, cert, ours.anchor, encodeOrganisationRoot(theirs.root), AT);
    assert.equal(verified.root.org, PEER_ORG);
    assert.deepEqual(verified.root.fingerprint, rootFingerprint(p, theirs.root));
    assert.equal(verified.certificate.url, 'https://eeas.example/');
  });

  it('refuses another root than the certified one, a certificate by another root, a tampered one, an expired one', async () => {
    const { ours, theirs, stranger, body } = await roots();
    const cert = await signPeerCertificate(p, body, ours.key.secret);
    // The relay hands over a different root for the peer: the fingerprint does not match.
    await assert.rejects(verifyPeerCertificate(p, cert, ours.anchor, encodeOrganisationRoot(stranger.root), AT), code('verify.untrusted_key'));
    // Signed by a stranger's root, presented as ours.
    const forged = await signPeerCertificate(p, body, stranger.key.secret);
    await assert.rejects(verifyPeerCertificate(p, forged, ours.anchor, encodeOrganisationRoot(theirs.root), AT), code('verify.bad_signature'));
    // One byte of the URL changed after signing.
    const bytes = encodePeerCertificate(cert);
    const at = Buffer.from(bytes).indexOf('eeas.example');
    const tampered = decodePeerCertificate(flipped(bytes, at));
    await assert.rejects(verifyPeerCertificate(p, tampered, ours.anchor, encodeOrganisationRoot(theirs.root), AT), code('verify.bad_signature'));
    await assert.rejects(verifyPeerCertificate(p, cert, ours.anchor, encodeOrganisationRoot(theirs.root), AT + 2 * DAY), code('verify.untrusted_key'));
    // Our own root cannot be pinned as a peer's.
    const self = await signPeerCertificate(p, { ...body, peerOrg: ORG, peerRootFingerprint: rootFingerprint(p, ours.root) }, ours.key.secret);
    await assert.rejects(verifyPeerCertificate(p, self, ours.anchor, encodeOrganisationRoot(ours.root), AT), code('verify.untrusted_key'));
  });

  it('is signed only with a window that is not empty, and decodes only canonical bytes', async () => {
    const { ours, body } = await roots();
    await assert.rejects(signPeerCertificate(p, { ...body, validUntil: body.validFrom }, ours.key.secret), RangeError);
    const bytes = encodePeerCertificate(await signPeerCertificate(p, body, ours.key.secret));
    assert.throws(() => decodePeerCertificate(bytes.subarray(0, bytes.length - 1)), ChanceryError);
  });
});

describe('delivery receipt', () => {
  const expected = { node: 'EEAS' as NodeName, fromNode: 'MFA.CY' as NodeName, cable: 'MFA.CY.AMERICAS/2026/000001' as CableId, envelopeHash: new Uint8Array(32).fill(7) };

  it('verifies under the receiving node key for the cable that was sent, and nothing else', async () => {
    const receiver = await makeRoot(p, PEER_ORG, 40);
    const other = await makeRoot(p, PEER_ORG, 50);
    const receipt = decodeDeliveryReceipt(
      encodeDeliveryReceipt(await signDeliveryReceipt(p, { ...expected, offices: ['EEAS.HQ' as OfficeCode], receivedAt: AT }, receiver.key.secret)),
    );
    assert.deepEqual((await verifyDeliveryReceipt(p, receipt, receiver.key.public, expected)).offices, ['EEAS.HQ']);
    await assert.rejects(verifyDeliveryReceipt(p, receipt, other.key.public, expected), code('verify.bad_signature'));
    await assert.rejects(verifyDeliveryReceipt(p, receipt, receiver.key.public, { ...expected, envelopeHash: new Uint8Array(32).fill(8) }), code('verify.record_invalid'));
    await assert.rejects(verifyDeliveryReceipt(p, receipt, receiver.key.public, { ...expected, node: 'MFA.FR' as NodeName }), code('verify.record_invalid'));
    await assert.rejects(verifyDeliveryReceipt(p, { ...receipt, offices: ['EEAS.HQ' as OfficeCode, 'EEAS.X' as OfficeCode] }, receiver.key.public, expected), code('verify.bad_signature'));
  });
});
