// Checking the release service's receipt before decrypting (issue 4 "No unlogged decryption"): the share comes with
// the log entry recording this very opening, its index, a signed checkpoint and the entry's inclusion proof. The
// device verifies the checkpoint under the pinned log key, that the entry is its own read of this cable through
// this office, that the entry is in the tree the checkpoint signs, and that the checkpoint is consistent with the
// last one it saw. Only then is the share opened: every first opening of a cable (or of a draft) on a device is on
// the record.
import type { CableId, OfficeCode } from '../cable/types.ts';
import { parseCableId, parseOfficeCode } from '../cable/ids.ts';
import { utf8 } from '../bytes.ts';
import { LogError, RequestError } from '../errors.ts';
import { openShareOnDevice } from '../envelope/share-delivery.ts';
import { XWing } from '../crypto/xwing.ts';
import { openCheckpoint } from '../log/checkpoint.ts';
import { decodeLogEntry, MAX_LOG_ENTRY_BYTES, type LogKind } from '../log/events.ts';
import { leafHash } from '../log/merkle.ts';
import { verifyInclusion } from '../log/proofs.ts';
import { noteText, proofOf } from './log-view.ts';
import type { Session } from './session.ts';
import { base64Of, fieldsOf, valueIn, type Fields } from './wire.ts';

/**
 * What the entry must record: a read of a delivered cable, the release of a released draft's share, or the opening
 * of a draft (`cable` its id, `office` its originating office).
 */
export interface ExpectedShare {
  readonly kind: Extract<LogKind, 'cable.read' | 'share.released' | 'draft.read'>;
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

/**
 * Asks a share route (`path`, with `request` as its body) for the share `expected` records, verifies the receipt
 * (`verifyShareReceipt`) and only then opens the share sealed to this device. The caller wipes the share after use.
 *
 * @example
 * ```ts
 * const share = await receiveShare(s, `/api/v1/cables/${encodeURIComponent(id)}/share`, { office }, { kind: 'cable.read', cable: id, office });
 * ```
 */
export async function receiveShare(s: Session, path: string, request: Readonly<Record<string, unknown>>, expected: ExpectedShare): Promise<Uint8Array> {
  const body = await s.http.post(path, request);
  const f = fieldsOf('share', body, ['cable', 'office', 'enc', 'cipherText', ...RECEIPT_KEYS]);
  if (f.id('cable', parseCableId) !== expected.cable || f.id('office', parseOfficeCode) !== expected.office) {
    throw new RequestError('request.malformed', 'the node answered a share of another cable or office');
  }
  await verifyShareReceipt(s, f, body, expected);
  const sealed = { enc: base64Of(f, 'enc', XWing.cipherTextLength), cipherText: base64Of(f, 'cipherText', 64) };
  // The share is bound to this cable (or draft), office, user and device: one meant for anything else fails to open.
  return openShareOnDevice(s.p, sealed, s.keys.encryptionSeed, { cable: expected.cable, office: expected.office, user: s.keys.user, device: s.keys.device });
}
