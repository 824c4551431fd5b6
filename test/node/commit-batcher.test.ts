// Group commit: concurrent writes share one transaction, each rolls back alone on failure, and nothing is
// acknowledged before its commit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OfficeCode, NodeName } from '../../src/cable/types.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { groupCommit } from '../../src/node/commit-batcher.ts';

function office(code: string) {
  return { code: code as OfficeCode, node: 'EEAS' as NodeName, name: code, ceiling: 'SECRET' as const, communities: ['EU'] };
}

function countingStore(): { store: Store; commits: () => number } {
  const inner = openSqliteStore(':memory:');
  let depth = 0;
  let commits = 0;
  const store: Store = {
    transaction(fn) {
      depth++;
      try {
        return inner.transaction(fn);
      } finally {
        depth--;
        if (depth === 0) commits++;
      }
    },
    close: () => inner.close(),
  };
  return { store, commits: () => commits };
}

describe('group commit', () => {
  it('writes issued together share one commit; a failing one rolls back alone', async () => {
    const { store, commits } = countingStore();
    const results = await Promise.allSettled([
      groupCommit(store, (tx) => tx.putOffice(office('EEAS.HQ.A'))),
      groupCommit(store, (tx) => {
        tx.putOffice(office('EEAS.HQ.B'));
        throw new Error('refused');
      }),
      groupCommit(store, (tx) => tx.putOffice(office('EEAS.HQ.C'))),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(commits(), 1);
    assert.deepEqual(store.transaction((tx) => tx.listOffices().map((o) => o.code)).sort(), ['EEAS.HQ.A', 'EEAS.HQ.C']);
    store.close();
  });

  it('resolves only after the commit: a value seen by the caller is already stored', async () => {
    const { store } = countingStore();
    await groupCommit(store, (tx) => tx.putOffice(office('EEAS.HQ.D')));
    assert.ok(store.transaction((tx) => tx.getOffice('EEAS.HQ.D' as OfficeCode)));
    store.close();
  });
});
