// The audit log in the SQLite store: appended in any batches, it holds exactly the tree src/log builds in memory
// (every root, every subtree hash, no extra one), serves proofs that verify, loses a rolled-back append whole,
// keeps every hash when personal details are erased, and stores one checkpoint per tree size.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concatBytes, utf8 } from '../../src/bytes.ts';
import { nodeProvider as p } from '../../src/crypto/node-provider.ts';
import { StoreError } from '../../src/errors.ts';
import { emptyRoot, leafHash } from '../../src/log/merkle.ts';
import { MemoryTree } from '../../src/log/memory-tree.ts';
import { consistencyProof, inclusionProof, treeRoot, verifyConsistency, verifyInclusion } from '../../src/log/proofs.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { logHashes, StoreLimits, type LogEntryInput, type Store, type StoreTx } from '../../src/store/store.ts';
import { entry, throwsLog } from '../log/fixtures.ts';

const isStoreError = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;

/** Entry i; even entries carry personal details behind a salt, as a read event does. */
function input(i: number, tag = 0): LogEntryInput {
  const leaf = concatBytes(Uint8Array.of(tag), entry(i));
  return i % 2 === 0 ? { leaf, details: utf8(`198.51.100.${i % 256}`), salt: entry(i ^ 0x5a5a) } : { leaf };
}

const inputs = (from: number, count: number, tag = 0): LogEntryInput[] => Array.from({ length: count }, (_, k) => input(from + k, tag));

/** Appends to both the store (one transaction) and the reference tree. */
function append(store: Store, tree: MemoryTree, entries: readonly LogEntryInput[], at = 1000) {
  const result = store.transaction((tx) => tx.appendLogEntries(entries, at, p));
  for (const e of entries) tree.append(leafHash(p, e.leaf));
  return result;
}

/** The store holds every complete subtree hash of `tree`, equal to it, and none beyond (no leftover of a rollback). */
function assertSameTree(tx: StoreTx, tree: MemoryTree): void {
  const n = tree.size;
  assert.equal(tx.logSize(), n);
  for (let level = 0; 2 ** level <= Math.max(n, 1) * 2; level++) {
    const complete = Math.floor(n / 2 ** level);
    for (let i = 0; i < complete; i++) assert.deepEqual(tx.logSubtreeHash(level, i), tree.subtreeHash(level, i), `(${level}, ${i})`);
    throwsLog(() => tx.logSubtreeHash(level, complete), ['log.out_of_range'], `(${level}, ${complete})`);
  }
  const source = logHashes(tx);
  for (let size = 0; size <= n; size++) assert.deepEqual(treeRoot(p, source, size), tree.rootAt(size), `root at ${size}`);
}

describe('audit log store: appends', () => {
  it('appended in any batches, holds the reference tree: each append returns the new root, every past root matches', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 10 }), (batches) => {
        const store = openSqliteStore(':memory:');
        const tree = new MemoryTree(p);
        for (const count of batches) {
          const first = tree.size;
          const result = append(store, tree, inputs(first, count));
          assert.deepEqual(result, { first, size: first + count, root: tree.root() });
        }
        store.transaction((tx) => assertSameTree(tx, tree));
        store.close();
      }),
      { numRuns: 40 },
    );
  });

  it('round-trips entries: leaf, its RFC 9162 leaf hash, details, salt, time; pages are capped', () => {
    const store = openSqliteStore(':memory:');
    const tree = new MemoryTree(p);
    append(store, tree, inputs(0, 3), 111);
    append(store, tree, inputs(3, StoreLimits.logPageMax + 2), 222);
    store.transaction((tx) => {
      const got = tx.logEntry(2);
      assert.deepEqual(got, { index: 2, ...input(2), leafHash: leafHash(p, input(2).leaf), appendedAt: 111 });
      assert.equal(Object.getPrototypeOf(got?.leaf), Uint8Array.prototype);
      assert.deepEqual(tx.logEntry(3), { index: 3, leaf: input(3).leaf, leafHash: tree.subtreeHash(0, 3), details: null, salt: null, appendedAt: 222 });
      assert.equal(tx.logEntry(tree.size), null);
      assert.equal(tx.logEntry(-1), null);
      assert.deepEqual(tx.logEntries(1, 3).map((e) => e.index), [1, 2, 3]);
      assert.equal(tx.logEntries(0, 1e9).length, StoreLimits.logPageMax);
      assert.deepEqual(tx.logEntries(tree.size - 1, 10).map((e) => e.index), [tree.size - 1]);
      assert.deepEqual(tx.logEntries(tree.size, 10), []);
      assert.deepEqual(tx.logEntries(0, 0), []);
      assert.throws(() => tx.logEntries(-1, 1), RangeError);
      assert.throws(() => tx.logEntries(0, 1.5), RangeError);
    });
  });

  it('checks a whole batch before writing: a bad entry leaves nothing, even when the caller catches and commits', () => {
    const store = openSqliteStore(':memory:');
    store.transaction((tx) => {
      const bad: unknown[] = [
        [input(0), { leaf: entry(1), details: utf8('10.0.0.1') }],
        [input(0), { leaf: entry(1), salt: entry(2) }],
        [input(0), { leaf: 'not bytes' }],
        [input(0), null],
      ];
      for (const entries of bad) assert.throws(() => tx.appendLogEntries(entries as LogEntryInput[], 1, p), /store: /);
      assert.throws(() => tx.appendLogEntries([input(0)], 1.5, p), RangeError);
      assert.equal(tx.logSize(), 0);
      assert.deepEqual(tx.appendLogEntries([], 1, p), { first: 0, size: 0, root: emptyRoot(p) });
    });
    store.transaction((tx) => assert.equal(tx.logSize(), 0));
  });

  it('answers log.out_of_range, and nothing else, for any subtree it does not hold', () => {
    const store = openSqliteStore(':memory:');
    append(store, new MemoryTree(p), inputs(0, 5));
    store.transaction((tx) => {
      for (const [level, index] of [[0, 5], [1, 2], [2, 1], [3, 0], [60, 0], [-1, 0], [0, -1], [0.5, 0], [NaN, 0], [0, 2 ** 60]] as const) {
        throwsLog(() => tx.logSubtreeHash(level, index), ['log.out_of_range'], `(${level}, ${index})`);
      }
    });
  });
});

