// Revoking a device (docs/keys.md "Device revocation"): the user's own approved device — the lost one's sibling, or
// the device itself — or a security officer of this node uploads a signed revocation; the node checks its chain to
// the root, then marks the device revoked, stores the record and logs `device.revoked` in one transaction. From then
// on the device cannot authenticate, so it is handed no release share and none of its key grants.
import type { DeviceId, UserId } from '../../cable/types.ts';
import { equalBytes } from '../../bytes.ts';
import { RequestError } from '../../errors.ts';
import { decodeDeviceRecord, type DeviceRecord } from '../../keys/device-record.ts';
import { decodeDeviceRevocation, encodeDeviceRevocation, verifyRevocationChain, type DeviceRevocation } from '../../keys/device-revocation.ts';
import type { DeviceRevocationRow, DeviceRow, StoreTx } from '../../store/store.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { loggedWrite } from '../logged-write.ts';
import type { NodeContext } from '../node-context.ts';
import { b64, base64Field, jsonBody } from '../request-body.ts';
import type { Caller, RequestInput, Route, RouteResult } from '../route.ts';
import { forgetDevices, officerCertificates, officerDeviceRecords, officerVerifier, pinnedRoot } from '../trust.ts';

/** How far `revokedAt` may be from the node's clock: as for a DTG at release, so the record's time is the log's. */
const MAX_REVOCATION_SKEW_MS = 10 * 60 * 1000;
/** The largest revocation record accepted (the record's own cap is 1 KiB). */
const MAX_RECORD_BYTES = 2048;

/** A revocation as the device listing and this route show it. */
export function revocationJson(r: DeviceRevocationRow) {
  return { user: r.user, device: r.device, revokedAt: r.revokedAt, record: b64(r.record) };
}

/**
 * Who may upload: the revoking officer themself (a security officer of this node), or the revoking device itself,
 * which must be a device of the same user. Anyone else is `request.forbidden`, before any signature is checked.
 */
function checkUploader(tx: StoreTx, caller: Caller, revocation: DeviceRevocation): void {
  const by = revocation.by;
  if (by.kind === 'officer') {
    if (by.officer !== caller.user) throw new RequestError('request.forbidden', 'a revocation is uploaded by the officer who signed it');
    requireOfficer(tx, caller);
    return;
  }
  if (caller.user !== revocation.user || caller.device !== by.device) {
    throw new RequestError('request.forbidden', "only the user's own device that signed it, or a security officer, may revoke a device");
  }
}

interface Target {
  readonly row: DeviceRow;
  readonly stored: DeviceRevocationRow | null;
  /** The user's device records that may approve or revoke: approved, or revoked with a record (trust.ts). */
  readonly records: readonly DeviceRecord[];
}

function readTarget(tx: StoreTx, caller: Caller, revocation: DeviceRevocation): Target {
  checkUploader(tx, caller, revocation);
  const row = tx.getDevice(revocation.user, revocation.device);
  if (!row) throw new RequestError('request.not_found', `no device ${revocation.user}/${revocation.device}`);
  if (row.status === 'pending') throw new RequestError('request.conflict', 'this device is pending, not approved: there is nothing to revoke');
  const revoked = new Set(tx.listDeviceRevocations(revocation.user).map((r) => r.device));
  const records = tx.listDevices(revocation.user)
    .filter((d) => d.status === 'approved' || (d.status === 'revoked' && revoked.has(d.device)))
    .map((d) => decodeDeviceRecord(d.record));
  return { row, stored: tx.getDeviceRevocation(revocation.user, revocation.device), records };
}

/** Same record again: true (nothing to do); revoked otherwise (another record, or by an operator): a conflict. */
function alreadyRevoked(target: Pick<Target, 'row' | 'stored'>, bytes: Uint8Array): boolean {
  if (target.stored && equalBytes(target.stored.record, bytes)) return true;
  if (target.row.status === 'revoked') throw new RequestError('request.conflict', 'this device is already revoked by another record');
  return false;
}

/** The offices, levels and epochs whose keys the device held: their epochs should now close (DESIGN.md step 3). */
function heldEpochs(tx: StoreTx, user: UserId, device: DeviceId) {
  return tx.listGrants(user, device).map((g) => ({ office: g.office, level: g.level, epoch: g.epoch }));
}

async function revoke(node: NodeContext, input: RequestInput): Promise<RouteResult> {
  const caller = callerOf(input.caller);
  const revocation = decodeDeviceRevocation(base64Field(jsonBody(input.body, 'revocation', ['record']), 'record', MAX_RECORD_BYTES));
  const bytes = encodeDeviceRevocation(revocation);
  const { user, device } = revocation;
  if (revocation.node !== node.identity.node) throw new RequestError('request.malformed', 'the revocation is for a device of another node');
  const target = node.store.transaction((tx) => ({ ...readTarget(tx, caller, revocation), officers: officerCertificates(tx), officerDevices: officerDeviceRecords(node, tx) }));
  const answer = (status: number, duplicate: boolean) => ({
    status,
    body: { revocation: revocationJson({ user, device, revokedAt: revocation.revokedAt, record: bytes }), duplicate, heldEpochs: node.store.transaction((tx) => heldEpochs(tx, user, device)) },
  });
  // The same record again (a lost acknowledgement): nothing changes, nothing is logged, whenever it comes.
  if (alreadyRevoked(target, bytes)) return answer(200, true);
  if (Math.abs(revocation.revokedAt - input.now) > MAX_REVOCATION_SKEW_MS) {
    throw new RequestError('request.malformed', 'revokedAt is more than 10 minutes from the node clock');
  }
  const record = target.records.find((r) => r.device === device);
  if (!record) throw new RequestError('request.conflict', 'the device record does not decode as approved');
  await verifyRevocationChain(node.p, { revocation, device: record, devices: target.records, officerDevices: target.officerDevices, officers: target.officers, root: await pinnedRoot(node), at: input.now, verifyOfficer: officerVerifier(node) });
  const duplicate = await loggedWrite(node, input, (tx, log) => {
    // Another request may have revoked it meanwhile: one revocation, one entry.
    if (alreadyRevoked(readTarget(tx, caller, revocation), bytes)) return true;
    tx.revokeDevice({ user, device, record: bytes, revokedAt: revocation.revokedAt });
    log([{ kind: 'device.revoked', user, device, recordHash: node.p.sha256(bytes), by: revocation.by.kind === 'officer' ? revocation.by.officer : user }]);
    return false;
  });
  forgetDevices(node, user);
  node.log.info({ user, device, by: revocation.by, revokedAt: revocation.revokedAt }, 'device revoked');
  return answer(duplicate ? 200 : 201, duplicate);
}

export const revocationRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/api/v1/device-revocations',
    summary: "Revoke a device with a signed revocation record (the user's own approved device, or a security officer)",
    auth: 'device',
    handle: revoke,
  },
];
