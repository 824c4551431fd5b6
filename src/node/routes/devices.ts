// Devices: a new device enrolls itself (pending, proving it holds its key); a security officer — or the user's own
// approved device — approves it with a signed device record that must chain to the organisation root. Enrollments,
// approvals and officer appointments are audit-log entries, written with the change (docs/log.md "Entries").

import { parseDeviceId, parseUserId } from '../../cable/ids.ts';
import { equalBytes } from '../../bytes.ts';
import { PolicyError, RequestError, VerificationError } from '../../errors.ts';
import { encodeCanonical } from '../../encoding/canonical-cbor.ts';
import { XWing } from '../../crypto/xwing.ts';
import { decodeDeviceRecord, encodeDeviceRecord } from '../../keys/device-record.ts';
import { verifyDeviceChain } from '../../keys/device-chain.ts';
import { OFFICER_CERTIFICATE_MAX_BYTES, decodeOfficerCertificate, encodeOfficerCertificate, type OfficerCertificate } from '../../keys/officer-certificate.ts';
import { foundingAllowed, verifyOfficerAppointment } from '../../keys/officer-appointment.ts';
import { callerOf, requireOfficer } from '../access.ts';
import { b64, base64Field, jsonBody } from '../request-body.ts';
import type { Fields } from '../../encoding/fields.ts';
import type { NodeContext } from '../node-context.ts';
import type { RequestInput, Route } from '../route.ts';
import { keyRecordLog } from '../key-record-log.ts';
import { forgetDevices, officerCertificates, officerDeviceRecords, officerVerifier, pinnedRoot } from '../trust.ts';
import { loggedWrite } from '../logged-write.ts';
import { revocationJson } from './revocations.ts';
import type { DeviceRow, StoreTx } from '../../store/store.ts';
import type { DeviceId, UserId } from '../../cable/types.ts';

function deviceJson(d: DeviceRow) {
  return { user: d.user, device: d.device, status: d.status, signingKey: b64(d.signingKey), encryptionKey: b64(d.encryptionKey), record: b64(d.record), createdAt: d.createdAt };
}