describe('audit log store: transactions', () => {
  it('forgets a rolled-back append whole, entries and node hashes, and appends correctly after it', () => {
    const store = openSqliteStore(':memory:');
    const tree = new MemoryTree(p);
    append(store, tree, inputs(0, 5));
    assert.throws(
      () =>
        store.transaction((tx) => {
          tx.appendLogEntries(inputs(5, 11, 0xee), 1, p);
          throw new Error('the state change failed');
        }),
      /the state change failed/,
    );
    store.transaction((tx) => assertSameTree(tx, tree));
    append(store, tree, inputs(5, 9));
    store.transaction((tx) => assertSameTree(tx, tree));
  });

  it('forgets an append rolled back in a savepoint (a group commit\'s failed write) and keeps the others', () => {
    const store = openSqliteStore(':memory:');
    const tree = new MemoryTree(p);
    append(store, tree, inputs(0, 3));
    store.transaction((tx) => {
      tx.appendLogEntries(inputs(3, 2), 1, p);
      assert.throws(() =>
        store.transaction((inner) => {
          inner.appendLogEntries(inputs(5, 6, 0xee), 1, p);
          throw new Error('this request failed');
        }),
      );
      const after = tx.appendLogEntries(inputs(5, 4), 1, p);
      assert.equal(after.first, 5);
    });
    for (const e of inputs(3, 6)) tree.append(leafHash(p, e.leaf));
    store.transaction((tx) => assertSameTree(tx, tree));
  });
});

