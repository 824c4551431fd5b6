// Sealing an office epoch's private key to a device and opening it again (DESIGN.md "The envelope" step 3, "Keys,
// trust and the ghost-device defence"). HPKE with CHANCERY_SUITE; `info` binds the grant to one office, level,
// epoch key and one device of one user, so a grant moved to anything else fails to open.
import type { Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { equalBytes, wipe } from '../bytes.ts';
import { checkLength } from '../crypto/checks.ts';
import { CHANCERY_SUITE, hpkeOpen, hpkeSeal } from '../crypto/hpke.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing, xwingKeyPairFromSeed } from '../crypto/xwing.ts';
import { encodeCanonical } from '../encoding/canonical-cbor.ts';
import { VerificationError } from '../errors.ts';
import type { DeviceRecord } from './device-record.ts';
import type { VerifiedDevice } from './device-chain.ts';
import type { VerifiedEpoch } from './epoch-chain.ts';
import { signKeyGrant, type GrantIssuer, type KeyGrant } from './key-grant.ts';
import { Labels } from './labels.ts';
import type { UnixMillis } from './validity.ts';

const NO_AAD = new Uint8Array(0);

/** The X-Wing public key of a seed, wiping the copy of the seed the derivation hands back. */
async function publicKeyOfSeed(p: CryptoProvider, secret: Uint8Array): Promise<Uint8Array> {
  const pair = await xwingKeyPairFromSeed(p, secret);
  wipe(pair.secretKey);
  return pair.publicKey;
}

/** What a grant's HPKE `info` binds. */
export interface GrantBinding {
  readonly office: OfficeCode;
  readonly level: Classification;
  readonly epoch: number;
  readonly keyHash: Uint8Array;
  readonly user: UserId;
  readonly device: DeviceId;
}

/**
 * The HPKE `info` of a grant: canonical CBOR of `{ label: 'chancery/v1 key-grant', office, level, epoch, keyHash,
 * device, user }`.
 *
 * @example
 * ```ts
 * const info = grantInfo(grant);
 * ```
 */
export function grantInfo(b: GrantBinding): Uint8Array {
  return encodeCanonical({
    label: Labels.keyGrantInfo,
    office: b.office,
    level: b.level,
    epoch: b.epoch,
    keyHash: b.keyHash,
    device: b.device,
    user: b.user,
  });
}

interface SealInput {
  readonly epochSecret: Uint8Array;
  readonly epoch: VerifiedEpoch;
  readonly recipient: DeviceRecord;
  readonly issuer: GrantIssuer;
  readonly issuerSeeds: readonly Uint8Array[];
  readonly issuedAt: UnixMillis;
}

async function sealGrant(p: CryptoProvider, input: SealInput): Promise<KeyGrant> {
  const { epoch } = input.epoch;
  const binding: GrantBinding = {
    office: epoch.office,
    level: epoch.level,
    epoch: epoch.epoch,
    keyHash: input.epoch.keyHash,
    user: input.recipient.user,
    device: input.recipient.device,
  };
  const sealed = await hpkeSeal(p, CHANCERY_SUITE, input.recipient.encryptionKey, grantInfo(binding), NO_AAD, input.epochSecret);
  return signKeyGrant(p, { ...binding, enc: sealed.enc, cipherText: sealed.cipherText, issuedAt: input.issuedAt, issuer: input.issuer }, input.issuerSeeds);
}

/** One issuing officer: the user id in their certificate and their device's Ed25519 seed. */
export interface GrantOfficer {
  readonly user: UserId;
  readonly signingSeed: Uint8Array;
}

export interface IssueGrantInput {
  /** The epoch's X-Wing private key (32-byte seed); not wiped here — it belongs to the caller. */
  readonly epochSecret: Uint8Array;
  readonly epoch: VerifiedEpoch;
  /** The device receiving the key; its chain must have been verified. */
  readonly recipient: VerifiedDevice;
  /** One or two officers, signing in this order. */
  readonly officers: readonly GrantOfficer[];
  readonly issuedAt: UnixMillis;
}

/**
 * A security officer's grant of an epoch key to a verified device. Refuses (RangeError) an `epochSecret` that is
 * not the epoch's key. Whether the recipient's user may hold the level (clearance, membership) is policy's
 * question, asked by the caller first.
 *
 * @example
 * ```ts
 * const grant = await issueGrant(p, { epochSecret, epoch, recipient, officers: [{ user: officerId, signingSeed }], issuedAt: Date.now() });
 * ```
 */
export async function issueGrant(p: CryptoProvider, input: IssueGrantInput): Promise<KeyGrant> {
  checkLength('epoch secret', input.epochSecret, XWing.secretKeyLength);
  if (!equalBytes(await publicKeyOfSeed(p, input.epochSecret), input.epoch.epoch.publicKey)) throw new RangeError('epochSecret is not the private key of this epoch');
  return sealGrant(p, {
    epochSecret: input.epochSecret,
    epoch: input.epoch,
    recipient: input.recipient.record,
    issuer: { kind: 'officer', officers: input.officers.map((o) => o.user) },
    issuerSeeds: input.officers.map((o) => o.signingSeed),
    issuedAt: input.issuedAt,
  });
}

/**
 * Opens a grant with the device's X-Wing secret (32-byte seed) and returns the epoch's private key; the caller
 * wipes it after use. The grant must name `epoch` (`verify.record_invalid`), HPKE must open under the grant's own
 * binding (`crypto.decrypt_failed`), and the opened seed's public key must be the epoch's (`verify.untrusted_key`).
 * The issuers' signatures are `verifyKeyGrant`'s job.
 *
 * @example
 * ```ts
 * const epochSecret = await openGrant(p, grant, epoch, deviceEncryptionSecret);
 * try { … } finally { wipe(epochSecret); }
 * ```
 */
export async function openGrant(p: CryptoProvider, grant: KeyGrant, epoch: VerifiedEpoch, deviceEncryptionSecret: Uint8Array): Promise<Uint8Array> {
  checkLength('device encryption secret', deviceEncryptionSecret, XWing.secretKeyLength);
  const e = epoch.epoch;
  if (grant.office !== e.office || grant.level !== e.level || grant.epoch !== e.epoch || !equalBytes(grant.keyHash, epoch.keyHash)) {
    throw new VerificationError('verify.record_invalid', 'key-grant: not a grant for this epoch');
  }
  const seed = await hpkeOpen(p, CHANCERY_SUITE, deviceEncryptionSecret, { enc: grant.enc, cipherText: grant.cipherText }, grantInfo(grant), NO_AAD);
  if (seed.length !== XWing.secretKeyLength) {
    wipe(seed);
    throw new VerificationError('verify.untrusted_key', 'key-grant: sealed value is not an epoch key');
  }
  if (!equalBytes(await publicKeyOfSeed(p, seed), e.publicKey)) {
    wipe(seed);
    throw new VerificationError('verify.untrusted_key', 'key-grant: sealed key is not the epoch key');
  }
  return seed;
}

/** The device re-sealing a grant it holds: its record and its own secrets. */
export interface GrantHolder {
  readonly record: DeviceRecord;
  readonly encryptionSecret: Uint8Array;
  readonly signingSeed: Uint8Array;
}

export interface ResealGrantInput {
  /** A grant to `holder`. */
  readonly grant: KeyGrant;
  readonly epoch: VerifiedEpoch;
  readonly holder: GrantHolder;
  /** The same user's newly approved device; its chain must have been verified. */
  readonly recipient: VerifiedDevice;
  readonly issuedAt: UnixMillis;
}

/**
 * A member's existing device passes a grant it holds to the same user's newly approved device: it can pass on
 * nothing more than it can open. Refuses (`verify.untrusted_key`) a grant that is not the holder's, and a recipient
 * of another user or node, or the holder itself.
 *
 * @example
 * ```ts
 * const forPhone = await resealGrant(p, { grant, epoch, holder: { record: laptop, encryptionSecret, signingSeed }, recipient: phone, issuedAt: Date.now() });
 * ```
 */
export async function resealGrant(p: CryptoProvider, input: ResealGrantInput): Promise<KeyGrant> {
  const { grant, holder } = input;
  const recipient = input.recipient.record;
  if (grant.user !== holder.record.user || grant.device !== holder.record.device) {
    throw new VerificationError('verify.untrusted_key', 'key-grant: the grant is not held by this device');
  }
  if (recipient.user !== holder.record.user || recipient.node !== holder.record.node) {
    throw new VerificationError('verify.untrusted_key', "key-grant: may be re-sealed only to the same user's devices");
  }
  if (recipient.device === holder.record.device) throw new VerificationError('verify.untrusted_key', 'key-grant: recipient is the holder');
  const epochSecret = await openGrant(p, grant, input.epoch, holder.encryptionSecret);
  try {
    return await sealGrant(p, {
      epochSecret,
      epoch: input.epoch,
      recipient,
      issuer: { kind: 'device', device: holder.record.device },
      issuerSeeds: [holder.signingSeed],
      issuedAt: input.issuedAt,
    });
  } finally {
    wipe(epochSecret);
  }
}
