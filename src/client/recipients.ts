// The keys a cable is sealed to (docs/federation.md "Remote keys"): for every addressed office, the current open
// epoch at the cable's level of the node hosting it — ours, or a peer's checked against the peer's root and log
// through peer-directory.ts — and, per hosting node, the release key its root-certified node certificate carries.
import type { Classification, NodeName, OfficeCode } from '../cable/types.ts';
import type { ReleaseServiceKey, SealRecipient } from '../envelope/seal.ts';
import { currentEpoch } from './key-directory.ts';
import { hostedOffices, sessionFor } from './peer-directory.ts';
import type { Session } from './session.ts';

export interface SealKeys {
  /** In the order of `offices`. */
  readonly recipients: SealRecipient[];
  /** One per hosting node, in order of first appearance. */
  readonly releaseServices: ReleaseServiceKey[];
}

/** The verified key of every office in `offices` (from, to, info) at `level`, and of every hosting release service. */
export async function sealKeys(s: Session, offices: readonly OfficeCode[], level: Classification): Promise<SealKeys> {
  const recipients: SealRecipient[] = [];
  const releaseServices: ReleaseServiceKey[] = [];
  const seen = new Set<NodeName>();
  for (const { office, host } of await hostedOffices(s, offices)) {
    const code = office.code;
    const keys = await sessionFor(s, host === 'local' ? s.node.name : host);
    const epoch = await currentEpoch(keys, code, level);
    // The manifest names the node whose root certified the epoch, whatever the listing said.
    recipients.push({ office: { ...office, node: keys.node.name }, epoch: epoch.epoch.epoch, level, publicKey: epoch.epoch.publicKey, open: true });
    if (!seen.has(keys.node.name)) {
      seen.add(keys.node.name);
      releaseServices.push({ node: keys.node.name, publicKey: keys.node.certificate.releaseKey });
    }
  }
  return { recipients, releaseServices };
}
