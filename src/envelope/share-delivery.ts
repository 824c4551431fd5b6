// Handing a reader's device its second share (DESIGN.md step 4): the release service never returns s2 in clear —
// it seals it to that device's own X-Wing key, bound to the cable, office, user and device, so a share captured in
// transit or handed to another device opens nothing.
import type { CableId, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { OpenError } from '../errors.ts';
import { encodeCanonical } from '../encoding/canonical-cbor.ts';
import { CHANCERY_SUITE, hpkeOpen, hpkeSeal, type HpkeSealed } from '../crypto/hpke.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { ENVELOPE_VERSION } from './format.ts';
import { CONTENT_KEY_LENGTH } from './content.ts';

const LABEL = 'chancery/v1 release-share';
const EMPTY = new Uint8Array(0);

/** Whom a delivered share is for. */
export interface ShareRecipient {
  readonly cable: CableId;
  readonly office: OfficeCode;
  readonly user: UserId;
  readonly device: DeviceId;
}

function shareInfo(r: ShareRecipient): Uint8Array {
  return encodeCanonical({ label: LABEL, v: ENVELOPE_VERSION, cable: r.cable, office: r.office, user: r.user, device: r.device });
}

/** The release service seals s2 to the reader's device encryption key (X-Wing public key, 1216 bytes). */
export async function sealShareForDevice(p: CryptoProvider, share: Uint8Array, deviceEncryptionKey: Uint8Array, to: ShareRecipient): Promise<HpkeSealed> {
  if (share.length !== CONTENT_KEY_LENGTH) throw new RangeError('a release share is 32 bytes');
  return hpkeSeal(p, CHANCERY_SUITE, deviceEncryptionKey, shareInfo(to), EMPTY, share);
}

/** The device opens its delivered share with its X-Wing secret; any failure is `open.failed`. */
export async function openShareOnDevice(p: CryptoProvider, sealed: HpkeSealed, deviceEncryptionSecret: Uint8Array, to: ShareRecipient): Promise<Uint8Array> {
  try {
    const share = await hpkeOpen(p, CHANCERY_SUITE, deviceEncryptionSecret, sealed, shareInfo(to), EMPTY);
    if (share.length !== CONTENT_KEY_LENGTH) throw new OpenError('open.failed', 'cable could not be opened');
    return share;
  } catch (cause) {
    throw new OpenError('open.failed', 'cable could not be opened', { cause });
  }
}
