// The browser as a Chancery device (docs/web.md): enrolling it with a passkey and an officer's one-time code, and
// unlocking it on each visit — the passkey's PRF unseals the seeds, the login gives the session cookie, and the
// client's own session (src/client/session.ts) pins the root and log key and signs every request, as the CLI does.
import type { DeviceId } from '../../../src/cable/types.ts';
import { parseUserId } from '../../../src/cable/ids.ts';
import { toBase64, toHex, wipe } from '../../../src/bytes.ts';
import { webProvider } from '../../../src/crypto/web-provider.ts';
import { deviceFingerprint, deviceKeysFromMaterial, generateDeviceKeys, wipeDeviceKeys, type DeviceKeys } from '../../../src/client/device-keys.ts';
import { openSession, verifiedNodeOf, type Session } from '../../../src/client/session.ts';
import { sameOriginFetch, nodeHttp } from './node-http.ts';
import { checkpointMemory, forgetDevice, loadDevice, saveDevice, type DeviceRecord } from './device-record.ts';
import { sealSeeds, unsealSeeds, wrappingKey } from './key-seal.ts';
import { createPasskey, loginAssertion, stepUpAssertion } from './passkey.ts';
import { installIntegrityGuard } from '../integrity/install.ts';

const SALT_LENGTH = 32;

/** The device's standing at its node, as the login answer states it. */
export type DeviceStatus = 'pending' | 'approved' | 'revoked';

/** A signed-in browser device: the client session (keys in memory), and the two passkey actions. */
export interface WebDevice {
  readonly record: DeviceRecord;
  readonly session: Session;
  /** A fresh passkey assertion: the node then allows one protected action for 2 minutes. */
  stepUp(): Promise<void>;
  /** Ends the node's session and wipes the keys from memory. */
  signOut(): Promise<void>;
}

/** What unlocking gives: a device ready to work, or one still waiting for its approval. */
export type Unlocked = { readonly kind: 'ready'; readonly device: WebDevice } | { readonly kind: 'pending'; readonly record: DeviceRecord; signOut(): Promise<void> };

function label(r: { user: string; device: string; node: string }): string {
  return `${r.user}/${r.device}/${r.node}`;
}

/**
 * The URL requests are signed for: the node's public URL as its certificate or, failing that, its description states
 * it — whichever names the origin this page talks to (the node verifies against its own public URL, so a URL of
 * another origin could never verify); this page's origin when neither does.
 */
function publicUrlOf(body: unknown, certified: string | undefined): string {
  const described = (body as { url?: unknown } | null)?.url;
  const candidates = [certified, typeof described === 'string' ? described : undefined];
  for (const url of candidates) {
    try {
      if (url !== undefined && new URL(url).origin === location.origin) return url;
    } catch {
      // not a URL: try the next
    }
  }
  return location.origin;
}

/** This browser's enrolled device, if any. */
export function enrolledDevice(): Promise<DeviceRecord | undefined> {
  return loadDevice();
}

export interface EnrollInput {
  readonly user: string;
  readonly code: string;
  /** The organisation root fingerprint the officer gave out of band; without it the node's is pinned on first use. */
  readonly rootFingerprint?: string;
}

/**
 * Enrolls this browser: checks the node against the root (pinned now), makes the device keys here, creates the
 * passkey with the one-time code, files the pending enrollment signed by the new key, seals the seeds under the
 * passkey's PRF and signs in. The device is pending until approved.
 */
