// The service worker's memory of the audit log (docs/web-integrity.md): the last checkpoint it accepted, kept with
// its pins. Every later checkpoint a release is proven under must be consistent with it — a consistency proof from
// the node, either way round — so a node cannot show this browser a history in which an unlogged release appears
// and then another one, as the CLI's log view refuses the same (src/client/log-view.ts).
import { utf8 } from '../../src/bytes.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { proofOf } from '../../src/client/log-view.ts';
import { openCheckpoint, verifyCheckpointConsistency, type Checkpoint, type CheckpointPolicy } from '../../src/log/checkpoint.ts';

export interface LogHistory {
  /** The note of the last checkpoint this browser accepted, or null before the first. */
  last(): Promise<string | null>;
  /** Remembers a newer checkpoint (a larger tree) once it is shown consistent with the last. */
  save(note: string): Promise<void>;
  /** The node's `GET /api/v1/log/consistency?from=&to=` answer. */
  consistency(from: number, to: number): Promise<unknown>;
}

/** Throws (a LogError) unless `checkpoint` and the remembered one are two views of one history. */
export async function checkHistory(p: CryptoProvider, policy: CheckpointPolicy, checkpoint: Checkpoint, note: string, history: LogHistory): Promise<void> {
  const lastNote = await history.last();
  if (lastNote === null) {
    await history.save(note);
    return;
  }
  const last = await openCheckpoint(p, utf8(lastNote), policy);
  const [older, newer] = checkpoint.size >= last.size ? [last, checkpoint] : [checkpoint, last];
  const proof = proofOf('consistency proof', await history.consistency(older.size, newer.size), 'proof');
  verifyCheckpointConsistency(p, older, newer, proof);
  if (checkpoint.size > last.size) await history.save(note);
}
