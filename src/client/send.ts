// Sending (docs/node.md "Release workflow" step 3): the drafter's device checks that the released envelope is the
// draft it wrote — same routing header but for the DTG and releaser, sealed only to the verified current epochs of
// the addressed offices and to this node's release service — countersigns it, and hands it to the node to deliver.
import type { Cable, CableId, OfficeCode } from '../cable/types.ts';
import { parseCableId, parseOfficeCode } from '../cable/ids.ts';
import { encodeProtectedPart, encodeRoutingHeader } from '../cable/codec.ts';
import { equalBytes, toBase64, wipe } from '../bytes.ts';
import { RequestError, VerificationError } from '../errors.ts';
import { encodeEnvelope } from '../envelope/codec.ts';
import { requiresRelease } from '../envelope/format.ts';
import { openCable } from '../envelope/open.ts';
import { addSignature } from '../envelope/seal.ts';
import { verifyEnvelope, type VerifiedEnvelope } from '../envelope/verify.ts';
import { fetchDraft, openSealedDraft } from './drafts.ts';
import { currentEpoch, signerResolver } from './key-directory.ts';
import { openEpochSecretOf } from './keyring.ts';
import { cableSigner, type Session } from './session.ts';
import { fieldsOf } from './wire.ts';

export interface SendResult {
  readonly id: CableId;
  readonly deliveredTo: readonly OfficeCode[];
  readonly duplicate: boolean;
  /**
   * Whether the drafter's device opened the released text and found it identical to the draft. From LIMITED up
   * (and whenever caveats or releasability apply) it cannot before delivery: the second share is handed out only
   * for delivered cables. The header, keys and releaser's signature are checked either way.
   */
  readonly contentChecked: boolean;
}

function mismatch(message: string): never {
  throw new VerificationError('verify.manifest_mismatch', `the released cable is not the draft: ${message}`);
}

async function checkKeys(s: Session, verified: VerifiedEnvelope): Promise<void> {
  const { manifest, release } = verified.envelope.header;
  for (const m of manifest) {
    const current = await currentEpoch(s, m.office, m.level);
    if (m.node !== s.node.name || m.epoch !== current.epoch.epoch || !equalBytes(m.keyHash, current.keyHash)) {
      mismatch(`${m.office} is not sealed to its verified current ${m.level} key`);
    }
  }
  const releaseKeyHash = s.p.sha256(s.node.certificate.releaseKey);
  for (const r of release) if (r.node !== s.node.name || !equalBytes(r.keyHash, releaseKeyHash)) mismatch(`shares are not sealed to the release service of ${s.node.name}`);
}

async function sameContent(s: Session, verified: VerifiedEnvelope, drafted: Cable): Promise<boolean> {
  if (requiresRelease(verified.routing.marking)) return false;
  const origin = verified.envelope.header.manifest[0]!; // the originating office is always wrapped first
  const secret = await openEpochSecretOf(s, origin.office, origin.level, origin.epoch);
  try {
    const opened = await openCable(s.p, verified, { office: origin.office, epoch: origin.epoch, secretKey: secret });
    if (!equalBytes(encodeProtectedPart(opened.content), encodeProtectedPart(drafted.content))) mismatch('its text differs from the draft');
    return true;
  } finally {
    wipe(secret);
  }
}

/** Checks the released envelope of this device's draft, countersigns it as drafter and sends it. */
export async function sendCable(s: Session, id: CableId): Promise<SendResult> {
  const { summary, draft, released } = await fetchDraft(s, id);
  if (summary.status !== 'released' || !released) throw new RequestError('request.conflict', `${id} is ${summary.status}, not released`);
  if (draft.drafter !== s.keys.user) throw new RequestError('request.forbidden', `${id} was drafted by ${draft.drafter}: only the drafter sends it`);
  const drafted = await openSealedDraft(s, draft);
  const verified = await verifyEnvelope(s.p, released, signerResolver(s), { roles: ['releaser'] });
  const { routing } = verified;
  const expected = encodeRoutingHeader({ ...drafted.header, dtg: routing.dtg, releaser: routing.releaser });
  if (!equalBytes(expected, released.header.routing)) mismatch('its routing header differs beyond the DTG and releaser');
  if (drafted.header.releaser !== s.keys.user && drafted.header.releaser !== routing.releaser) {
    mismatch(`released by ${routing.releaser}, but the draft named ${drafted.header.releaser}`);
  }
  await checkKeys(s, verified);
  const contentChecked = await sameContent(s, verified, drafted);
  const signatures = await addSignature(s.p, released.headerBytes, released.signatures, cableSigner(s, 'drafter'));
  const body = await s.http.post(`/api/v1/drafts/${encodeURIComponent(id)}/send`, { envelope: toBase64(encodeEnvelope({ ...released, signatures })) });
  const f = fieldsOf('send', body, ['id', 'seq', 'duplicate', 'deliveredTo']);
  if (f.id('id', parseCableId) !== id) throw new RequestError('request.malformed', 'the node acknowledged another cable');
  return { id, deliveredTo: f.idList('deliveredTo', 0, 501, parseOfficeCode), duplicate: f.bool('duplicate'), contentChecked };
}
