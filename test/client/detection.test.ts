// The detector live in a real node (issue 7 "Tests": an end-to-end test through a real node): a scripted client
// reads in bulk and is frozen by the detector, the release service then refuses it, a SOC webhook on loopback gets
// the alert, two security officers (one through the CLI) clear it and the user reads again, and every step is an
// entry in the audit log. A restart replays the log without raising the same alert twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { CableId } from '../../src/cable/types.ts';
import { RemoteError } from '../../src/client/http.ts';
import type { Session } from '../../src/client/session.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import type { LogEntry } from '../../src/log/event-types.ts';
import { raiseAlert } from '../../src/node/detection/raise.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { sendSixCables } from '../support/released-drafts.ts';
import { HQ, initSendNetwork, p, People, populateSendNetwork, type SendNetwork } from '../support/send-network.ts';

const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;
const PASSPHRASE = 'send network';
/** Far above any read count here: bulk reading must be caught by the detector, not stopped by the hard rate. */
const OPEN_RATE = { perMinute: 10_000, perHour: 100_000 };
/** The bulk rule's threshold for a user still warming up is 35 reads in 5 minutes (docs/detection.md "Rules"). */
const MAX_READS_TO_FREEZE = 40;

interface AlertJson {
  id: string;
  user: string;
  rule: string;
  action: string;
  state: string;
  evidence: number[];
  clearanceRequestedBy: string | null;
}

function chancery(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, CHANCERY_PASSPHRASE: PASSPHRASE }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

