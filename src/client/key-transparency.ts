// Key transparency on the client (issue 4; DESIGN.md "Keys, trust and the ghost-device defence"): a key record is
// trusted only when the node shows the entry that put it on the audit log, that entry's inclusion proof, and a
// checkpoint signed by the pinned log key, consistent with every checkpoint this device saw before, and signed no
// longer ago than the configured bound. A record the node cannot show on the log — a device key written straight
// into its database, an epoch no officer's client uploaded — is refused (`verify.not_logged`); a view of the log
// too old to rule out a later closure or revocation is refused too (`verify.stale_log`).
import { utf8 } from '../bytes.ts';
import { LogError, VerificationError } from '../errors.ts';
import { openCheckpoint, type Checkpoint } from '../log/checkpoint.ts';
import { decodeLogEntry, MAX_LOG_ENTRY_BYTES } from '../log/events.ts';
import { logsKeyRecord, type ExpectedKeyEntry } from '../log/key-entries.ts';
import { leafHash } from '../log/merkle.ts';
import { verifyInclusion } from '../log/proofs.ts';
import { noteText, proofOf } from './log-view.ts';
import type { Session } from './session.ts';
import { base64Of, fieldsOf, valueIn } from './wire.ts';

/** How old a checkpoint may be for the key records it vouches for, unless the session says otherwise: 10 minutes. */
export const DEFAULT_MAX_LOG_AGE_MS = 10 * 60 * 1000;

/** A listing's log view: the checkpoint, opened under the pinned key, fresh, and accepted by the session's view. */
export interface ListingCheckpoint {
  readonly checkpoint: Checkpoint;
}

function describe(expected: ExpectedKeyEntry): string {
  switch (expected.kind) {
    case 'device.approved':
      return `device ${expected.user}/${expected.device}`;
    case 'officer.appointed':
      return `officer certificate of ${expected.user}`;
    case 'epoch.opened':
      return `epoch ${expected.epoch} of ${expected.office} at ${expected.level}`;
    case 'grant.issued':
      return `key grant to ${expected.user}/${expected.device}`;
  }
}

/**
 * Opens the checkpoint a listing carries (`body.checkpoint`): it must verify under the pinned log key, be signed no
 * longer than `maxLogAgeMs` before the client's clock (nor ahead of it by more than a minute of skew), and be
 * consistent with the session's last accepted checkpoint (which it then extends).
 */
export async function listingCheckpoint(s: Session, body: unknown, what: string): Promise<ListingCheckpoint> {
  const note = noteText(valueIn(what, body, 'checkpoint'), `${what} checkpoint`);
  const checkpoint = await openCheckpoint(s.p, utf8(note), s.node.log.policy);
  const maxAge = s.maxLogAgeMs ?? DEFAULT_MAX_LOG_AGE_MS;
  const now = s.now();
  if (checkpoint.time === undefined) throw new VerificationError('verify.stale_log', `${what}: the node's checkpoint carries no signing time, so its age is unknown`);
  if (now - checkpoint.time > maxAge) {
    throw new VerificationError('verify.stale_log', `${what}: the node's view of the log is ${Math.round((now - checkpoint.time) / 1000)} s old (at most ${Math.round(maxAge / 1000)} s)`);
  }
  if (checkpoint.time - now > 60_000) throw new VerificationError('verify.stale_log', `${what}: the node's checkpoint is signed in the future (check this device's clock)`);
  await s.log.accept(checkpoint, note);
  return { checkpoint };
}

/**
 * Checks that `logged` (a listing item's `logged` value) is the entry logging exactly the record `expected`
 * describes, included in `view`'s tree. `verify.not_logged` when the node shows none; `log.bad_proof` when what it
 * shows is not that record's entry or does not verify.
 */
export function checkLogged(s: Session, view: ListingCheckpoint, logged: unknown, expected: ExpectedKeyEntry): void {
  if (logged === null || logged === undefined) {
    throw new VerificationError('verify.not_logged', `${describe(expected)} is not on the audit log: it was not made through the node's API and is not trusted (tell a security officer)`);
  }
  const f = fieldsOf('logged record', logged, ['index', 'entry', 'proof']);
  const index = f.uint('index');
  const leaf = base64Of(f, 'entry', MAX_LOG_ENTRY_BYTES);
  const proof = proofOf('logged record', logged, 'proof');
  const entry = decodeLogEntry(leaf);
  if (entry.node !== s.node.name || !logsKeyRecord(entry, expected)) {
    throw new LogError('log.bad_proof', `the log entry shown for ${describe(expected)} logs another record`);
  }
  const { checkpoint } = view;
  verifyInclusion(s.p, { leafIndex: index, treeSize: checkpoint.size, leafHash: leafHash(s.p, leaf), root: checkpoint.root, proof });
}
