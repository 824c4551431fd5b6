// Cables, read marks, nonces and transactions in the SQLite store: idempotent acceptance, refusal of a second
// envelope under one id, all-or-nothing transactions, replay detection.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CableId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { InternalError, StoreError } from '../../src/errors.ts';
import type { StoreTx } from '../../src/store/store.ts';
import { AMERICAS, ANNA, ASIA, EUROPE, bytes, cable, office, rosterStore } from './fixtures.ts';

const isStoreError = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;

describe('SQLite store: putCable', () => {
  it('stores a cable with monotonic seq and round-trips every field', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      assert.deepEqual(tx.putCable(cable(1, 'FLASH'), [AMERICAS, EUROPE], 111), { kind: 'stored', seq: 1 });
      assert.deepEqual(tx.putCable(cable(2), [AMERICAS], 222), { kind: 'stored', seq: 2 });
      const got = tx.getCable(cable(1, 'FLASH').id);
      assert.deepEqual(got, { ...cable(1, 'FLASH'), seq: 1, acceptedAt: 111 });
      assert.equal(Object.getPrototypeOf(got?.envelope), Uint8Array.prototype);
      assert.equal(tx.getCable('EEAS.DEL.WASHINGTON/2026/000099' as CableId), null);
      assert.equal(tx.countCables(), 2);
    });
  });

  it('is idempotent: the same id and envelope hash is a duplicate with the first seq, and adds no rows', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      tx.putCable(cable(1), [AMERICAS], 1);
      tx.putCable(cable(2), [AMERICAS], 2);
      assert.deepEqual(tx.putCable(cable(1), [AMERICAS, EUROPE], 3), { kind: 'duplicate', seq: 1 });
      assert.equal(tx.countCables(), 2);
      assert.equal(tx.getCable(cable(1).id)?.acceptedAt, 1);
      // No new delivery either: EUROPE's inbox did not gain the cable on the repeat.
      assert.deepEqual(tx.inbox({ user: ANNA, offices: [EUROPE], limit: 10 }).entries, []);
    });
  });

  it('refuses the same id with another envelope hash (store.conflict), keeping the first', () => {
    const store = rosterStore();
    store.transaction((tx) => tx.putCable(cable(1), [AMERICAS], 1));
    const forged = { ...cable(1), envelope: bytes(6, 6, 6), envelopeHash: bytes(6) };
    assert.throws(() => store.transaction((tx) => tx.putCable(forged, [AMERICAS], 2)), isStoreError('store.conflict'));
    store.transaction((tx) => assert.deepEqual(tx.getCable(cable(1).id)?.envelope, cable(1).envelope));
  });

  it('delivers only to offices the cable names (originator, to, info), once each', () => {
    const store = rosterStore();
    assert.throws(() => store.transaction((tx) => tx.putCable(cable(1), [ASIA], 1)), RangeError);
    store.transaction((tx) => {
      tx.putCable(cable(2), [AMERICAS, AMERICAS], 1);
      assert.equal(tx.inbox({ user: ANNA, offices: [AMERICAS], limit: 10 }).entries.length, 1);
      // The originator's own copy: the manifest seals every cable to its sender too.
      tx.putCable({ ...cable(3), from: ASIA }, [ASIA, AMERICAS], 2);
      assert.deepEqual(tx.inbox({ user: ANNA, offices: [ASIA], limit: 10 }).entries.map((e) => e.seq), [2]);
      assert.equal(tx.countCables(), 2);
    });
  });

  it('needs a local office to exist before delivering to it', () => {
    const store = rosterStore();
    const elsewhere = 'MFA.CY.NOWHERE' as OfficeCode;
    assert.throws(() => store.transaction((tx) => tx.putCable(cable(1, 'ROUTINE', [elsewhere]), [elsewhere], 1)), isStoreError('store.not_found'));
  });
});