describe('audit log store: proofs', () => {
  const SIZE = 300;
  const tree = new MemoryTree(p);
  const store = openSqliteStore(':memory:');
  // Uneven batches, so subtrees are completed across batch boundaries.
  for (let n = 0, batch = 1; n < SIZE; n += batch, batch = (batch * 7) % 23) append(store, tree, inputs(n, Math.min(batch, SIZE - n)));

  it('serves inclusion proofs that equal the reference and verify, for random leaves and tree sizes', () => {
    store.transaction((tx) => {
      const source = logHashes(tx);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: SIZE }), fc.nat(), (size, seed) => {
          const index = seed % size;
          const proof = inclusionProof(p, source, index, size);
          assert.deepEqual(proof, inclusionProof(p, tree, index, size));
          const leaf = leafHash(p, tx.logEntry(index)!.leaf);
          verifyInclusion(p, { leafIndex: index, treeSize: size, leafHash: leaf, proof, root: tree.rootAt(size) });
        }),
        { numRuns: 300 },
      );
    });
  });

  it('serves consistency proofs that equal the reference and verify, for random pairs of sizes', () => {
    store.transaction((tx) => {
      const source = logHashes(tx);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: SIZE }), fc.integer({ min: 1, max: SIZE }), (a, b) => {
          const [size1, size2] = a <= b ? [a, b] : [b, a];
          const proof = consistencyProof(p, source, size1, size2);
          assert.deepEqual(proof, consistencyProof(p, tree, size1, size2));
          verifyConsistency(p, { size1, size2, root1: tree.rootAt(size1), root2: tree.rootAt(size2), proof });
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('audit log store: erasing personal details', () => {
  it('erases details and salt, keeps the leaf, and every root and proof stays valid', () => {
    const store = openSqliteStore(':memory:');
    const tree = new MemoryTree(p);
    append(store, tree, inputs(0, 64));
    const erased = [0, 6, 32, 62];
    const before = store.transaction((tx) => tx.logEntries(0, 64));
    store.transaction((tx) => {
      for (const i of erased) tx.eraseLogDetails(i);
      tx.eraseLogDetails(6); // again: nothing left to erase, and no error
      tx.eraseLogDetails(7); // an entry that had no details
    });
    store.transaction((tx) => {
      tx.logEntries(0, 64).forEach((got, i) => {
        const gone = erased.includes(i);
        assert.deepEqual(got, gone ? { ...before[i]!, details: null, salt: null } : before[i]);
      });
      assertSameTree(tx, tree);
      const source = logHashes(tx);
      for (const i of erased) {
        const proof = inclusionProof(p, source, i, 64);
        verifyInclusion(p, { leafIndex: i, treeSize: 64, leafHash: leafHash(p, tx.logEntry(i)!.leaf), proof, root: tree.root() });
      }
      assert.throws(() => tx.eraseLogDetails(64), isStoreError('store.not_found'));
      assert.throws(() => tx.eraseLogDetails(-1), isStoreError('store.not_found'));
    });
  });
});

describe('audit log store: checkpoints', () => {
  const note = (size: number) => `chancery.example/log\n${size}\n…\n\n— chancery.example/log 🔏sig${size}\n`;

  it('keeps one checkpoint per size: latest, by size, identical again is a no-op, another is a conflict', () => {
    const store = openSqliteStore(':memory:');
    const tree = new MemoryTree(p);
    store.transaction((tx) => {
      assert.equal(tx.latestCheckpoint(), null);
      tx.putCheckpoint({ size: 0, root: emptyRoot(p), note: note(0), signedAt: 1 });
    });
    append(store, tree, inputs(0, 10));
    const ten = { size: 10, root: tree.root(), note: note(10), signedAt: 3 };
    store.transaction((tx) => {
      tx.putCheckpoint(ten);
      tx.putCheckpoint({ size: 5, root: tree.rootAt(5), note: note(5), signedAt: 2 });
      tx.putCheckpoint(ten);
    });
    store.transaction((tx) => {
      assert.deepEqual(tx.latestCheckpoint(), ten);
      assert.deepEqual(tx.checkpointAt(5), { size: 5, root: tree.rootAt(5), note: note(5), signedAt: 2 });
      assert.equal(tx.checkpointAt(7), null);
      assert.throws(() => tx.putCheckpoint({ ...ten, root: tree.rootAt(9) }), isStoreError('store.conflict'));
      assert.throws(() => tx.putCheckpoint({ ...ten, note: note(11) }), isStoreError('store.conflict'));
      assert.throws(() => tx.putCheckpoint({ ...ten, size: 11 }), RangeError);
      assert.throws(() => tx.putCheckpoint({ ...ten, size: 9, root: tree.root().subarray(1) }), RangeError);
      assert.throws(() => tx.putCheckpoint({ ...ten, size: 9, note: 'lone \uD800 surrogate' }), TypeError);
    });
    assert.throws(() =>
      store.transaction((tx) => {
        tx.putCheckpoint({ size: 8, root: tree.rootAt(8), note: note(8), signedAt: 4 });
        throw new Error('signing failed');
      }),
    );
    store.transaction((tx) => {
      assert.equal(tx.checkpointAt(8), null);
      assert.deepEqual(tx.latestCheckpoint(), ten);
    });
  });
});

describe('audit log store: share releases (the release service rate)', () => {
  it('counts a user shares after a time, each pointing at its log entry, and forgets them with a rollback', () => {
    const store = openSqliteStore(':memory:');
    const anna = 'anna' as Parameters<StoreTx['countShareReleases']>[0];
    store.transaction((tx) => {
      tx.appendLogEntries(inputs(0, 4), 1000, p);
      tx.recordShareRelease(0, anna, 1000);
      tx.recordShareRelease(1, anna, 2000);
      tx.recordShareRelease(2, 'bob' as typeof anna, 2000);
    });
    assert.deepEqual(store.transaction((tx) => [tx.countShareReleases(anna, 0), tx.countShareReleases(anna, 1000), tx.countShareReleases(anna, 2000)]), [2, 1, 0]);
    assert.throws(() => store.transaction((tx) => tx.recordShareRelease(9, anna, 3000)), isStoreError('store.not_found'));
    assert.throws(() => store.transaction((tx) => tx.recordShareRelease(0, anna, 3000)), isStoreError('store.conflict'));
    assert.throws(() => store.transaction((tx) => {
      tx.recordShareRelease(3, anna, 3000);
      throw new Error('rolled back');
    }), /rolled back/);
    assert.equal(store.transaction((tx) => tx.countShareReleases(anna, 0)), 2);
    store.close();
  });
});
