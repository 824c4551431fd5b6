// The detector's step_up action enforced at the release service (issue 7; docs/detection.md "Step-up"): while a
// user has an open step_up alert, every share needs a fresh passkey step-up on the browser's session, taken in the
// write that appends the read; a CLI device is refused until an officer acknowledges or clears the alert; a frozen
// user stays refused whatever step-up they bring. Real cables at a real node, a browser device driven in-process by
// the software authenticator.
import assert from 'node:assert/strict';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { CableId, DeviceId, NodeName } from '../../src/cable/types.ts';
import { toBase64 } from '../../src/bytes.ts';
import { approveDevice } from '../../src/client/admin.ts';
import { generateDeviceKeys, type DeviceKeys } from '../../src/client/device-keys.ts';
import type { Session } from '../../src/client/session.ts';
import type { Alert } from '../../src/detect/alert.ts';
import { decodeLogEntry } from '../../src/log/events.ts';
import { raiseAlert } from '../../src/node/detection/raise.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { freePort } from '../support/ports.ts';
import { sendSixCables } from '../support/released-drafts.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import { HQ, initSendNetwork, p, People, populateSendNetwork, type SendNetwork } from '../support/send-network.ts';
import { buildRequest, codeOf, readReply, type Reply, type SendOptions } from './fixtures.ts';

const READER = People.reader;
const BROWSER = 'w-piet' as DeviceId;

