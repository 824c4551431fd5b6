// Proof generation and verification (RFC 9162 §2.1.3, §2.1.4) as properties: for random trees and random pairs of
// sizes every generated proof verifies and has the predicted length, and every single-byte change to it, a wrong
// leaf, index or size, or a hostile input of any shape is refused with a LogError and nothing else.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { leafHash, nodeHash } from '../../src/log/merkle.ts';
import type { MemoryTree } from '../../src/log/memory-tree.ts';
import {
  consistencyProof,
  consistencyProofLength,
  inclusionProof,
  inclusionProofLength,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
  type ConsistencyClaim,
  type InclusionClaim,
  type NodeHashSource,
} from '../../src/log/proofs.ts';
import { buildTree, entry, flipByte, isLogError, throwsLog } from './fixtures.ts';

const MAX = 260;
const trees = new Map<number, MemoryTree>();
/** One tree of MAX leaves serves every smaller size: its past roots and proofs are those of the smaller trees. */
function tree(): MemoryTree {
  let t = trees.get(MAX);
  if (!t) trees.set(MAX, (t = buildTree(p, MAX)));
  return t;
}

/** index < size ≤ MAX. */
const arbLeaf = fc.integer({ min: 1, max: MAX }).chain((size) => fc.record({ size: fc.constant(size), index: fc.integer({ min: 0, max: size - 1 }) }));
/** 1 ≤ size1 ≤ size2 ≤ MAX. */
const arbPair = fc.integer({ min: 1, max: MAX }).chain((size2) => fc.record({ size2: fc.constant(size2), size1: fc.integer({ min: 1, max: size2 }) }));
const arbXor = fc.integer({ min: 1, max: 255 });

function inclusionClaim(index: number, size: number): InclusionClaim {
  const t = tree();
  return { leafIndex: index, treeSize: size, leafHash: t.subtreeHash(0, index), proof: inclusionProof(p, t, index, size), root: t.rootAt(size) };
}

function consistencyClaim(size1: number, size2: number): ConsistencyClaim {
  const t = tree();
  return { size1, size2, root1: t.rootAt(size1), root2: t.rootAt(size2), proof: consistencyProof(p, t, size1, size2) };
}

/** Every proof with exactly one byte changed (XOR `xor`). */
function* singleByteChanges(proof: readonly Uint8Array[], xor: number): Generator<Uint8Array[]> {
  for (let i = 0; i < proof.length; i++) {
    for (let b = 0; b < 32; b++) yield proof.map((h, j) => (j === i ? flipByte(h, b, xor) : h));
  }
}

