// An in-memory audit-log tree: a Frontier for the current root plus every complete subtree hash it reports, so it
// serves RFC 9162 proofs and past roots in O(log n). For tests, clients replaying a log, and as the model a store
// follows (it keeps the same CompletedNodes in a table).
import type { CryptoProvider } from '../crypto/provider.ts';
import { LogError } from '../errors.ts';
import { Frontier } from './merkle.ts';
import { treeRoot, type NodeHashSource } from './proofs.ts';

/**
 * A growing Merkle tree held in memory: leaf hashes at level 0, the hash of every complete subtree above.
 *
 * @example
 * ```ts
 * const tree = new MemoryTree(p);
 * tree.append(leafHash(p, entry));
 * const proof = inclusionProof(p, tree, 0, tree.size);
 * ```
 */
export class MemoryTree implements NodeHashSource {
  readonly #p: CryptoProvider;
  readonly #frontier: Frontier;
  /** levels[l][i]: the root of leaves [i·2^l, (i+1)·2^l). */
  readonly #levels: Uint8Array[][] = [];

  constructor(p: CryptoProvider) {
    this.#p = p;
    this.#frontier = new Frontier(p);
  }

  /** The number of leaves. */
  get size(): number {
    return this.#frontier.size;
  }

  /** Appends one leaf hash (RFC 9162 §2.1.1: SHA-256(0x00 ‖ entry)); returns its index. */
  append(leaf: Uint8Array): number {
    const index = this.size;
    for (const node of this.#frontier.append(leaf)) {
      const level = (this.#levels[node.level] ??= []);
      level.push(node.hash);
    }
    return index;
  }

  /** The current root, from the frontier. */
  root(): Uint8Array {
    return this.#frontier.root();
  }

  /** The root the tree had at `size` leaves (0 ≤ size ≤ this.size). */
  rootAt(size: number): Uint8Array {
    if (size > this.size) throw new LogError('log.out_of_range', 'the tree is not that large yet');
    return treeRoot(this.#p, this, size);
  }

  subtreeHash(level: number, index: number): Uint8Array {
    const hash = Number.isSafeInteger(level) && Number.isSafeInteger(index) ? this.#levels[level]?.[index] : undefined;
    if (hash === undefined) throw new LogError('log.out_of_range', 'no such complete subtree');
    return hash;
  }
}