export const deviceRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/api/v1/enrollments',
    summary: "Enroll a new device (pending until approved); signed by the new device's own key",
    auth: 'enrollment',
    async handle(node, input) {
      const row = await fileEnrollment(node, input, enrollmentOf(jsonBody(input.body, 'enrollment', ['user', 'device', 'signingKey', 'encryptionKey'])));
      return { status: 201, body: { device: deviceJson(row) } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/devices/:user/:device/approval',
    summary: "Approve a pending device with a signed device record (security officer, or the user's own device)",
    auth: 'device',
    stepUp: true,
    async handle(node, input) {
      const caller = callerOf(input.caller);
      const user = parseUserId(input.params.user ?? '');
      const device = parseDeviceId(input.params.device ?? '');
      const record = decodeDeviceRecord(base64Field(jsonBody(input.body, 'approval', ['record']), 'record', 8192));
      const { pending, others, officers, officerDevices } = node.store.transaction((tx) => ({
        pending: tx.getDevice(user, device),
        others: tx.listDevices(user).filter((d) => d.status === 'approved').map((d) => decodeDeviceRecord(d.record)),
        officers: officerCertificates(tx),
        officerDevices: officerDeviceRecords(node, tx),
      }));
      if (!pending || pending.status !== 'pending') throw new RequestError('request.not_found', 'no pending enrollment for this device');
      if (record.user !== user || record.device !== device || record.node !== node.identity.node) throw new RequestError('request.malformed', 'record names another device or node');
      if (!equalBytes(record.signingKey, pending.signingKey) || !equalBytes(record.encryptionKey, pending.encryptionKey)) {
        throw new RequestError('request.conflict', 'record keys differ from the enrolled keys');
      }
      const approver = record.approval.kind === 'officer' ? record.approval.officer : user;
      if (approver !== caller.user) throw new RequestError('request.forbidden', 'the approval must be uploaded by its approver');
      // The chain must reach the root now: an officer's valid certificate (or one of the officer's own approved,
      // logged devices, whose chain reaches it too), or the same user's approved device.
      await verifyDeviceChain(node.p, { device: record, devices: others, officerDevices, officers, root: await pinnedRoot(node), at: input.now, verifyOfficer: officerVerifier(node) });
      const approved: DeviceRow = { ...pending, status: 'approved', record: encodeDeviceRecord(record) };
      await loggedWrite(node, input, (tx, log) => {
        // Approved meanwhile by another request: one approval, one entry.
        if (tx.getDevice(user, device)?.status !== 'pending') throw new RequestError('request.conflict', 'this device is no longer pending');
        tx.putDevice(approved);
        log([{ kind: 'device.approved', user, device, recordHash: node.p.sha256(approved.record), approver: record.approval }]);
      });
      forgetDevices(node, user);
      node.log.info({ user, device, approvedBy: approver }, 'device approved');
      return { body: { device: deviceJson(approved) } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/devices/:user',
    summary: "A user's devices (the user, security officers; approved devices for any member and peers, to check signatures), each with its log entry",
    auth: 'device-or-peer',
    async handle(node, input) {
      // A peer (input.peer, no caller) sees what any member sees: never a pending enrollment.
      const caller = input.caller ?? (input.peer !== null ? null : callerOf(input.caller));
      const user = parseUserId(input.params.user ?? '');
      const { devices, revocations, approvers } = node.store.transaction((tx) => {
        const all = tx.listDevices(user);
        // Revoked devices too: readers check what they signed and approved before their revocation (revocations.ts).
        const seesPending = caller !== null && (user === caller.user || tx.getOfficerCertificate(caller.user) !== null);
        const shown = seesPending ? all : all.filter((d) => d.status !== 'pending');
        return { devices: shown, revocations: tx.listDeviceRevocations(user).map(revocationJson), approvers: approvingOfficerDevices(tx, user, shown) };
      });
      // Each approved record with the entry that approved it: a device the log does not hold is listed with
      // `logged: null`, so senders refuse it and its user's client flags it (issue 4 key transparency). The same
      // for `approvers`: officers' own devices that approved these records as their officer, so a client can walk
      // those chains from this one answer.
      const listed = [...devices, ...approvers];
      const { checkpoint, logged } = await keyRecordLog(node, listed.map((d) => (d.record ? node.p.sha256(d.record) : null)));
      const json = listed.map((d, i) => ({ ...deviceJson(d), logged: logged[i] }));
      return { body: { checkpoint, devices: json.slice(0, devices.length), revocations, approvers: json.slice(devices.length) } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/officers/:user',
    summary: "A security officer's certificate (signed by the organisation root), with its log entry (devices and peers)",
    auth: 'device-or-peer',
    async handle(node, input) {
      const user = parseUserId(input.params.user ?? '');
      const cert = node.store.transaction((tx) => tx.getOfficerCertificate(user));
      if (!cert) throw new RequestError('request.not_found', `${user} is not a security officer here`);
      const { checkpoint, logged } = await keyRecordLog(node, [node.p.sha256(cert)]);
      return { body: { user, certificate: b64(cert), checkpoint, logged: logged[0] } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/officers',
    summary: "Appoint a security officer (security officer): a root-signed certificate endorsed by two of this node's officers, or a founding one while it has fewer than two",
    auth: 'device',
    async handle(node, input) {
      const cert = decodeOfficerCertificate(base64Field(jsonBody(input.body, 'officer', ['certificate']), 'certificate', OFFICER_CERTIFICATE_MAX_BYTES));
      const verify = officerVerifier(node);
      await verify(cert);
      if (cert.scope !== node.identity.node) throw new RequestError('request.malformed', 'certificate is for another node');
      const bytes = encodeOfficerCertificate(cert);
      const { stored, officers } = node.store.transaction((tx) => {
        requireOfficer(tx, callerOf(input.caller));
        return { stored: tx.getOfficerCertificate(cert.user), officers: officerCertificates(tx) };
      });
      if (stored && equalBytes(stored, bytes)) return { status: 201, body: { user: cert.user } }; // the same again: nothing changes, nothing to log
      await checkAppointment(node, cert, officers, input.now);
      await loggedWrite(node, input, (tx, record) => {
        if (!tx.getUser(cert.user)) throw new RequestError('request.not_found', `no user ${cert.user}`);
        // Decided again under the write: two founding appointments sent at once must not both pass.
        if (cert.founding && !foundingAllowed(officerCertificates(tx), cert.scope, input.now)) throw foundingClosed(node);
        tx.putOfficerCertificate(cert.user, bytes);
        const endorsedBy = cert.endorsements?.map((e) => e.endorser);
        record([{ kind: 'officer.appointed', user: cert.user, scope: cert.scope, recordHash: node.p.sha256(bytes), ...(endorsedBy ? { endorsedBy } : {}) }]);
      });
      node.log.info({ user: cert.user, founding: cert.founding === true }, 'security officer appointed');
      return { status: 201, body: { user: cert.user } };
    },
  },
];

/**
 * The approved devices of every officer whose device approved one of `shown` as their officer, and so on for those
 * devices' approvals (an officer's browser approved by their CLI device, or by another officer's device): all of
 * each such officer's approved devices, as their chains may run through any of them. Not `user`'s own.
 */
function approvingOfficerDevices(tx: StoreTx, user: UserId, shown: readonly DeviceRow[]): DeviceRow[] {
  const officers = new Set<UserId>();
  const out: DeviceRow[] = [];
  let frontier = shown;
  while (frontier.length > 0) {
    const named = frontier.flatMap((d) => {
      if (d.status === 'pending') return [];
      const approval = decodeDeviceRecord(d.record).approval;
      return approval.kind === 'officer' && approval.device !== undefined && approval.officer !== user && !officers.has(approval.officer) ? [approval.officer] : [];
    });
    const fresh = [...new Set(named)].filter((o) => tx.getOfficerCertificate(o) !== null);
    fresh.forEach((o) => officers.add(o));
    frontier = fresh.flatMap((o) => tx.listDevices(o).filter((d) => d.status === 'approved'));
    out.push(...frontier);
  }
  return out;
}

/** The new device's keys in an enrollment body (`POST /api/v1/enrollments`, and a browser's passkey registration). */
export function enrollmentOf(f: Fields): PendingEnrollment {
  const user = f.id('user', parseUserId);
  const device = f.id('device', parseDeviceId);
  const signingKey = base64Field(f, 'signingKey', 32);
  const encryptionKey = base64Field(f, 'encryptionKey', XWing.publicKeyLength);
  if (signingKey.length !== 32 || encryptionKey.length !== XWing.publicKeyLength) throw new RequestError('request.malformed', 'key lengths');
  return { user, device, signingKey, encryptionKey };
}

export interface PendingEnrollment {
  readonly user: UserId;
  readonly device: DeviceId;
  readonly signingKey: Uint8Array;
  readonly encryptionKey: Uint8Array;
}

/**
 * Files a pending device and its `device.enrolled` entry in one logged write; `alongside` runs in the same
 * transaction (a browser's passkey and its consumed code: all or nothing).
 */
export async function fileEnrollment(node: NodeContext, input: Pick<RequestInput, 'now' | 'client'>, e: PendingEnrollment, alongside?: (tx: StoreTx) => void): Promise<DeviceRow> {
  const { user, device, signingKey, encryptionKey } = e;
  const row: DeviceRow = {
    user, device, status: 'pending', signingKey, encryptionKey, createdAt: input.now,
    record: encodeCanonical({ v: 1, user, device, signingKey, encryptionKey }),
  };
  await loggedWrite(node, input, (tx, record) => {
    if (!tx.getUser(user)) throw new RequestError('request.not_found', `no user ${user}`);
    if (tx.getDevice(user, device)) throw new RequestError('request.conflict', `device ${user}/${device} already exists`);
    tx.putDevice(row);
    alongside?.(tx);
    record([{ kind: 'device.enrolled', user, device, recordHash: node.p.sha256(row.record) }]);
  });
  node.log.info({ user, device }, 'device enrollment pending');
  return row;
}

function foundingClosed(node: NodeContext): PolicyError {
  return new PolicyError(
    'policy.two_officers_required',
    `${node.identity.node} has two security officers: the root no longer appoints alone (founding); an appointment takes the endorsements of two officers`,
  );
}

/**
 * Two officers appoint (docs/decisions/012-two-officers-appoint.md): a founding certificate only while the node has
 * fewer than two officers valid now, any other with the endorsements of two of the node's officers, not the
 * appointee, whose certificates verify now. Anything less is `policy.two_officers_required` (403), nothing stored.
 */
async function checkAppointment(node: NodeContext, cert: OfficerCertificate, officers: readonly OfficerCertificate[], at: number): Promise<void> {
  if (cert.founding && !foundingAllowed(officers, cert.scope, at)) throw foundingClosed(node);
  try {
    await verifyOfficerAppointment(node.p, { cert, endorsers: officers, root: await pinnedRoot(node), at, verifyOfficer: officerVerifier(node) });
  } catch (cause) {
    if (!(cause instanceof VerificationError)) throw cause;
    throw new PolicyError('policy.two_officers_required', cause.message, { cause });
  }
}
