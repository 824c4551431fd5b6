// A request's write and the audit entries recording it, in one group commit (src/node/commit-batcher.ts): the
// entries exist exactly when the change does. The request answers only once a signed checkpoint covers them, so
// whatever it returns — a share, an acknowledgement — is already on the record (docs/node.md "The audit log").
import type { StoreTx } from '../store/store.ts';
import type { AppendedEvents, LogEvent } from './audit-log.ts';
import { groupCommit } from './commit-batcher.ts';
import type { NodeContext } from './node-context.ts';
import type { RequestInput } from './route.ts';

/** Appends events at the request's time with its personal details; callable any number of times in the job. */
export type RecordEvents = (events: readonly LogEvent[]) => AppendedEvents;

/**
 * Runs `job` in the next group commit with a `record` that appends to the audit log in the same transaction, then
 * waits for a checkpoint over what it appended.
 *
 * @example
 * ```ts
 * await loggedWrite(node, input, (tx, record) => {
 *   tx.putDevice(row);
 *   record([{ kind: 'device.enrolled', user, device, recordHash }]);
 * });
 * ```
 */
export async function loggedWrite<T>(node: NodeContext, input: Pick<RequestInput, 'now' | 'client'>, job: (tx: StoreTx, record: RecordEvents) => T): Promise<T> {
  let size = 0;
  const value = await groupCommit(node.store, (tx) =>
    job(tx, (events) => {
      const appended = node.auditLog.append(tx, input.now, events, input.client);
      size = appended.size;
      return appended;
    }),
  );
  if (size > 0) await node.auditLog.checkpoint(size);
  return value;
}
