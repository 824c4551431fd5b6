// Walks a device record back to a pinned root (DESIGN.md "Keys, trust and the ghost-device defence"): a device is
// valid only when approved by a security officer of its node whose certificate chains to the root, or by an
// existing device of the same user that is itself valid — followed device by device, with loops refused and the
// number of device-to-device hops capped.
import type { DeviceId, UserId } from '../cable/types.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { InternalError, VerificationError } from '../errors.ts';
import { verifyDeviceRecord, type DeviceRecord } from './device-record.ts';
import { verifyOfficerCertificate, type OfficerCertificate, type OfficerVerifier, type VerifiedOfficer } from './officer-certificate.ts';
import type { PinnedRoot } from './organisation-root.ts';
import type { UnixMillis } from './validity.ts';
import { markVerified, type Verified } from './verified.ts';

/** Device-to-device hops allowed by default: a user re-approving from their newest device for years stays well under. */
export const DEFAULT_MAX_DEVICE_CHAIN_DEPTH = 8;
/** The most a caller may allow. */
export const MAX_DEVICE_CHAIN_DEPTH = 32;

export interface DeviceChainInput {
  readonly device: DeviceRecord;
  /** Candidate approvers: records of the user's other devices (others are ignored). */
  readonly devices: readonly DeviceRecord[];
  /** Candidate certificates of approving officers. */
  readonly officers: readonly OfficerCertificate[];
  readonly root: PinnedRoot;
  /** The verifier's time: the approving officer's certificate must be valid then. */
  readonly at: UnixMillis;
  /** Device-to-device hops allowed, 0–32; default 8. */
  readonly maxDepth?: number;
  /**
   * Checks an approving officer's certificate against `root` at `at`; default `verifyOfficerCertificate`. A verifier
   * may pass one that reuses its own recent verification of the very same certificate (src/node/trust.ts).
   */
  readonly verifyOfficer?: OfficerVerifier;
}

/**
 * A device whose chain reached a pinned root.
 * - `path`: the approving devices, nearest first (empty when an officer approved `record` directly).
 * - `officer`: the officer who approved the last record of the path.
 */
export type VerifiedDevice = Verified<{
  readonly record: DeviceRecord;
  readonly path: readonly DeviceRecord[];
  readonly officer: VerifiedOfficer;
}>;

async function officerApproval(p: CryptoProvider, input: DeviceChainInput, record: DeviceRecord, officer: UserId): Promise<VerifiedOfficer> {
  const candidates = input.officers.filter((c) => c.user === officer && c.scope === record.node);
  if (candidates.length === 0) throw new VerificationError('verify.untrusted_key', 'device-record: no certificate of the approving officer for this node');
  // An officer may hold several certificates (renewal): the approval stands if one of them verifies and signed it.
  const verifyOfficer = input.verifyOfficer ?? ((cert: OfficerCertificate) => verifyOfficerCertificate(p, cert, input.root, input.at));
  let failure: VerificationError | undefined;
  for (const cert of candidates) {
    try {
      const verified = await verifyOfficer(cert);
      await verifyDeviceRecord(p, record, verified.signingKey.ed25519);
      return verified;
    } catch (cause) {
      if (!(cause instanceof VerificationError)) throw cause;
      failure = cause;
    }
  }
  throw failure ?? new InternalError('no officer candidate was tried');
}

function approvingDevice(input: DeviceChainInput, record: DeviceRecord, device: DeviceId): DeviceRecord {
  const same = (d: DeviceRecord): boolean => d.device === device && d.user === record.user && d.node === record.node;
  const matches = input.devices.filter(same);
  if (matches.length > 1) throw new VerificationError('verify.record_invalid', 'device-record: approving device is ambiguous');
  const approver = matches[0];
  if (approver !== undefined) return approver;
  if (input.devices.some((d) => d.device === device)) {
    throw new VerificationError('verify.untrusted_key', 'device-record: approved by a device of another user or node');
  }
  throw new VerificationError('verify.untrusted_key', 'device-record: approving device unknown');
}

function depthOf(maxDepth: number | undefined): number {
  const depth = maxDepth ?? DEFAULT_MAX_DEVICE_CHAIN_DEPTH;
  if (!Number.isInteger(depth) || depth < 0 || depth > MAX_DEVICE_CHAIN_DEPTH) throw new RangeError(`maxDepth must be an integer 0–${MAX_DEVICE_CHAIN_DEPTH}`);
  return depth;
}

/**
 * Verifies a device's chain: each approving device's signature on the record it approved, each of the same user and
 * node, then the officer at the end (certificate against the root at `at`, scoped to the device's node, signature).
 * Throws `VerificationError`: `verify.bad_signature` for a signature, `verify.untrusted_key` for an approver that
 * is unknown, of another user, not an officer here, expired, or a chain that loops or is too deep;
 * `verify.record_invalid` for an ambiguous approver.
 *
 * @example
 * ```ts
 * const phone = await verifyDeviceChain(p, { device: phoneRecord, devices: userDevices, officers, root: anchor, at: Date.now() });
 * ```
 */
export async function verifyDeviceChain(p: CryptoProvider, input: DeviceChainInput): Promise<VerifiedDevice> {
  const maxDepth = depthOf(input.maxDepth);
  const path: DeviceRecord[] = [];
  const seen = new Set<DeviceId>([input.device.device]);
  let current = input.device;
  for (;;) {
    const approval = current.approval;
    if (approval.kind === 'officer') {
      const officer = await officerApproval(p, input, current, approval.officer);
      return markVerified({ record: input.device, path, officer });
    }
    if (seen.has(approval.device)) throw new VerificationError('verify.untrusted_key', 'device-record: approval chain loops');
    if (path.length >= maxDepth) throw new VerificationError('verify.untrusted_key', 'device-record: approval chain too deep');
    const approver = approvingDevice(input, current, approval.device);
    await verifyDeviceRecord(p, current, approver.signingKey);
    seen.add(approver.device);
    path.push(approver);
    current = approver;
  }
}
