// `chancery peer add|list|remove`, `outbox` and `cable status` as an operator runs them: the real CLI against two
// real node processes (test/federation/harness.ts), not yet peered, so each test sees what its own command did.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CableId, OfficeCode } from '../../src/cable/types.ts';
import { fromHex, toHex } from '../../src/bytes.ts';
import { tailLog } from '../../src/client/audit-queries.ts';
import { draftCable } from '../../src/client/drafts.ts';
import { listPeers } from '../../src/client/peers.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import type { Session } from '../../src/client/session.ts';
import { createNetwork, HARNESS_PASSPHRASE, peerWith, People, waitForPeerOffices, type FederationNetwork, type HarnessNode } from './harness.ts';

const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function chancery(...args: string[]): Promise<Run> {
  const env = { ...process.env, CHANCERY_PASSPHRASE: HARNESS_PASSPHRASE, CHANCERY_ROOT_PASSPHRASE: HARNESS_PASSPHRASE };
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

async function withSession<T>(node: HarnessNode, user: (typeof People)[keyof typeof People], fn: (s: Session) => Promise<T>): Promise<T> {
  const s = await node.session(user);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
}

/** The federation entries of a node's log tail, proven under its checkpoint. */
async function peerEntries(node: HarnessNode): Promise<{ kind: string; peer: string; rootFingerprint?: string }[]> {
  const tail = await withSession(node, People.officer, (s) => tailLog(s, 500));
  return tail.entries.flatMap((e) => {
    if (!e.entry || (e.entry.kind !== 'peer.added' && e.entry.kind !== 'peer.removed')) return [];
    return [{ kind: e.entry.kind, peer: e.entry.peer, ...(e.entry.kind === 'peer.added' ? { rootFingerprint: toHex(e.entry.rootFingerprint) } : {}) }];
  });
}

/** Drafts and releases a LIMITED cable from the node's delegation through the client library. */
function releaseFrom(node: HarnessNode, to: readonly OfficeCode[], subject: string): Promise<CableId> {
  return withSession(node, People.drafter, (d) =>
    withSession(node, People.releaser, async (rel) => {
      const draft = await draftCable(d, { from: node.offices.del, to, tags: ['PREL'], precedence: 'PRIORITY', level: 'LIMITED', releasableTo: ['EU'], subject, body: `${subject}: nothing to add.`, releaser: People.releaser });
      await releaseCandidate(rel, await prepareRelease(rel, draft));
      return draft;
    }),
  );
}

/** The drafter sends a released cable. */
async function send(node: HarnessNode, id: CableId): Promise<CableId> {
  await withSession(node, People.drafter, (d) => sendCable(d, id));
  return id;
}

async function eventually<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('chancery peer, outbox and cable status against real nodes', { timeout: 180_000 }, () => {
  let dir: string;
  let fed: FederationNetwork;
  let eeas: HarnessNode;
  let cy: HarnessNode;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chancery-fed-cli-'));
    fed = await createNetwork({ nodes: ['EEAS', 'MFA.CY'], dir, peer: false });
    eeas = fed.node('EEAS');
    cy = fed.node('MFA.CY');
  });
  after(async () => {
    await fed?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const addArgs = (fingerprint: string) => ['peer', 'add', '--key', eeas.officerKey, '--url', cy.url, '--fingerprint', fingerprint, '--root-key', eeas.rootKeyFile];

  test('peer add with the wrong fingerprint is refused, naming both, and nothing is stored or logged', async () => {
    const wrong = toHex(fromHex(cy.rootFingerprint).map((b, i) => (i === 0 ? b ^ 1 : b)));
    const r = await chancery(...addArgs(wrong));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /verify\.untrusted_key/);
    assert.match(r.stderr, /refusing to add the peer/);
    assert.ok(r.stderr.includes(cy.rootFingerprint) && r.stderr.includes(wrong), r.stderr);
    assert.match(r.stderr, /nothing was signed/);
    assert.deepEqual(await withSession(eeas, People.officer, listPeers), []);
    assert.deepEqual(await peerEntries(eeas), []);
  });

  test('peer add with the right fingerprint stores the peer, logs peer.added and peer list shows it', async () => {
    // As people read it out: upper case, in groups.
    const spoken = cy.rootFingerprint.toUpperCase().match(/.{4}/g)!.join(':');
    const r = await chancery(...addArgs(spoken));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /peer MFA\.CY \(organisation MFA\.CY\) added at http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(r.stdout.includes(cy.rootFingerprint), r.stdout);

    const list = await chancery('peer', 'list', '--key', eeas.officerKey);
    assert.equal(list.code, 0, list.stderr);
    const row = list.stdout.split('\n').find((l) => l.startsWith('MFA.CY '));
    assert.ok(row?.includes(cy.url), list.stdout);
    const json = await chancery('peer', 'list', '--key', eeas.officerKey, '--json');
    const peers = JSON.parse(json.stdout) as { node: string; org: string; url: string }[];
    assert.deepEqual(peers.map((x) => [x.node, x.org, x.url]), [['MFA.CY', 'MFA.CY', cy.url]]);

    assert.deepEqual(await peerEntries(eeas), [{ kind: 'peer.added', peer: 'MFA.CY', rootFingerprint: cy.rootFingerprint }]);
    assert.deepEqual(await withSession(cy, People.officer, listPeers), [], 'adding is one-sided: the peer has not added EEAS');
  });

  test('a root key of another organisation is refused before anything is signed', async () => {
    const r = await chancery('peer', 'add', '--key', eeas.officerKey, '--url', cy.url, '--fingerprint', cy.rootFingerprint, '--root-key', cy.rootKeyFile);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the root key given is of MFA\.CY/);
  });

  test('cable status shows each office delivered; outbox lists nothing pending; --json parses', async () => {
    const id = await send(eeas, await releaseFrom(eeas, [eeas.offices.hq], 'Local status test'));
    const text = await chancery('cable', 'status', id, '--key', eeas.keyFile(People.drafter));
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.startsWith(`cable ${id}\n`), text.stdout);
    for (const office of [eeas.offices.del, eeas.offices.hq]) assert.match(text.stdout, new RegExp(`${office.replace(/\./g, '\\.')}\\s+EEAS\\s+delivered at \\d{4}-`));
    const json = await chancery('cable', 'status', id, '--key', eeas.keyFile(People.drafter), '--json');
    const status = JSON.parse(json.stdout) as { cable: string; offices: { office: string; state: string }[] };
    assert.equal(status.cable, id);
    assert.deepEqual(status.offices.map((o) => o.state), ['delivered', 'delivered']);

    const outbox = await chancery('outbox', '--key', eeas.officerKey, '--json');
    assert.equal(outbox.code, 0, outbox.stderr);
    const queues = JSON.parse(outbox.stdout) as { peer: string; pending: number }[];
    assert.equal(queues.reduce((n, q) => n + q.pending, 0), 0);
    const denied = await chancery('outbox', '--key', eeas.keyFile(People.reader));
    assert.equal(denied.code, 1, 'the outbox is for security officers');
  });

  test('across nodes: cable status shows the remote office pending while its node is down, then delivered; outbox counts', async () => {
    await peerWith(cy, eeas);
    await waitForPeerOffices(cy, ['EEAS']); // its pull of EEAS's offices, in flight: a restart of EEAS would cut it off
    await fed.restart('EEAS'); // it pulled MFA.CY's offices when adding it, before MFA.CY knew it: again at start
    await waitForPeerOffices(eeas, ['MFA.CY']);
    // Sealed while MFA.CY answers (its keys come through its directory), sent while it is down.
    const id = await releaseFrom(eeas, [eeas.offices.hq, cy.offices.hq], 'Cross-node status test');
    await fed.kill('MFA.CY', 'SIGKILL');
    await send(eeas, id);
    const status = (key: string) => chancery('cable', 'status', id, '--key', key);
    const pending = await eventually('a failed attempt', async () => {
      const r = await status(eeas.keyFile(People.drafter));
      return /pending since .*attempt.*last error/.test(r.stdout) ? r : null;
    });
    assert.match(pending.stdout, new RegExp(`${cy.offices.hq.replace(/\./g, '\\.')}\\s+MFA\\.CY\\s+pending since`));
    const queued = await chancery('outbox', '--key', eeas.officerKey);
    assert.equal(queued.code, 0, queued.stderr);
    const row = queued.stdout.split('\n').find((l) => l.startsWith('MFA.CY '));
    assert.match(row ?? queued.stdout, /^MFA\.CY\s+1\s+\d+ s ago\s+0\s+0\s+\d+ s ago: .+/);

    await fed.restart('MFA.CY');
    const delivered = await eventually('delivery after the restart', async () => {
      const r = await status(eeas.keyFile(People.drafter));
      return new RegExp(`${cy.offices.hq.replace(/\./g, '\\.')}\\s+MFA\\.CY\\s+delivered at`).test(r.stdout) ? r : null;
    }, 60_000);
    assert.equal(delivered.code, 0);
    const json = JSON.parse((await chancery('outbox', '--key', eeas.officerKey, '--json')).stdout) as { peer: string; pending: number; delivered: number }[];
    assert.deepEqual(json.map((q) => [q.peer, q.pending, q.delivered]), [['MFA.CY', 0, 1]]);
  });

  test('peer remove marks it removed: gone from peer list, peer.removed logged', async () => {
    const r = await chancery('peer', 'remove', 'MFA.CY', '--key', eeas.officerKey);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /peer MFA\.CY removed/);
    const list = await chancery('peer', 'list', '--key', eeas.officerKey);
    assert.equal(list.stdout.trim(), 'no peers');
    assert.deepEqual((await peerEntries(eeas)).map((e) => e.kind), ['peer.added', 'peer.removed']);
    // What was queued for it stays listed.
    const outbox = JSON.parse((await chancery('outbox', '--key', eeas.officerKey, '--json')).stdout) as { peer: string }[];
    assert.deepEqual(outbox.map((q) => q.peer), ['MFA.CY']);
    const unknown = await chancery('peer', 'remove', 'MFA.FR', '--key', eeas.officerKey);
    assert.equal(unknown.code, 1);
  });
});
