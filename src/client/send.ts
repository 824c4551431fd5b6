// Sending (docs/node.md "Release workflow" step 3): the drafter's device checks that the released envelope is the
// draft it wrote — sealed only to the verified current epochs of the addressed offices and to the release services
// of the nodes hosting them (ours, and peers' checked against their roots), and, opened in full (for a split cable
// with the originating office's share of the released draft), the whole cable but the DTG and releaser equal to the
// draft — countersigns it, and hands it to the node to deliver. For a split cable that is two logged openings: the
// draft's (`draft.read`) and the released cable's (`share.released`), since the device keeps no plaintext between
// the steps.
import type { Cable, CableId, NodeName, OfficeCode } from '../cable/types.ts';
import { parseCableId, parseNodeName, parseOfficeCode } from '../cable/ids.ts';
import { encodeProtectedPart, encodeRoutingHeader } from '../cable/codec.ts';
import { equalBytes, toBase64 } from '../bytes.ts';
import { RequestError, VerificationError } from '../errors.ts';
import { encodeEnvelope } from '../envelope/codec.ts';
import { addSignature } from '../envelope/seal.ts';
import { verifyEnvelope, type VerifiedEnvelope } from '../envelope/verify.ts';
import { fetchDraft, openSealedDraft } from './drafts.ts';
import { currentEpoch, signerResolver } from './key-directory.ts';
import { hostedOffices, sessionFor } from './peer-directory.ts';
import { openVerified } from './reading.ts';
import { cableSigner, type Session } from './session.ts';
import { fieldsOf } from './wire.ts';

export interface SendResult {
  readonly id: CableId;
  readonly deliveredTo: readonly OfficeCode[];
  /** The peers hosting addressed offices, queued for delivery at acceptance (empty for a cable within the node). */
  readonly queuedFor: readonly NodeName[];
  readonly duplicate: boolean;
}

function mismatch(message: string): never {
  throw new VerificationError('verify.manifest_mismatch', `the released cable is not the draft: ${message}`);
}

async function checkKeys(s: Session, verified: VerifiedEnvelope): Promise<void> {
  const { manifest, release } = verified.envelope.header;
  const hosted = await hostedOffices(s, manifest.map((m) => m.office));
  for (const [i, m] of manifest.entries()) {
    const host = hosted[i]!.host;
    // An office at a peer is checked against the peer's directory, root and log; ours against ours.
    const keys = await sessionFor(s, host === 'local' ? s.node.name : host);
    const current = await currentEpoch(keys, m.office, m.level);
    if (m.node !== keys.node.name || m.epoch !== current.epoch.epoch || !equalBytes(m.keyHash, current.keyHash)) {
      mismatch(`${m.office} is not sealed to its verified current ${m.level} key`);
    }
  }
  // verifyEnvelope put each release entry's offices at its node in the manifest, so `r.node` is a host checked above.
  for (const r of release) {
    const keys = await sessionFor(s, r.node);
    if (!equalBytes(r.keyHash, s.p.sha256(keys.node.certificate.releaseKey))) mismatch(`shares are not sealed to the release service of ${r.node}`);
  }
}

/**
 * Checks the released envelope is the draft in full: its routing header (but for the DTG and the releaser the
 * releasing officer's device wrote) first, then — opened as the originating office, a split cable with the share
 * the release service hands the drafter of a released draft — its protected part (subject, references, body,
 * attachments), each byte for byte in canonical form. The cable openCable returns carries the very header compared.
 */
async function checkReleasedCable(s: Session, verified: VerifiedEnvelope, drafted: Cable): Promise<void> {
  const { routing, envelope } = verified;
  const expected = encodeRoutingHeader({ ...drafted.header, dtg: routing.dtg, releaser: routing.releaser });
  if (!equalBytes(expected, envelope.header.routing)) mismatch('its routing header differs beyond the DTG and releaser');
  const origin = envelope.header.manifest.find((m) => m.office === drafted.header.from);
  if (!origin) mismatch(`it is not sealed to the originating office ${drafted.header.from}`);
  const opened = await openVerified(s, verified, origin.office, origin.epoch, 'drafts');
  if (!equalBytes(encodeProtectedPart(opened.content), encodeProtectedPart(drafted.content))) mismatch('its text differs from the draft');
}

/** Checks the released envelope of this device's draft, countersigns it as drafter and sends it. */
export async function sendCable(s: Session, id: CableId): Promise<SendResult> {
  const { summary, draft, released } = await fetchDraft(s, id);
  if (summary.status !== 'released' || !released) throw new RequestError('request.conflict', `${id} is ${summary.status}, not released`);
  if (draft.drafter !== s.keys.user) throw new RequestError('request.forbidden', `${id} was drafted by ${draft.drafter}: only the drafter sends it`);
  const drafted = await openSealedDraft(s, draft);
  const verified = await verifyEnvelope(s.p, released, signerResolver(s), { roles: ['releaser'] });
  const { routing } = verified;
  if (drafted.header.releaser !== s.keys.user && drafted.header.releaser !== routing.releaser) {
    mismatch(`released by ${routing.releaser}, but the draft named ${drafted.header.releaser}`);
  }
  await checkKeys(s, verified);
  await checkReleasedCable(s, verified, drafted);
  const signatures = await addSignature(s.p, released.headerBytes, released.signatures, cableSigner(s, 'drafter'));
  const body = await s.http.post(`/api/v1/drafts/${encodeURIComponent(id)}/send`, { envelope: toBase64(encodeEnvelope({ ...released, signatures })) });
  const f = fieldsOf('send', body, ['id', 'seq', 'duplicate', 'deliveredTo'], ['queuedFor']);
  if (f.id('id', parseCableId) !== id) throw new RequestError('request.malformed', 'the node acknowledged another cable');
  const queuedFor = f.has('queuedFor') ? f.idList('queuedFor', 0, 501, parseNodeName) : [];
  return { id, deliveredTo: f.idList('deliveredTo', 0, 501, parseOfficeCode), queuedFor, duplicate: f.bool('duplicate') };
}
