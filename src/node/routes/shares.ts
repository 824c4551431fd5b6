// Handing a device its second share (DESIGN.md "The envelope" step 4): the release service opens one office's
// share of a verified envelope and it leaves the node only sealed to the calling device's own key. Shared by the
// share of a delivered cable (readers) and of a released draft (its drafter and releasing officers, to check the
// text before it goes out). Policy is the caller's check, before this; the audit log will come first of all.
import type { OfficeCode } from '../../cable/types.ts';
import { wipe } from '../../bytes.ts';
import { sealShareForDevice } from '../../envelope/share-delivery.ts';
import type { VerifiedEnvelope } from '../../envelope/verify.ts';
import type { NodeContext } from '../node-context.ts';
import { b64 } from '../request-body.ts';
import type { Caller, RouteResult } from '../route.ts';
import { verifiedDevice } from '../trust.ts';

/** `of` says what was opened, for the log line: a delivered cable or a released draft. */
export async function handOutShare(node: NodeContext, verified: VerifiedEnvelope, office: OfficeCode, caller: Caller, of: 'cable' | 'released draft'): Promise<RouteResult> {
  const id = verified.routing.id;
  const device = await verifiedDevice(node, caller.user, caller.device);
  const s2 = await node.release.shareFor(verified, office);
  try {
    const sealed = await sealShareForDevice(node.p, s2, device.record.encryptionKey, { cable: id, office, user: caller.user, device: caller.device });
    node.log.info({ cable: id, office, user: caller.user, device: caller.device, of }, 'release share handed out');
    return { body: { cable: id, office, enc: b64(sealed.enc), cipherText: b64(sealed.cipherText) } };
  } finally {
    wipe(s2);
  }
}
