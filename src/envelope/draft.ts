// A draft in transit between a drafter and the releasing officers of the originating office (docs/node.md
// "Release workflow"): the whole cable, header and content, HPKE-sealed to the office's epoch key at the draft's
// level and signed by the drafter's device. The node stores it without being able to read it. A draft whose
// marking requires release (LIMITED and up, or any caveat or releasability: `requiresRelease`) is sealed in PSK
// mode under a draft share that only the release service holds (draft-release.ts), so every device's opening of it
// goes through the release service and the audit log (docs/decisions/015-release-gated-drafts.md).
import type { Cable, CableId, Classification, DeviceId, Marking, OfficeCode, UserId } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { decodeProtectedPart, decodeRoutingHeader, encodeProtectedPart, encodeRoutingHeader } from '../cable/codec.ts';
import { parseCableId, parseDeviceId, parseNodeName, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { CableLimits, CablePatterns } from '../cable/limits.ts';
import { concatBytes, wipe } from '../bytes.ts';
import { DecodeError, OpenError, VerificationError } from '../errors.ts';
import { decodeCanonical, encodeCanonical, type CborValue } from '../encoding/canonical-cbor.ts';
import { Fields, decodeVersioned } from '../encoding/fields.ts';
import { CHANCERY_SUITE, setupRecipient, setupSender, type HpkeContext } from '../crypto/hpke.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing } from '../crypto/xwing.ts';
import { ENVELOPE_VERSION, MAX_CONTENT_BYTES, requiresRelease } from './format.ts';
import { DRAFT_RELEASE_CIPHERTEXT_LENGTH, DRAFT_SHARE_LENGTH, draftSharePsk, sealDraftRelease, type DraftRelease } from './draft-release.ts';
import type { ReleaseServiceKey } from './seal.ts';

const LABEL = 'chancery/v1 draft';
const SIGNATURE_LABEL = 'chancery/v1 draft-signature';
const EMPTY = new Uint8Array(0);

/**
 * The clear part of a sealed draft: enough for the node to file it, check who wrote it, and decide who may open
 * it (the marking, as a released cable's routing header shows it). `release` is present exactly when the marking
 * requires release.
 */
export interface SealedDraft {
  readonly id: CableId;
  readonly from: OfficeCode;
  readonly level: Classification;
  readonly caveats: readonly string[];
  readonly releasableTo: readonly string[];
  readonly epoch: number;
  readonly drafter: UserId;
  readonly device: DeviceId;
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
  readonly release: DraftRelease | null;
  readonly signature: Uint8Array;
}

/** The draft's marking, from its clear fields. */
export function draftMarking(d: Pick<SealedDraft, 'level' | 'caveats' | 'releasableTo'>): Marking {
  return { classification: d.level, caveats: d.caveats, releasableTo: d.releasableTo };
}

function draftInfo(d: Pick<SealedDraft, 'id' | 'from' | 'level' | 'epoch'>): Uint8Array {
  return encodeCanonical({ label: LABEL, v: ENVELOPE_VERSION, id: d.id, from: d.from, level: d.level, epoch: d.epoch });
}

function releaseValue(r: DraftRelease): CborValue {
  return { node: r.node, keyHash: r.keyHash, enc: r.enc, cipherText: r.cipherText };
}

function unsigned(d: Omit<SealedDraft, 'signature'>) {
  return {
    v: ENVELOPE_VERSION, id: d.id, from: d.from, level: d.level, caveats: [...d.caveats], releasableTo: [...d.releasableTo], epoch: d.epoch,
    drafter: d.drafter, device: d.device, enc: d.enc, cipherText: d.cipherText, ...(d.release ? { release: releaseValue(d.release) } : {}),
  };
}

/** What the drafter's device signs: label ‖ 0 ‖ SHA-256 of the unsigned draft's canonical bytes (its bundle included). */
export function draftSignatureMessage(p: CryptoProvider, d: Omit<SealedDraft, 'signature'>): Uint8Array {
  return concatBytes(new TextEncoder().encode(SIGNATURE_LABEL), Uint8Array.of(0), p.sha256(encodeCanonical(unsigned(d))));
}

export function encodeSealedDraft(d: SealedDraft): Uint8Array {
  return encodeCanonical({ ...unsigned(d), signature: d.signature });
}

const RELEASE_KEYS = ['node', 'keyHash', 'enc', 'cipherText'];

/** Parses a sealed draft; a bundle where the marking needs none, or none where it does, is `encoding.malformed`. */
export function decodeSealedDraft(bytes: Uint8Array): SealedDraft {
  const f: Fields = decodeVersioned(bytes, MAX_CONTENT_BYTES + 64 * 1024, 'draft', ENVELOPE_VERSION, [
    'v', 'id', 'from', 'level', 'caveats', 'releasableTo', 'epoch', 'drafter', 'device', 'enc', 'cipherText', 'signature',
  ], ['release']);
  const release = f.has('release') ? f.map('release', RELEASE_KEYS) : null;
  const d: SealedDraft = {
    id: f.id('id', parseCableId),
    from: f.id('from', parseOfficeCode),
    level: f.oneOf('level', Classifications),
    caveats: f.codeList('caveats', CableLimits.caveatsMax, CablePatterns.caveat),
    releasableTo: f.codeList('releasableTo', CableLimits.releasableToMax, CablePatterns.community),
    epoch: f.uint('epoch', 0xffffffff),
    drafter: f.id('drafter', parseUserId),
    device: f.id('device', parseDeviceId),
    enc: f.bytes('enc', XWing.cipherTextLength),
    cipherText: f.bytesUpTo('cipherText', MAX_CONTENT_BYTES + 64 * 1024),
    release: release && {
      node: release.id('node', parseNodeName),
      keyHash: release.bytes('keyHash', 32),
      enc: release.bytes('enc', XWing.cipherTextLength),
      cipherText: release.bytes('cipherText', DRAFT_RELEASE_CIPHERTEXT_LENGTH),
    },
    signature: f.bytes('signature', 64),
  };
  if (requiresRelease(draftMarking(d)) !== (d.release !== null)) {
    throw new DecodeError('encoding.malformed', 'draft: a release bundle is required exactly when the marking requires release');
  }
  return d;
}

/** The office seal's HPKE context: PSK mode under the draft share when there is one, base mode otherwise. */
function officeOptions(share: Uint8Array | null) {
  return share ? { psk: draftSharePsk(share) } : {};
}

/**
 * Seals and signs a draft to the originating office's epoch key for the cable's level. When the marking requires
 * release, a fresh draft share is the PSK of that seal and goes, sealed, to `releaseService` — the release service
 * of the node hosting the originating office, from its root-signed node certificate.
 */
export async function sealDraft(
  p: CryptoProvider,
  cable: Cable,
  officeKey: { readonly epoch: number; readonly publicKey: Uint8Array },
  releaseService: ReleaseServiceKey,
  drafter: { readonly device: DeviceId; sign(message: Uint8Array): Promise<Uint8Array> },
): Promise<SealedDraft> {
  const h = cable.header;
  const plaintext = encodeCanonical({ routing: encodeRoutingHeader(h), content: encodeProtectedPart(cable.content) });
  const { classification: level, caveats, releasableTo } = h.marking;
  const meta = { id: h.id, from: h.from, level, caveats, releasableTo, epoch: officeKey.epoch };
  const share = requiresRelease(h.marking) ? p.randomBytes(DRAFT_SHARE_LENGTH) : null;
  let context: HpkeContext | undefined;
  try {
    const release = share ? await sealDraftRelease(p, meta, releaseService, share) : null;
    const sender = await setupSender(p, CHANCERY_SUITE, officeKey.publicKey, draftInfo(meta), officeOptions(share));
    context = sender.context;
    const body = { ...meta, drafter: h.drafter, device: drafter.device, enc: sender.enc, cipherText: await context.seal(EMPTY, plaintext), release };
    return { ...body, signature: await drafter.sign(draftSignatureMessage(p, body)) };
  } finally {
    context?.destroy();
    wipe(plaintext, ...(share ? [share] : []));
  }
}

/** Checks the drafter's device signature (the caller resolves the device's Ed25519 key). */
export async function verifyDraftSignature(p: CryptoProvider, d: SealedDraft, drafterKey: Uint8Array): Promise<void> {
  if (!(await p.ed25519Verify(drafterKey, draftSignatureMessage(p, d), d.signature))) {
    throw new VerificationError('verify.bad_signature', 'draft signature does not verify');
  }
}

async function openOfficeSeal(p: CryptoProvider, d: SealedDraft, epochSecret: Uint8Array, share: Uint8Array | null): Promise<Uint8Array> {
  let context: HpkeContext | undefined;
  try {
    context = await setupRecipient(p, CHANCERY_SUITE, d.enc, epochSecret, draftInfo(d), officeOptions(share));
    return await context.open(EMPTY, d.cipherText);
  } catch (cause) {
    throw new OpenError('open.failed', 'draft could not be opened', { cause });
  } finally {
    context?.destroy();
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Opens a draft with the office epoch secret and, for a draft with a release bundle, the draft share the release
 * service handed this device (`open.share_required` without it). The cable inside must match the draft's clear
 * fields; every other failure is `open.failed`.
 */
export async function openDraft(p: CryptoProvider, d: SealedDraft, epochSecret: Uint8Array, draftShare?: Uint8Array): Promise<Cable> {
  if (d.release && draftShare === undefined) throw new OpenError('open.share_required', 'this draft opens only with its share from the release service');
  if (d.release && draftShare?.length !== DRAFT_SHARE_LENGTH) throw new OpenError('open.failed', 'draft could not be opened');
  const plaintext = await openOfficeSeal(p, d, epochSecret, d.release ? draftShare! : null);
  try {
    const f = Fields.of('draft plaintext', decodeCanonical(plaintext, plaintext.length), ['routing', 'content']);
    const header = decodeRoutingHeader(f.bytesUpTo('routing', 64 * 1024));
    const content = decodeProtectedPart(f.bytesUpTo('content', MAX_CONTENT_BYTES));
    const m = header.marking;
    const labelled = header.id === d.id && header.from === d.from && header.drafter === d.drafter &&
      m.classification === d.level && sameList(m.caveats, d.caveats) && sameList(m.releasableTo, d.releasableTo);
    if (!labelled) throw new OpenError('open.failed', 'draft contents do not match its label');
    return { header, content };
  } catch (cause) {
    throw cause instanceof OpenError ? cause : new OpenError('open.failed', 'draft could not be opened', { cause });
  } finally {
    wipe(plaintext);
  }
}
