// Key records served with the proof that they are on the audit log (issue 4 "Key transparency"; DESIGN.md "Keys,
// trust and the ghost-device defence"): beside each record, the entry that logged it, that entry's index and its
// inclusion proof, all against one signed checkpoint served with the listing. A record the log does not hold is
// served with `logged: null`, so that clients refuse it and its user's client flags it; the node does not hide it.
import type { NodeContext } from './node-context.ts';
import { b64 } from './request-body.ts';

/**
 * How recent the checkpoint served with key records is: at most a minute old, well inside the ten minutes clients
 * accept by default (src/client/key-transparency.ts), so clock skew and a slow network do not turn into refusals.
 */
export const FRESH_CHECKPOINT_MS = 60_000;

/** A record's entry on the wire: index, leaf data (base64) and inclusion proof (base64 hashes). */
export interface LoggedRecordJson {
  readonly index: number;
  readonly entry: string;
  readonly proof: readonly string[];
}

/** What a listing adds: the checkpoint (signed note text) every proof is against, and one entry per record. */
export interface KeyRecordLog {
  readonly checkpoint: string;
  readonly logged: readonly (LoggedRecordJson | null)[];
}

/**
 * The entries logging the records named by `recordHashes` (src/log/key-entries.ts `keyRecordHash`), with inclusion
 * proofs against a checkpoint that covers all of them (signed now if the latest does not).
 *
 * @example
 * ```ts
 * const { checkpoint, logged } = await keyRecordLog(node, devices.map((d) => node.p.sha256(d.record)));
 * ```
 */
export async function keyRecordLog(node: NodeContext, recordHashes: readonly (Uint8Array | null)[]): Promise<KeyRecordLog> {
  const found = node.store.transaction((tx) =>
    recordHashes.map((hash) => {
      const index = hash ? tx.logIndexOfKeyRecord(hash) : null;
      return index === null ? null : { index, leaf: tx.logEntry(index)?.leaf ?? null };
    }),
  );
  const needed = found.reduce((max, f) => Math.max(max, f ? f.index + 1 : 0), 1);
  const checkpoint = await node.auditLog.freshCheckpoint(needed, FRESH_CHECKPOINT_MS);
  const logged = found.map((f) =>
    f?.leaf ? { index: f.index, entry: b64(f.leaf), proof: node.auditLog.inclusionProof(f.index, checkpoint.size).map(b64) } : null,
  );
  return { checkpoint: checkpoint.note, logged };
}