export async function enrollBrowser(input: EnrollInput): Promise<Unlocked> {
  const user = parseUserId(input.user.trim().toLowerCase());
  const open = nodeHttp(location.origin, null);
  const body = await open.get('/api/v1/node');
  const pinned = input.rootFingerprint?.replace(/[\s:-]/g, '').toLowerCase() || null;
  const node = await verifiedNodeOf(webProvider, body, location.origin, pinned, Date.now());
  const device = `web-${toHex(crypto.getRandomValues(new Uint8Array(4)))}` as DeviceId;
  const keys = await generateDeviceKeys(webProvider, user, device, node.name);
  try {
    const url = publicUrlOf(body, node.certificate.url);
    const code = input.code.trim().toUpperCase();
    const credential = await createPasskey(open, { user, device, code });
    const signed = nodeHttp(url, { user, device, signingSeed: keys.signingSeed });
    await signed.post('/api/v1/web/registration', {
      user, device, signingKey: toBase64(keys.signingKey), encryptionKey: toBase64(keys.encryptionKey), code, credential,
    });
    const prfSalt = crypto.getRandomValues(new Uint8Array(SALT_LENGTH));
    const assertion = await loginAssertion(open, user, credential.id, prfSalt);
    const key = await wrappingKey(assertion.prf, prfSalt);
    const sealed = await sealSeeds(key, keys.signingSeed, keys.encryptionSeed, label({ user, device, node: node.name }));
    const record: DeviceRecord = {
      version: 1, user, device, node: node.name, url, rootFingerprint: node.fingerprint, logKeyFingerprint: node.log.fingerprint,
      credentialId: credential.id, prfSalt, fingerprint: deviceFingerprint(webProvider, keys.signingKey, keys.encryptionKey), enrolledAt: Date.now(), ...sealed,
    };
    await saveDevice(record);
    // From the next page load on, the service worker runs only a bundle the root signed and the log recorded
    // (docs/web-integrity.md), pinned to what this device just pinned.
    const guard = await installIntegrityGuard({ rootFingerprint: node.fingerprint, logKeyFingerprint: node.log.fingerprint });
    if (!guard.ok) throw new Error(`the integrity guard of this browser is pinned to another organisation root or log: ${guard.error ?? 'refused'}`);
    return await signIn(record, keys, assertion.credential);
  } finally {
    wipeDeviceKeys(keys);
  }
}

/** Signs in with this browser's device: one passkey assertion unseals the keys and opens the node's session. */
export async function unlockBrowser(): Promise<Unlocked> {
  const record = await loadDevice();
  if (!record) throw new Error('this browser has no Chancery device: enroll it first');
  const open = nodeHttp(location.origin, null);
  const assertion = await loginAssertion(open, record.user, record.credentialId, record.prfSalt);
  const key = await wrappingKey(assertion.prf, record.prfSalt);
  const seeds = await unsealSeeds(key, record, label(record));
  const material = { user: record.user, device: record.device, node: record.node, ...seeds };
  try {
    const keys = await deviceKeysFromMaterial(webProvider, material);
    try {
      return await signIn(record, keys, assertion.credential);
    } finally {
      wipeDeviceKeys(keys);
    }
  } finally {
    wipe(seeds.signingSeed, seeds.encryptionSeed);
  }
}

async function signIn(record: DeviceRecord, keys: DeviceKeys, credential: unknown): Promise<Unlocked> {
  const open = nodeHttp(location.origin, null);
  const answer = (await open.post('/api/v1/web/login', { user: record.user, credential })) as { status?: unknown };
  const signOut = async () => {
    await open.post('/api/v1/web/logout', {}).catch(() => undefined);
  };
  if (answer.status !== 'approved') return { kind: 'pending', record, signOut };
  const session = await openSession(webProvider, keys, {
    url: record.url,
    rootFingerprint: record.rootFingerprint,
    logKeyFingerprint: record.logKeyFingerprint,
    logMemory: await checkpointMemory(record.logKeyFingerprint),
    fetch: sameOriginFetch,
  });
  const device: WebDevice = {
    record,
    session,
    async stepUp() {
      const assertion = await stepUpAssertion(open, record.credentialId, record.prfSalt);
      wipe(assertion.prf);
      await open.post('/api/v1/web/step-up', { credential: assertion.credential });
    },
    async signOut() {
      session.close();
      await signOut();
    },
  };
  return { kind: 'ready', device };
}

/** Forgets this browser's device (after a revocation, or to enroll anew). */
export { forgetDevice };
