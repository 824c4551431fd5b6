// The alert webhook: the alert JSON line POSTed with its id in a header, one retry after a failure, a failure
// twice only logged; and its URL checked at start-up.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Alert } from '../../src/detect/alert.ts';
import { parseAlertId } from '../../src/log/events.ts';
import { alertWebhook, parseWebhookUrl } from '../../src/node/detection/webhook.ts';

const alert: Alert = { at: Date.UTC(2026, 2, 2, 9, 14, 7), user: 'piet.janssens', rule: 'bulk_read', severity: 'high', action: 'freeze', evidence: [4, 5] };
const id = parseAlertId('a-20260302-0001');

/** A loopback receiver answering each POST with the next status of `statuses` (then 204). */
async function receiver(statuses: number[]) {
  const got: { id: string | undefined; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const h = req.headers['x-chancery-alert'];
      got.push({ id: typeof h === 'string' ? h : undefined, body });
      res.writeHead(statuses.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise((r) => server.close(r)) };
}

/** A pino logger whose lines are kept. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

describe('alert webhook', () => {
  it('POSTs the alert line with the id in X-Chancery-Alert, and retries once after a failure', async () => {
    const r = await receiver([500]);
    const { log, lines } = capture();
    const hook = alertWebhook(r.url, log);
    hook.send(id, alert);
    await hook.drain();
    await r.close();
    assert.equal(r.got.length, 2);
    assert.deepEqual(r.got[1], { id, body: '{"t":"2026-03-02T09:14:07Z","user":"piet.janssens","rule":"bulk_read","severity":"high","action":"freeze","evidence":[4,5]}' });
    assert.equal(lines.length, 0, 'a success after the retry logs nothing');
  });

  it('gives up after the second failure and logs it, never throwing', async () => {
    const r = await receiver([503, 503]);
    const { log, lines } = capture();
    const hook = alertWebhook(r.url, log);
    hook.send(id, alert);
    await hook.drain();
    await r.close();
    assert.equal(r.got.length, 2);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.alert, id);
  });

  it('accepts http(s) URLs only, without credentials', () => {
    assert.equal(parseWebhookUrl('https://soc.example.org/chancery'), 'https://soc.example.org/chancery');
    for (const bad of ['not a url', 'ftp://soc.example.org/', 'https://user:pw@soc.example.org/']) assert.throws(() => parseWebhookUrl(bad), RangeError, bad);
  });
});
