// `chancery audit verify --peer` as its client call (src/client/audit-peer.ts), against real nodes on loopback: an
// officer's device checks a peer's head, relayed by its node, against the checkpoint its node's gossip stored,
// under the log key the peer's root certified; a peer that forked after gossip stored its head is refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { equalBytes, toHex } from '../../src/bytes.ts';
import { verifyPeerLog } from '../../src/client/audit-peer.ts';
import { deviceKeysFromMaterial } from '../../src/client/device-keys.ts';
import { readKeyFile } from '../../src/client/key-file.ts';
import { openSession } from '../../src/client/session.ts';
import { rootFingerprint } from '../../src/keys/organisation-root.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { ChanceryError } from '../../src/errors.ts';
import { gossipRound } from '../../src/node/federation/gossip.ts';
import { addPeer, appendMarker, copyOrgNode, initOrgNode, serve, stopAll, type Served } from './gossip-nodes.ts';

describe('audit verify --peer', () => {
  let eeas: Served, cy: Served, cyCopy: Served;
  before(async () => {
    const [a, b] = await Promise.all([initOrgNode('EEAS', 'EEAS'), initOrgNode('MFA.CY', 'MFA.CY')]);
    const copy = copyOrgNode(b);
    [eeas, cy, cyCopy] = await Promise.all([serve(a), serve(b), serve(copy)]);
    await addPeer(eeas, cy);
    await addPeer(cy, eeas);
    await addPeer(cyCopy, eeas);
  });
  after(() => stopAll([eeas, cy, cyCopy]));

  const officer = async () => {
    const material = await readKeyFile(join(eeas.dir, 'olga.key'), 'correct horse battery staple');
    return openSession(p, await deviceKeysFromMaterial(p, material), { url: eeas.url, rootFingerprint: toHex(rootFingerprint(p, eeas.rootKey.root)) });
  };

  it('verifies the peer’s head against what our node stored, and refuses a head no proof joins to it', async () => {
    await gossipRound(eeas.running.context);
    await appendMarker(cy, 'after-gossip');
    const s = await officer();
    try {
      const audit = await verifyPeerLog(s, cy.node);
      assert.equal(audit.head.checkpoint.size, cy.running.context.auditLog.latest()!.size);
      const stored = eeas.running.context.store.transaction((tx) => tx.latestPeerCheckpoint(cy.node))!;
      assert.ok(audit.stored && equalBytes(audit.stored.checkpoint.root, stored.root));
      assert.ok(audit.stored.checkpoint.size < audit.head.checkpoint.size, 'the head grew since gossip stored one: a proof joined them');
    } finally {
      s.close();
    }
    // Gossip stores MFA.CY's newer head; the copy appends two entries of its own. EEAS, now reaching MFA.CY at the
    // copy, is shown a head that does not extend the one its gossip stored.
    await gossipRound(eeas.running.context);
    await appendMarker(cyCopy, 'forked-one');
    await appendMarker(cyCopy, 'forked-two');
    await addPeer(eeas, cy, cyCopy.url);
    const s2 = await officer();
    try {
      await assert.rejects(verifyPeerLog(s2, cy.node), (e: unknown) => e instanceof ChanceryError && e.code === 'log.inconsistent');
    } finally {
      s2.close();
    }
  });
});
