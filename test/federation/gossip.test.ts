// Checkpoint gossip between real nodes on loopback (docs/federation.md "Gossip"): honest peers exchange and store
// each other's checkpoints and raise nothing; a node whose data directory was copied and run twice — one key, two
// histories, one shown to EEAS and the other to MFA.FR — is caught by both, through their exchange of views, and
// again when it shows EEAS a newer head no proof joins to the one EEAS stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { equalBytes } from '../../src/bytes.ts';
import { gossipRound, startGossip, type ForkReport } from '../../src/node/federation/gossip.ts';
import { addPeer, appendMarker, copyOrgNode, forksAt, initOrgNode, serve, stopAll, type Served } from './gossip-nodes.ts';

function latestOf(n: Served) {
  const latest = n.running.context.auditLog.latest();
  assert.ok(latest, `${n.node} has signed a checkpoint`);
  return latest;
}

function storedAt(at: Served, peer: Served) {
  return at.running.context.store.transaction((tx) => tx.latestPeerCheckpoint(peer.node));
}

async function peerAll(nodes: readonly Served[]): Promise<void> {
  for (const a of nodes) for (const b of nodes) if (a !== b) await addPeer(a, b);
}

describe('gossip between honest peers', () => {
  let nodes: Served[] = [];
  before(async () => {
    const inits = await Promise.all([initOrgNode('EEAS', 'EEAS'), initOrgNode('MFA.CY', 'MFA.CY'), initOrgNode('MFA.FR', 'MFA.FR')]);
    nodes = await Promise.all(inits.map(serve));
    await peerAll(nodes);
  });
  after(() => stopAll(nodes));

  it('stores each peer’s latest checkpoint as it grows, and raises nothing', async () => {
    const [eeas, cy, fr] = nodes as [Served, Served, Served];
    for (const n of nodes) await gossipRound(n.running.context);
    await appendMarker(cy, 'one');
    await appendMarker(cy, 'two');
    await appendMarker(fr, 'three');
    for (const n of nodes) await gossipRound(n.running.context);
    for (const at of nodes) {
      for (const peer of nodes) {
        if (peer === at) continue;
        const stored = storedAt(at, peer);
        const latest = latestOf(peer);
        assert.ok(stored, `${at.node} stored a checkpoint of ${peer.node}`);
        assert.equal(stored.size, latest.size, `${at.node} holds ${peer.node}'s latest size`);
        assert.ok(equalBytes(stored.root, latest.root));
      }
      assert.deepEqual(forksAt(at), [], `no fork raised at ${at.node}`);
    }
    // The earlier, smaller checkpoint stays beside the newer one: evidence for later comparisons.
    const before = storedAt(eeas, cy)!.size - 2;
    assert.ok(eeas.running.context.store.transaction((tx) => tx.peerCheckpointAt(cy.node, before)));
  });

  it('runs as a service: a round at start, then one each interval', async () => {
    const [eeas, cy] = nodes as [Served, Served];
    await appendMarker(cy, 'for-the-service');
    const service = startGossip(eeas.running.context, { intervalMs: 50 });
    try {
      const deadline = Date.now() + 5_000;
      while (storedAt(eeas, cy)!.size !== latestOf(cy).size) {
        assert.ok(Date.now() < deadline, 'the service stored the new checkpoint');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await service.stop();
    }
  });

  it('serves its view of a node to peers only', async () => {
    const [eeas, cy, fr] = nodes as [Served, Served, Served];
    const view = await eeas.running.context.federation!.http(fr.url).get('/api/v1/federation/checkpoints', { node: cy.node });
    assert.deepEqual(view, { node: cy.node, checkpoint: storedAt(fr, cy)!.note });
    const own = await eeas.running.context.federation!.http(fr.url).get('/api/v1/federation/checkpoints', { node: fr.node });
    assert.deepEqual(own, { node: fr.node, checkpoint: latestOf(fr).note });
    const anonymous = await fetch(`${fr.url}/api/v1/federation/checkpoints?node=${cy.node}`);
    assert.equal(anonymous.status, 401);
    await assert.rejects(eeas.running.context.federation!.http(fr.url).get('/api/v1/federation/checkpoints', { node: 'MFA.XX' }), (e: unknown) => e instanceof Error && /not a peer/.test(e.message));
  });
});

describe('gossip catches a node that forks its log', () => {
  let eeas: Served, cy: Served, cyCopy: Served, fr: Served;
  before(async () => {
    const [a, b, c] = await Promise.all([initOrgNode('EEAS', 'EEAS'), initOrgNode('MFA.CY', 'MFA.CY'), initOrgNode('MFA.FR', 'MFA.FR')]);
    // One data directory run twice: the same log key signs both copies' checkpoints.
    const copy = copyOrgNode(b);
    [eeas, cy, cyCopy, fr] = await Promise.all([serve(a), serve(b), serve(copy), serve(c)]);
    await peerAll([eeas, cy, fr]);
    // MFA.FR reaches MFA.CY at the copy's address; the copy holds the same peers as MFA.CY.
    await addPeer(fr, cyCopy);
    await addPeer(cyCopy, eeas);
    await addPeer(cyCopy, fr);
  });
  after(() => stopAll([eeas, cy, cyCopy, fr]));

  it('raises nothing while both copies show one history', async () => {
    await gossipRound(eeas.running.context);
    await gossipRound(fr.running.context);
    await gossipRound(eeas.running.context);
    assert.deepEqual(forksAt(eeas), []);
    assert.deepEqual(forksAt(fr), []);
    assert.equal(storedAt(eeas, cy)!.size, storedAt(fr, cy)!.size);
  });

  it('catches two roots for one size through the exchange of views, at both honest nodes, once', async () => {
    await appendMarker(cy, 'shown-to-EEAS');
    await appendMarker(cyCopy, 'shown-to-MFA.FR');
    const [real, fake] = [latestOf(cy), latestOf(cyCopy)];
    assert.equal(real.size, fake.size);
    assert.ok(!equalBytes(real.root, fake.root));

    const seen: ForkReport[] = [];
    await gossipRound(fr.running.context, { onFork: (f) => seen.push(f) });
    await gossipRound(eeas.running.context, { onFork: (f) => seen.push(f) });
    await gossipRound(fr.running.context, { onFork: (f) => seen.push(f) });

    for (const [honest, mine, theirs] of [[eeas, real, fake], [fr, fake, real]] as const) {
      const forks = forksAt(honest);
      assert.equal(forks.length, 1, `${honest.node} raised one fork: ${JSON.stringify(forks.map((f) => f.peer))}`);
      const fork = forks[0]!;
      assert.equal(fork.peer, cy.node, 'the fork names the node that forked');
      assert.equal(fork.size, mine.size);
      assert.ok(equalBytes(fork.root, mine.root), `${honest.node}'s own view is the stored root`);
      assert.equal(fork.otherSize, theirs.size);
      assert.ok(equalBytes(fork.otherRoot, theirs.root), 'the other root is what the peer saw');
      // The conflicting note was not stored as the forked node's history.
      assert.ok(equalBytes(storedAt(honest, cy)!.root, mine.root));
    }
    // A round that sees the same two checkpoints again raises nothing more.
    await gossipRound(eeas.running.context);
    await gossipRound(fr.running.context);
    assert.equal(forksAt(eeas).length, 1);
    assert.equal(forksAt(fr).length, 1);
    // Both notes reached whoever asked to be told (the service's background rounds may have raised some first).
    for (const f of seen) assert.equal(f.node, cy.node);
  });

  it('a node shown another history of its own log, signed by its own key, raises the fork too', async () => {
    // The copy asks EEAS what it saw of MFA.CY — the copy itself — and finds a root it never signed at that size.
    await gossipRound(cyCopy.running.context);
    const forks = forksAt(cyCopy).filter((f) => f.peer === cy.node);
    assert.ok(forks.length >= 1, 'the copy logged a fork of its own log');
    assert.ok(forks.some((f) => equalBytes(f.otherRoot, latestOf(cy).root)), "the other root is the history EEAS was shown");
  });

  it('catches a newer head that no consistency proof joins to the stored one', async () => {
    const stored = storedAt(eeas, cy)!;
    await appendMarker(cyCopy, 'later');
    // EEAS now reaches MFA.CY where the copy listens: its head is larger, and its proof from the stored size fails.
    await addPeer(eeas, cy, cyCopy.url);
    await gossipRound(eeas.running.context);
    const forks = forksAt(eeas).filter((f) => f.otherSize === latestOf(cyCopy).size);
    assert.equal(forks.length, 1, 'a second fork, for the new pair of checkpoints');
    assert.equal(forks[0]!.peer, cy.node);
    assert.equal(forks[0]!.size, stored.size);
    assert.ok(equalBytes(forks[0]!.root, stored.root));
    assert.equal(storedAt(eeas, cy)!.size, stored.size, 'the forked head is not stored');
  });
});
