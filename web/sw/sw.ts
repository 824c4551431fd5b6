// Chancery's service worker (issue 6 "Client integrity"; docs/web-integrity.md). Installed at enrollment, pinned
// once to the organisation root and the audit log key; from then on every page of the app and every file it loads
// must belong to a build the root signed and the log recorded, or the browser shows a refusal and runs nothing.
// API requests pass through untouched. Before it is pinned (not enrolled), it does nothing.
/// <reference lib="webworker" />
import { webProvider } from '../../src/crypto/web-provider.ts';
import { IntegrityGuard } from './guard.ts';
import { loadCheckpoint, loadPins, pinOnce, pinsOf, saveCheckpoint } from './pins.ts';
import type { IntegrityPins } from './verify-release.ts';

declare const self: ServiceWorkerGlobalScope;

const guard = new IntegrityGuard(webProvider, (input, init) => fetch(input, init), { last: loadCheckpoint, save: saveCheckpoint });
/** Read once per worker life; set by the first pin message. */
let pins: Promise<IntegrityPins | null> | null = null;

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown } | null;
  const port = event.ports[0];
  if (data?.type !== 'chancery.pin' || port === undefined) return;
  const asked = pinsOf(data);
  if (asked === null) {
    port.postMessage({ ok: false, error: 'pins must be two 64-digit hex fingerprints' });
    return;
  }
  event.waitUntil(
    pinOnce(asked).then(
      (inForce) => {
        pins = Promise.resolve(inForce);
        const same = inForce.rootFingerprint === asked.rootFingerprint && inForce.logKeyFingerprint === asked.logKeyFingerprint;
        port.postMessage(same ? { ok: true, pins: inForce } : { ok: false, error: 'this browser is already pinned to other fingerprints; they are never replaced', pins: inForce });
      },
      (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    ),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/manifest.json') return;
  event.respondWith(
    (async () => {
      pins ??= loadPins().catch(() => null);
      const pinned = await pins;
      if (pinned === null) return fetch(request);
      return request.mode === 'navigate' ? guard.navigate(pinned, url) : guard.subresource(pinned, url);
    })(),
  );
});
