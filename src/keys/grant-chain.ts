// Who may issue a key grant, checked by the recipient device and by every client that watches its user's devices
// and its offices' rosters: one or two security officers of the epoch's node, or an existing device of the same
// user (DESIGN.md "Keys, trust and the ghost-device defence").
import { equalBytes } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { VerificationError } from '../errors.ts';
import type { VerifiedDevice } from './device-chain.ts';
import { checkOfficerActsFor, type VerifiedEpoch } from './epoch-chain.ts';
import { verifyKeyGrantSignatures, type KeyGrant } from './key-grant.ts';
import type { VerifiedOfficer } from './officer-certificate.ts';
import { markVerified, type Verified } from './verified.ts';

/** The verified issuers of a grant: officers in the grant's issuer order, or the re-sealing device. */
export type GrantAuthority =
  | { readonly kind: 'officer'; readonly officers: readonly VerifiedOfficer[] }
  | { readonly kind: 'device'; readonly device: VerifiedDevice };

export interface GrantCheckInput {
  readonly grant: KeyGrant;
  readonly epoch: VerifiedEpoch;
  readonly recipient: VerifiedDevice;
  readonly authority: GrantAuthority;
}

function issuerKeys(grant: KeyGrant, input: GrantCheckInput): Uint8Array[] {
  const { issuer } = grant;
  const { authority } = input;
  if (issuer.kind === 'officer' && authority.kind === 'officer') {
    if (authority.officers.length !== issuer.officers.length) throw new VerificationError('verify.untrusted_key', 'key-grant: officers do not match its issuers');
    return issuer.officers.map((user, i) => {
      const officer = authority.officers[i]!;
      checkOfficerActsFor('key-grant', officer, user, input.epoch.epoch.node);
      return officer.signingKey.ed25519;
    });
  }
  if (issuer.kind === 'device' && authority.kind === 'device') {
    const device = authority.device.record;
    if (device.device !== issuer.device) throw new VerificationError('verify.untrusted_key', 'key-grant: device is not its issuer');
    const recipient = input.recipient.record;
    if (device.user !== recipient.user || device.node !== recipient.node || device.device === recipient.device) {
      throw new VerificationError('verify.untrusted_key', "key-grant: a device may re-seal only to its own user's other devices");
    }
    return [device.signingKey];
  }
  throw new VerificationError('verify.untrusted_key', 'key-grant: authority is not of the issuer kind');
}

/**
 * Verifies a grant: it names `epoch` (office, level, number, key hash) and `recipient` (`verify.record_invalid`),
 * its issuers are the given verified officers of the epoch's node, or a verified device of the recipient's own user
 * (`verify.untrusted_key`), and each issuer's signature verifies (`verify.bad_signature`).
 *
 * @example
 * ```ts
 * await verifyKeyGrant(p, { grant, epoch, recipient: thisDevice, authority: { kind: 'officer', officers: [officer] } });
 * ```
 */
export async function verifyKeyGrant(p: CryptoProvider, input: GrantCheckInput): Promise<Verified<KeyGrant>> {
  const { grant } = input;
  const e = input.epoch.epoch;
  if (grant.office !== e.office || grant.level !== e.level || grant.epoch !== e.epoch || !equalBytes(grant.keyHash, input.epoch.keyHash)) {
    throw new VerificationError('verify.record_invalid', 'key-grant: not a grant for this epoch');
  }
  if (grant.user !== input.recipient.record.user || grant.device !== input.recipient.record.device) {
    throw new VerificationError('verify.record_invalid', 'key-grant: not a grant for this device');
  }
  await verifyKeyGrantSignatures(p, grant, issuerKeys(grant, input));
  return markVerified(grant);
}
