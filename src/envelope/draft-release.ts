// The release bundle of a sealed draft (docs/decisions/015-release-gated-drafts.md): from LIMITED up, or with any
// caveat or releasability, a draft is sealed to the office epoch key in HPKE PSK mode, and the PSK — the draft
// share — travels only inside this bundle, sealed to the release service of the node hosting the originating
// office. So no office key, stolen or not, opens such a draft without the release service, which hands the share
// out (sealed to one device) only after it logged the read (DESIGN.md "The envelope" step 4).
import type { CableId, Classification, NodeName, OfficeCode } from '../cable/types.ts';
import { equalBytes, utf8 } from '../bytes.ts';
import { OpenError } from '../errors.ts';
import { encodeCanonical } from '../encoding/canonical-cbor.ts';
import { CHANCERY_SUITE, hpkeOpen, hpkeSeal, publicKeyOf, type Psk } from '../crypto/hpke.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { ENVELOPE_VERSION } from './format.ts';
import type { ReleaseServiceKey } from './seal.ts';

const RELEASE_LABEL = 'chancery/v1 draft-release';
const PSK_ID = utf8('chancery/v1 draft-share');
const EMPTY = new Uint8Array(0);

/** A draft share is a 32-byte PSK: RFC 9180 §5.1.2 asks for at least 32 bytes of entropy. */
export const DRAFT_SHARE_LENGTH = 32;
/** The sealed share: 32 bytes and the AES-256-GCM tag. */
export const DRAFT_RELEASE_CIPHERTEXT_LENGTH = DRAFT_SHARE_LENGTH + 16;

/** The draft share sealed to one release service; `keyHash` = SHA-256 of that service's X-Wing public key. */
export interface DraftRelease {
  readonly node: NodeName;
  readonly keyHash: Uint8Array;
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
}

/** What a bundle is bound to: the draft's clear id, office and level. */
export interface DraftBinding {
  readonly id: CableId;
  readonly from: OfficeCode;
  readonly level: Classification;
}

/** HPKE `info` of the bundle: moved to another draft, office, level or node, it fails to open. */
function releaseInfo(d: DraftBinding, node: NodeName): Uint8Array {
  return encodeCanonical({ label: RELEASE_LABEL, v: ENVELOPE_VERSION, id: d.id, from: d.from, level: d.level, node });
}

/** The PSK of the office seal (RFC 9180 mode_psk): the draft share under a fixed, Chancery-specific id. */
export function draftSharePsk(share: Uint8Array): Psk {
  if (share.length !== DRAFT_SHARE_LENGTH) throw new RangeError('a draft share is 32 bytes');
  return { psk: share, pskId: PSK_ID };
}

/** Seals the draft share to the release service of the originating office's node. */
export async function sealDraftRelease(p: CryptoProvider, d: DraftBinding, service: ReleaseServiceKey, share: Uint8Array): Promise<DraftRelease> {
  if (share.length !== DRAFT_SHARE_LENGTH) throw new RangeError('a draft share is 32 bytes');
  const sealed = await hpkeSeal(p, CHANCERY_SUITE, service.publicKey, releaseInfo(d, service.node), EMPTY, share);
  return { node: service.node, keyHash: p.sha256(service.publicKey), enc: sealed.enc, cipherText: sealed.cipherText };
}

/**
 * For a node's release service: the draft share in the bundle. The caller checks policy and logs the read before it
 * hands the share out, sealed to a device (share-delivery.ts), and wipes it. `open.not_addressed` when the bundle is
 * for another node or release key; any other failure is `open.failed`.
 */
export async function openDraftRelease(p: CryptoProvider, d: DraftBinding, release: DraftRelease, node: NodeName, releaseSecretKey: Uint8Array): Promise<Uint8Array> {
  if (release.node !== node || !equalBytes(release.keyHash, p.sha256(await publicKeyOf(p, releaseSecretKey)))) {
    throw new OpenError('open.not_addressed', 'the draft share is sealed to another release service');
  }
  try {
    const share = await hpkeOpen(p, CHANCERY_SUITE, releaseSecretKey, release, releaseInfo(d, node), EMPTY);
    if (share.length !== DRAFT_SHARE_LENGTH) throw new OpenError('open.failed', 'draft share could not be opened');
    return share;
  } catch (cause) {
    throw new OpenError('open.failed', 'draft share could not be opened', { cause });
  }
}
