// HPKE (RFC 9180) composed from the provider's primitives: base and PSK modes, DHKEM(X25519, HKDF-SHA256) for the
// RFC's own vectors and X-Wing (KEM 0x647A) for everything Chancery seals. One-shot seal/open plus a context for
// multi-message use and exports. Byte-compatible with @hpke/core (test/crypto/hpke.test.ts).
import { concatBytes, equalBytes, i2osp, utf8, wipe } from '../bytes.ts';
import { CryptoError } from '../errors.ts';
import type { AeadAlgorithm, CryptoProvider } from './provider.ts';
import { XWing, xwingDecapsulate, xwingEncapsulate, xwingKeyPairFromSeed } from './xwing.ts';

export const KemIds = { DHKEM_X25519_HKDF_SHA256: 0x0020, XWING: XWing.kemId } as const;
export const KdfIds = { HKDF_SHA256: 0x0001 } as const;
export const AeadIds = { AES_128_GCM: 0x0001, AES_256_GCM: 0x0002, CHACHA20_POLY1305: 0x0003, EXPORT_ONLY: 0xffff } as const;
export const Modes = { BASE: 0x00, PSK: 0x01 } as const;

export type KemId = (typeof KemIds)[keyof typeof KemIds];
export type AeadId = (typeof AeadIds)[keyof typeof AeadIds];
export type Mode = (typeof Modes)[keyof typeof Modes];

export interface HpkeSuite {
  readonly kem: KemId;
  readonly kdf: typeof KdfIds.HKDF_SHA256;
  readonly aead: AeadId;
}

/** The one suite Chancery uses everywhere (DESIGN.md "The envelope"): X-Wing, HKDF-SHA256, AES-256-GCM. */
export const CHANCERY_SUITE: HpkeSuite = { kem: KemIds.XWING, kdf: KdfIds.HKDF_SHA256, aead: AeadIds.AES_256_GCM };

const AEAD: Record<AeadId, { readonly alg: AeadAlgorithm | null; readonly nk: number; readonly nn: number }> = {
  [AeadIds.AES_128_GCM]: { alg: 'aes-128-gcm', nk: 16, nn: 12 },
  [AeadIds.AES_256_GCM]: { alg: 'aes-256-gcm', nk: 32, nn: 12 },
  [AeadIds.CHACHA20_POLY1305]: { alg: 'chacha20-poly1305', nk: 32, nn: 12 },
  [AeadIds.EXPORT_ONLY]: { alg: null, nk: 0, nn: 0 },
};
const NH = 32;
const HPKE_V1 = utf8('HPKE-v1');
const EMPTY = new Uint8Array(0);

function labeledExtract(p: CryptoProvider, suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return p.hkdfExtract(salt, concatBytes(HPKE_V1, suiteId, utf8(label), ikm));
}

