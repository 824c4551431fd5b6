// Device revocations in the SQLite store: the status and the signed record change together, in one transaction; a
// revocation is never replaced (the same record again is a no-op), a pending or unknown device cannot be revoked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceId } from '../../src/cable/types.ts';
import { StoreError } from '../../src/errors.ts';
import type { DeviceRevocationRow, DeviceRow } from '../../src/store/store.ts';
import { ANNA, PHONE, bytes, rosterStore } from './fixtures.ts';

const isStoreError = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;

describe('sqlite store: device revocations', () => {
  const device: DeviceRow = { user: ANNA, device: PHONE, status: 'approved', signingKey: bytes(1), encryptionKey: bytes(2), record: bytes(3), createdAt: 1_700_000_000_000 };
  const revocation: DeviceRevocationRow = { user: ANNA, device: PHONE, record: bytes(0xde, 1), revokedAt: 1_700_000_100_000 };

  it('revokes an approved device with its record, idempotently, and never replaces the record', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      tx.putDevice(device);
      tx.putDevice({ ...device, device: 'd-anna-2' as DeviceId, createdAt: device.createdAt + 1 });
      tx.revokeDevice(revocation);
      tx.revokeDevice(revocation);
    });
    store.transaction((tx) => {
      assert.equal(tx.getDevice(ANNA, PHONE)?.status, 'revoked');
      assert.deepEqual(tx.getDevice(ANNA, PHONE)?.record, device.record, 'the device record stays: what it approved is checked against it');
      assert.equal(tx.getDevice(ANNA, 'd-anna-2' as DeviceId)?.status, 'approved');
      assert.deepEqual(tx.getDeviceRevocation(ANNA, PHONE), revocation);
      assert.deepEqual(tx.listDeviceRevocations(ANNA), [revocation]);
      assert.equal(tx.getDeviceRevocation(ANNA, 'd-anna-2' as DeviceId), null);
    });
    assert.throws(() => store.transaction((tx) => tx.revokeDevice({ ...revocation, record: bytes(0xde, 2) })), isStoreError('store.conflict'));
    assert.throws(() => store.transaction((tx) => tx.revokeDevice({ ...revocation, revokedAt: 1 })), isStoreError('store.conflict'));
    assert.deepEqual(store.transaction((tx) => tx.getDeviceRevocation(ANNA, PHONE)), revocation);
  });

  it('refuses a pending or unknown device, and rolls back with the transaction', () => {
    const store = rosterStore();
    store.transaction((tx) => tx.putDevice({ ...device, status: 'pending' }));
    assert.throws(() => store.transaction((tx) => tx.revokeDevice(revocation)), isStoreError('store.conflict'));
    assert.throws(() => store.transaction((tx) => tx.revokeDevice({ ...revocation, device: 'd-anna-9' as DeviceId })), isStoreError('store.not_found'));
    store.transaction((tx) => tx.putDevice(device));
    assert.throws(() => store.transaction((tx) => {
      tx.revokeDevice(revocation);
      throw new Error('abort');
    }), /abort/);
    store.transaction((tx) => {
      assert.equal(tx.getDevice(ANNA, PHONE)?.status, 'approved');
      assert.equal(tx.getDeviceRevocation(ANNA, PHONE), null);
    });
  });
});
