// The server's responses for a cable never contain its plaintext: while a browser user reads a known demo cable,
// every response body the page receives is captured, and neither the cable's subject nor a sentence of its body is
// in any of them — yet the page shows both, so the browser opened the cable itself (and the test could fail).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_CABLES } from '../../src/demo/demo-cables.ts';
import { enrollInBrowser, startWebNetwork, type WebNetwork } from './support/web-network.ts';

const SUBJECT = 'Senate Foreign Relations hearing on transatlantic security';
const SENTENCE = 'Two senators asked about the EU entry-exit system and its effect on US business travellers.';

describe('web app in Chromium: no plaintext from the server', () => {
  let net: WebNetwork;
  before(async () => {
    net = await startWebNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it("the server's responses for a cable never contain its plaintext subject or body", async () => {
    assert.ok(DEMO_CABLES.some((c) => c.subject === SUBJECT && c.body.includes(SENTENCE)), 'the demo cable and sentence exist');
    const sent = net.demo.cables.find((c) => c.subject === SUBJECT);
    assert.ok(sent, 'the demo sent the cable');
    assert.equal(sent.level, 'RESTRICTED');

    const b = await enrollInBrowser(net, 'sofia.ricci');
    const { page } = b;
    const bodies: Promise<{ url: string; text: string }>[] = [];
    page.on('response', (r) => {
      bodies.push(
        r.body().then(
          (buf) => ({ url: r.url(), text: buf.toString('utf8') }),
          () => ({ url: r.url(), text: '' }),
        ),
      );
    });
    await page.goto(`${net.url}/#/cable/${sent.id}`);
    await page.locator('#cable-subject').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#cable-subject').textContent(), SUBJECT, 'the page shows the subject');
    assert.ok(((await page.getByTestId('cable-body').textContent()) ?? '').includes(SENTENCE), 'the page shows the body');

    const seen = await Promise.all(bodies);
    const api = seen.filter((s) => s.url.includes('/api/v1/'));
    assert.ok(api.some((s) => s.url.includes(`/api/v1/cables/${encodeURIComponent(sent.id)}`) && s.text.includes('envelope')), 'the sealed envelope was fetched by the page');
    assert.ok(api.some((s) => s.url.includes('/share')), 'the release service was asked for the share');
    for (const s of seen) {
      assert.ok(!s.text.includes(SUBJECT), `the subject is not in ${s.url}`);
      assert.ok(!s.text.includes(SENTENCE), `the body is not in ${s.url}`);
    }
    await b.context.close();
  });
});
