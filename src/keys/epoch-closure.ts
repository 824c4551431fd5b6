// The closure of an office epoch: after it, senders refuse to wrap to that epoch's key (DESIGN.md "The envelope"
// step 3: a member leaves, a device is revoked or a clearance is lowered). Signed by an officer of the office's node.
import type { Classification, NodeName, OfficeCode, UserId } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { parseNodeName, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { ED25519_SIGNATURE_LENGTH, signEd25519Record, verifyEd25519Record } from './ed25519-records.ts';
import { Labels } from './labels.ts';
import type { OfficeEpoch } from './office-epoch.ts';
import { decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';

/** Why an epoch closed. */
export const ClosureReasons = ['member-left', 'device-revoked', 'clearance-lowered', 'rotation', 'compromise'] as const;
export type ClosureReason = (typeof ClosureReasons)[number];

/** Names the epoch by (office, node, level, epoch); `closedBy` is the officer whose device key signed. */
export interface EpochClosure {
  readonly office: OfficeCode;
  readonly node: NodeName;
  readonly level: Classification;
  readonly epoch: number;
  readonly closedAt: UnixMillis;
  readonly reason: ClosureReason;
  readonly closedBy: UserId;
  readonly signature: Uint8Array;
}

export type EpochClosureBody = Omit<EpochClosure, 'signature'>;

const spec: RecordSpec<EpochClosureBody> = {
  what: 'epoch-closure',
  label: Labels.epochClosure,
  maxBytes: 2048,
  required: ['office', 'node', 'level', 'epoch', 'closedAt', 'reason', 'closedBy'],
  optional: [],
  toCbor: (b) => ({
    office: b.office,
    node: b.node,
    level: b.level,
    epoch: b.epoch,
    closedAt: b.closedAt,
    reason: b.reason,
    closedBy: b.closedBy,
  }),
  fromFields: (f) => ({
    office: f.id('office', parseOfficeCode),
    node: f.id('node', parseNodeName),
    level: f.oneOf('level', Classifications),
    epoch: f.uint('epoch'),
    closedAt: f.uint('closedAt'),
    reason: f.oneOf('reason', ClosureReasons),
    closedBy: f.id('closedBy', parseUserId),
  }),
};

/**
 * Signs a closure with the officer's device seed.
 *
 * @example
 * ```ts
 * const closure = await signEpochClosure(p, { office, node, level, epoch: 3, closedAt: Date.now(), reason: 'member-left', closedBy: officer }, officerSeed);
 * ```
 */
export async function signEpochClosure(p: CryptoProvider, body: EpochClosureBody, officerSeed: Uint8Array): Promise<EpochClosure> {
  const signed = await signEd25519Record(p, spec, body, officerSeed);
  return { ...signed.body, signature: signed.signature };
}

/** Canonical CBOR of the record. */
export function encodeEpochClosure(closure: EpochClosure): Uint8Array {
  return encodeSigned(spec, closure, closure.signature);
}

/** Parses a closure; checks shape and canonical form, not the signature. */
export function decodeEpochClosure(bytes: Uint8Array): EpochClosure {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: sig.bytes('sig', ED25519_SIGNATURE_LENGTH) };
}

/** Checks the officer's signature only (`verify.bad_signature`); the chain is `verifyClosureChain`'s job. */
export async function verifyEpochClosure(p: CryptoProvider, closure: EpochClosure, officerPublicKey: Uint8Array): Promise<void> {
  await verifyEd25519Record(p, spec, closure, closure.signature, officerPublicKey);
}

/** True when `closure` names exactly this epoch (office, node, level and number). */
export function closes(closure: EpochClosureBody, epoch: OfficeEpoch): boolean {
  return closure.office === epoch.office && closure.node === epoch.node && closure.level === epoch.level && closure.epoch === epoch.epoch;
}
