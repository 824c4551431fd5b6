// Approving a pending device from the browser: the same steps as approveDevice in src/client/admin.ts (which the
// browser cannot import: it reaches key files through enroll.ts and root-key.ts). The officer signs the device
// record over the listed keys only if they have the fingerprint the enrolling person read out.
import type { DeviceId, UserId } from '../../../src/cable/types.ts';
import { toBase64 } from '../../../src/bytes.ts';
import { RequestError } from '../../../src/errors.ts';
import { deviceFingerprint } from '../../../src/client/device-keys.ts';
import { listDevices } from '../../../src/client/key-directory.ts';
import type { Session } from '../../../src/client/session.ts';
import { encodeDeviceRecord, signDeviceRecord, type DeviceApproval } from '../../../src/keys/device-record.ts';

export async function approvePending(s: Session, user: UserId, device: DeviceId, expectFingerprint: string): Promise<{ readonly fingerprint: string }> {
  const pending = (await listDevices(s, user)).find((d) => d.device === device && d.status === 'pending');
  if (!pending) throw new RequestError('request.not_found', `no pending enrollment of ${user}/${device}`);
  const fingerprint = deviceFingerprint(s.p, pending.signingKey, pending.encryptionKey);
  if (expectFingerprint.toLowerCase() !== fingerprint) {
    throw new RequestError('request.conflict', `the pending keys have fingerprint ${fingerprint}, not ${expectFingerprint}: do not approve`);
  }
  const approval: DeviceApproval = s.keys.user === user ? { kind: 'device', device: s.keys.device } : { kind: 'officer', officer: s.keys.user };
  const record = await signDeviceRecord(
    s.p,
    { user, device, node: s.node.name, signingKey: pending.signingKey, encryptionKey: pending.encryptionKey, createdAt: s.now(), approval },
    s.keys.signingSeed,
  );
  await s.http.post(`/api/v1/devices/${encodeURIComponent(user)}/${encodeURIComponent(device)}/approval`, { record: toBase64(encodeDeviceRecord(record)) });
  return { fingerprint };
}
