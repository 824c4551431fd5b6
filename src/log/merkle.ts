// The audit log's Merkle tree (RFC 9162 §2.1, the RFC 6962 tree): leaf and node hashing with their one-byte
// prefixes, the tree hash MTH of a list, and the compact "frontier" that appends in O(log n) and reports the root.
// Sizes and indices are JavaScript safe integers (< 2^53), so this module never uses 32-bit bitwise operators.
import { concatBytes } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { LogError } from '../errors.ts';

/** RFC 9162 §2.1.1: the one-byte prefixes that keep a leaf hash from ever equalling an interior node hash. */
export const MerklePrefix = {
  leaf: 0x00,
  node: 0x01,
} as const;

/** Every hash in the tree is SHA-256: 32 bytes. */
export const HASH_LENGTH = 32;

const LEAF_PREFIX = Uint8Array.of(MerklePrefix.leaf);
const NODE_PREFIX = Uint8Array.of(MerklePrefix.node);

/**
 * The hash of one leaf entry: SHA-256(0x00 ‖ data) (RFC 9162 §2.1.1).
 *
 * @example
 * ```ts
 * const h = leafHash(p, encodedEvent);
 * ```
 */
export function leafHash(p: CryptoProvider, data: Uint8Array): Uint8Array {
  return p.sha256(concatBytes(LEAF_PREFIX, data));
}

/**
 * The hash of an interior node: SHA-256(0x01 ‖ left ‖ right) (RFC 9162 §2.1.1).
 *
 * @example
 * ```ts
 * const parent = nodeHash(p, leftChild, rightChild);
 * ```
 */
export function nodeHash(p: CryptoProvider, left: Uint8Array, right: Uint8Array): Uint8Array {
  return p.sha256(concatBytes(NODE_PREFIX, left, right));
}

/**
 * The root of the empty tree: MTH({}) = SHA-256() (RFC 9162 §2.1.1).
 *
 * @example
 * ```ts
 * toHex(emptyRoot(p)); // 'e3b0c442…b855'
 * ```
 */
export function emptyRoot(p: CryptoProvider): Uint8Array {
  return p.sha256(new Uint8Array(0));
}

/** The largest power of two strictly below n, for n > 1 (the split point k of RFC 9162 §2.1.1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The largest power of two not above n, for n ≥ 1. */
export function highestPowerOfTwo(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}

/** True when n is 2^k for some k ≥ 0. */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && highestPowerOfTwo(n) === n;
}

/** The number of one bits of a non-negative safe integer. */
export function popCount(n: number): number {
  let count = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}

/**
 * MTH(D[n]) of a list of entries, straight from the recursive definition of RFC 9162 §2.1.1. O(n) hashes and
 * O(log n) stack: the reference the faster structures are tested against.
 *
 * @example
 * ```ts
 * const root = merkleTreeHash(p, [utf8('a'), utf8('b'), utf8('c')]);
 * ```
 */
export function merkleTreeHash(p: CryptoProvider, entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length === 0) return emptyRoot(p);
  return hashOfLeafHashes(p, entries.map((e) => leafHash(p, e)));
}

/** MTH over already-hashed leaves (non-empty), by the same recursion. */
function hashOfLeafHashes(p: CryptoProvider, hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 1) return hashes[0]!;
  const k = splitPoint(hashes.length);
  return nodeHash(p, hashOfLeafHashes(p, hashes.slice(0, k)), hashOfLeafHashes(p, hashes.slice(k)));
}

/** A complete subtree that an append finished: 2^level leaves starting at leaf index × 2^level. */
export interface CompletedNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/**
 * The compact form of a tree of `size` leaves: the roots of its perfect subtrees, one per one bit of `size`,
 * largest (leftmost) first. That is all an append or the root needs, so a log keeps O(log n) hashes in memory
 * and stores the rest (RFC 9162 §2.1.1: MTH splits at the largest power of two, so these are its right spine).
 *
 * @example
 * ```ts
 * const f = new Frontier(p);
 * f.append(leafHash(p, entry));
 * const root = f.root();
 * ```
 */
export class Frontier {
  readonly #p: CryptoProvider;
  #size: number;
  readonly #hashes: Uint8Array[];

  constructor(p: CryptoProvider) {
    this.#p = p;
    this.#size = 0;
    this.#hashes = [];
  }

  /**
   * A frontier saved earlier (`size` and `hashes`): exactly one 32-byte hash per one bit of `size`.
   * Throws `LogError('log.out_of_range')` for anything else.
   */
  static restore(p: CryptoProvider, size: number, hashes: readonly Uint8Array[]): Frontier {
    if (!Number.isSafeInteger(size) || size < 0) throw new LogError('log.out_of_range', 'frontier: size is not a safe non-negative integer');
    if (!Array.isArray(hashes) || hashes.length !== popCount(size)) throw new LogError('log.out_of_range', 'frontier: wrong number of hashes for its size');
    const f = new Frontier(p);
    for (const h of hashes) {
      if (!(h instanceof Uint8Array) || h.length !== HASH_LENGTH) throw new LogError('log.out_of_range', 'frontier: a hash is not 32 bytes');
      f.#hashes.push(h.slice());
    }
    f.#size = size;
    return f;
  }

  /** The number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Copies of the perfect-subtree roots, largest first: what `restore` takes back. */
  get hashes(): Uint8Array[] {
    return this.#hashes.map((h) => h.slice());
  }

  /**
   * Appends one leaf hash; returns every complete subtree this append finished (the leaf itself at level 0,
   * then each parent it completed), so a store can keep them and serve proofs in O(log n).
   */
  append(leaf: Uint8Array): CompletedNode[] {
    if (!(leaf instanceof Uint8Array) || leaf.length !== HASH_LENGTH) throw new RangeError('leaf hash must be 32 bytes');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new LogError('log.out_of_range', 'frontier: the tree is full');
    const index = this.#size;
    const done: CompletedNode[] = [{ level: 0, index, hash: leaf.slice() }];
    let hash: Uint8Array = leaf.slice();
    // Each trailing one bit of the old size is a perfect subtree of the same height as `hash`: merge them.
    let level = 0;
    for (let s = index; s % 2 === 1; s = Math.floor(s / 2)) {
      hash = nodeHash(this.#p, this.#hashes.pop()!, hash);
      level++;
      done.push({ level, index: Math.floor(index / 2 ** level), hash });
    }
    this.#hashes.push(hash);
    this.#size = index + 1;
    return done;
  }

  /** MTH of the leaves so far: the perfect-subtree roots folded from the right (RFC 9162 §2.1.1). */
  root(): Uint8Array {
    const last = this.#hashes.length - 1;
    if (last < 0) return emptyRoot(this.#p);
    let root = this.#hashes[last]!;
    for (let i = last - 1; i >= 0; i--) root = nodeHash(this.#p, this.#hashes[i]!, root);
    return root.slice();
  }
}
