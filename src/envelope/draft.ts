// A draft in transit between a drafter and the releasing officers of the originating office (docs/node.md
// "Release workflow"): the whole cable, header and content, HPKE-sealed to the office's epoch key at the draft's
// level and signed by the drafter's device. The node stores it without being able to read it.
import type { Cable, CableId, Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { decodeProtectedPart, decodeRoutingHeader, encodeProtectedPart, encodeRoutingHeader } from '../cable/codec.ts';
import { parseCableId, parseDeviceId, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { concatBytes, wipe } from '../bytes.ts';
import { OpenError, VerificationError } from '../errors.ts';
import { decodeCanonical, encodeCanonical } from '../encoding/canonical-cbor.ts';
import { Fields, decodeVersioned } from '../encoding/fields.ts';
import { CHANCERY_SUITE, hpkeOpen, hpkeSeal } from '../crypto/hpke.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { XWing } from '../crypto/xwing.ts';
import { ENVELOPE_VERSION, MAX_CONTENT_BYTES } from './format.ts';

const LABEL = 'chancery/v1 draft';
const SIGNATURE_LABEL = 'chancery/v1 draft-signature';
const EMPTY = new Uint8Array(0);

/** The clear part of a sealed draft: enough for the node to file it and check who wrote it. */
export interface SealedDraft {
  readonly id: CableId;
  readonly from: OfficeCode;
  readonly level: Classification;
  readonly epoch: number;
  readonly drafter: UserId;
  readonly device: DeviceId;
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
  readonly signature: Uint8Array;
}

function draftInfo(d: Pick<SealedDraft, 'id' | 'from' | 'level' | 'epoch'>): Uint8Array {
  return encodeCanonical({ label: LABEL, v: ENVELOPE_VERSION, id: d.id, from: d.from, level: d.level, epoch: d.epoch });
}

function unsigned(d: Omit<SealedDraft, 'signature'>) {
  return { v: ENVELOPE_VERSION, id: d.id, from: d.from, level: d.level, epoch: d.epoch, drafter: d.drafter, device: d.device, enc: d.enc, cipherText: d.cipherText };
}

/** What the drafter's device signs: label ‖ 0 ‖ SHA-256 of the unsigned draft's canonical bytes. */
export function draftSignatureMessage(p: CryptoProvider, d: Omit<SealedDraft, 'signature'>): Uint8Array {
  return concatBytes(new TextEncoder().encode(SIGNATURE_LABEL), Uint8Array.of(0), p.sha256(encodeCanonical(unsigned(d))));
}

export function encodeSealedDraft(d: SealedDraft): Uint8Array {
  return encodeCanonical({ ...unsigned(d), signature: d.signature });
}

export function decodeSealedDraft(bytes: Uint8Array): SealedDraft {
  const f: Fields = decodeVersioned(bytes, MAX_CONTENT_BYTES + 64 * 1024, 'draft', ENVELOPE_VERSION, [
    'v', 'id', 'from', 'level', 'epoch', 'drafter', 'device', 'enc', 'cipherText', 'signature',
  ]);
  return {
    id: f.id('id', parseCableId),
    from: f.id('from', parseOfficeCode),
    level: f.oneOf('level', Classifications),
    epoch: f.uint('epoch', 0xffffffff),
    drafter: f.id('drafter', parseUserId),
    device: f.id('device', parseDeviceId),
    enc: f.bytes('enc', XWing.cipherTextLength),
    cipherText: f.bytesUpTo('cipherText', MAX_CONTENT_BYTES + 64 * 1024),
    signature: f.bytes('signature', 64),
  };
}

/** Seals and signs a draft to the originating office's epoch key for the cable's level. */
export async function sealDraft(
  p: CryptoProvider,
  cable: Cable,
  officeKey: { readonly epoch: number; readonly publicKey: Uint8Array },
  drafter: { readonly device: DeviceId; sign(message: Uint8Array): Promise<Uint8Array> },
): Promise<SealedDraft> {
  const h = cable.header;
  const plaintext = encodeCanonical({ routing: encodeRoutingHeader(h), content: encodeProtectedPart(cable.content) });
  const meta = { id: h.id, from: h.from, level: h.marking.classification, epoch: officeKey.epoch };
  const sealed = await hpkeSeal(p, CHANCERY_SUITE, officeKey.publicKey, draftInfo(meta), EMPTY, plaintext);
  wipe(plaintext);
  const body = { ...meta, drafter: h.drafter, device: drafter.device, enc: sealed.enc, cipherText: sealed.cipherText };
  return { ...body, signature: await drafter.sign(draftSignatureMessage(p, body)) };
}

/** Checks the drafter's device signature (the caller resolves the device's Ed25519 key). */
export async function verifyDraftSignature(p: CryptoProvider, d: SealedDraft, drafterKey: Uint8Array): Promise<void> {
  if (!(await p.ed25519Verify(drafterKey, draftSignatureMessage(p, d), d.signature))) {
    throw new VerificationError('verify.bad_signature', 'draft signature does not verify');
  }
}

/** Opens a draft with the office epoch secret; the cable inside must match the draft's clear fields. */
export async function openDraft(p: CryptoProvider, d: SealedDraft, epochSecret: Uint8Array): Promise<Cable> {
  let plaintext: Uint8Array;
  try {
    plaintext = await hpkeOpen(p, CHANCERY_SUITE, epochSecret, { enc: d.enc, cipherText: d.cipherText }, draftInfo(d), EMPTY);
  } catch (cause) {
    throw new OpenError('open.failed', 'draft could not be opened', { cause });
  }
  try {
    const f = Fields.of('draft plaintext', decodeCanonical(plaintext, plaintext.length), ['routing', 'content']);
    const header = decodeRoutingHeader(f.bytesUpTo('routing', 64 * 1024));
    const content = decodeProtectedPart(f.bytesUpTo('content', MAX_CONTENT_BYTES));
    if (header.id !== d.id || header.from !== d.from || header.marking.classification !== d.level || header.drafter !== d.drafter) {
      throw new OpenError('open.failed', 'draft contents do not match its label');
    }
    return { header, content };
  } finally {
    wipe(plaintext);
  }
}