function labeledExpand(p: CryptoProvider, suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array {
  return p.hkdfExpand(prk, concatBytes(i2osp(length, 2), HPKE_V1, suiteId, utf8(label), info), length);
}

function kemSuiteId(kem: KemId): Uint8Array {
  return concatBytes(utf8('KEM'), i2osp(kem, 2));
}

function hpkeSuiteId(s: HpkeSuite): Uint8Array {
  return concatBytes(utf8('HPKE'), i2osp(s.kem, 2), i2osp(s.kdf, 2), i2osp(s.aead, 2));
}

/** RFC 9180 §7.1.3 DeriveKeyPair for DHKEM(X25519): the private key from input keying material. */
export function deriveX25519PrivateKey(p: CryptoProvider, ikm: Uint8Array): Uint8Array {
  const sid = kemSuiteId(KemIds.DHKEM_X25519_HKDF_SHA256);
  const prk = labeledExtract(p, sid, EMPTY, 'dkp_prk', ikm);
  return labeledExpand(p, sid, prk, 'sk', EMPTY, 32);
}

async function dhkemSharedSecret(p: CryptoProvider, dh: Uint8Array, enc: Uint8Array, pkR: Uint8Array): Promise<Uint8Array> {
  // RFC 9180 §4.1: senders and recipients MUST refuse an all-zero X25519 output.
  if (equalBytes(dh, new Uint8Array(32))) throw new CryptoError('crypto.invalid_key', 'X25519 shared secret is zero');
  const sid = kemSuiteId(KemIds.DHKEM_X25519_HKDF_SHA256);
  const prk = labeledExtract(p, sid, EMPTY, 'eae_prk', dh);
  return Promise.resolve(labeledExpand(p, sid, prk, 'shared_secret', concatBytes(enc, pkR), 32));
}

/** Optional sender randomness, for reproducible test vectors only. */
export interface EncapsulationSeed {
  /** DHKEM(X25519): ikmE of RFC 9180 §7.1.3. X-Wing: the 64-byte eseed. */
  readonly ikm: Uint8Array;
}

async function encap(p: CryptoProvider, kem: KemId, pkR: Uint8Array, seed?: EncapsulationSeed) {
  if (kem === KemIds.XWING) {
    const r = await xwingEncapsulate(p, pkR, seed?.ikm);
    return { sharedSecret: r.sharedSecret, enc: r.cipherText };
  }
  if (pkR.length !== 32) throw new RangeError('X25519 public key must be 32 bytes');
  const skE = seed ? deriveX25519PrivateKey(p, seed.ikm) : p.randomBytes(32);
  const enc = await p.x25519PublicKey(skE);
  const dh = await p.x25519(skE, pkR);
  wipe(skE);
  return { sharedSecret: await dhkemSharedSecret(p, dh, enc, pkR), enc };
}

async function decap(p: CryptoProvider, kem: KemId, enc: Uint8Array, skR: Uint8Array): Promise<Uint8Array> {
  if (kem === KemIds.XWING) return xwingDecapsulate(p, enc, skR);
  if (enc.length !== 32) throw new CryptoError('crypto.invalid_input', 'enc must be 32 bytes');
  const dh = await p.x25519(skR, enc);
  return dhkemSharedSecret(p, dh, enc, await p.x25519PublicKey(skR));
}

/** A PSK for mode_psk (RFC 9180 §5.1.2). */
export interface Psk {
  readonly psk: Uint8Array;
  readonly pskId: Uint8Array;
}

/** An HPKE encryption context (RFC 9180 §5.2) with its sequence number guarded against reuse and overflow. */
export class HpkeContext {
  #seq = 0;
  readonly #p: CryptoProvider;
  readonly #suite: HpkeSuite;
  readonly #key: Uint8Array;
  readonly #baseNonce: Uint8Array;
  readonly #exporterSecret: Uint8Array;

  constructor(p: CryptoProvider, suite: HpkeSuite, key: Uint8Array, baseNonce: Uint8Array, exporterSecret: Uint8Array) {
    this.#p = p;
    this.#suite = suite;
    this.#key = key;
    this.#baseNonce = baseNonce;
    this.#exporterSecret = exporterSecret;
  }

  #nextNonce(): Uint8Array {
    // 2^32 messages is far beyond any use here; refusing earlier than 2^96 keeps the arithmetic in safe integers.
    if (this.#seq >= 0xffffffff) throw new CryptoError('crypto.invalid_input', 'HPKE sequence number overflow');
    const nonce = this.#baseNonce.slice();
    const seq = i2osp(this.#seq, nonce.length);
    for (let i = 0; i < nonce.length; i++) nonce[i]! ^= seq[i]!;
    return nonce;
  }

  #alg(): AeadAlgorithm {
    const alg = AEAD[this.#suite.aead].alg;
    if (alg === null) throw new CryptoError('crypto.unsupported', 'export-only suite cannot seal or open');
    return alg;
  }

  async seal(aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
    const out = await this.#p.aeadSeal(this.#alg(), this.#key, this.#nextNonce(), aad, plaintext);
    this.#seq++;
    return out;
  }

  async open(aad: Uint8Array, cipherText: Uint8Array): Promise<Uint8Array> {
    const out = await this.#p.aeadOpen(this.#alg(), this.#key, this.#nextNonce(), aad, cipherText);
    this.#seq++;
    return out;
  }

  /** Secret export (RFC 9180 §5.3). */
  export(exporterContext: Uint8Array, length: number): Uint8Array {
    return labeledExpand(this.#p, hpkeSuiteId(this.#suite), this.#exporterSecret, 'sec', exporterContext, length);
  }

  /** Wipes the context's keys; it cannot be used afterwards. */
  destroy(): void {
    wipe(this.#key, this.#baseNonce, this.#exporterSecret);
  }
}

function keySchedule(p: CryptoProvider, suite: HpkeSuite, sharedSecret: Uint8Array, info: Uint8Array, psk?: Psk): HpkeContext {
  const sid = hpkeSuiteId(suite);
  const mode = psk ? Modes.PSK : Modes.BASE;
  if (psk && (psk.psk.length < 32 || psk.pskId.length === 0)) throw new CryptoError('crypto.invalid_input', 'PSK too short or id empty');
  const pskIdHash = labeledExtract(p, sid, EMPTY, 'psk_id_hash', psk?.pskId ?? EMPTY);
  const infoHash = labeledExtract(p, sid, EMPTY, 'info_hash', info);
  const context = concatBytes(Uint8Array.of(mode), pskIdHash, infoHash);
  const secret = labeledExtract(p, sid, sharedSecret, 'secret', psk?.psk ?? EMPTY);
  const { nk, nn } = AEAD[suite.aead];
  const key = labeledExpand(p, sid, secret, 'key', context, nk);
  const baseNonce = labeledExpand(p, sid, secret, 'base_nonce', context, nn);
  const exporterSecret = labeledExpand(p, sid, secret, 'exp', context, NH);
  wipe(secret);
  return new HpkeContext(p, suite, key, baseNonce, exporterSecret);
}

/** SetupBaseS / SetupPSKS (RFC 9180 §5.1): encapsulates to `pkR` and returns `enc` with the sender context. */
export async function setupSender(
  p: CryptoProvider,
  suite: HpkeSuite,
  pkR: Uint8Array,
  info: Uint8Array,
  options: { readonly psk?: Psk; readonly seed?: EncapsulationSeed } = {},
): Promise<{ readonly enc: Uint8Array; readonly context: HpkeContext }> {
  const { sharedSecret, enc } = await encap(p, suite.kem, pkR, options.seed);
  const context = keySchedule(p, suite, sharedSecret, info, options.psk);
  wipe(sharedSecret);
  return { enc, context };
}

/** SetupBaseR / SetupPSKR (RFC 9180 §5.1). */
export async function setupRecipient(
  p: CryptoProvider,
  suite: HpkeSuite,
  enc: Uint8Array,
  skR: Uint8Array,
  info: Uint8Array,
  options: { readonly psk?: Psk } = {},
): Promise<HpkeContext> {
  const sharedSecret = await decap(p, suite.kem, enc, skR);
  const context = keySchedule(p, suite, sharedSecret, info, options.psk);
  wipe(sharedSecret);
  return context;
}

/** A single-shot sealed message: the KEM output and the AEAD ciphertext. */
export interface HpkeSealed {
  readonly enc: Uint8Array;
  readonly cipherText: Uint8Array;
}

/** Single-shot base-mode seal (RFC 9180 §6.1). */
export async function hpkeSeal(
  p: CryptoProvider,
  suite: HpkeSuite,
  pkR: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  seed?: EncapsulationSeed,
): Promise<HpkeSealed> {
  const { enc, context } = await setupSender(p, suite, pkR, info, seed ? { seed } : {});
  try {
    return { enc, cipherText: await context.seal(aad, plaintext) };
  } finally {
    context.destroy();
  }
}

/** Single-shot base-mode open (RFC 9180 §6.1). Any failure is `crypto.decrypt_failed`, nothing more specific. */
export async function hpkeOpen(
  p: CryptoProvider,
  suite: HpkeSuite,
  skR: Uint8Array,
  sealed: HpkeSealed,
  info: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  let context: HpkeContext | undefined;
  try {
    context = await setupRecipient(p, suite, sealed.enc, skR, info);
    return await context.open(aad, sealed.cipherText);
  } catch (cause) {
    if (cause instanceof TypeError || cause instanceof RangeError) throw cause;
    throw new CryptoError('crypto.decrypt_failed', 'HPKE open failed', { cause });
  } finally {
    context?.destroy();
  }
}

/** Public key of a Chancery (X-Wing) private key. */
export async function publicKeyOf(p: CryptoProvider, secretKey: Uint8Array): Promise<Uint8Array> {
  return (await xwingKeyPairFromSeed(p, secretKey)).publicKey;
}
