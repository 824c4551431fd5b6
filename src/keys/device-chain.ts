// Walks a device record back to a pinned root (DESIGN.md "Keys, trust and the ghost-device defence"): a device is
// valid only when approved by a security officer of its node whose certificate chains to the root, or by an
// existing device of the same user that is itself valid — followed device by device, with loops refused and the
// number of device-to-device hops capped. An officer may approve from any of their own valid devices (a browser,
// docs/decisions/019-browser-device-passkey-prf.md): the officer's certificate must verify, and that device's own
// record is walked by the same rules, its hops counted with the rest.
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
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
  /**
   * Candidate records of approving officers' own devices, for approvals `{ kind: 'officer', officer, device }` (and
   * the devices that approved those): records of `device`'s own user are taken from `devices`. A verifier passes
   * only devices that stand now (approved, on the log where it checks that): a revoked officer device approves
   * nothing, as an officer whose certificate lapsed approves nothing. Default none.
   */
  readonly officerDevices?: readonly DeviceRecord[];
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
 * - `path`: the approving devices, nearest first (empty when an officer approved `record` directly); an officer's
 *   device that approved is on it like any other.
 * - `officer`: the officer who approved the last record of the path.
 * - `officersOnPath`: the officers whose devices approved on the way (their certificates verified), nearest first.
 */
export type VerifiedDevice = Verified<{
  readonly record: DeviceRecord;
  readonly path: readonly DeviceRecord[];
  readonly officer: VerifiedOfficer;
  readonly officersOnPath: readonly VerifiedOfficer[];
}>;

/** The first of `officer`'s certificates for `node` that verifies and passes `check`; an officer may hold several (renewal). */
async function certifiedOfficer(
  p: CryptoProvider, input: DeviceChainInput, node: NodeName, officer: UserId, check: (verified: VerifiedOfficer) => Promise<void>,
): Promise<VerifiedOfficer> {
  const candidates = input.officers.filter((c) => c.user === officer && c.scope === node);
  if (candidates.length === 0) throw new VerificationError('verify.untrusted_key', 'device-record: no certificate of the approving officer for this node');
  const verifyOfficer = input.verifyOfficer ?? ((cert: OfficerCertificate) => verifyOfficerCertificate(p, cert, input.root, input.at));
  let failure: VerificationError | undefined;
  for (const cert of candidates) {
    try {
      const verified = await verifyOfficer(cert);
      await check(verified);
      return verified;
    } catch (cause) {
      if (!(cause instanceof VerificationError)) throw cause;
      failure = cause;
    }
  }
  throw failure ?? new InternalError('no officer candidate was tried');
}

/** The officer's certificate key signed `record`: the approval stands if one of their certificates verifies and signed it. */
function officerApproval(p: CryptoProvider, input: DeviceChainInput, record: DeviceRecord, officer: UserId): Promise<VerifiedOfficer> {
  return certifiedOfficer(p, input, record.node, officer, (verified) => verifyDeviceRecord(p, record, verified.signingKey.ed25519));
}

/** Candidate records of `user`'s devices: the device's own user's from `devices`, an officer's from `officerDevices`. */
function candidatesOf(input: DeviceChainInput, user: UserId): readonly DeviceRecord[] {
  return user === input.device.user ? input.devices : (input.officerDevices ?? []);
}

/** The record of `user`'s `device` on `record`'s node that approved `record`. */
function approvingDevice(input: DeviceChainInput, record: DeviceRecord, user: UserId, device: DeviceId): DeviceRecord {
  const pool = candidatesOf(input, user);
  const same = (d: DeviceRecord): boolean => d.device === device && d.user === user && d.node === record.node;
  const matches = pool.filter(same);
  if (matches.length > 1) throw new VerificationError('verify.record_invalid', 'device-record: approving device is ambiguous');
  const approver = matches[0];
  if (approver !== undefined) return approver;
  if (pool.some((d) => d.device === device)) {
    throw new VerificationError('verify.untrusted_key', 'device-record: approved by a device of another user or node');
  }
  throw new VerificationError('verify.untrusted_key', 'device-record: approving device unknown');
}

type Step =
  | { readonly kind: 'certificate'; readonly officer: UserId }
  | { readonly kind: 'device'; readonly user: UserId; readonly device: DeviceId; readonly asOfficer: boolean };

/** Who signed `record`: an officer's certificate key, or a device (the user's own, or an officer's approving as officer). */
function stepOf(record: DeviceRecord): Step {
  const a = record.approval;
  if (a.kind === 'device') return { kind: 'device', user: record.user, device: a.device, asOfficer: false };
  if (a.device === undefined) return { kind: 'certificate', officer: a.officer };
  return { kind: 'device', user: a.officer, device: a.device, asOfficer: true };
}

function depthOf(maxDepth: number | undefined): number {
  const depth = maxDepth ?? DEFAULT_MAX_DEVICE_CHAIN_DEPTH;
  if (!Number.isInteger(depth) || depth < 0 || depth > MAX_DEVICE_CHAIN_DEPTH) throw new RangeError(`maxDepth must be an integer 0–${MAX_DEVICE_CHAIN_DEPTH}`);
  return depth;
}

/**
 * Verifies a device's chain: each approving device's signature on the record it approved, each of the same user and
 * node — or, for an officer's approval made with one of their devices, that device of the officer on the same node
 * and a certificate of the officer that verifies (as below) — then the officer at the end (certificate against the
 * root at `at`, scoped to the device's node, signature). Every device hop counts against `maxDepth`.
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
  const officersOnPath: VerifiedOfficer[] = [];
  // By user and device: an officer's device id may equal one of the user's.
  const seen = new Set<string>([`${input.device.user}/${input.device.device}`]);
  let current = input.device;
  for (;;) {
    const step = stepOf(current);
    if (step.kind === 'certificate') {
      const officer = await officerApproval(p, input, current, step.officer);
      return markVerified({ record: input.device, path, officer, officersOnPath });
    }
    const { user } = step;
    if (seen.has(`${user}/${step.device}`)) throw new VerificationError('verify.untrusted_key', 'device-record: approval chain loops');
    if (path.length >= maxDepth) throw new VerificationError('verify.untrusted_key', 'device-record: approval chain too deep');
    const approver = approvingDevice(input, current, user, step.device);
    await verifyDeviceRecord(p, current, approver.signingKey);
    // An officer's device approves as the officer: only while the officer holds a certificate for this node.
    if (step.asOfficer) officersOnPath.push(await certifiedOfficer(p, input, current.node, user, async () => {}));
    seen.add(`${user}/${approver.device}`);
    path.push(approver);
    current = approver;
  }
}