describe('inclusion proofs', () => {
  it('verify, with the predicted length, for random leaves of random trees', () => {
    fc.assert(
      fc.property(arbLeaf, ({ index, size }) => {
        const claim = inclusionClaim(index, size);
        assert.equal(claim.proof.length, inclusionProofLength(index, size));
        assert.ok(claim.proof.length <= Math.ceil(Math.log2(size)));
        verifyInclusion(p, claim);
      }),
      { numRuns: 300 },
    );
  });

  it('fail for every single-byte change to the proof, the leaf hash or the root', () => {
    fc.assert(
      fc.property(arbLeaf, arbXor, ({ index, size }, xor) => {
        const claim = inclusionClaim(index, size);
        for (const proof of singleByteChanges(claim.proof, xor)) throwsLog(() => verifyInclusion(p, { ...claim, proof }), ['log.bad_proof']);
        for (let b = 0; b < 32; b++) {
          throwsLog(() => verifyInclusion(p, { ...claim, leafHash: flipByte(claim.leafHash, b, xor) }), ['log.bad_proof']);
          throwsLog(() => verifyInclusion(p, { ...claim, root: flipByte(claim.root, b, xor) }), ['log.bad_proof']);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('fail for another leaf, another index, another size (with that size’s root), or a proof cut or padded', () => {
    fc.assert(
      fc.property(arbLeaf, fc.nat(), fc.nat(), ({ index, size }, a, b) => {
        const claim = inclusionClaim(index, size);
        const other = (index + 1 + (a % (MAX - 1))) % MAX; // any leaf but this one
        throwsLog(() => verifyInclusion(p, { ...claim, leafHash: tree().subtreeHash(0, other) }), ['log.bad_proof'], 'other leaf');
        if (size > 1) throwsLog(() => verifyInclusion(p, { ...claim, leafIndex: (index + 1 + (a % (size - 1))) % size }), ['log.bad_proof'], 'other index');
        const size2 = 1 + ((size + b) % MAX);
        if (size2 !== size && index < size2) {
          throwsLog(() => verifyInclusion(p, { ...claim, treeSize: size2, root: tree().rootAt(size2) }), ['log.bad_proof'], 'other size');
        }
        throwsLog(() => verifyInclusion(p, { ...claim, proof: [...claim.proof, claim.root] }), ['log.bad_proof'], 'padded');
        if (claim.proof.length > 0) throwsLog(() => verifyInclusion(p, { ...claim, proof: claim.proof.slice(1) }), ['log.bad_proof'], 'cut');
      }),
      { numRuns: 300 },
    );
  });

  it('bind the size only through the root: the size shapes the path (so size and root must come from one checkpoint)', () => {
    // Leaf 0's path in trees of 5 and of 6 leaves has the same shape, so the size-5 proof "verifies" as size 6
    // against the size-5 root: no 6-leaf tree has that root unless SHA-256 collides (RFC 9162 §2.1.1 prefixes).
    const claim = inclusionClaim(0, 5);
    verifyInclusion(p, { ...claim, treeSize: 6 });
    throwsLog(() => verifyInclusion(p, { ...claim, treeSize: 6, root: tree().rootAt(6) }), ['log.bad_proof']);
  });

  it('are refused beyond the tree when generated', () => {
    throwsLog(() => inclusionProof(p, tree(), 5, 5), ['log.out_of_range']);
    throwsLog(() => inclusionProof(p, tree(), 0, 0), ['log.out_of_range']);
    throwsLog(() => inclusionProof(p, tree(), -1, 5), ['log.out_of_range']);
    throwsLog(() => inclusionProof(p, tree(), 0, MAX + 1), ['log.out_of_range'], 'the source lacks the subtree');
  });
});

describe('consistency proofs', () => {
  it('verify, with the predicted length, for random pairs of sizes', () => {
    fc.assert(
      fc.property(arbPair, ({ size1, size2 }) => {
        const claim = consistencyClaim(size1, size2);
        assert.equal(claim.proof.length, consistencyProofLength(size1, size2));
        assert.ok(claim.proof.length <= Math.ceil(Math.log2(size2)) + 1);
        verifyConsistency(p, claim);
      }),
      { numRuns: 300 },
    );
  });

  it('fail for every single-byte change to the proof or either root', () => {
    fc.assert(
      fc.property(arbPair, arbXor, ({ size1, size2 }, xor) => {
        const claim = consistencyClaim(size1, size2);
        for (const proof of singleByteChanges(claim.proof, xor)) throwsLog(() => verifyConsistency(p, { ...claim, proof }), ['log.inconsistent']);
        for (let b = 0; b < 32; b++) {
          throwsLog(() => verifyConsistency(p, { ...claim, root1: flipByte(claim.root1, b, xor) }), ['log.inconsistent']);
          throwsLog(() => verifyConsistency(p, { ...claim, root2: flipByte(claim.root2, b, xor) }), ['log.inconsistent']);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('fail for other sizes (with their real roots), swapped trees, or a proof cut or padded', () => {
    fc.assert(
      fc.property(arbPair, fc.nat(), ({ size1, size2 }, a) => {
        const claim = consistencyClaim(size1, size2);
        const t = tree();
        const other1 = 1 + ((size1 + a) % size2);
        if (other1 !== size1) throwsLog(() => verifyConsistency(p, { ...claim, size1: other1, root1: t.rootAt(other1) }), ['log.bad_proof', 'log.inconsistent'], 'size1');
        const other2 = size1 + ((size2 - size1 + 1 + a) % (MAX - size1 + 1));
        if (other2 !== size2) throwsLog(() => verifyConsistency(p, { ...claim, size2: other2, root2: t.rootAt(other2) }), ['log.bad_proof', 'log.inconsistent'], 'size2');
        if (size1 !== size2) {
          const swapped = { size1: size2, size2: size1, root1: claim.root2, root2: claim.root1, proof: claim.proof };
          throwsLog(() => verifyConsistency(p, swapped), ['log.bad_proof'], 'swapped');
          throwsLog(() => verifyConsistency(p, { ...claim, proof: claim.proof.slice(1) }), ['log.bad_proof'], 'cut');
        }
        throwsLog(() => verifyConsistency(p, { ...claim, proof: [...claim.proof, claim.root2] }), ['log.bad_proof'], 'padded');
      }),
      { numRuns: 300 },
    );
  });

  it('refuse the empty tree as the first (RFC 9162 §2.1.4.2: 0 < first), when generated and when verified', () => {
    const empty = p.sha256(new Uint8Array(0));
    throwsLog(() => verifyConsistency(p, { size1: 0, size2: 0, root1: empty, root2: empty, proof: [] }), ['log.bad_proof']);
    throwsLog(() => verifyConsistency(p, { size1: 0, size2: 3, root1: empty, root2: tree().rootAt(3), proof: [] }), ['log.bad_proof']);
    throwsLog(() => consistencyProof(p, tree(), 0, 3), ['log.out_of_range']);
    throwsLog(() => consistencyProof(p, tree(), 4, 3), ['log.out_of_range']);
    assert.deepEqual(consistencyProof(p, tree(), 7, 7), []);
  });
});

/** A tree of 2^53 − 1 identical leaves, cheap at any size: every complete subtree of a level has one hash. */
function uniformSource(): NodeHashSource {
  const levels = [leafHash(p, entry(0))];
  for (let l = 1; l <= 53; l++) levels.push(nodeHash(p, levels[l - 1]!, levels[l - 1]!));
  return {
    subtreeHash(level, index) {
      assert.ok((index + 1) * 2 ** level <= Number.MAX_SAFE_INTEGER, 'within 2^53');
      return levels[level]!;
    },
  };
}

describe('sizes beyond 32 bits', () => {
  const source = uniformSource();
  const arbSize = fc.oneof(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 2 ** 31, max: 2 ** 33 }), fc.constant(Number.MAX_SAFE_INTEGER));

  it('generate and verify inclusion and consistency proofs up to 2^53 − 1 leaves', () => {
    fc.assert(
      fc.property(arbSize, fc.double({ min: 0, max: 1, noNaN: true }), (size, f) => {
        const index = Math.min(size - 1, Math.floor(f * size));
        const root = treeRoot(p, source, size);
        const proof = inclusionProof(p, source, index, size);
        assert.equal(proof.length, inclusionProofLength(index, size));
        verifyInclusion(p, { leafIndex: index, treeSize: size, leafHash: source.subtreeHash(0, 0), proof, root });
        const size1 = Math.max(1, index);
        const cproof = consistencyProof(p, source, size1, size);
        assert.equal(cproof.length, consistencyProofLength(size1, size));
        verifyConsistency(p, { size1, size2: size, root1: treeRoot(p, source, size1), root2: root, proof: cproof });
      }),
      { numRuns: 100 },
    );
  });
});

describe('hostile input', () => {
  const good = inclusionClaim(3, 7);
  const goodC = consistencyClaim(3, 7);
  const h = good.root;

  it('never throws anything but a LogError, whatever the fields hold', () => {
    const field = fc.oneof(fc.anything(), fc.constantFrom(NaN, -1, 1.5, 2 ** 53, Infinity, '3', 3n, null, new Uint8Array(31), new Uint8Array(33), [h], h));
    fc.assert(
      fc.property(fc.record({ leafIndex: field, treeSize: field, leafHash: field, proof: field, root: field }), (fields) => {
        throwsLog(() => verifyInclusion(p, { ...good, ...fields } as unknown as InclusionClaim), ['log.bad_proof']);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.record({ size1: field, size2: field, root1: field, root2: field, proof: field }), (fields) => {
        throwsLog(() => verifyConsistency(p, { ...goodC, ...fields } as unknown as ConsistencyClaim), ['log.bad_proof', 'log.inconsistent']);
      }),
      { numRuns: 500 },
    );
    for (const claim of [null, undefined, 7, 'claim']) {
      throwsLog(() => verifyInclusion(p, claim as unknown as InclusionClaim), ['log.bad_proof']);
      throwsLog(() => verifyConsistency(p, claim as unknown as ConsistencyClaim), ['log.bad_proof']);
    }
  });

  it('refuses a huge proof by its length before hashing any of it', () => {
    const huge = new Array<Uint8Array>(1_000_000).fill(h);
    const started = performance.now();
    throwsLog(() => verifyInclusion(p, { ...good, proof: huge }), ['log.bad_proof']);
    throwsLog(() => verifyConsistency(p, { ...goodC, proof: huge }), ['log.bad_proof']);
    throwsLog(() => verifyInclusion(p, { ...good, leafIndex: 2 ** 53 - 2, treeSize: 2 ** 53 - 1, proof: huge }), ['log.bad_proof']);
    assert.ok(performance.now() - started < 200);
  });

  it('refuses an index at or past the size, and sizes that are not safe integers', () => {
    for (const [leafIndex, treeSize] of [[7, 7], [8, 7], [0, 0], [-1, 7], [3, 2 ** 53], [2 ** 53, 2 ** 53 + 2]] as const) {
      const e = (() => {
        try {
          verifyInclusion(p, { ...good, leafIndex, treeSize });
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      assert.ok(isLogError(e, 'log.bad_proof'), `${leafIndex}/${treeSize}`);
    }
  });
});
