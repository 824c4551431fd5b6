// Installs the integrity guard at enrollment (docs/web-integrity.md): registers the service worker /sw.js for the
// whole app and pins it, once, to the organisation root and audit log key this browser device just pinned. From the
// next page load on, the worker refuses any bundle the root did not sign and the log did not record.

/** The two fingerprints (64 lower-case hex digits each) the device pinned: GET /api/v1/node's root and log key. */
export interface IntegrityPinsInput {
  readonly rootFingerprint: string;
  readonly logKeyFingerprint: string;
}

/** The worker's answer: `ok` false when it was already pinned to other fingerprints (they are never replaced). */
export interface IntegrityGuardStatus {
  readonly ok: boolean;
  readonly pins?: IntegrityPinsInput;
  readonly error?: string;
}

const SERVICE_WORKER = '/sw.js';
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Registers /sw.js (scope `/`), waits for it to be active and sends it the pins. Resolves with the worker's answer;
 * rejects when the browser has no service workers (not a secure context) or the worker does not answer.
 *
 * @example
 * ```ts
 * await installIntegrityGuard({ rootFingerprint: device.rootFingerprint, logKeyFingerprint: device.logKeyFingerprint });
 * ```
 */
export async function installIntegrityGuard(pins: IntegrityPinsInput): Promise<IntegrityGuardStatus> {
  if (!('serviceWorker' in navigator)) throw new Error('this browser cannot run the integrity guard (service workers need https or localhost)');
  await navigator.serviceWorker.register(SERVICE_WORKER, { scope: '/', updateViaCache: 'none' });
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) throw new Error('the integrity guard did not start');
  const channel = new MessageChannel();
  const answer = new Promise<IntegrityGuardStatus>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the integrity guard did not answer')), ANSWER_TIMEOUT_MS);
    channel.port1.onmessage = (event: MessageEvent<IntegrityGuardStatus>) => {
      clearTimeout(timer);
      resolve(event.data);
    };
  });
  worker.postMessage({ type: 'chancery.pin', rootFingerprint: pins.rootFingerprint, logKeyFingerprint: pins.logKeyFingerprint }, [channel.port2]);
  return answer;
}
