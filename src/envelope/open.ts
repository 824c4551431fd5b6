// Opening a cable (envelope steps 3–5, reader side) and, for a node's release service, opening the bundle of
// second shares. Failures after verification are one coarse OpenError: no oracle on which step failed.
import type { Cable, NodeName, OfficeCode } from '../cable/types.ts';
import { parseOfficeCode } from '../cable/ids.ts';
import { decodeProtectedPart } from '../cable/codec.ts';
import { equalBytes, wipe, xorBytes } from '../bytes.ts';
import { OpenError } from '../errors.ts';
import { decodeCanonical } from '../encoding/canonical-cbor.ts';
import { Fields } from '../encoding/fields.ts';
import { CHANCERY_SUITE, hpkeOpen, publicKeyOf } from '../crypto/hpke.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { checkCommitment, CONTENT_KEY_LENGTH, decryptContent, deriveContentKeys, destroyContentKeys } from './content.ts';
import { officeWrapInfo, releaseWrapInfo } from './wrap-info.ts';
import { requiresRelease } from './format.ts';
import type { VerifiedEnvelope } from './verify.ts';

const EMPTY = new Uint8Array(0);

function failed(cause?: unknown): OpenError {
  return new OpenError('open.failed', 'cable could not be opened', cause === undefined ? undefined : { cause });
}

/** The office key a reader's device holds (from a key grant) and, LIMITED and above, the released second share. */
export interface OpenKeys {
  readonly office: OfficeCode;
  readonly epoch: number;
  /** The office epoch's X-Wing secret (32-byte seed). */
  readonly secretKey: Uint8Array;
  /** s2 for this office, handed out by the release service after it logged the read. */
  readonly releaseShare?: Uint8Array;
}

/**
 * Opens a verified envelope as a member of `keys.office`. Checks the wrap's key against the manifest, recombines
 * K from the two shares where the cable is split, checks the key commitment before decrypting, and returns the
 * whole cable. The content key is wiped before returning.
 */
export async function openCable(p: CryptoProvider, verified: VerifiedEnvelope, keys: OpenKeys): Promise<Cable> {
  const { envelope, routing, routingDigest } = verified;
  const index = envelope.header.manifest.findIndex((m) => m.office === keys.office);
  const entry = envelope.header.manifest[index];
  const wrap = envelope.wraps[index];
  if (!entry || !wrap) throw new OpenError('open.not_addressed', `cable is not addressed to ${keys.office}`);
  if (entry.epoch !== keys.epoch || !equalBytes(entry.keyHash, p.sha256(await publicKeyOf(p, keys.secretKey)))) {
    throw new OpenError('open.failed', `cable was sealed to another key epoch of ${keys.office} (epoch ${entry.epoch})`);
  }
  const split = requiresRelease(routing.marking);
  if (split && keys.releaseShare === undefined) throw new OpenError('open.share_required', 'this cable opens only with a share from the release service');
  let opened: Uint8Array;
  try {
    const info = officeWrapInfo(routing.id, routingDigest, entry.office, entry.level, entry.epoch);
    opened = await hpkeOpen(p, CHANCERY_SUITE, keys.secretKey, wrap, info, EMPTY);
  } catch (cause) {
    throw failed(cause);
  }
  if (opened.length !== CONTENT_KEY_LENGTH || (split && keys.releaseShare!.length !== CONTENT_KEY_LENGTH)) throw failed();
  const contentKey = split ? xorBytes(opened, keys.releaseShare!) : opened;
  const derived = deriveContentKeys(p, contentKey);
  try {
    checkCommitment(p, derived, routingDigest, envelope.header.commitment);
    const plaintext = await decryptContent(p, derived, envelope.header.routing, envelope.content);
    let content;
    try {
      content = decodeProtectedPart(plaintext);
    } catch (cause) {
      // Saying "the key was right but the text malformed" would be a partitioning oracle: one coarse error.
      throw failed(cause);
    } finally {
      wipe(plaintext);
    }
    return { header: routing, content };
  } finally {
    destroyContentKeys(derived);
    wipe(opened, contentKey);
  }
}

/**
 * For a node's release service: opens the bundle of second shares sealed to it and returns them by office.
 * The caller checks policy and appends the read to the audit log before handing any share out.
 */
export async function openReleaseShares(
  p: CryptoProvider,
  verified: VerifiedEnvelope,
  node: NodeName,
  releaseSecretKey: Uint8Array,
): Promise<Map<OfficeCode, Uint8Array>> {
  const { envelope, routing, routingDigest } = verified;
  const index = envelope.header.release.findIndex((r) => r.node === node);
  const entry = envelope.header.release[index];
  const wrap = envelope.releaseWraps[index];
  if (!entry || !wrap) throw new OpenError('open.not_addressed', `cable holds no shares for ${node}`);
  if (!equalBytes(entry.keyHash, p.sha256(await publicKeyOf(p, releaseSecretKey)))) {
    throw new OpenError('open.failed', 'cable was sealed to another release-service key');
  }
  let bundle: Uint8Array;
  try {
    bundle = await hpkeOpen(p, CHANCERY_SUITE, releaseSecretKey, wrap, releaseWrapInfo(routing.id, routingDigest, node), EMPTY);
  } catch (cause) {
    throw failed(cause);
  }
  try {
    const bundleFields = Fields.of('shares', decodeCanonical(bundle, bundle.length), ['shares']);
    const shares = bundleFields.mapList('shares', entry.offices.length, ['office', 'share'], (m) => ({
      office: m.id('office', parseOfficeCode),
      share: m.bytes('share', CONTENT_KEY_LENGTH),
    }));
    if (shares.length !== entry.offices.length || shares.some((s, i) => s.office !== entry.offices[i])) throw failed();
    return new Map(shares.map((s) => [s.office, s.share]));
  } catch (cause) {
    throw cause instanceof OpenError ? cause : failed(cause);
  } finally {
    wipe(bundle);
  }
}
