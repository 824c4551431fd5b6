// The signed-in user's own devices as the node lists them, each with the fingerprint of its listed keys (what a new
// device shows on its pending screen) and whether it is the device this browser runs as.
import type { DeviceId } from '../../../src/cable/types.ts';
import { deviceFingerprint } from '../../../src/client/device-keys.ts';
import { listDevices } from '../../../src/client/key-directory.ts';
import type { Session } from '../../../src/client/session.ts';

export interface OwnDevice {
  readonly device: DeviceId;
  readonly status: 'pending' | 'approved' | 'revoked';
  readonly fingerprint: string;
  readonly createdAt: number;
  /** The device this browser signs as. */
  readonly current: boolean;
  /** Approved, with its record on the audit log (a ghost is not offered anything). */
  readonly onLog: boolean;
}

/** The user's devices, newest first. */
export async function ownDevices(s: Session): Promise<OwnDevice[]> {
  const listed = await listDevices(s, s.keys.user);
  return listed
    .map((d) => ({
      device: d.device,
      status: d.status,
      fingerprint: deviceFingerprint(s.p, d.signingKey, d.encryptionKey),
      createdAt: d.createdAt,
      current: d.device === s.keys.device,
      onLog: d.onLog,
    }))
    .sort((a, b) => b.createdAt - a.createdAt);
}

/** The fingerprint as the person typed it, in the form the pending screen shows (lower case, dashes kept). */
export function normaliseFingerprint(typed: string): string {
  return typed.trim().toLowerCase().replace(/\s+/g, '');
}
