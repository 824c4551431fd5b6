// Office key epochs and key grants. The server only stores and serves them — it never holds a private key — but it
// refuses any record whose chain does not reach the organisation root, and any grant policy denies. Every epoch
// opened or closed and every grant stored is an audit-log entry, written with it.
import { Classifications, type DeviceId } from '../../cable/types.ts';
import { parseOfficeCode } from '../../cable/ids.ts';
import { equalBytes } from '../../bytes.ts';
import { RequestError } from '../../errors.ts';
import { assertAllowed } from '../../policy/decision.ts';
import { mayHoldOfficeKey } from '../../policy/office-key.ts';
import { mayIssueGrant } from '../../policy/grant.ts';
import { decodeOfficeEpoch, keyHash } from '../../keys/office-epoch.ts';
import { decodeEpochClosure, encodeEpochClosure, closes } from '../../keys/epoch-closure.ts';
import { verifyClosureChain } from '../../keys/epoch-chain.ts';
import { decodeOfficerCertificate } from '../../keys/officer-certificate.ts';
import { decodeKeyGrant, encodeKeyGrant, type KeyGrant } from '../../keys/key-grant.ts';
import { verifyKeyGrant, type GrantAuthority } from '../../keys/grant-chain.ts';
import type { EpochRow, StoreTx } from '../../store/store.ts';
import { callerOf, officeRow, policyOffice, policyUser } from '../access.ts';
import { b64, base64Field, jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';
import { officerVerifier, pinnedRoot, verifiedDevice, verifiedEpoch, verifiedOfficerOf } from '../trust.ts';
import { loggedWrite } from '../logged-write.ts';
import { keyRecordLog } from '../key-record-log.ts';

function epochJson(row: EpochRow) {
  return { office: row.office, level: row.level, epoch: row.epoch, record: b64(row.record), closure: row.closure ? b64(row.closure) : null };
}

const postEpoch: Route = {
  method: 'POST',
  path: '/api/v1/epochs',
  summary: 'Open a new key epoch of an office at a level (security officer; officer-signed record)',
  auth: 'device',
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const bytes = base64Field(jsonBody(input.body, 'epoch', ['record']), 'record', 8192);
    const epoch = decodeOfficeEpoch(bytes);
    if (epoch.certifiedBy !== caller.user) throw new RequestError('request.forbidden', 'an epoch is uploaded by the officer who certified it');
    if (epoch.node !== node.identity.node) throw new RequestError('request.malformed', 'epoch is for another node');
    const row: EpochRow = { office: epoch.office, level: epoch.level, epoch: epoch.epoch, keyHash: keyHash(node.p, epoch.publicKey), record: bytes, closure: null };
    await verifiedEpoch(node, row);
    await loggedWrite(node, input, (tx, record) => {
      const office = officeRow(tx, epoch.office);
      if (Classifications.indexOf(epoch.level) > Classifications.indexOf(office.ceiling)) {
        throw new RequestError('request.forbidden', `${office.code} holds nothing above ${office.ceiling}`);
      }
      const existing = tx.listEpochs(epoch.office).filter((e) => e.level === epoch.level);
      const next = existing.reduce((max, e) => Math.max(max, e.epoch + 1), 0);
      if (epoch.epoch !== next) throw new RequestError('request.conflict', `the next epoch of ${epoch.office} ${epoch.level} is ${next}`);
      tx.putEpoch(row);
      record([{ kind: 'epoch.opened', office: row.office, level: row.level, epoch: row.epoch, keyHash: row.keyHash, officer: epoch.certifiedBy }]);
    });
    node.log.info({ office: epoch.office, level: epoch.level, epoch: epoch.epoch }, 'epoch opened');
    return { status: 201, body: { epoch: epochJson(row) } };
  },
};

const closeEpoch: Route = {
  method: 'POST',
  path: '/api/v1/epoch-closures',
  summary: 'Close an epoch (security officer): senders refuse it from then on',
  auth: 'device',
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const closure = decodeEpochClosure(base64Field(jsonBody(input.body, 'closure', ['record']), 'record', 4096));
    if (closure.closedBy !== caller.user) throw new RequestError('request.forbidden', 'a closure is uploaded by the officer who signed it');
    const { row, cert } = node.store.transaction((tx) => ({ row: tx.getEpoch(closure.office, closure.level, closure.epoch), cert: tx.getOfficerCertificate(caller.user) }));
    if (!row || !cert) throw new RequestError('request.not_found', 'no such epoch or officer');
    if (!closes(closure, decodeOfficeEpoch(row.record))) throw new RequestError('request.malformed', 'closure names another epoch');
    await verifyClosureChain(node.p, { closure, officerCert: decodeOfficerCertificate(cert), root: await pinnedRoot(node), at: input.now, verifyOfficer: officerVerifier(node) });
    const closed = { ...row, closure: encodeEpochClosure(closure) };
    await loggedWrite(node, input, (tx, record) => {
      // putEpoch refuses another closure; the same one again changes nothing and is not logged twice.
      const already = tx.getEpoch(row.office, row.level, row.epoch)?.closure;
      tx.putEpoch(closed);
      if (!already) record([{ kind: 'epoch.closed', office: row.office, level: row.level, epoch: row.epoch, keyHash: row.keyHash, officer: closure.closedBy }]);
    });
    return { body: { epoch: epochJson(closed) } };
  },
};

