// A device's key record: the device's own Ed25519 signing key and X-Wing encryption key (grants and release shares
// are sealed to it), approved either by a security officer after in-person enrollment or by an existing device of
// the same user (DESIGN.md "Keys, trust and the ghost-device defence"). The approver signs the record.
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import { parseDeviceId, parseNodeName, parseUserId } from '../cable/ids.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing } from '../crypto/xwing.ts';
import { ED25519_PUBLIC_LENGTH, ED25519_SIGNATURE_LENGTH, signEd25519Record, verifyEd25519Record } from './ed25519-records.ts';
import type { Fields } from '../encoding/fields.ts';
import { Labels } from './labels.ts';
import { decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';

/**
 * Who approved a device: a security officer of its node, or another device of the same user. An officer approves
 * with the key their certificate names, or — `device` set — with one of their own approved devices (a browser:
 * docs/decisions/019-browser-device-passkey-prf.md); `device` is encoded only when set, so older records keep their bytes.
 */
export type DeviceApproval =
  | { readonly kind: 'officer'; readonly officer: UserId; readonly device?: DeviceId }
  | { readonly kind: 'device'; readonly device: DeviceId };

/**
 * - `node`: the node where `user` is enrolled.
 * - `signingKey`: Ed25519 public key (32 bytes) — signs cable roles, reads, approvals of the user's next device.
 * - `encryptionKey`: X-Wing public key (1216 bytes) — key grants and release shares are sealed to it.
 * - `signature`: the approver's Ed25519 signature (the officer certificate's key, the officer's approving device's
 *   key when `approval.device` is set, or the approving device's key).
 */
export interface DeviceRecord {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly node: NodeName;
  readonly signingKey: Uint8Array;
  readonly encryptionKey: Uint8Array;
  readonly createdAt: UnixMillis;
  readonly approval: DeviceApproval;
  readonly signature: Uint8Array;
}

export type DeviceRecordBody = Omit<DeviceRecord, 'signature'>;

function approvalFromFields(f: Fields): DeviceApproval {
  const kind = f.map('approval', ['kind'], ['officer', 'device']).oneOf('kind', ['officer', 'device'] as const);
  if (kind === 'officer') {
    const m = f.map('approval', ['kind', 'officer'], ['device']);
    const officer = m.id('officer', parseUserId);
    return m.has('device') ? { kind, officer, device: m.id('device', parseDeviceId) } : { kind, officer };
  }
  return { kind, device: f.map('approval', ['kind', 'device']).id('device', parseDeviceId) };
}

function approvalToCbor(a: DeviceApproval): Record<string, string> {
  if (a.kind === 'device') return { kind: 'device', device: a.device };
  return a.device === undefined ? { kind: 'officer', officer: a.officer } : { kind: 'officer', officer: a.officer, device: a.device };
}

const spec: RecordSpec<DeviceRecordBody> = {
  what: 'device-record',
  label: Labels.deviceRecord,
  maxBytes: 2048 + XWing.publicKeyLength,
  required: ['user', 'device', 'node', 'signingKey', 'encryptionKey', 'createdAt', 'approval'],
  optional: [],
  toCbor: (b) => ({
    user: b.user,
    device: b.device,
    node: b.node,
    signingKey: b.signingKey,
    encryptionKey: b.encryptionKey,
    createdAt: b.createdAt,
    approval: approvalToCbor(b.approval),
  }),
  fromFields: (f) => ({
    user: f.id('user', parseUserId),
    device: f.id('device', parseDeviceId),
    node: f.id('node', parseNodeName),
    signingKey: f.bytes('signingKey', ED25519_PUBLIC_LENGTH),
    encryptionKey: f.bytes('encryptionKey', XWing.publicKeyLength),
    createdAt: f.uint('createdAt'),
    approval: approvalFromFields(f),
  }),
};

/**
 * Signs a device record with the approver's Ed25519 seed: the officer's device key for `kind: 'officer'`, the
 * approving device's signing seed for `kind: 'device'`.
 *
 * @example
 * ```ts
 * const record = await signDeviceRecord(p, { user, device, node, signingKey, encryptionKey, createdAt, approval: { kind: 'device', device: laptop } }, laptopSeed);
 * ```
 */
export async function signDeviceRecord(p: CryptoProvider, body: DeviceRecordBody, approverSeed: Uint8Array): Promise<DeviceRecord> {
  const signed = await signEd25519Record(p, spec, body, approverSeed);
  return { ...signed.body, signature: signed.signature };
}

/** Canonical CBOR of the record. */
export function encodeDeviceRecord(record: DeviceRecord): Uint8Array {
  return encodeSigned(spec, record, record.signature);
}

/** Parses a device record; checks shape and canonical form, not the signature. */
export function decodeDeviceRecord(bytes: Uint8Array): DeviceRecord {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: sig.bytes('sig', ED25519_SIGNATURE_LENGTH) };
}

/**
 * Checks the approver's signature only (`verify.bad_signature`). Whether the approver may approve is
 * `verifyDeviceChain`'s question.
 *
 * @example
 * ```ts
 * await verifyDeviceRecord(p, record, officerCert.signingKey.ed25519);
 * ```
 */
export async function verifyDeviceRecord(p: CryptoProvider, record: DeviceRecord, approverPublicKey: Uint8Array): Promise<void> {
  await verifyEd25519Record(p, spec, record, record.signature, approverPublicKey);
}
