// Enrolling a new device: generate its keys on the device, write them to a passphrase-protected key file, pin the
// node's organisation root (first use, or checked against a fingerprint given out of band) and the audit log key that
// root certified in the node certificate, and file a pending enrollment signed by the new key itself (proof of
// possession). A security officer — or the user's own approved device — approves it afterwards.
import { unlink } from 'node:fs/promises';
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import { toBase64 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { configPathFor, normaliseFingerprint, writeClientConfig } from './config.ts';
import { deviceFingerprint, generateDeviceKeys, wipeDeviceKeys } from './device-keys.ts';
import { createNodeHttp } from './http.ts';
import { writeKeyFile, type KeyFileOptions } from './key-file.ts';
import { fetchVerifiedNode, transportOf, type Transport } from './session.ts';

export { deviceFingerprint };

export interface EnrollInput extends Transport {
  readonly url: string;
  readonly user: UserId;
  readonly device: DeviceId;
  readonly keyFile: string;
  readonly passphrase: string;
  /** The root fingerprint given out of band; without it the node's root is pinned on first use (and printed). */
  readonly rootFingerprint?: string;
  readonly keyFileOptions?: KeyFileOptions;
}

export interface EnrollResult {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly node: NodeName;
  readonly rootFingerprint: string;
  /** True when no fingerprint was given: compare it with the one your security officer shows you. */
  readonly pinnedOnFirstUse: boolean;
  /** Short fingerprint of the device's public keys, read out to the approving officer. */
  readonly deviceFingerprint: string;
  readonly keyFile: string;
  readonly configFile: string;
}

/**
 * Enrolls a new device (see the file comment). Refuses to replace an existing key file (`file.exists`); removes the
 * new files again if the node refuses the enrollment.
 *
 * @example
 * const r = await enrollDevice(p, { url, user: 'anna.schmidt', device: 'd-anna-2', keyFile, passphrase });
 * console.log(r.rootFingerprint, r.deviceFingerprint);
 */
export async function enrollDevice(p: CryptoProvider, input: EnrollInput): Promise<EnrollResult> {
  const pinned = input.rootFingerprint === undefined ? null : normaliseFingerprint(input.rootFingerprint);
  const node = await fetchVerifiedNode(p, createNodeHttp(p, { url: input.url, signer: null, ...transportOf(input) }), pinned);
  const keys = await generateDeviceKeys(p, input.user, input.device, node.name);
  try {
    await writeKeyFile(input.keyFile, keys, input.passphrase, input.keyFileOptions);
    try {
      // The log key pinned is the one the root certified (fetchVerifiedNode refuses a node serving another), so a
      // hostile node at enrollment cannot slip in a log key of its own (docs/node.md "The audit log").
      await writeClientConfig(input.keyFile, { node: node.name, url: input.url, rootFingerprint: node.fingerprint, logKeyFingerprint: node.log.fingerprint });
      const http = createNodeHttp(p, { url: input.url, signer: { user: keys.user, device: keys.device, signingSeed: keys.signingSeed }, ...transportOf(input) });
      await http.post('/api/v1/enrollments', {
        user: keys.user,
        device: keys.device,
        signingKey: toBase64(keys.signingKey),
        encryptionKey: toBase64(keys.encryptionKey),
      });
    } catch (error) {
      await unlink(input.keyFile).catch(() => undefined);
      await unlink(configPathFor(input.keyFile)).catch(() => undefined);
      throw error;
    }
    return {
      user: keys.user,
      device: keys.device,
      node: node.name,
      rootFingerprint: node.fingerprint,
      pinnedOnFirstUse: pinned === null,
      deviceFingerprint: deviceFingerprint(p, keys.signingKey, keys.encryptionKey),
      keyFile: input.keyFile,
      configFile: configPathFor(input.keyFile),
    };
  } finally {
    wipeDeviceKeys(keys);
  }
}
