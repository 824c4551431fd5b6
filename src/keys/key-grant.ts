// A key grant: one office epoch's private key (the 32-byte X-Wing seed) HPKE-sealed to one device's encryption key,
// signed by whoever issued it — one or two security officers, or (re-sealing) another device of the same user
// (DESIGN.md "Keys, trust and the ghost-device defence"). This file is the record; sealing and opening are in
// grant-seal.ts, the chain check in grant-chain.ts.
import type { Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { parseDeviceId, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing } from '../crypto/xwing.ts';
import { VerificationError } from '../errors.ts';
import { ED25519_SIGNATURE_LENGTH, signEd25519Record, verifyEd25519Record } from './ed25519-records.ts';
import type { Fields } from '../encoding/fields.ts';
import { Labels } from './labels.ts';
import { KEY_HASH_LENGTH } from './office-epoch.ts';
import { decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';

/** AES-256-GCM ciphertext of the 32-byte epoch seed: seed ‖ 16-byte tag. */
export const GRANT_CIPHERTEXT_LENGTH = XWing.secretKeyLength + 16;
/** Officers who may jointly issue one grant (two for the levels that will require it). */
export const MAX_GRANT_OFFICERS = 2;

/** Who issued a grant: officers (signatures in this order), or the same user's existing device re-sealing. */
export type GrantIssuer =
  | { readonly kind: 'officer'; readonly officers: readonly UserId[] }
  | { readonly kind: 'device'; readonly device: DeviceId };

/**
 * - `office`, `level`, `epoch`, `keyHash`: the epoch whose key is sealed (`keyHash` = SHA-256 of its public key).
 * - `user`, `device`: the recipient device.
 * - `enc`, `cipherText`: the HPKE (CHANCERY_SUITE) output; `info` binds all of the above (grant-seal.ts).
 * - `signatures`: one Ed25519 signature per issuer, in issuer order.
 */
export interface KeyGrant {
  readonly office: OfficeCode;
  readonly level: Classification;
  readonly epoch: number;
  readonly keyHash: Uint8Array;
  readonly user: UserId;
  readonly device: DeviceId;
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
  readonly issuedAt: UnixMillis;
  readonly issuer: GrantIssuer;
  readonly signatures: readonly Uint8Array[];
}

export type KeyGrantBody = Omit<KeyGrant, 'signatures'>;

/** How many signatures a grant with this issuer carries. */
export function issuerCount(issuer: GrantIssuer): number {
  return issuer.kind === 'officer' ? issuer.officers.length : 1;
}

function issuerFromFields(f: Fields): GrantIssuer {
  const kind = f.map('issuer', ['kind'], ['officers', 'device']).oneOf('kind', ['officer', 'device'] as const);
  if (kind === 'device') return { kind, device: f.map('issuer', ['kind', 'device']).id('device', parseDeviceId) };
  return { kind, officers: f.map('issuer', ['kind', 'officers']).idList('officers', 1, MAX_GRANT_OFFICERS, parseUserId) };
}

const spec: RecordSpec<KeyGrantBody> = {
  what: 'key-grant',
  label: Labels.keyGrant,
  maxBytes: 2048 + XWing.cipherTextLength + MAX_GRANT_OFFICERS * (ED25519_SIGNATURE_LENGTH + 2),
  required: ['office', 'level', 'epoch', 'keyHash', 'user', 'device', 'enc', 'cipherText', 'issuedAt', 'issuer'],
  optional: [],
  toCbor: (b) => ({
    office: b.office,
    level: b.level,
    epoch: b.epoch,
    keyHash: b.keyHash,
    user: b.user,
    device: b.device,
    enc: b.enc,
    cipherText: b.cipherText,
    issuedAt: b.issuedAt,
    issuer: b.issuer.kind === 'officer' ? { kind: 'officer', officers: [...b.issuer.officers] } : { kind: 'device', device: b.issuer.device },
  }),
  fromFields: (f) => ({
    office: f.id('office', parseOfficeCode),
    level: f.oneOf('level', Classifications),
    epoch: f.uint('epoch'),
    keyHash: f.bytes('keyHash', KEY_HASH_LENGTH),
    user: f.id('user', parseUserId),
    device: f.id('device', parseDeviceId),
    enc: f.bytes('enc', XWing.cipherTextLength),
    cipherText: f.bytes('cipherText', GRANT_CIPHERTEXT_LENGTH),
    issuedAt: f.uint('issuedAt'),
    issuer: issuerFromFields(f),
  }),
};

/**
 * Signs a grant body with every issuer's Ed25519 seed, in issuer order (officers' device keys, or the re-sealing
 * device's signing key). Usually called through `issueGrant` or `resealGrant`.
 *
 * @example
 * ```ts
 * const grant = await signKeyGrant(p, body, [officerSeed]);
 * ```
 */
export async function signKeyGrant(p: CryptoProvider, body: KeyGrantBody, issuerSeeds: readonly Uint8Array[]): Promise<KeyGrant> {
  if (issuerSeeds.length !== issuerCount(body.issuer)) throw new RangeError('key-grant: one signing seed per issuer');
  let clean: KeyGrantBody = body;
  const signatures: Uint8Array[] = [];
  for (const seed of issuerSeeds) {
    const signed = await signEd25519Record(p, spec, body, seed);
    clean = signed.body;
    signatures.push(signed.signature);
  }
  return { ...clean, signatures };
}

/** Canonical CBOR of the grant. */
export function encodeKeyGrant(grant: KeyGrant): Uint8Array {
  if (grant.signatures.length !== issuerCount(grant.issuer)) throw new RangeError('key-grant: one signature per issuer');
  return encodeSigned(spec, grant, [...grant.signatures]);
}

/** Parses a grant; checks shape, canonical form and one signature per issuer, not the signatures themselves. */
export function decodeKeyGrant(bytes: Uint8Array): KeyGrant {
  const { body, sig } = decodeSigned(spec, bytes);
  const count = issuerCount(body.issuer);
  return { ...body, signatures: sig.bytesList('sig', ED25519_SIGNATURE_LENGTH, count, count) };
}

/**
 * Checks each issuer's signature against the matching key, in issuer order (`verify.bad_signature`; a count that
 * does not match is `verify.record_invalid`). Who may issue is `verifyKeyGrant`'s question.
 *
 * @example
 * ```ts
 * await verifyKeyGrantSignatures(p, grant, [officer.signingKey.ed25519]);
 * ```
 */
export async function verifyKeyGrantSignatures(p: CryptoProvider, grant: KeyGrant, issuerKeys: readonly Uint8Array[]): Promise<void> {
  const count = issuerCount(grant.issuer);
  if (grant.signatures.length !== count || issuerKeys.length !== count) {
    throw new VerificationError('verify.record_invalid', 'key-grant: one signature and one key per issuer');
  }
  for (let i = 0; i < count; i++) await verifyEd25519Record(p, spec, grant, grant.signatures[i]!, issuerKeys[i]!);
}
