// The tree itself (RFC 9162 §2.1.1): prefixes, MTH, and the frontier, whose root must equal MTH at every size and
// whose completed nodes must be exactly the complete subtrees a store keeps.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concatBytes, toHex } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { Frontier, MerklePrefix, emptyRoot, leafHash, merkleTreeHash, nodeHash, popCount, splitPoint } from '../../src/log/merkle.ts';
import { treeRoot } from '../../src/log/proofs.ts';
import { REFERENCE_LEAVES, REFERENCE_ROOTS, buildTree, entry, throwsLog } from './fixtures.ts';

describe('hashing (RFC 9162 §2.1.1)', () => {
  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    assert.deepEqual(MerklePrefix, { leaf: 0, node: 1 });
    const a = p.sha256(Uint8Array.of(1));
    const b = p.sha256(Uint8Array.of(2));
    assert.deepEqual(leafHash(p, Uint8Array.of(7)), p.sha256(Uint8Array.of(0x00, 7)));
    assert.deepEqual(nodeHash(p, a, b), p.sha256(concatBytes(Uint8Array.of(0x01), a, b)));
    assert.equal(toHex(emptyRoot(p)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('MTH of the reference leaves is the published root at every size', () => {
    assert.deepEqual(merkleTreeHash(p, []), emptyRoot(p));
    for (let n = 1; n <= 8; n++) assert.equal(toHex(merkleTreeHash(p, REFERENCE_LEAVES.slice(0, n))), REFERENCE_ROOTS[n - 1]);
  });

  it('splits at the largest power of two below n, beyond 32 bits too', () => {
    assert.deepEqual([2, 3, 4, 5, 8, 9].map(splitPoint), [1, 2, 2, 4, 4, 8]);
    assert.equal(splitPoint(2 ** 40 + 1), 2 ** 40);
    assert.equal(splitPoint(Number.MAX_SAFE_INTEGER), 2 ** 52);
    assert.equal(popCount(Number.MAX_SAFE_INTEGER), 53);
  });
});

describe('the frontier', () => {
  it('has the root MTH at every size from 0 to 300, and its completed nodes are the complete subtrees', () => {
    const entries = Array.from({ length: 300 }, (_, i) => entry(i));
    const frontier = new Frontier(p);
    assert.deepEqual(frontier.root(), emptyRoot(p));
    for (let n = 1; n <= entries.length; n++) {
      const done = frontier.append(leafHash(p, entries[n - 1]!));
      assert.equal(frontier.size, n);
      assert.deepEqual(frontier.root(), merkleTreeHash(p, entries.slice(0, n)), `size ${n}`);
      assert.equal(frontier.hashes.length, popCount(n));
      // Appending leaf n-1 completes one subtree per trailing one bit of n-1, plus the leaf itself.
      assert.equal(done.length, 1 + Math.log2(n & -n));
      for (const node of done) {
        const start = node.index * 2 ** node.level;
        assert.equal(start + 2 ** node.level, n, 'a completed subtree ends at the new leaf');
        assert.deepEqual(node.hash, merkleTreeHash(p, entries.slice(start, n)));
      }
    }
  });

  it('has the root MTH at every prefix of random entries (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 70 }), (entries) => {
        const frontier = new Frontier(p);
        entries.forEach((e, i) => {
          frontier.append(leafHash(p, e));
          assert.deepEqual(frontier.root(), merkleTreeHash(p, entries.slice(0, i + 1)));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('restores from its saved hashes and carries on identically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 40 }), (saved, more) => {
        const a = new Frontier(p);
        for (let i = 0; i < saved; i++) a.append(leafHash(p, entry(i)));
        const b = Frontier.restore(p, a.size, a.hashes);
        for (let i = saved; i < saved + more; i++) {
          assert.deepEqual(b.append(leafHash(p, entry(i))), a.append(leafHash(p, entry(i))));
        }
        assert.deepEqual(b.root(), a.root());
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a saved state that does not fit its size', () => {
    const h = new Uint8Array(32);
    throwsLog(() => Frontier.restore(p, 3, [h]), ['log.out_of_range'], 'too few');
    throwsLog(() => Frontier.restore(p, 1, [h, h]), ['log.out_of_range'], 'too many');
    throwsLog(() => Frontier.restore(p, 1, [new Uint8Array(31)]), ['log.out_of_range'], 'short hash');
    throwsLog(() => Frontier.restore(p, -1, []), ['log.out_of_range'], 'negative');
    throwsLog(() => Frontier.restore(p, 2 ** 53, []), ['log.out_of_range'], 'unsafe');
    assert.throws(() => new Frontier(p).append(new Uint8Array(31)), RangeError);
  });

  it('does not alias the caller’s bytes', () => {
    const f = new Frontier(p);
    const leaf = leafHash(p, entry(0));
    f.append(leaf);
    const root = f.root();
    leaf.fill(0);
    f.hashes[0]!.fill(0);
    assert.deepEqual(f.root(), root);
  });
});

describe('the memory tree', () => {
  it('knows its root at every past size, from O(log n) subtree hashes', () => {
    const tree = buildTree(p, 130);
    const entries = Array.from({ length: 130 }, (_, i) => entry(i));
    for (let n = 0; n <= 130; n++) assert.deepEqual(tree.rootAt(n), merkleTreeHash(p, entries.slice(0, n)));
    assert.deepEqual(tree.root(), tree.rootAt(130));
    assert.deepEqual(treeRoot(p, tree, 130), tree.root());
    throwsLog(() => tree.rootAt(131), ['log.out_of_range']);
    throwsLog(() => tree.subtreeHash(3, 17), ['log.out_of_range'], 'beyond the tree');
    throwsLog(() => tree.subtreeHash(-1, 0), ['log.out_of_range'], 'negative level');
    throwsLog(() => tree.subtreeHash(0.5, 0), ['log.out_of_range'], 'fractional level');
  });
});
