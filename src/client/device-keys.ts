// A device's own keys: an Ed25519 signing seed (request signatures, cable roles, approvals) and an X-Wing seed
// (grants and release shares are sealed to it). Seeds are the secrets; public keys are re-derived, never stored.
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import { toHex, wipe } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing, xwingKeyPairFromSeed } from '../crypto/xwing.ts';

/** Length of each seed. */
export const DEVICE_SEED_LENGTH = 32;

/** What a device key file holds: who the device is and its two seeds. */
export interface DeviceKeyMaterial {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly node: NodeName;
  /** Ed25519 seed (RFC 8032 §5.1.5). */
  readonly signingSeed: Uint8Array;
  /** X-Wing secret key (its 32-byte seed). */
  readonly encryptionSeed: Uint8Array;
}

/** The key material with its public halves, as a device record carries them (docs/keys.md). */
export interface DeviceKeys extends DeviceKeyMaterial {
  /** Ed25519 public key, 32 bytes. */
  readonly signingKey: Uint8Array;
  /** X-Wing public key, 1216 bytes. */
  readonly encryptionKey: Uint8Array;
}

/**
 * Derives the public keys of existing seeds (after `readKeyFile`, for instance). The seeds are copied, so the
 * caller may wipe its own. Throws RangeError for a seed that is not 32 bytes.
 *
 * @example
 * const keys = await deviceKeysFromMaterial(p, await readKeyFile(path, passphrase));
 */
export async function deviceKeysFromMaterial(p: CryptoProvider, material: DeviceKeyMaterial): Promise<DeviceKeys> {
  const { user, device, node } = material;
  const signingKey = await p.ed25519PublicKey(material.signingSeed);
  const pair = await xwingKeyPairFromSeed(p, material.encryptionSeed);
  if (pair.publicKey.length !== XWing.publicKeyLength) throw new RangeError('X-Wing public key has the wrong length');
  return {
    user,
    device,
    node,
    signingSeed: material.signingSeed.slice(),
    encryptionSeed: pair.secretKey,
    signingKey,
    encryptionKey: pair.publicKey,
  };
}

/**
 * Generates a device's keys from the provider's random source.
 *
 * @example
 * const keys = await generateDeviceKeys(p, parseUserId('anna.schmidt'), parseDeviceId('d-0042-1'), parseNodeName('MFA.CY'));
 * await writeKeyFile(path, keys, passphrase);
 * wipeDeviceKeys(keys);
 */
export async function generateDeviceKeys(p: CryptoProvider, user: UserId, device: DeviceId, node: NodeName): Promise<DeviceKeys> {
  const signingSeed = p.randomBytes(DEVICE_SEED_LENGTH);
  const encryptionSeed = p.randomBytes(DEVICE_SEED_LENGTH);
  try {
    return await deviceKeysFromMaterial(p, { user, device, node, signingSeed, encryptionSeed });
  } finally {
    wipe(signingSeed, encryptionSeed);
  }
}

/** Overwrites both seeds once the keys are no longer needed. */
export function wipeDeviceKeys(keys: DeviceKeyMaterial): void {
  wipe(keys.signingSeed, keys.encryptionSeed);
}

/**
 * A device's public-key fingerprint for comparing by eye at in-person enrollment: SHA-256 over both public keys,
 * first 80 bits as five groups of four hex digits.
 */
export function deviceFingerprint(p: CryptoProvider, signingKey: Uint8Array, encryptionKey: Uint8Array): string {
  const digest = p.sha256(new Uint8Array([...signingKey, ...encryptionKey]));
  return (toHex(digest.subarray(0, 10)).match(/.{4}/g) ?? []).join('-');
}
