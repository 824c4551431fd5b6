// Releasing (docs/node.md "Release workflow" step 2): a releasing officer's device opens the draft with the office
// key (and, for a release-gated draft, the draft share the release service hands out after logging the opening),
// shows the exact telegram, and only on confirmation seals the final envelope — to the verified current epoch of
// every addressed office and to the release service of each node hosting one (ours, or a peer's) from its
// root-signed certificate — and signs it.
import type { Cable, CableId } from '../cable/types.ts';
import { dtgFromDate } from '../cable/dtg.ts';
import { renderTelegram } from '../cable/telegram.ts';
import { assertValidCable } from '../cable/validate.ts';
import { toBase64 } from '../bytes.ts';
import { RequestError } from '../errors.ts';
import { sealCable } from '../envelope/seal.ts';
import { assertAllowed } from '../policy/decision.ts';
import { mayRelease } from '../policy/release.ts';
import { getUser, policyUserOf } from './directory.ts';
import { fetchDraft, openSealedDraft } from './drafts.ts';
import { sealKeys } from './recipients.ts';
import { cableSigner, type Session } from './session.ts';

/** A draft opened for release: the exact cable that will be sealed, and its telegram text to show first. */
export interface ReleaseCandidate {
  readonly id: CableId;
  readonly cable: Cable;
  readonly telegram: string;
}

/**
 * Opens a draft for release: checks the drafter's signature, opens it with this device's office key (through the
 * release service, a logged `draft.read`, when the draft requires release), and returns
 * the cable as it will be released — DTG now, this officer as releaser — after checking locally that this officer
 * may release it. Nothing is sealed or sent.
 */
export async function prepareRelease(s: Session, id: CableId): Promise<ReleaseCandidate> {
  const { summary, draft } = await fetchDraft(s, id);
  if (summary.status !== 'draft') throw new RequestError('request.conflict', `${id} is already ${summary.status}`);
  const drafted = await openSealedDraft(s, draft);
  const cable = assertValidCable({ ...drafted, header: { ...drafted.header, dtg: dtgFromDate(new Date(s.now())), releaser: s.keys.user } });
  assertAllowed(mayRelease(policyUserOf(await getUser(s, s.keys.user)), cable.header));
  return { id, cable, telegram: renderTelegram(cable) };
}

/**
 * Seals and uploads a release candidate (call only after the telegram was shown and confirmed). The node checks the
 * DTG against its clock (±10 min), so confirm promptly.
 */
export async function releaseCandidate(s: Session, candidate: ReleaseCandidate): Promise<{ id: CableId; dtg: string }> {
  const { header } = candidate.cable;
  const level = header.marking.classification;
  // Offices at a peer are sealed to the peer's epochs and their shares to the peer's release service.
  const { recipients, releaseServices } = await sealKeys(s, [header.from, ...header.to, ...header.info], level);
  const sealed = await sealCable(s.p, {
    cable: candidate.cable,
    recipients,
    releaseServices,
    signers: [cableSigner(s, 'releaser')],
  });
  await s.http.post(`/api/v1/drafts/${encodeURIComponent(candidate.id)}/release`, { envelope: toBase64(sealed.bytes) });
  return { id: candidate.id, dtg: header.dtg };
}