describe('detection in the node: bulk reading is frozen, refused, reported and cleared by two officers', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-detection-'));
  let network: SendNetwork;
  let node: RunningNode;
  let receiver: Server;
  let webhookUrl = '';
  const received: { alertId: string | undefined; body: string }[] = [];
  const sessions: Session[] = [];
  const cables: CableId[] = [];
  let alert: AlertJson;

  const start = () => startNode(p, { dataDir: network.dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), shareRate: OPEN_RATE, alertWebhook: webhookUrl });
  const open = async (user: (typeof People)[keyof typeof People]) => {
    const s = await network.session(user, node.url);
    sessions.push(s);
    return s;
  };
  const share = (s: Session, id: CableId) => s.http.post(`/api/v1/cables/${encodeURIComponent(id)}/share`, { office: HQ });
  const entries = (): LogEntry[] => node.context.store.transaction((tx) => tx.logEntries(0, 1000)).map((r) => decodeLogEntry(r.leaf));
  const entriesSince = (from: number) => entries().slice(from);
  const logSize = () => node.context.store.transaction((tx) => tx.logSize());
  const frozen = () => node.context.store.transaction((tx) => tx.getUser(People.reader)?.frozen);
  const listAlerts = async (s: Session) => ((await s.http.get('/api/v1/alerts', { state: 'all' })) as { alerts: AlertJson[] }).alerts;

  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const header = req.headers['x-chancery-alert'];
        received.push({ alertId: typeof header === 'string' ? header : undefined, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
    network = await initSendNetwork(dir);
    node = await start();
    await populateSendNetwork(network, node.url);
    const [drafter, releaser] = [await open(People.drafter), await open(People.releaser)];
    cables.push(...(await sendSixCables(drafter, releaser, join(network.dataDir, 'node.sqlite'))));
  });

  after(async () => {
    for (const s of sessions) s.close();
    await node.close();
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a bulk reader is frozen by an alert.raised and user.frozen in the log, within the reads the rule needs', async () => {
    const reader = await open(People.reader);
    const detection = node.detection;
    assert.ok(detection, 'detection runs by default');
    let reads = 0;
    while (frozen() !== true && reads < MAX_READS_TO_FREEZE + 5) {
      await share(reader, cables[reads % cables.length]!);
      reads++;
      await detection.settled();
    }
    assert.ok(frozen(), `frozen after ${reads} reads`);
    assert.ok(reads <= MAX_READS_TO_FREEZE, `frozen at the ${reads}th read`);
    const log = entries();
    const raised = log.filter((e) => e.kind === 'alert.raised');
    assert.equal(raised.length, 1);
    assert.ok(raised[0]?.kind === 'alert.raised');
    assert.deepEqual([raised[0].user, raised[0].rule, raised[0].severity, raised[0].action], [People.reader, 'bulk_read', 'high', 'freeze']);
    const frozenEntry = log.find((e) => e.kind === 'user.frozen');
    assert.ok(frozenEntry?.kind === 'user.frozen');
    assert.deepEqual(frozenEntry.reason, { kind: 'alert', alert: raised[0].alert });
    const officer = await open(People.officer);
    const [listed] = await listAlerts(officer);
    assert.ok(listed);
    alert = listed;
    assert.equal(alert.id, raised[0].alert);
    assert.equal(alert.state, 'open');
    assert.ok(alert.evidence.length > 0 && alert.evidence.every((i) => log[i]?.kind === 'cable.read' && log[i].user === People.reader), 'the evidence is the reader\'s reads');
  });

  it('the frozen user is refused 403 policy.denied, and nothing is logged or counted', async () => {
    const reader = await open(People.reader);
    const size = logSize();
    const counted = () => node.context.store.transaction((tx) => tx.countShareReleases(People.reader, 0));
    const shares = counted();
    const error = await share(reader, cables[0]!).then(() => null, (e: unknown) => e);
    assert.ok(error instanceof RemoteError, String(error));
    assert.deepEqual([error.status, error.code], [403, 'policy.denied']);
    assert.ok(error.reasons.some((r) => r.code === 'policy.user.frozen'));
    // Fetching the envelope says why too (the user's own standing), so a client can tell the person to call an officer.
    const envelope = await reader.http.get(`/api/v1/cables/${encodeURIComponent(cables[0]!)}`, {}).then(() => null, (e: unknown) => e);
    assert.ok(envelope instanceof RemoteError, String(envelope));
    assert.deepEqual([envelope.status, envelope.code, envelope.reasons.map((r) => r.code)], [403, 'policy.denied', ['policy.user.frozen']]);
    assert.equal(logSize(), size, 'nothing logged');
    assert.equal(counted(), shares, 'nothing counted against the rate');
  });

  it('the SOC webhook on loopback received the alert line', async () => {
    // Fire and forget: the POST may still be on its way when the freeze is visible.
    for (let waited = 0; !received.some((r) => r.alertId === alert.id) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const got = received.find((r) => r.alertId === alert.id);
    assert.ok(got, 'the webhook got the alert');
    const line = JSON.parse(got.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(line), ['t', 'user', 'rule', 'severity', 'action', 'evidence']);
    assert.deepEqual([line.user, line.rule, line.action, line.evidence], [People.reader, 'bulk_read', 'freeze', alert.evidence]);
  });

  it('acknowledging and listing are for security officers only', async () => {
    const reader2 = await open(People.reader2);
    const error = await reader2.http.get('/api/v1/alerts').then(() => null, (e: unknown) => e);
    assert.ok(error instanceof RemoteError && error.status === 403);
    const officer = await open(People.officer);
    const acked = (await officer.http.post(`/api/v1/alerts/${alert.id}/acknowledge`, {})) as { alert: AlertJson };
    assert.equal(acked.alert.state, 'acknowledged');
  });

  it("one officer's clear leaves the user frozen; the same officer again is refused; a second officer's clear (CLI) unfreezes", async () => {
    const officer = await open(People.officer);
    const from = logSize();
    const first = (await officer.http.post(`/api/v1/alerts/${alert.id}/clear`, {})) as { alert: AlertJson; unfrozen: boolean };
    assert.deepEqual([first.alert.state, first.alert.clearanceRequestedBy, first.unfrozen], ['acknowledged', People.officer, false]);
    assert.equal(frozen(), true);
    assert.equal(logSize(), from, 'a pending clearance is not a log entry');
    const again = await officer.http.post(`/api/v1/alerts/${alert.id}/clear`, {}).then(() => null, (e: unknown) => e);
    assert.ok(again instanceof RemoteError);
    assert.deepEqual([again.status, again.code], [403, 'policy.two_officers_required']);
    assert.equal(frozen(), true);
    const cli = await chancery(['alerts', 'clear', alert.id, '--key', network.keyFile(People.coOfficer), '--node', node.url, '--json']);
    assert.equal(cli.status, 0, cli.stderr);
    const out = JSON.parse(cli.stdout) as { alert: AlertJson; unfrozen: boolean };
    assert.deepEqual([out.alert.state, out.unfrozen], ['cleared', true]);
    assert.equal(frozen(), false);
    const added = entriesSince(from);
    assert.deepEqual(added.map((e) => e.kind), ['alert.cleared', 'user.unfrozen']);
    assert.ok(added[0]?.kind === 'alert.cleared' && added[1]?.kind === 'user.unfrozen');
    assert.deepEqual(added[0].by, [People.officer, People.coOfficer]);
    assert.deepEqual(added[1].by, [People.officer, People.coOfficer]);
    const listed = await chancery(['alerts', 'list', '--key', network.keyFile(People.officer), '--node', node.url]);
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /no open alerts/);
  });

  it('the user reads again, and every step is in the log in order', async () => {
    const reader = await open(People.reader);
    await share(reader, cables[0]!);
    await node.detection?.settled();
    assert.equal(frozen(), false, 'the burst already alerted on is not alerted on again (one alert per rule in 12 hours)');
    const kinds = entries().map((e) => e.kind).filter((k) => ['alert.raised', 'user.frozen', 'alert.cleared', 'user.unfrozen'].includes(k));
    assert.deepEqual(kinds, ['alert.raised', 'user.frozen', 'alert.cleared', 'user.unfrozen']);
    assert.equal(entries().at(-1)?.kind, 'cable.read');
  });

  it('an officer escalates an alert to freeze with the CLI: the user is frozen and refused, and both steps are logged', async () => {
    const raised = await raiseAlert(node.context, { at: node.context.now(), user: People.reader2, rule: 'off_hours', severity: 'low', action: 'alert', evidence: [0] }, logSize() - 1);
    assert.ok(raised?.fresh);
    const key = ['--key', network.keyFile(People.officer), '--node', node.url];
    const bad = await chancery(['alerts', 'escalate', raised.row.id, '--to', 'alert', ...key]);
    assert.notEqual(bad.status, 0, 'only step_up or freeze');
    const from = logSize();
    const cli = await chancery(['alerts', 'escalate', raised.row.id, '--to', 'freeze', '--reason', 'reads at 3 a.m. from a new address', ...key]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, new RegExp(`alert ${raised.row.id} escalated to freeze; ${People.reader2} is frozen`));
    const added = entriesSince(from);
    assert.deepEqual(added.map((e) => e.kind), ['alert.escalated', 'user.frozen']);
    assert.ok(added[0]?.kind === 'alert.escalated');
    assert.deepEqual([added[0].officer, added[0].action], [People.officer, 'freeze']);
    const reader2 = await open(People.reader2);
    const refused = await share(reader2, cables[0]!).then(() => null, (e: unknown) => e);
    assert.ok(refused instanceof RemoteError);
    assert.deepEqual([refused.status, refused.code], [403, 'policy.denied']);
    const lower = await chancery(['alerts', 'escalate', raised.row.id, '--to', 'step_up', ...key]);
    assert.notEqual(lower.status, 0);
    assert.match(lower.stderr, /already asks for freeze/);
    assert.equal(logSize(), from + 2, 'the refused read and the refused escalation logged nothing');
  });

  it('a restart replays the log and raises no alert twice', async () => {
    const before = entries().filter((e) => e.kind === 'alert.raised').length;
    const count = () => node.context.store.transaction((tx) => tx.countAlerts());
    const alerts = count();
    await node.close();
    node = await start();
    await node.detection?.settled();
    assert.equal(entries().filter((e) => e.kind === 'alert.raised').length, before);
    assert.equal(count(), alerts);
    assert.equal(node.detection?.stats().fed, logSize(), 'the whole log was replayed');
    assert.equal(frozen(), false);
  });

  it('`detect: false` (chancery serve --no-detect) runs no detector', async () => {
    await node.close();
    node = await startNode(p, { dataDir: network.dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), shareRate: OPEN_RATE, detect: false });
    assert.equal(node.detection, null);
  });
});
