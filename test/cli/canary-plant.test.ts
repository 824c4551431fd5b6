// `chancery canary plant` as a security officer runs it, in a real process against a real node (issue 7 "a command
// plants a few per office"; docs/detection.md "Planted canaries"): three decoys from the delegation, each a real
// cable drafted by a declared persona, released by the other and sent; listed as canaries and personas for officers
// only; routed in an ordinary member's inbox with the very fields of a real cable; and the member opening one is
// frozen, after which the release service hands them nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CableId, OfficeCode } from '../../src/cable/types.ts';
import { fromBase64 } from '../../src/bytes.ts';
import { signerResolver } from '../../src/client/key-directory.ts';
import { RemoteError } from '../../src/client/http.ts';
import { readCable } from '../../src/client/reading.ts';
import { sendCable } from '../../src/client/send.ts';
import type { Session } from '../../src/client/session.ts';
import { decodeEnvelope } from '../../src/envelope/codec.ts';
import { verifyEnvelope } from '../../src/envelope/verify.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import type { LogEntry } from '../../src/log/event-types.ts';
import type { RunningNode } from '../../src/node/serve.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { serveNode } from '../support/audit-network.ts';
import { releaseThroughApi } from '../support/released-drafts.ts';
import { DEL, initSendNetwork, PASSPHRASE, People, populateSendNetwork, type SendNetwork } from '../support/send-network.ts';

const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;
const ARCHIVE = 'EEAS.ARCHIVE.RECORDS' as OfficeCode;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking: the node under test is served by this very process. */
function chancery(args: readonly string[]): Promise<Run> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, CHANCERY_PASSPHRASE: PASSPHRASE }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

interface Planted {
  office: string;
  to: string;
  drafter: string;
  releaser: string;
  cables: CableId[];
}

