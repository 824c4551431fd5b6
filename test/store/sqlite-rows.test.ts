// Every StoreTx method of the SQLite store round-trips its rows exactly, and refuses what the contract refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CableId, DeviceId, OfficeCode, UserId } from '../../src/cable/types.ts';
import { StoreError } from '../../src/errors.ts';
import type { DeviceRow, DraftRow, EpochRow, GrantRow } from '../../src/store/store.ts';
import { AMERICAS, ANNA, ASIA, BORIS, EUROPE, PHONE, bytes, cableId, office, rosterStore, user } from './fixtures.ts';

const isStoreError = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;

/** Byte fields come back as plain Uint8Array, never Buffer. */
function assertPlainBytes(value: Uint8Array | null): void {
  if (value === null) return;
  assert.equal(Object.getPrototypeOf(value), Uint8Array.prototype);
}

describe('SQLite store: roster', () => {
  it('round-trips offices and updates one in place', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      assert.deepEqual(tx.getOffice(AMERICAS), office(AMERICAS));
      assert.equal(tx.getOffice('MFA.CY.NOWHERE' as OfficeCode), null);
      tx.putOffice({ ...office(AMERICAS), name: 'Americas desk', ceiling: 'RESTRICTED', communities: [] });
      assert.deepEqual(tx.getOffice(AMERICAS), { ...office(AMERICAS), name: 'Americas desk', ceiling: 'RESTRICTED', communities: [] });
      assert.deepEqual(tx.listOffices().map((o) => o.code), [AMERICAS, ASIA, EUROPE]);
    });
  });

  it('round-trips users, including the flags', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      assert.deepEqual(tx.getUser(ANNA), user(ANNA));
      const frozen = { ...user(BORIS), clearance: 'SECRET' as const, caveats: [], active: false, frozen: true };
      tx.putUser(frozen);
      assert.deepEqual(tx.getUser(BORIS), frozen);
      assert.deepEqual(tx.listUsers().map((u) => u.id), [ANNA, BORIS]);
      assert.equal(tx.getUser('nobody' as UserId), null);
    });
  });

  it('replaces memberships and lists an office\'s members', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      tx.setMemberships(ANNA, [
        { office: EUROPE, role: 'member' },
        { office: AMERICAS, role: 'security-officer' },
        { office: AMERICAS, role: 'releasing-officer', releaseCeiling: 'CONFIDENTIAL' },
      ]);
      tx.setMemberships(BORIS, [{ office: AMERICAS, role: 'member' }]);
      assert.deepEqual(tx.getMemberships(ANNA), [
        { office: AMERICAS, role: 'releasing-officer', releaseCeiling: 'CONFIDENTIAL' },
        { office: AMERICAS, role: 'security-officer' },
        { office: EUROPE, role: 'member' },
      ]);
      assert.deepEqual(tx.listMembers(AMERICAS), [
        { user: ANNA, membership: { office: AMERICAS, role: 'releasing-officer', releaseCeiling: 'CONFIDENTIAL' } },
        { user: ANNA, membership: { office: AMERICAS, role: 'security-officer' } },
        { user: BORIS, membership: { office: AMERICAS, role: 'member' } },
      ]);
      tx.setMemberships(ANNA, []);
      assert.deepEqual(tx.getMemberships(ANNA), []);
      assert.deepEqual(tx.listMembers(EUROPE), []);
    });
  });

  it('refuses a duplicate membership and a membership of an unknown office', () => {
    const store = rosterStore();
    assert.throws(
      () => store.transaction((tx) => tx.setMemberships(ANNA, [{ office: EUROPE, role: 'member' }, { office: EUROPE, role: 'member' }])),
      RangeError,
    );
    assert.throws(
      () => store.transaction((tx) => tx.setMemberships(ANNA, [{ office: 'MFA.CY.NOWHERE' as OfficeCode, role: 'member' }])),
      isStoreError('store.not_found'),
    );
  });

  it('round-trips officer certificates', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      assert.equal(tx.getOfficerCertificate(ANNA), null);
      tx.putOfficerCertificate(BORIS, bytes(2));
      tx.putOfficerCertificate(ANNA, bytes(1, 2, 3));
      tx.putOfficerCertificate(ANNA, bytes(4, 5));
      const cert = tx.getOfficerCertificate(ANNA);
      assert.deepEqual(cert, bytes(4, 5));
      assertPlainBytes(cert);
      assert.deepEqual(tx.listOfficerCertificates(), [bytes(4, 5), bytes(2)]);
    });
  });
});

