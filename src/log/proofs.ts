// Inclusion and consistency proofs of the audit log (RFC 9162 §2.1.3, §2.1.4): generated from the hashes of
// complete subtrees, so a store that keeps them serves any proof in O(log n); verified against attacker-controlled
// indices, sizes and proofs, where every failure is a LogError with a stable code and nothing else is thrown.
import { equalBytes } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { InternalError, LogError } from '../errors.ts';
import { HASH_LENGTH, emptyRoot, highestPowerOfTwo, isPowerOfTwo, nodeHash, splitPoint } from './merkle.ts';

/**
 * Where proofs come from: the hash of any complete subtree, the 2^level leaves starting at leaf index × 2^level
 * (level 0 is the leaf hashes). `MemoryTree` is one; a store keeping the `CompletedNode`s a `Frontier` reports
 * is another. It throws `LogError('log.out_of_range')` for a subtree it does not hold.
 */
export interface NodeHashSource {
  subtreeHash(level: number, index: number): Uint8Array;
}

const half = (n: number): number => Math.floor(n / 2);
const isOdd = (n: number): boolean => n % 2 === 1;

function levelOf(powerOfTwo: number): number {
  let level = 0;
  for (let s = powerOfTwo; s > 1; s /= 2) level++;
  return level;
}

/**
 * MTH(D[start:start+length]) for a range whose start is a multiple of a power of two ≥ length, as every range in
 * the RFC 9162 §2.1 recursions is: its complete subtrees, largest first, folded from the right.
 */
function rangeHash(p: CryptoProvider, source: NodeHashSource, start: number, length: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let at = start, left = length; left > 0; ) {
    const size = highestPowerOfTwo(left);
    if (at % size !== 0) throw new InternalError('rangeHash: unaligned range');
    const h = source.subtreeHash(levelOf(size), at / size);
    if (!(h instanceof Uint8Array) || h.length !== HASH_LENGTH) throw new InternalError('node hash source returned a non-hash');
    parts.push(h);
    at += size;
    left -= size;
  }
  let hash = parts.pop()!;
  while (parts.length > 0) hash = nodeHash(p, parts.pop()!, hash);
  return hash;
}

function checkSize(what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new LogError('log.out_of_range', `${what} is not a safe non-negative integer`);
  }
}

/**
 * The root of the first `size` leaves of `source` (RFC 9162 §2.1.1), in O(log n) subtree hashes.
 *
 * @example
 * ```ts
 * const oldRoot = treeRoot(p, tree, 1000);
 * ```
 */
export function treeRoot(p: CryptoProvider, source: NodeHashSource, size: number): Uint8Array {
  checkSize('tree size', size);
  return size === 0 ? emptyRoot(p) : rangeHash(p, source, 0, size);
}

/**
 * PATH(m, D[n]) of RFC 9162 §2.1.3.1: the sibling hashes from leaf `index` up to the root of a tree of `size`
 * leaves, bottom first. Throws `LogError('log.out_of_range')` unless 0 ≤ index < size.
 *
 * @example
 * ```ts
 * const proof = inclusionProof(p, tree, 5, tree.size);
 * ```
 */
export function inclusionProof(p: CryptoProvider, source: NodeHashSource, index: number, size: number): Uint8Array[] {
  checkSize('leaf index', index);
  checkSize('tree size', size);
  if (index >= size) throw new LogError('log.out_of_range', 'leaf index is not below the tree size');
  const path: Uint8Array[] = [];
  // Walk down from the root; each level contributes the MTH of the half the leaf is not in.
  for (let lo = 0, m = index, n = size; n > 1; ) {
    const k = splitPoint(n);
    if (m < k) {
      path.push(rangeHash(p, source, lo + k, n - k));
      n = k;
    } else {
      path.push(rangeHash(p, source, lo, k));
      lo += k;
      m -= k;
      n -= k;
    }
  }
  return path.reverse();
}

/**
 * PROOF(m, D[n]) of RFC 9162 §2.1.4.1: the hashes that show the tree of `size1` leaves is a prefix of the tree of
 * `size2` leaves. Empty when the sizes are equal. Throws `LogError('log.out_of_range')` unless 0 < size1 ≤ size2.
 *
 * @example
 * ```ts
 * const proof = consistencyProof(p, tree, seen.size, tree.size);
 * ```
 */
export function consistencyProof(p: CryptoProvider, source: NodeHashSource, size1: number, size2: number): Uint8Array[] {
  checkSize('first tree size', size1);
  checkSize('second tree size', size2);
  if (size1 === 0 || size1 > size2) throw new LogError('log.out_of_range', 'consistency proofs need 0 < first size ≤ second size');
  const proof: Uint8Array[] = [];
  let whole = true; // SUBPROOF's b: still on the path of the old root itself
  let lo = 0;
  let m = size1;
  let n = size2;
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      proof.push(rangeHash(p, source, lo + k, n - k));
      n = k;
    } else {
      proof.push(rangeHash(p, source, lo, k));
      lo += k;
      m -= k;
      n -= k;
      whole = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b still true the old root is the verifier's own.
  if (!whole) proof.push(rangeHash(p, source, lo, n));
  return proof.reverse();
}