describe('chancery canary plant (a real process, a real node)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-cli-canary-'));
  let node: RunningNode;
  let network: SendNetwork;
  let real: CableId;
  let planted: Planted;
  let run: Run;
  const sessions: Session[] = [];
  const open = async (user: (typeof People)[keyof typeof People]) => {
    const s = await network.session(user, node.url);
    sessions.push(s);
    return s;
  };
  const entries = (): LogEntry[] => {
    const store = openSqliteStore(join(network.dataDir, 'node.sqlite'));
    try {
      return store.transaction((tx) => tx.logEntries(0, 1000)).map((r) => decodeLogEntry(r.leaf));
    } finally {
      store.close();
    }
  };

  before(async () => {
    network = await initSendNetwork(dir);
    node = await serveNode(network.dataDir);
    await populateSendNetwork(network, node.url);
    const [drafter, releaser] = await Promise.all([People.drafter, People.releaser].map(open));
    // Planting before the records office exists is refused, naming the command that creates it.
    const early = await chancery(['canary', 'plant', '--office', DEL, '--key', network.keyFile(People.officer), '--node', node.url]);
    assert.notEqual(early.status, 0);
    assert.match(early.stderr, /no office EEAS\.ARCHIVE\.RECORDS: create the records office first \(chancery canary archive --org EEAS/);
    // The records office the officers create for the purpose: no members but them, its epochs opened with a co-officer.
    const archived = await chancery(['canary', 'archive', '--org', 'EEAS', '--json', '--key', network.keyFile(People.officer), '--co-officer', network.keyFile(People.coOfficer), '--node', node.url]);
    assert.equal(archived.status, 0, archived.stderr);
    const made = JSON.parse(archived.stdout) as { office: string; communities: string[]; officers: string[]; epochs: { level: string }[] };
    assert.equal(made.office, ARCHIVE);
    assert.deepEqual(made.officers.sort(), [People.officer, People.coOfficer].sort());
    assert.ok(made.communities.includes('EU'), made.communities.join(','));
    assert.deepEqual(made.epochs.map((e) => e.level), ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED']);
    const again = await chancery(['canary', 'archive', '--org', 'EEAS', '--key', network.keyFile(People.officer), '--co-officer', network.keyFile(People.coOfficer), '--node', node.url]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /exists already/);
    // One real cable of the delegation, to compare the decoys with.
    const [released] = await releaseThroughApi(drafter!, releaser!, 1);
    real = released!.id;
    await sendCable(drafter!, real);
    run = await chancery(['canary', 'plant', '--office', DEL, '--count', '3', '--seed', '7', '--json', '--key', network.keyFile(People.officer), '--node', node.url]);
    assert.equal(run.status, 0, run.stderr);
    planted = JSON.parse(run.stdout) as Planted;
  });

  after(async () => {
    for (const s of sessions) s.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plants three sent cables drafted and released by two personas, with progress on stderr and persona keys beside the officer key', async () => {
    assert.equal(planted.cables.length, 3);
    assert.equal(planted.to, ARCHIVE);
    assert.notEqual(planted.drafter, planted.releaser);
    assert.match(run.stderr, /… persona [a-z]+\.[a-z]+ \(drafter\) of EEAS\.DEL\.WASHINGTON: created/);
    assert.equal((run.stderr.match(/^… canary .* marked$/gm) ?? []).length, 3);
    for (const role of ['drafter', 'releaser']) assert.ok(existsSync(join(dir, 'keys', 'personas', `${DEL}.${role}.key`)), role);
    const officer = await open(People.officer);
    for (const id of planted.cables) {
      // Both signatures checked against the personas' enrolled devices, without opening (an officer's opening is
      // an opening like any other, and would freeze the officer).
      const { envelope } = (await officer.http.get(`/api/v1/cables/${encodeURIComponent(id)}`)) as { envelope: string };
      const { routing } = await verifyEnvelope(officer.p, decodeEnvelope(fromBase64(envelope)), signerResolver(officer), { roles: ['drafter', 'releaser'] });
      assert.equal(routing.drafter, planted.drafter);
      assert.equal(routing.releaser, planted.releaser);
      assert.deepEqual(routing.to, [ARCHIVE]);
      assert.ok(['ROUTINE', 'PRIORITY'].includes(routing.precedence));
      assert.ok(['LIMITED', 'RESTRICTED'].includes(routing.marking.classification));
    }
    const sent = entries().filter((e) => e.kind === 'cable.sent' && planted.cables.includes(e.cable));
    assert.equal(sent.length, 3, 'each sent through the release workflow');
  });

  it('officers see the canaries and the declared personas; an ordinary member is refused both lists and the declarations', async () => {
    const officer = await open(People.officer);
    const member = await open(People.drafter);
    const canaries = (await officer.http.get('/api/v1/canaries')) as { canaries: { cable: string }[] };
    assert.deepEqual(canaries.canaries.map((c) => c.cable).sort(), [...planted.cables].sort());
    const personas = (await officer.http.get('/api/v1/personas')) as { personas: { persona: string; office: string; officer: string }[] };
    assert.deepEqual(personas.personas.map((p) => [p.persona, p.office, p.officer]), [[planted.drafter, DEL, People.officer], [planted.releaser, DEL, People.officer]]);
    for (const path of ['/api/v1/canaries', '/api/v1/personas']) {
      await assert.rejects(member.http.get(path), (e: unknown) => e instanceof RemoteError && e.status === 403, path);
    }
    const declared = entries().filter((e) => e.kind === 'persona.declared' || e.kind === 'canary.marked');
    assert.equal(declared.length, 5);
    assert.ok(declared.every((e) => !('user' in e)), 'no entry an ordinary device is shown');
  });

  it("the decoys sit in an ordinary member's inbox with the same routing fields as a real cable", async () => {
    const member = await open(People.drafter);
    const inbox = (await member.http.get('/api/v1/inbox', { office: DEL })) as { entries: Record<string, unknown>[] };
    const realLine = inbox.entries.find((e) => e.id === real);
    assert.ok(realLine);
    for (const id of planted.cables) {
      const line = inbox.entries.find((e) => e.id === id);
      assert.ok(line, `${id} listed`);
      assert.deepEqual(Object.keys(line).sort(), Object.keys(realLine).sort());
      assert.equal(line.from, DEL);
      assert.deepEqual(line.caveats, realLine.caveats);
      assert.deepEqual(line.releasableTo, realLine.releasableTo);
    }
  });

  it('an ordinary member opening one is frozen: a high canary alert, and the release service refuses further shares', async () => {
    const member = await open(People.drafter);
    await readCable(member, planted.cables[0]!);
    await node.detection!.settled();
    const alerts = entries().filter((e) => e.kind === 'alert.raised');
    assert.deepEqual(alerts.map((a) => a.kind === 'alert.raised' && [a.user, a.rule, a.severity, a.action]), [[People.drafter, 'canary', 'high', 'freeze']]);
    const logged = entries().length;
    await assert.rejects(readCable(member, real), (e: unknown) => e instanceof RemoteError && e.status === 403, 'the envelope is refused');
    // Whatever the client does: asked straight, the release service hands out no share and logs nothing.
    await assert.rejects(
      member.http.post(`/api/v1/cables/${encodeURIComponent(real)}/share`, { office: DEL }),
      (e: unknown) => e instanceof RemoteError && e.status === 403 && e.code === 'policy.denied',
    );
    assert.equal(entries().length, logged, 'no read logged for the frozen member');
    const frozen = entries().filter((e) => e.kind === 'user.frozen');
    assert.equal(frozen.length, 1);
  });
});
