// The alert webhook (issue 7 "a webhook lets a ministry's SOC receive them"): each alert the node raises is POSTed
// as its alert JSON line. Fire and forget: a short timeout, one retry, failures in the server log; no request and no
// detection ever waits on the SOC's endpoint.
import type { Logger } from 'pino';
import { toAlertLine, type Alert } from '../../detect/alert.ts';
import type { AlertId } from '../../log/event-types.ts';

/** Long enough for a SOC collector on a LAN, short enough that a dead one does not pile up sockets. */
const TIMEOUT_MS = 3000;
/** A second try after a pause: a collector restarting is the common failure. */
const RETRY_AFTER_MS = 500;

export interface AlertWebhook {
  /** Starts the POST of one alert and returns at once. */
  send(id: AlertId, alert: Alert): void;
  /** Starts the POST of one alert line about no user (a peer's fork or conflict: docs/federation.md), `key` its id. */
  sendLine(key: string, line: string): void;
  /** Resolves once every POST started has succeeded or given up (tests, shutdown). */
  drain(): Promise<void>;
}

/**
 * Checks a webhook URL at start-up: http or https, no credentials in it (they would end up in logs).
 *
 * @example
 * ```ts
 * parseWebhookUrl('http://127.0.0.1:9000/alerts'); // 'http://127.0.0.1:9000/alerts'
 * ```
 */
export function parseWebhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError('the alert webhook is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError('the alert webhook must be an http or https URL');
  if (url.username !== '' || url.password !== '') throw new RangeError('the alert webhook URL must not carry credentials');
  return url.href;
}

/** A webhook posting to `url`; the alert's id rides in the `X-Chancery-Alert` header, the body is the alert line. */
export function alertWebhook(url: string, log: Logger): AlertWebhook {
  const target = parseWebhookUrl(url);
  const pending = new Set<Promise<void>>();

  async function post(id: string, body: string): Promise<void> {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-chancery-alert': id },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The body is not read: drop it so the socket goes back to the pool.
    await res.body?.cancel();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  }

  async function deliver(id: string, body: string): Promise<void> {
    try {
      await post(id, body);
    } catch (first) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
      try {
        await post(id, body);
      } catch (second) {
        const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
        log.warn({ alert: id, webhook: target, first: reason(first), err: reason(second) }, 'alert webhook failed twice; the alert stays in the log');
      }
    }
  }

  return {
    send(id, alert) {
      const job = deliver(id, toAlertLine(alert)).finally(() => pending.delete(job));
      pending.add(job);
    },
    sendLine(key, line) {
      const job = deliver(key, line).finally(() => pending.delete(job));
      pending.add(job);
    },
    async drain() {
      await Promise.all([...pending]);
    },
  };
}
