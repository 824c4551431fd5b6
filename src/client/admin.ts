// A security officer's administration of the node: offices, users and memberships, device approval after
// in-person enrollment, and (with the offline organisation root and a second officer) appointing further officers.
// Key epochs and grants are in key-admin.ts.
import type { Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { equalBytes, toBase64 } from '../bytes.ts';
import { PolicyError, RequestError } from '../errors.ts';
import { wipeHybridSecret } from '../crypto/hybrid-signature.ts';
import { encodeDeviceRecord, signDeviceRecord, type DeviceApproval } from '../keys/device-record.ts';
import { ENDORSEMENTS_REQUIRED } from '../keys/officer-appointment.ts';
import { encodeOfficerCertificate, officerCertificateHash, signOfficerCertificate, type OfficerCertificate } from '../keys/officer-certificate.ts';
import { signOfficerEndorsement, type OfficerEndorsement } from '../keys/officer-endorsement.ts';
import { officerSigningKey } from '../keys/officer-keys.ts';
import type { Membership } from '../policy/subjects.ts';
import type { DeviceKeyMaterial } from './device-keys.ts';
import { getUser, type Office, type UserView } from './directory.ts';
import { deviceFingerprint } from './device-keys.ts';
import { listDevices, officerCertificate } from './key-directory.ts';
import type { RootKey } from './root-secret.ts';
import type { Session } from './session.ts';

export interface OfficeInput {
  readonly code: OfficeCode;
  readonly name: string;
  readonly ceiling: Classification;
  /** Communities for releasability, e.g. `['EU']` for an EEAS delegation, `['CY', 'EU']` for a Cypriot desk. */
  readonly communities: readonly string[];
}

/** Creates or updates an office (security officer). */
export async function createOffice(s: Session, input: OfficeInput): Promise<Office> {
  await s.http.post('/api/v1/offices', { code: input.code, name: input.name, ceiling: input.ceiling, communities: input.communities });
  return { ...input, node: s.node.name };
}

export interface UserInput {
  readonly id: UserId;
  readonly name: string;
  readonly clearance: Classification;
  /** ISO 3166 alpha-2. */
  readonly nationality: string;
  readonly organisations?: readonly string[];
  readonly caveats?: readonly string[];
  /** The user's complete set of roles: it replaces whatever the node held. */
  readonly memberships: readonly Membership[];
  /**
   * Sent only when given. An omitted flag keeps what the node holds for an existing user (a new user is active and
   * not frozen): an update never unfreezes or reactivates anyone by accident; unfreezing is an explicit `frozen: false`.
   */
  readonly active?: boolean;
  readonly frozen?: boolean;
}

/** Creates or updates a user with their clearance and memberships (security officer); returns the stored view. */
export async function createUser(s: Session, input: UserInput): Promise<UserView> {
  await s.http.post('/api/v1/users', {
    id: input.id,
    name: input.name,
    clearance: input.clearance,
    nationality: input.nationality,
    organisations: input.organisations ?? [],
    caveats: input.caveats ?? [],
    memberships: input.memberships,
    ...(input.active === undefined ? {} : { active: input.active }),
    ...(input.frozen === undefined ? {} : { frozen: input.frozen }),
  });
  return getUser(s, input.id);
}

/**
 * Adds roles to a user, keeping everything else as the node holds it (the node's API replaces a user's roles as a
 * whole, so this reads them first). A role the user already holds is not repeated. The active and frozen flags are
 * not sent, so a freeze set meanwhile stands.
 */
export async function addRoles(s: Session, id: UserId, roles: readonly Membership[]): Promise<UserView> {
  const u = await getUser(s, id);
  const same = (a: Membership, b: Membership) => a.office === b.office && a.role === b.role;
  const kept = u.memberships.filter((m) => !roles.some((r) => same(r, m)));
  const { name, clearance, nationality, organisations, caveats } = u;
  return createUser(s, { id, name, clearance, nationality, organisations, caveats, memberships: [...kept, ...roles] });
}

export interface ApprovalResult {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly approval: DeviceApproval;
  readonly deviceFingerprint: string;
}

/**
 * How this session's officer signs an approval: with the key their certificate names, or — from another of their
 * devices (a browser) — as that device, which the approval then names. Not an officer: the plain officer approval,
 * which the node refuses as it always has.
 */
async function officerApproval(s: Session): Promise<DeviceApproval> {
  const plain: DeviceApproval = { kind: 'officer', officer: s.keys.user };
  let certificate: OfficerCertificate;
  try {
    certificate = await officerCertificate(s, s.keys.user);
  } catch (cause) {
    if (cause instanceof RequestError && cause.code === 'request.not_found') return plain;
    throw cause;
  }
  return equalBytes(certificate.signingKey.ed25519, s.keys.signingKey) ? plain : { ...plain, device: s.keys.device };
}

/**
 * Approves a pending device: a security officer after in-person enrollment, or the user's own approved device
 * (then the approval is by that device). With `expectFingerprint`, refuses unless the pending keys are the ones the
 * enrolling person read out — the defence against a node that swapped the enrolled keys.
 */
export async function approveDevice(s: Session, user: UserId, device: DeviceId, expectFingerprint?: string): Promise<ApprovalResult> {
  const pending = (await listDevices(s, user)).find((d) => d.device === device && d.status === 'pending');
  if (!pending) throw new RequestError('request.not_found', `no pending enrollment of ${user}/${device}`);
  const fingerprint = deviceFingerprint(s.p, pending.signingKey, pending.encryptionKey);
  if (expectFingerprint !== undefined && expectFingerprint.toLowerCase() !== fingerprint) {
    throw new RequestError('request.conflict', `the pending keys have fingerprint ${fingerprint}, not ${expectFingerprint}: do not approve`);
  }
  const approval: DeviceApproval = s.keys.user === user ? { kind: 'device', device: s.keys.device } : await officerApproval(s);
  const record = await signDeviceRecord(
    s.p,
    { user, device, node: s.node.name, signingKey: pending.signingKey, encryptionKey: pending.encryptionKey, createdAt: s.now(), approval },
    s.keys.signingSeed,
  );
  await s.http.post(`/api/v1/devices/${encodeURIComponent(user)}/${encodeURIComponent(device)}/approval`, { record: toBase64(encodeDeviceRecord(record)) });
  return { user, device, approval, deviceFingerprint: fingerprint };
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface AppointmentOptions {
  /**
   * The other officers who endorse with the session's officer (docs/decisions/012-two-officers-appoint.md): of the
   * session's officer and these, the two who are not the appointee endorse. None: a founding appointment, the root's
   * alone, which the node accepts only while it has fewer than two officers.
   */
  readonly coOfficers?: readonly Session[];
}

export interface AppointmentResult {
  readonly user: UserId;
  readonly validUntil: number;
  /** Who endorsed besides the root; empty for a founding appointment. */
  readonly endorsedBy: readonly UserId[];
}

/** An officer's endorsement of `cert`, signed with the hybrid key their officer certificate names. */
async function endorse(s: Session, cert: OfficerCertificate): Promise<OfficerEndorsement> {
  const signing = await officerSigningKey(s.p, s.keys.signingSeed);
  try {
    return await signOfficerEndorsement(s.p, { certificate: officerCertificateHash(s.p, cert), endorser: s.keys.user, endorsedAt: s.now() }, signing.secret);
  } finally {
    wipeHybridSecret(signing.secret);
  }
}

function endorsersOf(s: Session, officer: DeviceKeyMaterial, coOfficers: readonly Session[]): Session[] {
  if (coOfficers.length === 0) return [];
  const endorsers = [s, ...coOfficers].filter((o, i, all) => o.keys.user !== officer.user && all.findIndex((x) => x.keys.user === o.keys.user) === i);
  if (endorsers.length !== ENDORSEMENTS_REQUIRED) {
    throw new PolicyError(
      'policy.two_officers_required',
      `appointing ${officer.user} takes the endorsements of exactly ${ENDORSEMENTS_REQUIRED} officers other than the appointee; ${endorsers.length} given`,
    );
  }
  return endorsers;
}

/**
 * Appoints a security officer: the offline root signs a certificate for the officer's device key (its Ed25519 key
 * and the ML-DSA-65 key derived from the same seed, as `chancery node init` does), two officers endorse it — the
 * session's officer and a co-officer, or two co-officers when the session's officer is the appointee — and the
 * session's officer uploads it. Without co-officers the certificate is a founding one (the root's word alone). The
 * new officer's user and approved device must exist; their key material is needed once, at this ceremony.
 */
export async function appointOfficer(s: Session, root: RootKey, officer: DeviceKeyMaterial, options: AppointmentOptions = {}): Promise<AppointmentResult> {
  const endorsers = endorsersOf(s, officer, options.coOfficers ?? []);
  const signing = await officerSigningKey(s.p, officer.signingSeed);
  let cert: OfficerCertificate;
  try {
    // Backdated a little so that a node whose clock runs behind ours does not see a certificate from the future.
    const now = s.now() - 5 * 60 * 1000;
    cert = await signOfficerCertificate(
      s.p,
      {
        org: root.org, user: officer.user, scope: s.node.name, signingKey: signing.public, validFrom: now, validUntil: now + YEAR_MS,
        ...(endorsers.length === 0 ? { founding: true as const } : {}),
      },
      root.secret,
    );
  } finally {
    wipeHybridSecret(signing.secret);
  }
  const endorsements = await Promise.all(endorsers.map((e) => endorse(e, cert)));
  const appointed: OfficerCertificate = endorsements.length === 0 ? cert : { ...cert, endorsements };
  await s.http.post('/api/v1/officers', { certificate: toBase64(encodeOfficerCertificate(appointed)) });
  return { user: officer.user, validUntil: cert.validUntil, endorsedBy: endorsements.map((e) => e.endorser) };
}
