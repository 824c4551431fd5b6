// Checking the release service's receipt before decrypting (issue 4 "No unlogged decryption"): the share comes with
// the log entry recording this very opening, its index, a signed checkpoint and the entry's inclusion proof. The
// device verifies the checkpoint under the pinned log key, that the entry is its own read of this cable through
// this office, that the entry is in the tree the checkpoint signs, and that the checkpoint is consistent with the
// last one it saw. Only then is the share opened: every first opening of a cable on a device is on the record.
import type { CableId, OfficeCode } from '../cable/types.ts';
import { utf8 } from '../bytes.ts';
import { LogError } from '../errors.ts';
import { openCheckpoint } from '../log/checkpoint.ts';
import { decodeLogEntry, MAX_LOG_ENTRY_BYTES, type LogKind } from '../log/events.ts';
import { leafHash } from '../log/merkle.ts';
import { verifyInclusion } from '../log/proofs.ts';
import { noteText, proofOf } from './log-view.ts';
import type { Session } from './session.ts';
import { base64Of, valueIn, type Fields } from './wire.ts';

/** What the entry must record: a read of a delivered cable, or the release of a released draft's share. */
export interface ExpectedShare {
  readonly kind: Extract<LogKind, 'cable.read' | 'share.released'>;
  readonly cable: CableId;
  readonly office: OfficeCode;
}

/** The keys of a share answer that make up its receipt. */
export const RECEIPT_KEYS = ['logIndex', 'entry', 'checkpoint', 'inclusionProof'] as const;

/**
 * Verifies the receipt in a share answer (`f` its fields, `body` the raw answer). Throws `log.bad_signature` /
 * `log.bad_checkpoint` for a checkpoint that does not verify under the pinned key, `log.bad_proof` for an entry that
 * is not this device's opening of this cable and office or is not in the signed tree, `log.inconsistent` for a
 * checkpoint that does not extend (or is not extended by) the last one this device accepted.
 */
export async function verifyShareReceipt(s: Session, f: Fields, body: unknown, expected: ExpectedShare): Promise<void> {
  const index = f.uint('logIndex');
  const leaf = base64Of(f, 'entry', MAX_LOG_ENTRY_BYTES);
  const note = noteText(valueIn('share', body, 'checkpoint'), 'checkpoint');
  const proof = proofOf('share', body, 'inclusionProof');
  const checkpoint = await openCheckpoint(s.p, utf8(note), s.node.log.policy);
  const entry = decodeLogEntry(leaf);
  const mine =
    entry.kind === expected.kind && entry.node === s.node.name && entry.user === s.keys.user && entry.device === s.keys.device &&
    entry.cable === expected.cable && entry.office === expected.office;
  if (!mine) throw new LogError('log.bad_proof', `the log entry handed with the share is not this device's ${expected.kind} of ${expected.cable} through ${expected.office}`);
  verifyInclusion(s.p, { leafIndex: index, treeSize: checkpoint.size, leafHash: leafHash(s.p, leaf), root: checkpoint.root, proof });
  await s.log.accept(checkpoint, note);
}
