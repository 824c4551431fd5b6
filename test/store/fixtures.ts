// Rows for the store tests: a small roster (two offices, two users) and cables built from a serial and a precedence.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { CableId, DeviceId, NodeName, OfficeCode, Precedence, UserId } from '../../src/cable/types.ts';
import type { CableRow, OfficeRow, Store, UserRow } from '../../src/store/store.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

export const AMERICAS = 'MFA.CY.AMERICAS' as OfficeCode;
export const EUROPE = 'MFA.CY.EUROPE' as OfficeCode;
export const ASIA = 'MFA.CY.ASIA' as OfficeCode;
export const REMOTE = 'EEAS.DEL.WASHINGTON' as OfficeCode;
export const ANNA = 'anna' as UserId;
export const BORIS = 'boris' as UserId;
export const PHONE = 'd-anna-1' as DeviceId;

export function office(code: OfficeCode, name = code.toLowerCase()): OfficeRow {
  return { code, node: 'MFA.CY' as NodeName, name, ceiling: 'SECRET', communities: ['CY', 'EU'] };
}

export function user(id: UserId): UserRow {
  return {
    id,
    name: `${id} (test)`,
    clearance: 'CONFIDENTIAL',
    nationality: 'CY',
    organisations: ['EU'],
    caveats: ['CRYPTO'],
    active: true,
    frozen: false,
  };
}

export function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

export function cableId(serial: number, from: string = REMOTE): CableId {
  return `${from}/2026/${String(serial).padStart(6, '0')}` as CableId;
}

/** A cable to AMERICAS with EUROPE for information; the envelope and its "hash" derive from the serial. */
export function cable(serial: number, precedence: Precedence = 'ROUTINE', to: readonly OfficeCode[] = [AMERICAS]): Omit<CableRow, 'seq' | 'acceptedAt'> {
  return {
    id: cableId(serial),
    dtg: '2026-11-26T14:30:00Z',
    precedence,
    classification: 'RESTRICTED',
    caveats: ['CRYPTO'],
    releasableTo: ['EU'],
    from: REMOTE,
    to,
    info: [EUROPE],
    tags: ['PREL', 'US'],
    drafter: 'drafter.one' as UserId,
    releaser: 'releaser.one' as UserId,
    envelope: bytes(0xca, 0xb1, serial & 0xff, serial >> 8),
    envelopeHash: bytes(0x48, serial & 0xff, serial >> 8),
  };
}

/** An in-memory store holding the roster above. */
export function rosterStore(): Store {
  const store = openSqliteStore(':memory:');
  store.transaction((tx) => {
    for (const code of [AMERICAS, EUROPE, ASIA]) tx.putOffice(office(code));
    tx.putUser(user(ANNA));
    tx.putUser(user(BORIS));
  });
  return store;
}

/** A fresh directory under the system temp dir, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-store-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
