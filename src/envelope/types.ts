// The structures of a sealed cable (envelope format v1). docs/envelope.md describes each field.
import type { CableId, Classification, DeviceId, NodeName, OfficeCode, UserId } from '../cable/types.ts';
import type { Role } from './format.ts';

/** One office the content key is wrapped to: which key, so a reader can check it against the key directory. */
export interface ManifestEntry {
  readonly office: OfficeCode;
  readonly node: NodeName;
  readonly level: Classification;
  readonly epoch: number;
  /** SHA-256 of the office epoch's X-Wing public key. */
  readonly keyHash: Uint8Array;
}

/** One release service holding second shares: the node, its key, and the offices whose shares it carries. */
export interface ReleaseEntry {
  readonly node: NodeName;
  readonly keyHash: Uint8Array;
  readonly offices: readonly OfficeCode[];
}

/** The signed header: everything a node routes on and every reader checks before showing a word. */
export interface SealedHeader {
  /** The canonical routing header (cable/codec.ts), kept as bytes so its digest is unambiguous. */
  readonly routing: Uint8Array;
  /** HMAC under a key derived from the content key: one ciphertext opens to one text only. */
  readonly commitment: Uint8Array;
  readonly manifest: readonly ManifestEntry[];
  /** Empty when the cable needs no release (see `requiresRelease`); otherwise one entry per node hosting an addressed office. */
  readonly release: readonly ReleaseEntry[];
  readonly contentLength: number;
  readonly contentDigest: Uint8Array;
}

/** An HPKE-sealed key: for an office, the content key (no release needed) or its first share. */
export interface OfficeWrap {
  readonly office: OfficeCode;
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
}

/** An HPKE-sealed bundle of second shares for all the offices one release service hosts. */
export interface ReleaseWrap {
  readonly node: NodeName;
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
}

/** A role-labelled Ed25519 signature by a device over the header digest. */
export interface CableSignature {
  readonly role: Role;
  readonly user: UserId;
  readonly device: DeviceId;
  readonly signature: Uint8Array;
}

/** A whole envelope as parsed from (or about to become) bytes. */
export interface Envelope {
  /** Canonical bytes of the SealedHeader: what signatures cover. */
  readonly headerBytes: Uint8Array;
  readonly header: SealedHeader;
  readonly signatures: readonly CableSignature[];
  readonly content: Uint8Array;
  readonly wraps: readonly OfficeWrap[];
  readonly releaseWraps: readonly ReleaseWrap[];
}

/** Identifies a cable and its envelope bytes for idempotent delivery. */
export interface EnvelopeIdentity {
  readonly id: CableId;
  /** SHA-256 of the serialized envelope. */
  readonly envelopeHash: Uint8Array;
}
