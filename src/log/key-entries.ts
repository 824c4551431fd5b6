// The entries that put a key record on the record (DESIGN.md "Keys, trust and the ghost-device defence": a key is
// valid only when its record is in the log). Each names its record by a hash; the node indexes entries by that hash
// to serve a record with the proof of its entry, and a client checks that the entry it is shown is the one that
// logged exactly the record it is about to trust.
import { equalBytes } from '../bytes.ts';
import type { Classification, DeviceId, OfficeCode, UserId } from '../cable/types.ts';
import type { LogEntry } from './event-types.ts';

/** The kinds of entry that log a key record, and the hash each one names it by. */
export const KeyEntryKinds = ['device.approved', 'epoch.opened', 'officer.appointed', 'grant.issued'] as const;
export type KeyEntryKind = (typeof KeyEntryKinds)[number];

/**
 * The hash naming the key record an entry logs, or null for entries that log none: SHA-256 of the encoded device
 * record (`device.approved`), of the encoded officer certificate (`officer.appointed`), of the encoded grant
 * (`grant.issued`), and of the epoch's public key (`epoch.opened`, as the epoch record's own `keyHash`).
 *
 * @example
 * ```ts
 * keyRecordHash(entry); // the 32-byte recordHash of a device.approved entry
 * ```
 */
export function keyRecordHash(entry: { readonly kind: LogEntry['kind'] } & Partial<Record<'recordHash' | 'keyHash' | 'grantHash', Uint8Array>>): Uint8Array | null {
  switch (entry.kind) {
    case 'device.approved':
    case 'officer.appointed':
      return entry.recordHash ?? null;
    case 'epoch.opened':
      return entry.keyHash ?? null;
    case 'grant.issued':
      return entry.grantHash ?? null;
    default:
      return null;
  }
}

/** What a client expects a key record's entry to say, from the record it holds. */
export type ExpectedKeyEntry =
  | { readonly kind: 'device.approved'; readonly user: UserId; readonly device: DeviceId; readonly recordHash: Uint8Array }
  | { readonly kind: 'officer.appointed'; readonly user: UserId; readonly recordHash: Uint8Array }
  | { readonly kind: 'epoch.opened'; readonly office: OfficeCode; readonly level: Classification; readonly epoch: number; readonly keyHash: Uint8Array }
  | { readonly kind: 'grant.issued'; readonly user: UserId; readonly device: DeviceId; readonly grantHash: Uint8Array };

/**
 * Whether `entry` is the entry logging the record `expected` describes: the same kind, the same subject and the same
 * hash. A node serving a real entry of another record (another device's approval, an older epoch) is caught here.
 *
 * @example
 * ```ts
 * if (!logsKeyRecord(decodeLogEntry(leaf), { kind: 'device.approved', user, device, recordHash })) refuse();
 * ```
 */
export function logsKeyRecord(entry: LogEntry, expected: ExpectedKeyEntry): boolean {
  switch (expected.kind) {
    case 'device.approved':
      return entry.kind === expected.kind && entry.user === expected.user && entry.device === expected.device && equalBytes(entry.recordHash, expected.recordHash);
    case 'officer.appointed':
      return entry.kind === expected.kind && entry.user === expected.user && equalBytes(entry.recordHash, expected.recordHash);
    case 'epoch.opened':
      return entry.kind === expected.kind && entry.office === expected.office && entry.level === expected.level && entry.epoch === expected.epoch &&
        equalBytes(entry.keyHash, expected.keyHash);
    case 'grant.issued':
      return entry.kind === expected.kind && entry.user === expected.user && entry.device === expected.device && equalBytes(entry.grantHash, expected.grantHash);
  }
}