describe('SQLite store: key material', () => {
  const device: DeviceRow = {
    user: ANNA,
    device: PHONE,
    status: 'pending',
    signingKey: bytes(1, 1),
    encryptionKey: bytes(2, 2),
    record: bytes(3, 3, 3),
    createdAt: 1_700_000_000_000,
  };
  const epoch = (n: number, closure: Uint8Array | null = null): EpochRow => ({
    office: AMERICAS,
    level: 'CONFIDENTIAL',
    epoch: n,
    keyHash: bytes(0xee, n),
    record: bytes(0xef, n),
    closure,
  });

  it('round-trips devices through approval', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      tx.putDevice(device);
      assert.deepEqual(tx.getDevice(ANNA, PHONE), device);
      const approved: DeviceRow = { ...device, status: 'approved', record: bytes(9) };
      tx.putDevice(approved);
      tx.putDevice({ ...device, device: 'd-anna-0' as DeviceId, createdAt: device.createdAt - 1 });
      const got = tx.getDevice(ANNA, PHONE);
      assert.deepEqual(got, approved);
      assertPlainBytes(got?.signingKey ?? null);
      assert.deepEqual(tx.listDevices(ANNA).map((d) => d.device), ['d-anna-0', PHONE]);
      assert.equal(tx.getDevice(BORIS, PHONE), null);
    });
    assert.throws(() => store.transaction((tx) => tx.putDevice({ ...device, user: 'nobody' as UserId })), isStoreError('store.not_found'));
  });

  it('round-trips epochs, finds the current one, and closes one', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      assert.equal(tx.currentEpoch(AMERICAS, 'CONFIDENTIAL'), null);
      tx.putEpoch(epoch(0));
      tx.putEpoch(epoch(1));
      tx.putEpoch({ ...epoch(0), level: 'RESTRICTED' });
      assert.deepEqual(tx.getEpoch(AMERICAS, 'CONFIDENTIAL', 1), epoch(1));
      assert.equal(tx.getEpoch(AMERICAS, 'CONFIDENTIAL', 2), null);
      assert.deepEqual(tx.currentEpoch(AMERICAS, 'CONFIDENTIAL'), epoch(1));
      tx.putEpoch(epoch(1, bytes(0xc1)));
      tx.putEpoch(epoch(1, bytes(0xc1))); // the same closure again is a no-op
      assert.deepEqual(tx.getEpoch(AMERICAS, 'CONFIDENTIAL', 1), epoch(1, bytes(0xc1)));
      assert.deepEqual(tx.currentEpoch(AMERICAS, 'CONFIDENTIAL'), epoch(0));
      assert.deepEqual(
        tx.listEpochs(AMERICAS).map((e) => [e.level, e.epoch]),
        [['RESTRICTED', 0], ['CONFIDENTIAL', 0], ['CONFIDENTIAL', 1]],
      );
    });
  });

  it('refuses another key under an epoch number, and undoing or replacing a closure', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      tx.putEpoch(epoch(0));
      tx.putEpoch(epoch(1, bytes(0xc1)));
    });
    for (const bad of [{ ...epoch(0), keyHash: bytes(0) }, { ...epoch(0), record: bytes(0) }, epoch(1), epoch(1, bytes(0xc2))]) {
      assert.throws(() => store.transaction((tx) => tx.putEpoch(bad)), isStoreError('store.conflict'));
    }
    assert.throws(() => store.transaction((tx) => tx.putEpoch({ ...epoch(0), office: 'MFA.CY.NOWHERE' as OfficeCode })), isStoreError('store.not_found'));
  });

  it('round-trips grants, which need their device and epoch', () => {
    const store = rosterStore();
    const grant = (n: number): GrantRow => ({ user: ANNA, device: PHONE, office: AMERICAS, level: 'CONFIDENTIAL', epoch: n, record: bytes(0x67, n) });
    assert.throws(() => store.transaction((tx) => tx.putGrant(grant(0))), isStoreError('store.not_found'));
    store.transaction((tx) => {
      tx.putDevice(device);
      tx.putEpoch(epoch(0));
      tx.putEpoch(epoch(1));
      tx.putGrant(grant(1));
      tx.putGrant(grant(0));
      tx.putGrant({ ...grant(0), record: bytes(7) });
      assert.deepEqual(tx.listGrants(ANNA, PHONE), [{ ...grant(0), record: bytes(7) }, grant(1)]);
      assert.deepEqual(tx.listGrants(BORIS, PHONE), []);
    });
  });
});

describe('SQLite store: drafts', () => {
  const draft = (serial: number, updatedAt: number): DraftRow => ({
    id: cableId(serial, AMERICAS),
    from: AMERICAS,
    level: 'SECRET',
    drafter: BORIS,
    status: 'draft',
    sealedDraft: bytes(0xd0, serial),
    releasedEnvelope: null,
    releaser: null,
    createdAt: 1000,
    updatedAt,
  });

  it('round-trips a draft through release and lists an office\'s drafts, latest first', () => {
    const store = rosterStore();
    store.transaction((tx) => {
      tx.putDraft(draft(1, 1000));
      tx.putDraft(draft(2, 2000));
      assert.deepEqual(tx.getDraft(cableId(1, AMERICAS)), draft(1, 1000));
      const released: DraftRow = { ...draft(1, 3000), status: 'released', releasedEnvelope: bytes(0xe0), releaser: ANNA };
      tx.putDraft(released);
      assert.deepEqual(tx.getDraft(cableId(1, AMERICAS)), released);
      assert.deepEqual(tx.listDrafts(AMERICAS).map((d) => d.id), [cableId(1, AMERICAS), cableId(2, AMERICAS)]);
      assert.deepEqual(tx.listDrafts(EUROPE), []);
      assert.equal(tx.getDraft('MFA.CY.AMERICAS/2026/000099' as CableId), null);
    });
  });

  it('refuses a draft whose status and release fields disagree', () => {
    const store = rosterStore();
    assert.throws(() => store.transaction((tx) => tx.putDraft({ ...draft(1, 1), status: 'released' })), RangeError);
    assert.throws(() => store.transaction((tx) => tx.putDraft({ ...draft(1, 1), releasedEnvelope: bytes(1), releaser: ANNA })), RangeError);
    assert.throws(() => store.transaction((tx) => tx.putDraft({ ...draft(1, 1), createdAt: 1.5 })), RangeError);
  });
});
