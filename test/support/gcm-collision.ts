// AES-GCM multi-key collisions for tests: one ciphertext and tag that authenticate under two different (key, nonce)
// pairs. This is the "invisible salamanders" construction of Dodis, Grubbs, Ristenpart and Woodage, "Fast Message
// Franking: From Invisible Salamanders to Encryptment" (CRYPTO 2018), generalised to many keys as the "partitioning
// oracle" attack of Len, Grubbs and Ristenpart, "Partitioning Oracle Attacks" (USENIX Security 2021).
//
// GCM's tag is T = E_K(J0) ⊕ GHASH_H(A, C) with H = E_K(0¹²⁸), and GHASH is a polynomial in H over GF(2¹²⁸) whose
// coefficients are the blocks of A, C and the length block. It is linear in every ciphertext block, so leaving one
// block X free and asking for the same tag under (K1, N1) and (K2, N2) is one linear equation in X:
//
//   X · (H1^e ⊕ H2^e) = G1 ⊕ E_K1(J0_1) ⊕ G2 ⊕ E_K2(J0_2)
//
// where e is the power of H that multiplies the free block and Gi is GHASH under Hi with X = 0. AES itself comes from
// node:crypto ('aes-256-ecb' on single blocks): only the field arithmetic is written here.
import { createCipheriv } from 'node:crypto';

const BLOCK = 16;
const MASK_128 = (1n << 128n) - 1n;
/** GCM's reduction constant: x¹²⁸ = 1 + x + x² + x⁷, written in GCM's reflected bit order (SP 800-38D §6.3). */
const R = 0xe1n << 120n;
/** The multiplicative identity: in GCM's bit order the coefficient of x⁰ is the most significant bit. */
export const GF_ONE = 1n << 127n;

/** A 16-byte block as an integer, first byte most significant (so bit 127 is the coefficient of x⁰). */
export function blockToBigInt(bytes: Uint8Array, offset = 0): bigint {
  let v = 0n;
  for (let i = 0; i < BLOCK; i++) v = (v << 8n) | BigInt(bytes[offset + i] ?? 0);
  return v;
}

export function bigIntToBlock(v: bigint): Uint8Array {
  const out = new Uint8Array(BLOCK);
  let x = v & MASK_128;
  for (let i = BLOCK - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Multiplication in GF(2¹²⁸) exactly as SP 800-38D Algorithm 1 states it (right shifts in the reflected order). */
export function gfMul(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = y;
  for (let i = 127n; i >= 0n; i--) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}

export function gfPow(x: bigint, e: bigint): bigint {
  let result = GF_ONE;
  let base = x;
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) result = gfMul(result, base);
    base = gfMul(base, base);
  }
  return result;
}

/** Inverse by Fermat: the multiplicative group has order 2¹²⁸ − 1, so a⁻¹ = a^(2¹²⁸ − 2). */
export function gfInv(x: bigint): bigint {
  if (x === 0n) throw new RangeError('gfInv: zero has no inverse');
  return gfPow(x, (1n << 128n) - 2n);
}

/** One AES-256 block encryption from node:crypto (ECB on exactly one block, no padding). */
function aesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

/** The GHASH input blocks: A and C each zero-padded to whole blocks, then len(A) ‖ len(C) in bits. */
function ghashBlocks(aad: Uint8Array, ciphertext: Uint8Array): bigint[] {
  const blocks: bigint[] = [];
  for (const data of [aad, ciphertext]) {
    for (let at = 0; at < data.length; at += BLOCK) {
      const block = new Uint8Array(BLOCK);
      block.set(data.subarray(at, at + BLOCK));
      blocks.push(blockToBigInt(block));
    }
  }
  blocks.push((BigInt(aad.length * 8) << 64n) | BigInt(ciphertext.length * 8));
  return blocks;
}

/** GHASH by Horner's rule: Y ← (Y ⊕ Bᵢ) · H. */
function ghash(h: bigint, blocks: readonly bigint[]): bigint {
  let y = 0n;
  for (const b of blocks) y = gfMul(y ^ b, h);
  return y;
}

/** H and E_K(J0) for a key and a 96-bit nonce (J0 = N ‖ 0³¹ ‖ 1). */
function gcmSecrets(key: Uint8Array, nonce: Uint8Array): { h: bigint; s: bigint } {
  if (key.length !== 32 || nonce.length !== 12) throw new RangeError('AES-256-GCM needs a 32-byte key and a 12-byte nonce');
  const j0 = new Uint8Array(BLOCK);
  j0.set(nonce);
  j0[15] = 1;
  return { h: blockToBigInt(aesBlock(key, new Uint8Array(BLOCK))), s: blockToBigInt(aesBlock(key, j0)) };
}

/** The AES-256-GCM tag of a ciphertext, computed here (tests compare it with node:crypto's to check the field code). */
export function gcmTag(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const { h, s } = gcmSecrets(key, nonce);
  return bigIntToBlock(ghash(h, ghashBlocks(aad, ciphertext)) ^ s);
}

export interface GcmKey {
  readonly key: Uint8Array;
  readonly nonce: Uint8Array;
}

/**
 * Rewrites block `freeBlock` of `ciphertext` (whole blocks only) so that one tag is valid under both keys, and
 * returns ciphertext ‖ tag, the layout node:crypto's and the provider's AES-GCM take. Every other block is kept.
 */
export function collideGcm(first: GcmKey, second: GcmKey, aad: Uint8Array, ciphertext: Uint8Array, freeBlock: number): Uint8Array {
  const count = ciphertext.length / BLOCK;
  if (!Number.isInteger(count) || !Number.isInteger(freeBlock) || freeBlock < 0 || freeBlock >= count) {
    throw new RangeError('collideGcm: the ciphertext must be whole blocks and the free block one of them');
  }
  const c = ciphertext.slice();
  c.fill(0, freeBlock * BLOCK, (freeBlock + 1) * BLOCK);
  const blocks = ghashBlocks(aad, c);
  // Horner multiplies the block at position i (of n) by H^(n − i): the free block sits after the AAD blocks.
  const position = Math.ceil(aad.length / BLOCK) + freeBlock;
  const e = BigInt(blocks.length - position);
  const k1 = gcmSecrets(first.key, first.nonce);
  const k2 = gcmSecrets(second.key, second.nonce);
  const t1 = ghash(k1.h, blocks) ^ k1.s; // the tag under key 1 with X = 0
  const t2 = ghash(k2.h, blocks) ^ k2.s;
  const h1e = gfPow(k1.h, e);
  const denominator = h1e ^ gfPow(k2.h, e);
  // Zero only if H1^e = H2^e, which for independent keys happens with probability about 2⁻¹²⁸.
  const x = gfMul(t1 ^ t2, gfInv(denominator));
  c.set(bigIntToBlock(x), freeBlock * BLOCK);
  const tag = bigIntToBlock(t1 ^ gfMul(x, h1e));
  const out = new Uint8Array(c.length + BLOCK);
  out.set(c);
  out.set(tag, c.length);
  return out;
}
