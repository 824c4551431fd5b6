// The office keys this device holds: its key grants, fetched from the node, each checked (epoch to the root, issuers
// to the root, sealed to this very device) and opened only for the moment a draft or cable needs it.
import type { Classification, OfficeCode } from '../cable/types.ts';
import { OpenError, VerificationError } from '../errors.ts';
import { decodeKeyGrant, type KeyGrant } from '../keys/key-grant.ts';
import { verifyKeyGrant, type GrantAuthority } from '../keys/grant-chain.ts';
import { openGrant } from '../keys/grant-seal.ts';
import type { VerifiedEpoch } from '../keys/epoch-chain.ts';
import { findEpoch, verifiedDevice, verifiedOfficer } from './key-directory.ts';
import type { Session } from './session.ts';
import { base64Of, fieldsOf, listIn } from './wire.ts';

/** Every grant the node holds for this device (decoded; checked when used). */
export async function listGrants(s: Session): Promise<KeyGrant[]> {
  const items = listIn('grants', await s.http.get('/api/v1/grants'), 'grants', 100_000);
  return items.map((item) => {
    const grant = decodeKeyGrant(base64Of(fieldsOf('grant', item, ['office', 'level', 'epoch', 'record']), 'record', 8192));
    if (grant.user !== s.keys.user || grant.device !== s.keys.device) throw new VerificationError('verify.untrusted_key', 'the node served a grant for another device');
    return grant;
  });
}

async function authorityOf(s: Session, grant: KeyGrant): Promise<GrantAuthority> {
  if (grant.issuer.kind === 'device') return { kind: 'device', device: await verifiedDevice(s, s.keys.user, grant.issuer.device) };
  return { kind: 'officer', officers: await Promise.all(grant.issuer.officers.map((u) => verifiedOfficer(s, u))) };
}

/** Checks a grant to this device: its epoch, its recipient (this device) and its issuers all chain to the root. */
export async function verifyOwnGrant(s: Session, grant: KeyGrant, epoch: VerifiedEpoch): Promise<void> {
  const recipient = await verifiedDevice(s, s.keys.user, s.keys.device);
  await verifyKeyGrant(s.p, { grant, epoch, recipient, authority: await authorityOf(s, grant) });
}

/**
 * The private key of a verified office epoch, opened from this device's grant after checking it (`grants`: this
 * device's grants if the caller already fetched them). The caller wipes it (`wipe(secret)`) as soon as it is used:
 * office keys are held in memory for one operation only.
 */
export async function openEpochSecret(s: Session, epoch: VerifiedEpoch, grants?: readonly KeyGrant[]): Promise<Uint8Array> {
  const { office, level, epoch: number } = epoch.epoch;
  const grant = (grants ?? (await listGrants(s))).find((g) => g.office === office && g.level === level && g.epoch === number);
  if (!grant) throw new OpenError('open.not_addressed', `this device holds no ${level} key of ${office} (epoch ${number}): ask a security officer for a grant`);
  await verifyOwnGrant(s, grant, epoch);
  return openGrant(s.p, grant, epoch, s.keys.encryptionSeed);
}

/** `openEpochSecret` for an epoch named by office, level and number (closed epochs included: old cables use them). */
export async function openEpochSecretOf(s: Session, office: OfficeCode, level: Classification, number: number): Promise<Uint8Array> {
  return openEpochSecret(s, (await findEpoch(s, office, level, number)).verified);
}
