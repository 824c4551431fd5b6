// The enrolled browser device as IndexedDB keeps it (docs/web.md "Browser device storage"): who it is, what it
// pinned at enrollment (organisation root, audit log key), its passkey, and its seeds sealed under the passkey's PRF.
// One browser profile holds one device; the checkpoints it verified are kept beside it, per log.
import type { DeviceId, NodeName, UserId } from '../../../src/cable/types.ts';
import type { LogMemory } from '../../../src/client/log-view.ts';
import { parseCheckpoint } from '../../../src/log/checkpoint.ts';
import { parseNote } from '../../../src/log/note.ts';
import { utf8 } from '../../../src/bytes.ts';
import { idbDelete, idbGet, idbPut, Stores } from './idb.ts';
import type { SealedSeeds } from './key-seal.ts';

export interface DeviceRecord extends SealedSeeds {
  readonly version: 1;
  readonly user: UserId;
  readonly device: DeviceId;
  readonly node: NodeName;
  /** The node's public URL as its certificate states it: what requests are signed for. */
  readonly url: string;
  readonly rootFingerprint: string;
  readonly logKeyFingerprint: string;
  /** The passkey's credential id (base64url), the only one allowed to unlock this record. */
  readonly credentialId: string;
  /** The PRF input (32 random bytes) whose output derives the wrapping key. */
  readonly prfSalt: Uint8Array;
  /** The device's public-key fingerprint, as the approving officer compares it. */
  readonly fingerprint: string;
  readonly enrolledAt: number;
}

const CURRENT = 'current';

export function loadDevice(): Promise<DeviceRecord | undefined> {
  return idbGet<DeviceRecord>(Stores.device, CURRENT);
}

export function saveDevice(record: DeviceRecord): Promise<void> {
  return idbPut(Stores.device, CURRENT, record);
}

/** Forgets this browser's device: its sealed keys and checkpoints (the node still lists it until revoked). */
export async function forgetDevice(): Promise<void> {
  await idbDelete(Stores.device, CURRENT);
}

/** The size a signed checkpoint note commits to; 0 for one that does not parse (never kept over a good one). */
function sizeOf(note: string): number {
  try {
    return parseCheckpoint(parseNote(utf8(note)).text).size;
  } catch {
    return 0;
  }
}

/** Where the log view keeps the last checkpoint of the log with `fingerprint`; a smaller one never replaces it. */
export async function checkpointMemory(fingerprint: string): Promise<LogMemory> {
  const last = await idbGet<string>(Stores.checkpoints, fingerprint);
  return {
    ...(last === undefined ? {} : { lastCheckpoint: last }),
    async save(note: string) {
      const saved = await idbGet<string>(Stores.checkpoints, fingerprint);
      if (saved !== undefined && sizeOf(saved) > sizeOf(note)) return;
      await idbPut(Stores.checkpoints, fingerprint, note);
    },
  };
}
