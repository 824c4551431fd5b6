// `npm start`'s demo enrollment (src/demo/web-demo.ts): a code for every demo person, and the demo approver that
// approves a demo person's new browser device and has their CLI device re-seal its grants — so a browser enrolled
// with a printed code reaches the workspace and can read without anyone typing a command.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UserId } from '../../src/cable/types.ts';
import { nodeProvider } from '../../src/crypto/node-provider.ts';
import { startWebDemo, type WebDemo } from '../../src/demo/web-demo.ts';
import { openBrowserUser, startWebNetwork, submitEnrollment, type WebNetwork } from './support/web-network.ts';

describe('web app: the demo approves browsers enrolled with its printed codes', () => {
  let net: WebNetwork;
  let demo: WebDemo;
  const said: string[] = [];
  before(async () => {
    net = await startWebNetwork();
    demo = await startWebDemo(nodeProvider, { dataDir: net.demo.dataDir, url: net.url, officer: 'ines.moreau' as UserId, say: (line) => said.push(line) });
  });
  after(async () => {
    demo?.stop();
    await net?.close();
  });

  it('prints one code per demo person; a browser enrolled with one is approved and signs in', async () => {
    assert.deepEqual(demo.codes.map((c) => c.user).sort(), net.demo.people.map((p) => p.id).sort());
    const code = demo.codes.find((c) => c.user === 'tomas.novak')?.code ?? '';
    const b = await openBrowserUser(net, 'tomas.novak');
    await submitEnrollment(b, net.url, code);
    const deadline = Date.now() + 30_000;
    while (!said.some((l) => l.includes(`tomas.novak's browser device ${b.device}`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(said.some((l) => l.includes(`approved tomas.novak's browser device ${b.device}`)), said.join('\n'));
    await b.page.getByRole('button', { name: 'Check again' }).click();
    await b.page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
    assert.deepEqual(b.errors, []);
    await b.context.close();
  });
});
