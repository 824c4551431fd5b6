// An office's key for one classification level and one epoch, certified by a security officer of the office's node.
// Senders wrap content keys (the first share s1) to `publicKey`; the recipient manifest names it by `keyHash`
// (DESIGN.md "The envelope" steps 3 and 5). The private key is the 32-byte X-Wing seed, held only by members'
// devices through key grants.
import type { Classification, NodeName, OfficeCode, UserId } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { parseNodeName, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { checkLength } from '../crypto/checks.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing } from '../crypto/xwing.ts';
import { ED25519_SIGNATURE_LENGTH, signEd25519Record, verifyEd25519Record } from './ed25519-records.ts';
import { Labels } from './labels.ts';
import { decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';

/** Length of `keyHash` (SHA-256). */
export const KEY_HASH_LENGTH = 32;

/**
 * - `node`: the node hosting `office`; the certifying officer's scope must be this node.
 * - `epoch`: counts from 0 per (office, level); a closed epoch is never reopened.
 * - `publicKey`: X-Wing public key (1216 bytes).
 * - `certifiedBy`: the officer whose device key signed the record.
 */
export interface OfficeEpoch {
  readonly office: OfficeCode;
  readonly node: NodeName;
  readonly level: Classification;
  readonly epoch: number;
  readonly publicKey: Uint8Array;
  readonly openedAt: UnixMillis;
  readonly certifiedBy: UserId;
  readonly signature: Uint8Array;
}

export type OfficeEpochBody = Omit<OfficeEpoch, 'signature'>;

const spec: RecordSpec<OfficeEpochBody> = {
  what: 'office-epoch',
  label: Labels.officeEpoch,
  maxBytes: 2048 + XWing.publicKeyLength,
  required: ['office', 'node', 'level', 'epoch', 'publicKey', 'openedAt', 'certifiedBy'],
  optional: [],
  toCbor: (b) => ({
    office: b.office,
    node: b.node,
    level: b.level,
    epoch: b.epoch,
    publicKey: b.publicKey,
    openedAt: b.openedAt,
    certifiedBy: b.certifiedBy,
  }),
  fromFields: (f) => ({
    office: f.id('office', parseOfficeCode),
    node: f.id('node', parseNodeName),
    level: f.oneOf('level', Classifications),
    epoch: f.uint('epoch'),
    publicKey: f.bytes('publicKey', XWing.publicKeyLength),
    openedAt: f.uint('openedAt'),
    certifiedBy: f.id('certifiedBy', parseUserId),
  }),
};

/**
 * SHA-256 of an X-Wing public key: how the envelope's recipient manifest and key grants name an epoch key.
 *
 * @example
 * ```ts
 * const hash = keyHash(p, epoch.publicKey);
 * ```
 */
export function keyHash(p: CryptoProvider, publicKey: Uint8Array): Uint8Array {
  checkLength('X-Wing public key', publicKey, XWing.publicKeyLength);
  return p.sha256(publicKey);
}

/**
 * Certifies an epoch with the officer's device seed (the key in the officer's certificate).
 *
 * @example
 * ```ts
 * const epoch = await signOfficeEpoch(p, { office, node, level: 'CONFIDENTIAL', epoch: 0, publicKey, openedAt, certifiedBy: officer }, officerSeed);
 * ```
 */
export async function signOfficeEpoch(p: CryptoProvider, body: OfficeEpochBody, officerSeed: Uint8Array): Promise<OfficeEpoch> {
  const signed = await signEd25519Record(p, spec, body, officerSeed);
  return { ...signed.body, signature: signed.signature };
}

/** Canonical CBOR of the record. */
export function encodeOfficeEpoch(epoch: OfficeEpoch): Uint8Array {
  return encodeSigned(spec, epoch, epoch.signature);
}

/** Parses an office epoch; checks shape and canonical form, not the signature. */
export function decodeOfficeEpoch(bytes: Uint8Array): OfficeEpoch {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: sig.bytes('sig', ED25519_SIGNATURE_LENGTH) };
}

/** Checks the officer's signature only (`verify.bad_signature`); the chain is `verifyEpochChain`'s job. */
export async function verifyOfficeEpoch(p: CryptoProvider, epoch: OfficeEpoch, officerPublicKey: Uint8Array): Promise<void> {
  await verifyEd25519Record(p, spec, epoch, epoch.signature, officerPublicKey);
}
