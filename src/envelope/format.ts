// Constants of envelope format v1: the version byte, every domain-separation label, the size buckets and caps.
// docs/envelope.md documents each; changing any of them is a new format version.
import { utf8 } from '../bytes.ts';
import type { Marking } from '../cable/types.ts';
import { AeadIds, KdfIds, KemIds } from '../crypto/hpke.ts';

/** First byte of every serialized envelope, and `v` inside every structure of this format. */
export const ENVELOPE_VERSION = 1;

/** The one suite (DESIGN.md "The envelope"): [KEM, KDF, AEAD] ids of RFC 9180 §7. */
export const SUITE = [KemIds.XWING, KdfIds.HKDF_SHA256, AeadIds.AES_256_GCM] as const;

/** Labels: each use of a key or hash gets its own, so no value can be replayed in another role. */
export const Labels = {
  contentSalt: 'chancery/v1 content',
  contentKey: 'chancery/v1 content-key',
  contentNonce: 'chancery/v1 content-nonce',
  commitmentKey: 'chancery/v1 commitment-key',
  commitment: 'chancery/v1 commitment',
  officeWrap: 'chancery/v1 office-wrap',
  releaseWrap: 'chancery/v1 release-wrap',
  signature: 'chancery/v1 cable-signature',
} as const;

export const LabelBytes = Object.fromEntries(Object.entries(Labels).map(([k, v]) => [k, utf8(v)])) as Record<
  keyof typeof Labels,
  Uint8Array
>;

/** Signature roles (DESIGN.md "Release"): both must sign a released cable. */
export const Roles = ['drafter', 'releaser'] as const;
export type Role = (typeof Roles)[number];

/** Smallest padded plaintext: a one-line cable and a one-page cable look alike. */
export const MIN_BUCKET = 1024;
/** Largest padded plaintext the format accepts (the cable limits stay well under it). */
export const MAX_CONTENT_BYTES = 64 * 1024 * 1024;
/** Largest serialized envelope the decoder reads. */
export const MAX_ENVELOPE_BYTES = MAX_CONTENT_BYTES + 4 * 1024 * 1024;
/** Most offices one cable may be wrapped to (matches the cable's addressee limit plus the originator). */
export const MAX_WRAPS = 501;

/**
 * The padded size of a plaintext of `length` bytes: Padmé (Nikitin et al., PETS 2019) over a 1 KiB floor —
 * at most ~12 % overhead and O(log log n) bits of length leakage.
 */
export function paddedLength(length: number): number {
  const l = Math.max(length, MIN_BUCKET);
  const e = Math.floor(Math.log2(l));
  const s = Math.floor(Math.log2(e)) + 1;
  const lastBits = e - s;
  const mask = 2 ** lastBits;
  return Math.ceil(l / mask) * mask;
}

/**
 * Whether a cable's content key is split with the release service (DESIGN.md step 4). LIMITED and above always;
 * an UNCLASSIFIED cable too when it carries caveats or releasability, since only the release service checks those
 * per reader — an office key alone must never be enough to read past a handling restriction.
 */
export function requiresRelease(marking: Marking): boolean {
  return marking.classification !== 'UNCLASSIFIED' || marking.caveats.length > 0 || marking.releasableTo.length > 0;
}
