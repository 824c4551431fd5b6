// Office keys, administered from security officers' devices: opening epochs (a fresh X-Wing key pair per level,
// certified by the officer), granting epoch keys to members' devices only when policy allows, and a member's own
// device re-sealing what it holds to the same user's new device. The node never sees a private office key.
import type { Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import type { PolicyUser } from '../policy/subjects.ts';
import { toBase64, wipe } from '../bytes.ts';
import { PolicyError } from '../errors.ts';
import { xwingGenerateKeyPair } from '../crypto/xwing.ts';
import { verifyEpochChain, type VerifiedEpoch } from '../keys/epoch-chain.ts';
import { encodeOfficeEpoch, signOfficeEpoch } from '../keys/office-epoch.ts';
import { encodeEpochClosure, signEpochClosure, type ClosureReason } from '../keys/epoch-closure.ts';
import { encodeKeyGrant, type KeyGrant } from '../keys/key-grant.ts';
import { issueAuthorisedGrant } from '../keys/grant-authorisation.ts';
import { resealGrant, type GrantOfficer } from '../keys/grant-seal.ts';
import type { VerifiedDevice } from '../keys/device-chain.ts';
import { mayIssueGrant, officersRequired } from '../policy/grant.ts';
import { mayHoldOfficeKey, readableLevels } from '../policy/office-key.ts';
import { assertAllowed } from '../policy/decision.ts';
import { getOffice, getUser, policyUserOf, type Office } from './directory.ts';
import { appointmentVerifier, levelsUpTo, newestOpen, officeEpochs, officerCertificate, verifiedDevice, type EpochState } from './key-directory.ts';
import { listGrants, openEpochSecret, verifyOwnGrant } from './keyring.ts';
import type { Session } from './session.ts';

export interface OpenedEpoch {
  readonly office: OfficeCode;
  readonly level: Classification;
  readonly epoch: number;
}

function officerOf(s: Session): GrantOfficer {
  return { user: s.keys.user, signingSeed: s.keys.signingSeed };
}

/** Who signs a grant and who receives it, with the policy views the grant is checked against. */
interface GrantParties {
  readonly issuers: readonly Session[];
  readonly officers: readonly PolicyUser[];
  readonly holder: PolicyUser;
  readonly recipient: VerifiedDevice;
  readonly office: Office;
}

/** Seals `secret` for the recipient if policy allows the issuers to, and stores it; the upload is by the first issuer. */
async function grant(parties: GrantParties, epoch: VerifiedEpoch, secret: Uint8Array): Promise<KeyGrant> {
  const { issuers, officers, holder, recipient, office } = parties;
  const [uploader] = issuers;
  if (!uploader) throw new PolicyError('policy.denied', 'a grant needs at least one issuing officer');
  const input = { epochSecret: secret, epoch, recipient, officers: issuers.map(officerOf), issuedAt: uploader.now() };
  const issued = await issueAuthorisedGrant(uploader.p, input, { officers: officers.slice(0, issuers.length), recipient: holder, office });
  await uploader.http.post('/api/v1/grants', { record: toBase64(encodeKeyGrant(issued)) });
  return issued;
}

async function policyUsers(s: Session, ids: readonly UserId[]): Promise<PolicyUser[]> {
  return Promise.all(ids.map(async (id) => policyUserOf(await getUser(s, id))));
}

/**
 * Opens the next epoch of `office` at each level (default: every level up to the office's ceiling) and grants each
 * new key to the opening officer's own device, so that officer can grant it to members later. An officer may not
 * grant a key to themselves (policy), so `coOfficers` issue that grant: one below CONFIDENTIAL, two from
 * CONFIDENTIAL up. Refuses a level before uploading anything when they cannot, since a key nobody holds is lost.
 */
export async function openEpochs(s: Session, code: OfficeCode, options: { levels?: readonly Classification[]; coOfficers: readonly Session[] }): Promise<OpenedEpoch[]> {
  const office = await getOffice(s, code);
  const levels = options.levels ?? levelsUpTo(office.ceiling);
  const self = policyUserOf(await getUser(s, s.keys.user));
  const co = await policyUsers(s, options.coOfficers.map((c) => c.keys.user));
  const existing = await officeEpochs(s, code);
  const me = await verifiedDevice(s, s.keys.user, s.keys.device);
  const opened: OpenedEpoch[] = [];
  for (const level of levels) {
    const issuers = options.coOfficers.slice(0, officersRequired(level));
    const decision = mayIssueGrant(co.slice(0, issuers.length), self, office, level);
    if (!decision.allowed) {
      throw new PolicyError('policy.denied', `cannot open a ${level} epoch of ${code}: its key could not be granted to ${s.keys.user} (${decision.reasons.map((r) => r.message).join('; ')})`);
    }
    const number = existing.filter((e) => e.verified.epoch.level === level).reduce((n, e) => Math.max(n, e.verified.epoch.epoch + 1), 0);
    const pair = await xwingGenerateKeyPair(s.p);
    try {
      const body = { office: code, node: s.node.name, level, epoch: number, publicKey: pair.publicKey, openedAt: s.now(), certifiedBy: s.keys.user };
      const record = await signOfficeEpoch(s.p, body, s.keys.signingSeed);
      await s.http.post('/api/v1/epochs', { record: toBase64(encodeOfficeEpoch(record)) });
      const verified = await verifyEpochChain(s.p, { epoch: record, officerCert: await officerCertificate(s, s.keys.user), root: s.node.root, at: s.now(), verifyOfficer: appointmentVerifier(s) });
      await grant({ issuers, officers: co, holder: self, recipient: me, office }, verified, pair.secretKey);
      opened.push({ office: code, level, epoch: number });
    } finally {
      wipe(pair.secretKey);
    }
  }
  return opened;
}

/**
 * Closes an office epoch (security officer): senders refuse it from then on, while the devices holding it keep
 * reading the cables sealed to it. Open the next epoch and grant it to the remaining members afterwards.
 */
export async function closeEpoch(s: Session, epoch: OpenedEpoch, reason: ClosureReason): Promise<void> {
  const body = { ...epoch, node: s.node.name, closedAt: s.now(), reason, closedBy: s.keys.user };
  await s.http.post('/api/v1/epoch-closures', { record: toBase64(encodeEpochClosure(await signEpochClosure(s.p, body, s.keys.signingSeed))) });
}

export interface GrantRequest {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly office: OfficeCode;
  /** Default: every level the user may hold in the office (up to the lower of clearance and ceiling). */
  readonly levels?: readonly Classification[];
  /** Officers who co-sign: from CONFIDENTIAL up a grant takes two. */
  readonly coOfficers?: readonly Session[];
}

/**
 * Grants the current epoch keys of an office to a member's device: the officer opens their own grant, and issues a
 * new one only if `mayIssueGrant` allows it for every signer (checked here and again by the node).
 */
export async function issueGrants(s: Session, request: GrantRequest): Promise<OpenedEpoch[]> {
  const office = await getOffice(s, request.office);
  const holder = policyUserOf(await getUser(s, request.user));
  const levels = request.levels ?? readableLevels(holder, office);
  if (levels.length === 0) assertAllowed(mayIssueGrant([], holder, office, 'UNCLASSIFIED'));
  const recipient = await verifiedDevice(s, request.user, request.device);
  const signers = [s, ...(request.coOfficers ?? [])];
  const officers = await policyUsers(s, signers.map((o) => o.keys.user));
  const [epochs, held] = await Promise.all([officeEpochs(s, office.code), listGrants(s)]);
  const granted: OpenedEpoch[] = [];
  for (const level of levels) {
    const epoch = newestOpen(epochs, office.code, level);
    const secret = await openEpochSecret(s, epoch, held);
    try {
      await grant({ issuers: signers.slice(0, officersRequired(level)), officers, holder, recipient, office }, epoch, secret);
      granted.push({ office: office.code, level, epoch: epoch.epoch.epoch });
    } finally {
      wipe(secret);
    }
  }
  return granted;
}

/**
 * Re-seals every grant this device holds — closed epochs included, so the new device reads the user's history at
 * once — to the same user's newly approved device (DESIGN.md: a device can pass on nothing more than it has). Keys
 * the user may no longer hold (a role left, a clearance lowered) are not passed on; the node checks that again.
 */
export async function resealGrants(s: Session, newDevice: DeviceId): Promise<OpenedEpoch[]> {
  const recipient = await verifiedDevice(s, s.keys.user, newDevice);
  const holder = await verifiedDevice(s, s.keys.user, s.keys.device);
  const user = policyUserOf(await getUser(s, s.keys.user));
  const offices = new Map<OfficeCode, { office: Office; epochs: EpochState[] }>();
  const out: OpenedEpoch[] = [];
  for (const g of await listGrants(s)) {
    let known = offices.get(g.office);
    if (!known) offices.set(g.office, (known = { office: await getOffice(s, g.office), epochs: await officeEpochs(s, g.office) }));
    const { office, epochs } = known;
    const state = epochs.find((e) => e.verified.epoch.level === g.level && e.verified.epoch.epoch === g.epoch);
    if (!state?.onLog || !mayHoldOfficeKey(user, office, g.level).allowed) continue;
    await verifyOwnGrant(s, g, state.verified);
    const record = await resealGrant(s.p, {
      grant: g,
      epoch: state.verified,
      holder: { record: holder.record, encryptionSecret: s.keys.encryptionSeed, signingSeed: s.keys.signingSeed },
      recipient,
      issuedAt: s.now(),
    });
    await s.http.post('/api/v1/grants', { record: toBase64(encodeKeyGrant(record)) });
    out.push({ office: g.office, level: g.level, epoch: g.epoch });
  }
  return out;
}