/** RFC 9162 §2.1.3.2 step 4, without hashes: for each proof hash, whether it joins the running hash on the left. */
function inclusionSides(index: number, size: number): boolean[] {
  const sides: boolean[] = [];
  let fn = index;
  let sn = size - 1;
  while (sn !== 0) {
    const left = isOdd(fn) || fn === sn;
    sides.push(left);
    if (left && !isOdd(fn)) {
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sides;
}

/** RFC 9162 §2.1.4.2 steps 2–6, without hashes: whether first_hash is prepended, and each later hash's role. */
function consistencySteps(first: number, second: number): { readonly seeded: boolean; readonly both: boolean[] } {
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const both: boolean[] = [];
  while (sn !== 0) {
    const b = isOdd(fn) || fn === sn;
    both.push(b);
    if (b && !isOdd(fn)) {
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
  }
  return { seeded: isPowerOfTwo(first), both };
}

/** The number of hashes in an inclusion proof for leaf `index` of a tree of `size` leaves (0 ≤ index < size). */
export function inclusionProofLength(index: number, size: number): number {
  return inclusionSides(index, size).length;
}

/** The number of hashes in a consistency proof from `size1` to `size2` leaves (0 < size1 ≤ size2). */
export function consistencyProofLength(size1: number, size2: number): number {
  if (size1 === size2) return 0;
  const { seeded, both } = consistencySteps(size1, size2);
  return both.length + (seeded ? 0 : 1);
}

function bad(message: string): LogError {
  return new LogError('log.bad_proof', message);
}

function checkNumber(what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw bad(`${what} is not a safe non-negative integer`);
}

function checkHash(what: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== HASH_LENGTH) throw bad(`${what} is not a 32-byte hash`);
}

function checkProof(proof: unknown, length: number): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw bad('the proof is not a list of hashes');
  if (proof.length !== length) throw bad(`the proof has ${proof.length} hashes where ${length} are needed`);
  for (const h of proof as unknown[]) checkHash('a proof element', h);
}

/** What an inclusion proof claims: leaf `leafHash` is at `leafIndex` of the tree of `treeSize` leaves with `root`. */
export interface InclusionClaim {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
  readonly root: Uint8Array;
}

/**
 * Verifies an inclusion proof (RFC 9162 §2.1.3.2). Every input may come from an attacker: anything but a
 * proof of exactly the right length that recomputes `root` throws `LogError('log.bad_proof')`.
 *
 * @example
 * ```ts
 * verifyInclusion(p, { leafIndex: 5, treeSize: checkpoint.size, leafHash: h, proof, root: checkpoint.root });
 * ```
 */
export function verifyInclusion(p: CryptoProvider, claim: InclusionClaim): void {
  if (typeof claim !== 'object' || claim === null) throw bad('no claim');
  const { leafIndex, treeSize, leafHash, proof, root } = claim;
  checkNumber('leaf index', leafIndex);
  checkNumber('tree size', treeSize);
  checkHash('leaf hash', leafHash);
  checkHash('root', root);
  if (leafIndex >= treeSize) throw bad('leaf index is not below the tree size');
  const sides = inclusionSides(leafIndex, treeSize);
  checkProof(proof, sides.length);
  let r = leafHash;
  sides.forEach((left, i) => {
    r = left ? nodeHash(p, proof[i]!, r) : nodeHash(p, r, proof[i]!);
  });
  if (!equalBytes(r, root)) throw bad('the proof does not lead to the root');
}

/** What a consistency proof claims: the tree of `size1` leaves with `root1` is a prefix of `size2` with `root2`. */
export interface ConsistencyClaim {
  readonly size1: number;
  readonly size2: number;
  readonly root1: Uint8Array;
  readonly root2: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/**
 * Verifies a consistency proof (RFC 9162 §2.1.4.2, which requires 0 < size1; equal sizes need an empty proof and
 * equal roots). Malformed input throws `LogError('log.bad_proof')`; a well-formed proof that does not reconcile
 * the two roots throws `LogError('log.inconsistent')`: either the proof is wrong or the log forked.
 *
 * @example
 * ```ts
 * verifyConsistency(p, { size1: old.size, size2: latest.size, root1: old.root, root2: latest.root, proof });
 * ```
 */
export function verifyConsistency(p: CryptoProvider, claim: ConsistencyClaim): void {
  if (typeof claim !== 'object' || claim === null) throw bad('no claim');
  const { size1, size2, root1, root2, proof } = claim;
  checkNumber('first tree size', size1);
  checkNumber('second tree size', size2);
  checkHash('first root', root1);
  checkHash('second root', root2);
  if (size1 === 0) throw bad('a consistency proof from the empty tree proves nothing (RFC 9162 §2.1.4.2: 0 < first)');
  if (size1 > size2) throw bad('the first tree is larger than the second');
  if (size1 === size2) {
    checkProof(proof, 0);
    if (!equalBytes(root1, root2)) throw new LogError('log.inconsistent', 'two different roots for one tree size');
    return;
  }
  const { seeded, both } = consistencySteps(size1, size2);
  checkProof(proof, both.length + (seeded ? 0 : 1));
  const path = seeded ? [root1, ...proof] : proof;
  let fr = path[0]!;
  let sr = fr;
  both.forEach((b, i) => {
    const c = path[i + 1]!;
    if (b) {
      fr = nodeHash(p, c, fr);
      sr = nodeHash(p, c, sr);
    } else {
      sr = nodeHash(p, sr, c);
    }
  });
  if (!equalBytes(fr, root1) || !equalBytes(sr, root2)) throw new LogError('log.inconsistent', 'the proof does not reconcile the two roots');
}
