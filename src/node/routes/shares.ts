// Handing a device its second share (DESIGN.md "The envelope" step 4; issue 4 "No unlogged decryption"): after the
// caller's policy check, the per-user rate is checked and the event is appended to the audit log in one group
// commit; once a signed checkpoint covers it, the release service (the keeper process, src/node/keeper/) opens the
// office's share against that entry and seals it to the device the entry names, so this process never sees a share
// in clear; the answer carries the sealed share, the entry, its index, the checkpoint and the inclusion proof, which
// the client verifies before it decrypts. Shared by the share of a delivered cable
// (readers: a `cable.read` entry), of a released draft (its drafter and releasing officers, to check the text
// before it goes out: a `share.released` entry) and of a draft itself (members of the originating office: a
// `draft.read` entry, routes/drafts.ts). One entry per share: the read and the hand-out are one event.
import type { CableId, OfficeCode } from '../../cable/types.ts';
import { dtgToDate } from '../../cable/dtg.ts';
import { RequestError } from '../../errors.ts';
import { requiresRelease } from '../../envelope/format.ts';
import type { VerifiedEnvelope } from '../../envelope/verify.ts';
import type { LogEvent } from '../audit-log.ts';
import { loggedWrite } from '../logged-write.ts';
import type { NodeContext } from '../node-context.ts';
import { b64 } from '../request-body.ts';
import type { Caller, RequestInput, RouteResult } from '../route.ts';
import { checkShareRate } from '../share-rate.ts';
import { checkStanding } from '../../policy/checks.ts';
import { PolicyDeniedError } from '../../policy/decision.ts';
import { policyUser } from '../access.ts';
import { verifiedDevice } from '../trust.ts';
import { satisfyStepUpForShare } from '../detection/step-up.ts';

const DAY = 86_400_000;

/** What the share opens: a delivered cable, or a released draft (before it is sent). */
export type ShareOf = 'cable' | 'released draft';

function eventFor(verified: VerifiedEnvelope, office: OfficeCode, caller: Caller, of: ShareOf, now: number): LogEvent {
  const h = verified.routing;
  const who = { user: caller.user, device: caller.device, cable: h.id, office };
  if (of === 'released draft') return { kind: 'share.released', ...who };
  const age = Math.floor((now - dtgToDate(h.dtg).getTime()) / DAY);
  return { kind: 'cable.read', ...who, level: h.marking.classification, tags: h.tags, ...(age >= 0 ? { ageDays: age } : {}) };
}

/**
 * Logs, then hands out, one office's share of `verified` to the calling device. Policy is the caller's check,
 * before this. Refused before anything is written: a cable that is not split (the office key alone opens it, so
 * there is no share), one without a share for `office` at this node, and a caller over the rate
 * (`request.rate_limited`, 429).
 */
export async function handOutShare(
  node: NodeContext,
  input: ShareInput,
  verified: VerifiedEnvelope,
  office: OfficeCode,
  caller: Caller,
  of: ShareOf,
): Promise<RouteResult> {
  const id = verified.routing.id;
  if (!requiresRelease(verified.routing.marking)) throw new RequestError('request.conflict', 'this cable is not split: the office key alone opens it');
  if (!verified.envelope.header.release.some((r) => r.node === node.identity.node && r.offices.includes(office))) {
    throw new RequestError('request.conflict', `this node's release service holds no share of ${id} for ${office}`);
  }
  return logThenHandOut(node, input, caller, { cable: id, office, event: eventFor(verified, office, caller, of, input.now) });
}

/** What a share route passes on of its request: the time, the personal details, and a browser device's session. */
export type ShareInput = Pick<RequestInput, 'now' | 'client' | 'session'>;

/** One share to hand out: the cable (or draft) and office whose share it is, and the entry that records it. */
export interface LoggedShare {
  readonly cable: CableId;
  readonly office: OfficeCode;
  readonly event: LogEvent;
}

/**
 * The common tail of every share route, after its policy check and its checks that a share exists: the caller's
 * standing, an open step_up alert's step-up, the rate and the entry in one group commit, a checkpoint over it, the
 * release service's sealed share, and the receipt.
 */
export async function logThenHandOut(node: NodeContext, input: ShareInput, caller: Caller, share: LoggedShare): Promise<RouteResult> {
  const { cable, office, event } = share;
  await verifiedDevice(node, caller.user, caller.device);
  // A keeper that is down: refuse before the entry is written and counted against the caller's rate.
  await node.release.ready?.();
  const appended = await loggedWrite(node, input, (tx, record) => {
    // Standing again, in the write itself: a freeze that committed after the caller's policy check and before this
    // append must still stop the share (the detector freezes in its own write, between the two).
    const [first, ...more] = checkStanding(policyUser(tx, caller.user));
    if (first) throw new PolicyDeniedError([first, ...more]);
    // An open step_up alert: this share needs the browser session's fresh step-up, taken here for the same reason
    // (docs/detection.md "Step-up"); a refusal below rolls the taking back. Its `alert.acknowledged` entries carry
    // no personal details: the read's entry, appended next, has them.
    const satisfied = satisfyStepUpForShare(tx, caller.user, input.session ?? null, input.now, (events) => node.auditLog.append(tx, input.now, events));
    checkShareRate(tx, caller.user, input.now, node.shareRate);
    const entry = record([event]);
    tx.recordShareRelease(entry.first, caller.user, input.now);
    return { ...entry, satisfied };
  });
  const index = appended.first;
  if (appended.satisfied.length > 0) {
    node.log.info({ alerts: appended.satisfied, user: caller.user, device: caller.device, logIndex: index, at: input.now }, 'step-up alert satisfied by a passkey step-up');
  }
  const checkpoint = await node.auditLog.checkpoint(appended.size);
  const proof = node.auditLog.inclusionProof(index, checkpoint.size);
  const sealed = await node.release.shareFor({ routing: { id: cable } }, office, { index });
  node.log.info({ cable, office, user: caller.user, device: caller.device, kind: event.kind, logIndex: index }, 'release share handed out');
  return {
    body: {
      cable,
      office,
      enc: b64(sealed.enc),
      cipherText: b64(sealed.cipherText),
      logIndex: index,
      entry: b64(appended.leaves[0]!),
      checkpoint: checkpoint.note,
      inclusionProof: proof.map(b64),
    },
  };
}