describe('step_up alerts: the next read needs a fresh passkey step-up', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-step-up-'));
  let network: SendNetwork;
  let node: RunningNode;
  let officer: Session;
  let cli: Session;
  let keys: DeviceKeys;
  const authenticator = new SoftAuthenticator();
  let cookie = '';
  const cables: CableId[] = [];
  let trigger = 1_000_000;

  const origin = () => new URL(node.url).origin;
  const at = () => ({ url: node.url, now: () => node.context.now() });
  const call = async (signedBy: DeviceKeys | null, method: string, path: string, o: SendOptions = {}): Promise<Reply> =>
    readReply(await fetch(await buildRequest(at(), signedBy ? { user: signedBy.user, device: signedBy.device, signingSeed: signedBy.signingSeed } : null, method, path, o)));
  const path = (id: CableId) => `/api/v1/cables/${encodeURIComponent(id)}/share`;
  const browserShare = (id: CableId) => call(keys, 'POST', path(id), { body: { office: HQ }, headers: { cookie } });
  const cliShare = (id: CableId) => cli.http.post(path(id), { office: HQ }).then(() => null, (e: unknown) => e as { status: number; code: string; message: string });
  const stepUp = async () => {
    const options = await call(null, 'POST', '/api/v1/web/step-up/options', { body: {}, headers: { cookie } });
    assert.equal(options.status, 200, options.text);
    const credential = authenticator.get((options.json as { options: { challenge: string; rpId?: string } }).options, origin());
    const reply = await call(null, 'POST', '/api/v1/web/step-up', { body: { credential }, headers: { cookie } });
    assert.equal(reply.status, 200, reply.text);
  };
  const logSize = () => node.context.store.transaction((tx) => tx.logSize());
  const lastEntry = () => node.context.store.transaction((tx) => decodeLogEntry(tx.logEntries(tx.logSize() - 1, 1)[0]!.leaf));
  const alertRow = (id: string) => node.context.store.transaction((tx) => tx.listAlerts(['open', 'acknowledged', 'cleared']).find((a) => a.id === id));
  const raise = async (action: Alert['action'], rule: Alert['rule'] = 'new_device_or_network') => {
    const raised = await raiseAlert(node.context, { at: node.context.now(), user: READER, rule, severity: action === 'freeze' ? 'high' : 'low', action, evidence: [1] }, trigger++);
    assert.ok(raised?.fresh);
    return raised.row;
  };

  before(async () => {
    network = await initSendNetwork(dir);
    const port = await freePort();
    node = await startNode(p, { dataDir: network.dataDir, host: '127.0.0.1', port, url: `http://localhost:${port}`, log: pino({ level: 'silent' }), detect: false });
    await populateSendNetwork(network, node.url);
    const [drafter, releaser] = [await network.session(People.drafter, node.url), await network.session(People.releaser, node.url)];
    cables.push(...(await sendSixCables(drafter, releaser, join(network.dataDir, 'node.sqlite'))));
    drafter.close();
    releaser.close();
    officer = await network.session(People.officer, node.url);
    cli = await network.session(READER, node.url);
    // The reader's browser: a passkey registered with an officer's code, the device approved, a passkey login.
    const { code } = (await officer.http.post('/api/v1/enrollment-codes', { user: READER })) as { code: string };
    keys = await generateDeviceKeys(p, READER, BROWSER, 'EEAS' as NodeName);
    const options = await call(null, 'POST', '/api/v1/web/registration/options', { body: { user: READER, device: BROWSER, code } });
    assert.equal(options.status, 200, options.text);
    const credential = authenticator.create((options.json as { options: { challenge: string; rp: { id?: string } } }).options, origin());
    const registered = await call(keys, 'POST', '/api/v1/web/registration', {
      body: { user: READER, device: BROWSER, signingKey: toBase64(keys.signingKey), encryptionKey: toBase64(keys.encryptionKey), code, credential },
    });
    assert.equal(registered.status, 201, registered.text);
    await approveDevice(officer, READER, BROWSER);
    const loginOptions = await call(null, 'POST', '/api/v1/web/login/options', { body: { user: READER } });
    const assertion = authenticator.get((loginOptions.json as { options: { challenge: string; rpId?: string } }).options, origin());
    const login = await call(null, 'POST', '/api/v1/web/login', { body: { user: READER, credential: assertion } });
    assert.equal(login.status, 200, login.text);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });

  after(async () => {
    officer.close();
    cli.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with no alert, the browser reads without a step-up (control)', async () => {
    const reply = await browserShare(cables[0]!);
    assert.equal(reply.status, 200, reply.text);
  });

  it('with a step_up alert open, a share without step-up is 401 auth.step_up_required and nothing is logged', async () => {
    const alert = await raise('step_up');
    const size = logSize();
    const refused = await browserShare(cables[1]!);
    assert.deepEqual([refused.status, codeOf(refused)], [401, 'auth.step_up_required']);
    assert.equal(logSize(), size, 'no read appended');
    assert.equal(alertRow(alert.id)?.state, 'open');
    // The CLI device of the same user: refused too, told how to lift it.
    const cliRefused = await cliShare(cables[1]!);
    assert.equal(cliRefused?.status, 401);
    assert.equal(cliRefused.code, 'auth.step_up_required');
    assert.match(cliRefused.message, /passkey in the Chancery web app|security officer/);
    assert.equal(logSize(), size, 'no read appended for the CLI device either');
  });

  it('with a fresh step-up the share goes out and is logged; the alert is satisfied in the user\'s name and the requirement lifts', async () => {
    const [alert] = node.context.store.transaction((tx) => tx.listAlerts(['open']));
    assert.ok(alert);
    await stepUp();
    const size = logSize();
    const reply = await browserShare(cables[1]!);
    assert.equal(reply.status, 200, reply.text);
    assert.equal(logSize(), size + 2, 'the acknowledgement in the user\'s name, then the read');
    const ack = node.context.store.transaction((tx) => decodeLogEntry(tx.logEntries(size, 1)[0]!.leaf));
    assert.ok(ack.kind === 'alert.acknowledged');
    assert.deepEqual([ack.alert, ack.officer, ack.details], [alert.id, READER, undefined]);
    const entry = lastEntry();
    assert.ok(entry.kind === 'cable.read');
    assert.deepEqual([entry.user, entry.device, entry.cable], [READER, BROWSER, cables[1]]);
    const after = alertRow(alert.id);
    assert.deepEqual([after?.state, after?.acknowledgedBy], ['acknowledged', READER]);
    // Lifted: the browser reads again without a step-up, and so does the CLI device.
    assert.equal((await browserShare(cables[2]!)).status, 200);
    assert.equal(await cliShare(cables[2]!), null);
  });

  it('a step-up is used once: the second share under a new alert needs another', async () => {
    await raise('step_up', 'dormant_wakeup');
    await stepUp();
    assert.equal((await browserShare(cables[3]!)).status, 200);
    await raise('step_up', 'low_and_slow');
    const refused = await browserShare(cables[3]!);
    assert.deepEqual([refused.status, codeOf(refused)], [401, 'auth.step_up_required']);
  });

  it('an officer acknowledging the alert lifts it for the CLI device', async () => {
    const [open] = node.context.store.transaction((tx) => tx.listAlerts(['open']));
    assert.ok(open);
    assert.equal((await cliShare(cables[4]!))?.code, 'auth.step_up_required');
    await officer.http.post(`/api/v1/alerts/${open.id}/acknowledge`, {});
    assert.equal(await cliShare(cables[4]!), null);
    assert.deepEqual([alertRow(open.id)?.state, alertRow(open.id)?.acknowledgedBy], ['acknowledged', People.officer]);
  });

  it('a frozen user stays refused with a step-up in hand; the step-up and the step_up alert are left as they were', async () => {
    const stepAlert = await raise('step_up', 'phished_pattern');
    await raise('freeze', 'canary');
    await stepUp();
    const size = logSize();
    const refused = await browserShare(cables[5]!);
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'policy.denied']);
    assert.equal(logSize(), size);
    assert.equal(alertRow(stepAlert.id)?.state, 'open', 'not satisfied by a refused share');
    const session = await call(null, 'GET', '/api/v1/web/session', { headers: { cookie } });
    assert.notEqual((session.json as { stepUpUntil: number | null }).stepUpUntil, null, 'the step-up is still there');
  });
});
