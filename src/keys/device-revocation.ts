// The end of a device key (DESIGN.md "Keys, trust and the ghost-device defence"): a record, signed by a security
// officer of the device's node or by an approved device of the same user, saying that from `revokedAt` on the
// device signs nothing and receives nothing. What it approved before then stands (docs/keys.md "Device revocation").
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import { parseDeviceId, parseNodeName, parseUserId } from '../cable/ids.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { Fields } from '../encoding/fields.ts';
import { InternalError, VerificationError } from '../errors.ts';
import { verifyDeviceChain, type DeviceChainInput, type VerifiedDevice } from './device-chain.ts';
import type { DeviceRecord } from './device-record.ts';
import { ED25519_SIGNATURE_LENGTH, signEd25519Record, verifyEd25519Record } from './ed25519-records.ts';
import { checkOfficerActsFor } from './epoch-chain.ts';
import { Labels } from './labels.ts';
import { verifyOfficerCertificate, type OfficerCertificate, type OfficerVerifier, type VerifiedOfficer } from './officer-certificate.ts';
import type { PinnedRoot } from './organisation-root.ts';
import { decodeSigned, encodeSigned, type RecordSpec } from './record.ts';
import type { UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

/** Who revoked a device: a security officer of its node, or an approved device of the same user (itself included). */
export type RevokedBy =
  | { readonly kind: 'officer'; readonly officer: UserId }
  | { readonly kind: 'device'; readonly device: DeviceId };

/**
 * - `node`: the node where `user` is enrolled, as in the device record; it names the node whose officers may sign.
 * - `revokedAt`: from this moment on (inclusive) the device is no longer valid.
 * - `signature`: the revoker's Ed25519 signature (the officer certificate's device key, or the revoking device's key).
 */
export interface DeviceRevocation {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly node: NodeName;
  readonly revokedAt: UnixMillis;
  readonly by: RevokedBy;
  readonly signature: Uint8Array;
}

export type DeviceRevocationBody = Omit<DeviceRevocation, 'signature'>;

function revokerFromFields(f: Fields): RevokedBy {
  const kind = f.map('by', ['kind'], ['officer', 'device']).oneOf('kind', ['officer', 'device'] as const);
  if (kind === 'officer') return { kind, officer: f.map('by', ['kind', 'officer']).id('officer', parseUserId) };
  return { kind, device: f.map('by', ['kind', 'device']).id('device', parseDeviceId) };
}

const spec: RecordSpec<DeviceRevocationBody> = {
  what: 'device-revocation',
  label: Labels.deviceRevocation,
  maxBytes: 1024,
  required: ['user', 'device', 'node', 'revokedAt', 'by'],
  optional: [],
  toCbor: (b) => ({
    user: b.user,
    device: b.device,
    node: b.node,
    revokedAt: b.revokedAt,
    by: b.by.kind === 'officer' ? { kind: 'officer', officer: b.by.officer } : { kind: 'device', device: b.by.device },
  }),
  fromFields: (f) => ({
    user: f.id('user', parseUserId),
    device: f.id('device', parseDeviceId),
    node: f.id('node', parseNodeName),
    revokedAt: f.uint('revokedAt'),
    by: revokerFromFields(f),
  }),
};

/**
 * Signs a revocation with the revoker's Ed25519 seed: the officer's device key for `by.kind === 'officer'`, the
 * revoking device's signing seed for `by.kind === 'device'`.
 *
 * @example
 * ```ts
 * const revocation = await signDeviceRevocation(p, { user, device: lostLaptop, node, revokedAt: Date.now(), by: { kind: 'device', device: phone } }, phoneSeed);
 * ```
 */
export async function signDeviceRevocation(p: CryptoProvider, body: DeviceRevocationBody, revokerSeed: Uint8Array): Promise<DeviceRevocation> {
  const signed = await signEd25519Record(p, spec, body, revokerSeed);
  return { ...signed.body, signature: signed.signature };
}

/** Canonical CBOR of the record. */
export function encodeDeviceRevocation(revocation: DeviceRevocation): Uint8Array {
  return encodeSigned(spec, revocation, revocation.signature);
}

/** Parses a revocation; checks shape and canonical form, not the signature. */
export function decodeDeviceRevocation(bytes: Uint8Array): DeviceRevocation {
  const { body, sig } = decodeSigned(spec, bytes);
  return { ...body, signature: sig.bytes('sig', ED25519_SIGNATURE_LENGTH) };
}

/**
 * Checks the revoker's signature only (`verify.bad_signature`). Whether the revoker may revoke is
 * `verifyRevocationChain`'s question.
 *
 * @example
 * ```ts
 * await verifyDeviceRevocation(p, revocation, phoneRecord.signingKey);
 * ```
 */
export async function verifyDeviceRevocation(p: CryptoProvider, revocation: DeviceRevocation, revokerPublicKey: Uint8Array): Promise<void> {
  await verifyEd25519Record(p, spec, revocation, revocation.signature, revokerPublicKey);
}

export interface RevocationChainInput {
  readonly revocation: DeviceRevocation;
  /** The record of the device it revokes. */
  readonly device: DeviceRecord;
  /** Candidate records of the user's devices: the revoking device and its approvers (others are ignored). */
  readonly devices: readonly DeviceRecord[];
  /** Candidate certificates of the revoking officer and of the officers at the end of device chains. */
  readonly officers: readonly OfficerCertificate[];
  /** Candidate records of officers' own devices on the revoking device's chain; as `DeviceChainInput.officerDevices`. */
  readonly officerDevices?: readonly DeviceRecord[];
  readonly root: PinnedRoot;
  /** The verifier's time: certificates on the revoker's chain must be valid then. */
  readonly at: UnixMillis;
  /** Device-to-device hops allowed on the revoking device's chain; as `DeviceChainInput.maxDepth`. */
  readonly maxDepth?: number;
  /** Checks officer certificates against `root` at `at`; default `verifyOfficerCertificate` (see `DeviceChainInput`). */
  readonly verifyOfficer?: OfficerVerifier;
}

/** A revocation whose revoker reached a pinned root: an officer of the device's node, or a device of its user. */
export type VerifiedRevocation = Verified<{
  readonly revocation: DeviceRevocation;
  readonly revoker: { readonly kind: 'officer'; readonly officer: VerifiedOfficer } | { readonly kind: 'device'; readonly device: VerifiedDevice };
}>;

async function officerRevoker(p: CryptoProvider, input: RevocationChainInput, officer: UserId): Promise<VerifiedOfficer> {
  const { revocation } = input;
  const candidates = input.officers.filter((c) => c.user === officer && c.scope === revocation.node);
  if (candidates.length === 0) throw new VerificationError('verify.untrusted_key', 'device-revocation: no certificate of the revoking officer for this node');
  const verifyOfficer = input.verifyOfficer ?? ((cert: OfficerCertificate) => verifyOfficerCertificate(p, cert, input.root, input.at));
  // As for approvals: an officer holding several certificates (renewal) revoked if one of them verifies and signed.
  let failure: VerificationError | undefined;
  for (const cert of candidates) {
    try {
      const verified = await verifyOfficer(cert);
      checkOfficerActsFor('device-revocation', verified, officer, revocation.node);
      await verifyDeviceRevocation(p, revocation, verified.signingKey.ed25519);
      return verified;
    } catch (cause) {
      if (!(cause instanceof VerificationError)) throw cause;
      failure = cause;
    }
  }
  throw failure ?? new InternalError('no officer candidate was tried');
}

function revokingRecord(input: RevocationChainInput, device: DeviceId): DeviceRecord {
  const { revocation } = input;
  // A device may revoke itself (docs/keys.md): the record it revokes is then its own.
  if (device === revocation.device) return input.device;
  const matches = input.devices.filter((d) => d.device === device && d.user === revocation.user && d.node === revocation.node);
  if (matches.length > 1) throw new VerificationError('verify.record_invalid', 'device-revocation: revoking device is ambiguous');
  const revoker = matches[0];
  if (revoker !== undefined) return revoker;
  if (input.devices.some((d) => d.device === device)) {
    throw new VerificationError('verify.untrusted_key', 'device-revocation: signed by a device of another user or node');
  }
  throw new VerificationError('verify.untrusted_key', 'device-revocation: revoking device unknown');
}

/**
 * Verifies a revocation's chain: it names exactly `device` (user, id, node: else `verify.record_invalid`), and it is
 * signed either by an officer whose certificate verifies at `at` and is scoped to the device's node, or by a device
 * of the same user and node whose own chain reaches the root (`verifyDeviceChain`). Throws `VerificationError`:
 * `verify.bad_signature`, `verify.untrusted_key` (an unknown revoker, another user's device, an officer of another
 * node or none, an expired certificate), `verify.record_invalid`.
 *
 * Whether the revoking device was itself revoked by then is the caller's question (`checkRevocations`).
 *
 * @example
 * ```ts
 * const checked = await verifyRevocationChain(p, { revocation, device: laptopRecord, devices: annasDevices, officers, root: anchor, at: Date.now() });
 * ```
 */
export async function verifyRevocationChain(p: CryptoProvider, input: RevocationChainInput): Promise<VerifiedRevocation> {
  const { revocation, device } = input;
  if (revocation.user !== device.user || revocation.device !== device.device || revocation.node !== device.node) {
    throw new VerificationError('verify.record_invalid', 'device-revocation: names another device');
  }
  const by = revocation.by;
  if (by.kind === 'officer') {
    const officer = await officerRevoker(p, input, by.officer);
    return markVerified({ revocation, revoker: { kind: 'officer', officer } });
  }
  const record = revokingRecord(input, by.device);
  // The signature first: it is one Ed25519 check, the chain may be several and an ML-DSA-65 one.
  await verifyDeviceRevocation(p, revocation, record.signingKey);
  const { maxDepth, verifyOfficer, officerDevices } = input;
  const chain = await verifyDeviceChain(p, {
    device: record, devices: input.devices, officers: input.officers, root: input.root, at: input.at,
    ...(maxDepth === undefined ? {} : { maxDepth }), ...(verifyOfficer === undefined ? {} : { verifyOfficer }),
    ...(officerDevices === undefined ? {} : { officerDevices }),
  });
  return markVerified({ revocation, revoker: { kind: 'device', device: chain } });
}

/** The earliest of `revocations` naming the device of `record` (user, id, node), or undefined. */
export function revocationOf(revocations: readonly DeviceRevocationBody[], record: Pick<DeviceRecord, 'user' | 'device' | 'node'>): DeviceRevocationBody | undefined {
  return revocations
    .filter((r) => r.user === record.user && r.device === record.device && r.node === record.node)
    .reduce<DeviceRevocationBody | undefined>((first, r) => (first === undefined || r.revokedAt < first.revokedAt ? r : first), undefined);
}

/**
 * Whether the device of `record` is revoked at `at` by one of `revocations` (from `revokedAt` on, inclusive).
 *
 * @example
 * ```ts
 * if (isRevokedAt(revocations, signer.record, dtgToDate(header.dtg).getTime())) refuse();
 * ```
 */
export function isRevokedAt(revocations: readonly DeviceRevocationBody[], record: Pick<DeviceRecord, 'user' | 'device' | 'node'>, at: UnixMillis): boolean {
  const revocation = revocationOf(revocations, record);
  return revocation !== undefined && at >= revocation.revokedAt;
}

/**
 * Whether an approval by `approver` still counts: the approver is not revoked, or the approved record was made
 * before its revocation. `createdAt` is the approver's own statement, so a stolen key could backdate an approval;
 * the node accepts no approval from a revoked device, and log inclusion times will close this for clients.
 */
export function approvedBeforeRevocation(revocations: readonly DeviceRevocationBody[], approved: DeviceRecord, approver: DeviceRecord): boolean {
  const revocation = revocationOf(revocations, approver);
  return revocation === undefined || approved.createdAt < revocation.revokedAt;
}

/**
 * Refuses (`verify.untrusted_key`) a verified device that `revocations` revoke at `at`, or whose chain rests on an
 * approval its approving device made at or after its own revocation. Devices approved before their approver's
 * revocation stay valid: revoking a lost laptop must not take down the phone it approved last year.
 *
 * @example
 * ```ts
 * const phone = await verifyDeviceChain(p, { device, devices: approvedAndRevoked, officers, root, at });
 * checkRevocations(phone, revocations, at);
 * ```
 */
export function checkRevocations(verified: VerifiedDevice, revocations: readonly DeviceRevocationBody[], at: UnixMillis): void {
  const { record } = verified;
  const own = revocationOf(revocations, record);
  if (own !== undefined && at >= own.revokedAt) {
    throw new VerificationError('verify.untrusted_key', `device-record: ${record.user}/${record.device} is revoked since ${new Date(own.revokedAt).toISOString()}`);
  }
  let approved = record;
  for (const approver of verified.path) {
    if (!approvedBeforeRevocation(revocations, approved, approver)) {
      throw new VerificationError('verify.untrusted_key', 'device-record: approved by a device at or after its revocation');
    }
    approved = approver;
  }
}

/** A device chain input whose candidates include revoked devices, with the user's revocations. */
export interface RevocationAwareChainInput extends DeviceChainInput {
  /**
   * Revocations of the user's devices. `devices` holds the approved devices and the revoked ones named here; a device
   * revoked without a record in hand must be left out of `devices` altogether (it approves nothing).
   */
  readonly revocations: readonly DeviceRevocationBody[];
}

/**
 * `verifyDeviceChain`, then `checkRevocations` at `at`: the device must not be revoked then, and every approval on
 * its chain must predate its approver's revocation. What a node or a reader runs once revoked devices exist.
 *
 * @example
 * ```ts
 * const phone = await verifyDeviceChainAsOfRevocations(p, { device, devices: approvedAndRevoked, revocations, officers, root, at: Date.now() });
 * ```
 */
export async function verifyDeviceChainAsOfRevocations(p: CryptoProvider, input: RevocationAwareChainInput): Promise<VerifiedDevice> {
  const { revocations, ...chain } = input;
  const verified = await verifyDeviceChain(p, chain);
  checkRevocations(verified, revocations, input.at);
  return verified;
}
