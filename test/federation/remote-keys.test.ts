// Remote keys end to end (docs/federation.md "Remote keys"), between two real nodes of two organisations: a cable
// drafted at EEAS to an office of MFA.CY is sealed to MFA.CY's current epoch and its release service — keys the
// EEAS devices checked to MFA.CY's root through their own node's relay — delivered, and opened at MFA.CY by a reader
// whose device checks the EEAS signers to EEAS's root the same way. A peer's log view may be older than our own
// (store-and-forward), within its own bound.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId, NodeName, OfficeCode } from '../../src/cable/types.ts';
import { readClientConfig } from '../../src/client/config.ts';
import { draftCable, fetchDraft } from '../../src/client/drafts.ts';
import { currentEpoch, signerResolver, verifiedDevice } from '../../src/client/key-directory.ts';
import { base64Of, fieldsOf } from '../../src/client/wire.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { officeHost, originSignerResolver, peerSession } from '../../src/client/peer-directory.ts';
import { fetchInbox, readCable } from '../../src/client/reading.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import { openSessionFromKeyFile } from '../../src/client/key-file-session.ts';
import { type Session } from '../../src/client/session.ts';
import type { Fetch } from '../../src/client/http.ts';
import { equalBytes, fromBase64, toBase64 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { xwingGenerateKeyPair } from '../../src/crypto/xwing.ts';
import { decodeOfficeEpoch, encodeOfficeEpoch, signOfficeEpoch } from '../../src/keys/office-epoch.ts';
import type { Envelope } from '../../src/envelope/types.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { ChanceryError } from '../../src/errors.ts';
import { createNetwork, HARNESS_PASSPHRASE, peerWith, People, waitForPeerOffices, type FederationNetwork, type HarnessNode } from './harness.ts';

const EEAS = 'EEAS' as NodeName;
const CY = 'MFA.CY' as NodeName;
const LEVEL = 'LIMITED';

async function refusal(promise: Promise<unknown>): Promise<ChanceryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  assert.ok(error instanceof ChanceryError, `expected a refusal, got ${String(error)}`);
  return error;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The envelope of a delivered cable as the reader's node serves it. */
async function delivered(s: Session, id: CableId): Promise<Envelope> {
  const f = fieldsOf('cable', await s.http.get(`/api/v1/cables/${encodeURIComponent(id)}`), ['id', 'offices', 'envelope']);
  return decodeEnvelope(base64Of(f, 'envelope', 64 * 1024 * 1024));
}

/** Drafts, releases and sends a cable from `at`'s delegation to `to`; returns its id and the released envelope. */
async function sendAcross(at: HarnessNode, to: OfficeCode, subject: string): Promise<{ id: CableId; envelope: Envelope; queuedFor: readonly NodeName[] }> {
  const drafter = await at.session(People.drafter);
  const releaser = await at.session(People.releaser);
  try {
    const id = await draftCable(drafter, { from: at.offices.del, to: [to], precedence: 'PRIORITY', level: LEVEL, subject, body: `${subject}: the text.` });
    await releaseCandidate(releaser, await prepareRelease(releaser, id));
    const { released } = await fetchDraft(drafter, id);
    assert.ok(released, 'the draft is released');
    const sent = await sendCable(drafter, id);
    return { id, envelope: released, queuedFor: sent.queuedFor };
  } finally {
    drafter.close();
    releaser.close();
  }
}

describe('remote keys: sealing to a peer office and opening a peer organisation\'s cable', () => {
  let dir: string;
  let fed: FederationNetwork;
  let eeas: HarnessNode;
  let cy: HarnessNode;
  let cyHq: OfficeCode;
  let sent: { id: CableId; envelope: Envelope; queuedFor: readonly NodeName[] };
  const sessions: Session[] = [];
  const session = async (n: HarnessNode, user: (typeof People)[keyof typeof People]) => {
    const s = await n.session(user);
    sessions.push(s);
    return s;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chancery-remote-keys-'));
    // Peered here rather than by createNetwork: MFA.CY's pull of EEAS's offices must be done before EEAS restarts to
    // pull MFA.CY's (a pull cut short by the restart is retried only at the next round, minutes later).
    fed = await createNetwork({ nodes: [EEAS, CY], dir, peer: false });
    await peerWith(fed.node(EEAS), fed.node(CY));
    await peerWith(fed.node(CY), fed.node(EEAS));
    await waitForPeerOffices(fed.node(CY), [EEAS]);
    eeas = await fed.restart(EEAS);
    await waitForPeerOffices(eeas, [CY]);
    cy = fed.node(CY);
    cyHq = cy.offices.hq;
  });
  after(async () => {
    for (const s of sessions) s.close();
    await fed?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows where offices are hosted: ours locally, a peer\'s at the peer, others nowhere', async () => {
    const s = await session(eeas, People.drafter);
    assert.equal(await officeHost(s, eeas.offices.del), 'local');
    assert.equal(await officeHost(s, cyHq), CY);
    assert.equal((await refusal(officeHost(s, 'MFA.XX.NOWHERE' as OfficeCode))).code, 'request.not_found');
  });

  it('a peer session is the peer as its root vouches for it, reached through our node\'s relay', async () => {
    const s = await session(eeas, People.drafter);
    const peer = await peerSession(s, CY);
    assert.equal(peer.node.name, CY);
    assert.equal(peer.node.fingerprint, cy.rootFingerprint);
    assert.notEqual(peer.node.fingerprint, s.node.fingerprint);
    assert.ok(peer.http.url.startsWith(`${eeas.url}/api/v1/peers/${CY}/directory`), peer.http.url);
    assert.equal(await peerSession(s, CY), peer, 'cached per session');
    // The peer's epochs verify under the peer's root and on the peer's log, through the same key-directory code.
    const epoch = await currentEpoch(peer, cyHq, LEVEL);
    assert.equal(epoch.epoch.node, CY);
    assert.ok(peer.log.last, 'a checkpoint of the peer\'s log was accepted');
    // Our own node's directory has no key of the peer's office: nothing to seal to but through the peer's root.
    assert.equal((await refusal(currentEpoch(s, cyHq, LEVEL))).code, 'seal.epoch_closed');
  });

  it('keeps the last checkpoint of the peer\'s log in the device configuration, and the next session resumes from it', async () => {
    const first = await session(eeas, People.drafter);
    const seen = (await peerSession(first, CY)).log;
    await currentEpoch(await peerSession(first, CY), cyHq, LEVEL);
    const saved = (await readClientConfig(eeas.keyFile(People.drafter))).peerCheckpoints ?? {};
    const last = seen.last;
    assert.ok(last);
    assert.deepEqual(Object.keys(saved), [seen.log.fingerprint]);
    const next = await session(eeas, People.drafter);
    const resumed = (await peerSession(next, CY)).log.last;
    assert.ok(resumed, 'resumed before any listing was fetched');
    assert.equal(resumed.size, last.size);
    assert.ok(equalBytes(resumed.root, last.root));
  });

  it('seals a cable to a peer office with the peer\'s current epoch and its release service, and queues it for the peer', async () => {
    sent = await sendAcross(eeas, cyHq, 'Remote keys');
    assert.deepEqual(sent.queuedFor, [CY]);
    const { manifest, release } = sent.envelope.header;
    const cyOfficer = await session(cy, People.officer);
    const current = await currentEpoch(cyOfficer, cyHq, LEVEL);
    const entry = manifest.find((m) => m.office === cyHq);
    assert.ok(entry);
    assert.equal(entry.node, CY);
    assert.equal(entry.epoch, current.epoch.epoch);
    assert.ok(equalBytes(entry.keyHash, current.keyHash));
    assert.equal(manifest[0]?.node, EEAS);
    assert.deepEqual(release.map((r) => [r.node, r.offices]), [[EEAS, [eeas.offices.del]], [CY, [cyHq]]]);
    const cyRelease = release.find((r) => r.node === CY)!;
    assert.ok(equalBytes(cyRelease.keyHash, cyOfficer.p.sha256(cyOfficer.node.certificate.releaseKey)));
  });

  it('a reader at the peer verifies the EEAS signers to the EEAS root through its node\'s relay, not to its own', async () => {
    const reader = await session(cy, People.reader);
    await until('the cable in the MFA.CY inbox', async () => (await fetchInbox(reader, { office: cyHq })).entries.find((e) => e.id === sent.id));
    const envelope = await delivered(reader, sent.id);
    const verified = await verifyEnvelope(reader.p, envelope, await originSignerResolver(reader, envelope));
    assert.equal(verified.routing.from, eeas.offices.del);
    const drafter = envelope.signatures.find((x) => x.role === 'drafter')!;
    const atEeas = await peerSession(reader, EEAS);
    assert.equal(atEeas.node.fingerprint, eeas.rootFingerprint);
    const signer = await session(eeas, People.drafter);
    assert.equal(signer.keys.device, drafter.device);
    assert.ok(equalBytes((await verifiedDevice(atEeas, drafter.user, drafter.device)).record.signingKey, signer.keys.signingKey));
    // The harness gives every node the same people: MFA.CY's namesake of the drafter holds another key.
    assert.equal((await refusal(verifyEnvelope(reader.p, envelope, signerResolver(reader)))).code, 'verify.bad_signature');
  });

  it('a reader at the peer opens it through its own release service', async () => {
    const reader = await session(cy, People.reader);
    const opened = await readCable(reader, sent.id);
    assert.equal(opened.office, cyHq);
    assert.equal(opened.cable.content.subject, 'Remote keys');
  });

  it('refuses a peer epoch key our node substitutes in the relayed listing: nothing is sealed', async () => {
    const drafter = await session(eeas, People.drafter);
    const id = await draftCable(drafter, { from: eeas.offices.del, to: [cyHq], precedence: 'ROUTINE', level: LEVEL, subject: 'Substituted', body: 'Never sealed.' });
    let forged = 0;
    // Our node (or anyone between it and the peer) answers the peer's epochs with a key of its own choosing, signed by
    // a key of its own, beside the real log entry of the real record.
    const hostile: Fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = new URL(input);
      if (!url.pathname.endsWith(`/peers/${CY}/directory`) || !url.searchParams.get('path')?.startsWith('/api/v1/epochs') || !res.ok) return res;
      const listing = (await res.json()) as { epochs: { record: string }[] };
      const substitute = await xwingGenerateKeyPair(p);
      for (const item of listing.epochs) {
        const { office, node, level, epoch, openedAt, certifiedBy } = decodeOfficeEpoch(fromBase64(item.record));
        const body = { office, node, level, epoch, openedAt, certifiedBy, publicKey: substitute.publicKey };
        item.record = toBase64(encodeOfficeEpoch(await signOfficeEpoch(p, body, p.randomBytes(32))));
        forged++;
      }
      return new Response(JSON.stringify(listing), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const releaser = await openSessionFromKeyFile(p, { keyFile: eeas.keyFile(People.releaser), passphrase: HARNESS_PASSPHRASE, url: eeas.url, fetch: hostile });
    sessions.push(releaser);
    const candidate = await prepareRelease(releaser, id);
    assert.equal((await refusal(releaseCandidate(releaser, candidate))).code, 'log.bad_proof');
    assert.ok(forged > 0, 'the relayed listing was replaced');
    const { summary, released } = await fetchDraft(drafter, id);
    assert.equal(summary.status, 'draft');
    assert.equal(released, null);
  });

  it('refuses a cable whose manifest names another node than the one hosting its originating office', async () => {
    const reader = await session(cy, People.reader);
    const [origin, ...rest] = sent.envelope.header.manifest;
    assert.ok(origin);
    const forged: Envelope = { ...sent.envelope, header: { ...sent.envelope.header, manifest: [{ ...origin, node: 'MFA.FR' as NodeName }, ...rest] } };
    const error = await refusal(originSignerResolver(reader, forged));
    assert.equal(error.code, 'verify.untrusted_key');
    assert.match(error.message, /hosted by EEAS/);
  });

  it('applies the peer bound, not ours, to a peer\'s log view, and refuses one older than it', async () => {
    const s = await session(eeas, People.releaser);
    // Our own bound at 1 ms does not touch the peer view (24 h by default)...
    const ownTight: Session = { ...s, maxLogAgeMs: 1 };
    assert.equal((await currentEpoch(await peerSession(ownTight, CY), cyHq, LEVEL)).epoch.node, CY);
    // ...the peer bound does.
    const peerTight: Session = { ...s, peerMaxLogAgeMs: 1 };
    assert.equal((await refusal(currentEpoch(await peerSession(peerTight, CY), cyHq, LEVEL))).code, 'verify.stale_log');
  });

  it('seals to a peer office while the peer is down, on the last relayed view, and the cable waits for it', async () => {
    // The releaser's node relayed MFA.CY's directory above; MFA.CY now goes down.
    await fed.kill(CY);
    const queued = await sendAcross(eeas, cyHq, 'Store and forward');
    assert.deepEqual(queued.queuedFor, [CY]);
    assert.equal(queued.envelope.header.manifest.find((m) => m.office === cyHq)?.node, CY);
    cy = await fed.restart(CY);
    const reader = await session(cy, People.reader);
    await until('the queued cable at MFA.CY', async () => (await fetchInbox(reader, { office: cyHq })).entries.find((e) => e.id === queued.id), 120_000);
    const envelope = await delivered(reader, queued.id);
    assert.equal((await verifyEnvelope(reader.p, envelope, await originSignerResolver(reader, envelope))).routing.id, queued.id);
  });
});
