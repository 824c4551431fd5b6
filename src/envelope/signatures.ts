// Role-labelled cable signatures (envelope step 5): each covers the role and the digest of the sealed header,
// which in turn covers the routing header, the manifest, the commitment and the ciphertext digest.
import type { DeviceId, UserId } from '../cable/types.ts';
import { concatBytes, utf8 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { LabelBytes, type Role } from './format.ts';

/** What a device signs for `role`: label ‖ 0 ‖ role ‖ 0 ‖ SHA-256(header bytes). */
export function signatureMessage(p: CryptoProvider, role: Role, headerBytes: Uint8Array): Uint8Array {
  return concatBytes(LabelBytes.signature, Uint8Array.of(0), utf8(role), Uint8Array.of(0), p.sha256(headerBytes));
}

/**
 * A device able to sign for a role. The private key stays behind `sign` (in a key file, WebCrypto, or a
 * hardware token); the envelope code never sees it.
 */
export interface CableSigner {
  readonly role: Role;
  readonly user: UserId;
  readonly device: DeviceId;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A signer over an Ed25519 seed held in memory (CLI key files, tests). */
export function ed25519Signer(p: CryptoProvider, role: Role, user: UserId, device: DeviceId, seed: Uint8Array): CableSigner {
  const key = seed.slice();
  return { role, user, device, sign: (message) => p.ed25519Sign(key, message) };
}

/** Looks up a signing device's Ed25519 public key; throws VerificationError('verify.untrusted_key') if unknown. */
export type SignerKeyResolver = (user: UserId, device: DeviceId, role: Role) => Promise<Uint8Array> | Uint8Array;