const listEpochs: Route = {
  method: 'GET',
  path: '/api/v1/epochs',
  summary: "An office's key epochs (any approved device, and peers: senders seal to them)",
  auth: 'device-or-peer',
  async handle(node, input) {
    const office = parseOfficeCode(input.query.get('office') ?? '');
    const epochs = node.store.transaction((tx) => tx.listEpochs(office));
    // Each epoch with the entry that opened it: senders seal only to an epoch on the log (issue 4 key transparency).
    const { checkpoint, logged } = await keyRecordLog(node, epochs.map((e) => e.keyHash));
    return { body: { checkpoint, epochs: epochs.map((e, i) => ({ ...epochJson(e), logged: logged[i] })) } };
  },
};

/**
 * Whether a grant passes on a key its user already holds: a re-sealing device must hold the epoch itself, officers
 * may grant it to a user who holds it on another device. Only such grants of a closed epoch are stored (DESIGN.md:
 * a user's new device reads the history the user is entitled to at once); nobody gets a closed epoch afresh, so a
 * member who left does not regain it.
 */
function passesOnHeldKey(tx: StoreTx, grant: KeyGrant): boolean {
  const holds = (device: DeviceId) => tx.listGrants(grant.user, device).some((g) => g.office === grant.office && g.level === grant.level && g.epoch === grant.epoch);
  if (grant.issuer.kind === 'device') return holds(grant.issuer.device);
  return tx.listDevices(grant.user).some((d) => d.device !== grant.device && holds(d.device));
}

const postGrant: Route = {
  method: 'POST',
  path: '/api/v1/grants',
  summary: "Store a key grant (issuing officers, or the user's own device re-sealing); policy-checked; a closed epoch only to a user who holds it",
  auth: 'device',
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const grant = decodeKeyGrant(base64Field(jsonBody(input.body, 'grant', ['record']), 'record', 8192));
    const row = node.store.transaction((tx) => tx.getEpoch(grant.office, grant.level, grant.epoch));
    if (!row) throw new RequestError('request.not_found', 'no such epoch');
    const epoch = await verifiedEpoch(node, row);
    const recipient = await verifiedDevice(node, grant.user, grant.device);
    let authority: GrantAuthority;
    if (grant.issuer.kind === 'officer') {
      if (!grant.issuer.officers.includes(caller.user)) throw new RequestError('request.forbidden', 'a grant is uploaded by one of its issuers');
      authority = { kind: 'officer', officers: await Promise.all(grant.issuer.officers.map((u) => verifiedOfficerOf(node, u))) };
    } else {
      if (grant.issuer.device !== caller.device || grant.user !== caller.user) throw new RequestError('request.forbidden', 'a re-sealed grant is uploaded by the re-sealing device');
      authority = { kind: 'device', device: await verifiedDevice(node, caller.user, caller.device) };
    }
    await verifyKeyGrant(node.p, { grant, epoch, recipient, authority });
    const bytes = encodeKeyGrant(grant);
    await loggedWrite(node, input, (tx, record) => {
      if (tx.getEpoch(grant.office, grant.level, grant.epoch)?.closure && !passesOnHeldKey(tx, grant)) {
        throw new RequestError('request.conflict', "that epoch is closed: its key passes only to another device of a user who holds it already");
      }
      const office = policyOffice(officeRow(tx, grant.office));
      const holder = policyUser(tx, grant.user);
      // The server's own check, whatever the issuing client decided (issue 3: policy enforced on the server too).
      if (grant.issuer.kind === 'officer') assertAllowed(mayIssueGrant(grant.issuer.officers.map((u) => policyUser(tx, u)), holder, office, grant.level));
      else assertAllowed(mayHoldOfficeKey(holder, office, grant.level));
      const same = tx.listGrants(grant.user, grant.device).some((g) => g.office === grant.office && g.level === grant.level && g.epoch === grant.epoch && equalBytes(g.record, bytes));
      if (same) return; // the very grant again: nothing changes, nothing to log
      tx.putGrant({ user: grant.user, device: grant.device, office: grant.office, level: grant.level, epoch: grant.epoch, record: bytes });
      record([{
        kind: 'grant.issued', office: grant.office, level: grant.level, epoch: grant.epoch, user: grant.user, device: grant.device,
        issuer: grant.issuer, grantHash: node.p.sha256(bytes),
      }]);
    });
    node.log.info({ office: grant.office, level: grant.level, epoch: grant.epoch, user: grant.user, device: grant.device }, 'key grant stored');
    return { status: 201, body: { stored: true } };
  },
};

const listGrants: Route = {
  method: 'GET',
  path: '/api/v1/grants',
  summary: "The calling device's key grants",
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const grants = node.store.transaction((tx) => tx.listGrants(caller.user, caller.device));
    return { body: { grants: grants.map((g) => ({ office: g.office, level: g.level, epoch: g.epoch, record: b64(g.record) })) } };
  },
};

export const keyRoutes: readonly Route[] = [postEpoch, closeEpoch, listEpochs, postGrant, listGrants];
