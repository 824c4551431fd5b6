// `chancery demo --nodes 3`'s builder: three organisations' nodes, peered both ways by their own roots, and the
// demo's cables delivered to every addressed office on every node — what a newcomer sees first must work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { listPeers } from '../../src/client/peers.ts';
import { openSessionFromKeyFile } from '../../src/client/key-file-session.ts';
import { buildFederatedDemo, federatedDemoExists, federatedDemoPorts } from '../../src/demo/federation-demo.ts';
import { FEDERATION_CABLES } from '../../src/demo/federation-directory.ts';
import { DEMO_PASSPHRASE } from '../../src/demo/network.ts';
import { freePort } from './harness.ts';

test('demo --nodes 3: EEAS, MFA.CY and MFA.FR peered both ways, every cable delivered at every addressed office', { timeout: 180_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'chancery-fed-demo-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const { demo, running } = await buildFederatedDemo(nodeProvider, { dataRoot: root, ports });
  try {
    assert.deepEqual(demo.nodes.map((n) => [n.node, n.url]), [['EEAS', `http://127.0.0.1:${ports[0]}`], ['MFA.CY', `http://127.0.0.1:${ports[1]}`], ['MFA.FR', `http://127.0.0.1:${ports[2]}`]]);
    assert.ok(federatedDemoExists(root));
    assert.deepEqual(federatedDemoPorts(root), ports);

    assert.equal(demo.cables.length, FEDERATION_CABLES.length);
    for (const [i, c] of demo.cables.entries()) {
      const sent = FEDERATION_CABLES[i]!;
      const addressed = [sent.from, ...sent.to, ...(sent.info ?? [])].sort();
      assert.deepEqual(c.status.offices.map((o) => o.office).sort(), addressed, c.id);
      assert.ok(c.status.offices.every((o) => o.state === 'delivered'), `${c.id}: ${JSON.stringify(c.status.offices)}`);
    }
    assert.ok(demo.cables.some((c) => new Set(c.status.offices.map((o) => o.node)).size === 3), 'a cable reaches all three nodes');

    for (const n of demo.nodes) {
      const s = await openSessionFromKeyFile(nodeProvider, { keyFile: n.people[0]!.keyFile, passphrase: DEMO_PASSPHRASE });
      try {
        const peers = await listPeers(s);
        assert.deepEqual(peers.map((x) => x.node).sort(), demo.nodes.map((x) => x.node).filter((x) => x !== n.node).sort());
        assert.ok(peers.every((x) => x.offices.length > 0), `${n.node} lists every peer's offices`);
      } finally {
        s.close();
      }
    }
  } finally {
    await Promise.all(running.map((n) => n.close()));
    rmSync(root, { recursive: true, force: true });
  }
});