describe('SQLite store: transactions', () => {
  it('leaves nothing behind when the function throws after two writes', () => {
    const store = rosterStore();
    assert.throws(
      () =>
        store.transaction((tx) => {
          tx.putOffice(office('MFA.CY.AFRICA' as OfficeCode));
          tx.putCable(cable(1), [AMERICAS], 1);
          throw new Error('boom');
        }),
      /boom/,
    );
    store.transaction((tx) => {
      assert.equal(tx.getOffice('MFA.CY.AFRICA' as OfficeCode), null);
      assert.equal(tx.getCable(cable(1).id), null);
      assert.equal(tx.countCables(), 0);
    });
    // The sequence is not burnt by the rollback either: the next cable is still seq 1.
    store.transaction((tx) => assert.deepEqual(tx.putCable(cable(2), [AMERICAS], 1), { kind: 'stored', seq: 1 }));
  });

  it('returns the function\'s value and refuses a tx used after its transaction', () => {
    const store = rosterStore();
    let kept: StoreTx | undefined;
    const n = store.transaction((tx) => {
      kept = tx;
      return tx.listOffices().length;
    });
    assert.equal(n, 3);
    assert.throws(() => kept?.listOffices(), InternalError);
  });

  it('refuses an async function, rolling back what it wrote before its first await', async () => {
    const store = rosterStore();
    let pending: Promise<void> | undefined;
    assert.throws(
      () =>
        store.transaction((tx) => {
          pending = (async () => {
            tx.putCable(cable(1), [AMERICAS], 1);
            await Promise.resolve();
            tx.putCable(cable(2), [AMERICAS], 2);
          })();
          return pending;
        }),
      InternalError,
    );
    await assert.rejects(pending ?? Promise.resolve(), InternalError);
    store.transaction((tx) => assert.equal(tx.countCables(), 0));
  });
});

describe('SQLite store: read marks', () => {
  it('records the first read of a cable for a user, in every office line', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      tx.putCable(cable(1), [AMERICAS, EUROPE], 1);
      tx.markRead(ANNA, cable(1).id, 500);
      tx.markRead(ANNA, cable(1).id, 900);
      const anna = tx.inbox({ user: ANNA, offices: [AMERICAS, EUROPE], limit: 10 }).entries;
      assert.deepEqual(anna.map((e) => [e.office, e.readAt]), [[AMERICAS, 500], [EUROPE, 500]]);
      const boris = tx.inbox({ user: 'boris' as UserId, offices: [AMERICAS], limit: 10 }).entries;
      assert.deepEqual(boris.map((e) => e.readAt), [null]);
    });
  });

  it('refuses marking an unknown cable or for an unknown user', () => {
    const store = rosterStore();
    store.transaction((tx) => tx.putCable(cable(1), [AMERICAS], 1));
    assert.throws(() => store.transaction((tx) => tx.markRead(ANNA, cable(2).id, 1)), isStoreError('store.not_found'));
    assert.throws(() => store.transaction((tx) => tx.markRead('nobody' as UserId, cable(1).id, 1)), isStoreError('store.not_found'));
  });
});

describe('SQLite store: nonces', () => {
  it('accepts a nonce once, per key, until it expires', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      assert.equal(tx.rememberNonce('anna/d-1', 'n1', 1060, 1000), true);
      assert.equal(tx.rememberNonce('anna/d-1', 'n1', 1070, 1010), false, 'a replay');
      assert.equal(tx.rememberNonce('anna/d-2', 'n1', 1070, 1010), true, 'another key may use the same nonce');
      assert.equal(tx.rememberNonce('anna/d-1', 'n1', 1120, 1059), false, 'still remembered just before expiry');
      assert.equal(tx.rememberNonce('anna/d-1', 'n1', 1120, 1060), true, 'forgotten once expired');
    });
  });

  it('forgets a nonce remembered in a transaction that rolled back', () => {
    const store = rosterStore();
    assert.throws(() =>
      store.transaction((tx) => {
        tx.rememberNonce('anna/d-1', 'n1', 2000, 1000);
        throw new Error('request failed');
      }),
    );
    store.transaction((tx) => assert.equal(tx.rememberNonce('anna/d-1', 'n1', 2000, 1000), true));
  });
});
