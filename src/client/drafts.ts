// Drafting (docs/node.md "Release workflow" step 1): the drafter's device builds the cable, checks it and the policy
// locally, seals the whole of it to the originating office's current epoch key at the cable's level — from LIMITED
// up, or with any caveat or releasability, under a draft share only the node's release service holds — signs it and
// files it with the node. Nothing leaves the office until a releasing officer releases it, and every device's
// opening of a release-gated draft is a logged `draft.read` (docs/decisions/015-release-gated-drafts.md).
import type { Attachment, Cable, CableId, Classification, OfficeCode, Precedence, UserId } from '../cable/types.ts';
import { Classifications } from '../cable/types.ts';
import { formatCableId, parseCableId, parseOfficeCode, parseUserId, splitCableId } from '../cable/ids.ts';
import { dtgFromDate } from '../cable/dtg.ts';
import { assertValidCable } from '../cable/validate.ts';
import { RequestError } from '../errors.ts';
import { decodeSealedDraft, encodeSealedDraft, openDraft, sealDraft, verifyDraftSignature, type SealedDraft } from '../envelope/draft.ts';
import { decodeEnvelope } from '../envelope/codec.ts';
import type { Envelope } from '../envelope/types.ts';
import { assertAllowed } from '../policy/decision.ts';
import { mayDraft } from '../policy/release.ts';
import { mayReceive } from '../policy/receive.ts';
import { toBase64, wipe } from '../bytes.ts';
import { openEpochSecretOf } from './keyring.ts';
import { getUser, policyUserOf } from './directory.ts';
import { hostedOffices, type HostedOffice } from './peer-directory.ts';
import { currentEpoch, verifiedDevice } from './key-directory.ts';
import { cableSigner, type Session } from './session.ts';
import { RemoteError } from './http.ts';
import { receiveShare } from './share-receipt.ts';
import { base64Of, fieldsOf, listIn, valueIn } from './wire.ts';

export interface DraftInput {
  /** The originating office; by default the drafter's only office (refused if they have several). */
  readonly from?: OfficeCode;
  readonly to: readonly OfficeCode[];
  readonly info?: readonly OfficeCode[];
  readonly tags?: readonly string[];
  readonly precedence: Precedence;
  readonly level: Classification;
  readonly caveats?: readonly string[];
  readonly releasableTo?: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly references?: readonly CableId[];
  /** Files carried inside the ciphertext (CableLimits bounds their number and size). */
  readonly attachments?: readonly Attachment[];
  /** The releasing officer the drafter expects; the releaser's device writes its own id at release either way. */
  readonly releaser?: UserId;
}

/** A draft as the node lists it (no content: that is sealed). */
export interface DraftSummary {
  readonly id: CableId;
  readonly from: OfficeCode;
  readonly level: Classification;
  readonly drafter: UserId;
  readonly status: 'draft' | 'released' | 'sent';
  readonly releaser: UserId | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Returned to its drafter with a comment, by whom and when (src/client/draft-returns.ts); null otherwise. */
  readonly returned: { readonly by: UserId; readonly at: number } | null;
}

const DRAFT_KEYS = ['id', 'from', 'level', 'drafter', 'status', 'createdAt', 'updatedAt'] as const;

function summaryOf(value: unknown, withBytes: boolean): DraftSummary {
  const f = fieldsOf('draft', value, [...DRAFT_KEYS], ['releaser', 'returned', ...(withBytes ? ['draft', 'released'] : [])]);
  const returned = f.has('returned') ? f.map('returned', ['by', 'at']) : null;
  return {
    id: f.id('id', parseCableId),
    from: f.id('from', parseOfficeCode),
    level: f.oneOf<Classification>('level', Classifications),
    drafter: f.id('drafter', parseUserId),
    status: f.oneOf('status', ['draft', 'released', 'sent'] as const),
    releaser: f.has('releaser') ? f.id('releaser', parseUserId) : null,
    createdAt: f.uint('createdAt'),
    updatedAt: f.uint('updatedAt'),
    returned: returned ? { by: returned.id('by', parseUserId), at: returned.uint('at') } : null,
  };
}

/** The drafts of an office (by default, of every office the user belongs to), newest first. */
export async function listDrafts(s: Session, office?: OfficeCode): Promise<DraftSummary[]> {
  const offices = office ? [office] : [...new Set((await getUser(s, s.keys.user)).memberships.map((m) => m.office))];
  const lists = await Promise.all(offices.map(async (o) => listIn('drafts', await s.http.get('/api/v1/drafts', { office: o }), 'drafts', 100_000).map((d) => summaryOf(d, false))));
  return lists.flat().sort((a, b) => b.updatedAt - a.updatedAt);
}

/** One draft with its sealed bytes and, once released, the releaser-signed envelope. */
export async function fetchDraft(s: Session, id: CableId): Promise<{ summary: DraftSummary; draft: SealedDraft; released: Envelope | null }> {
  const item = valueIn('draft response', await s.http.get(`/api/v1/drafts/${encodeURIComponent(id)}`), 'draft');
  const summary = summaryOf(item, true);
  const f = fieldsOf('draft', item, [...DRAFT_KEYS, 'draft'], ['releaser', 'released']);
  const draft = decodeSealedDraft(base64Of(f, 'draft', 64 * 1024 * 1024));
  if (draft.id !== id || summary.id !== id) throw new RequestError('request.malformed', 'the node answered with another draft');
  // The drafter's device signature is checked here, so neither the node nor another member can swap a draft.
  await verifyDraftSignature(s.p, draft, (await verifiedDevice(s, draft.drafter, draft.device)).record.signingKey);
  return { summary, draft, released: f.has('released') ? decodeEnvelope(base64Of(f, 'released', 64 * 1024 * 1024)) : null };
}

/**
 * The draft share of a release-gated draft: the release service logs this device's `draft.read` first and answers
 * with the share sealed to this device and the entry's receipt, which is verified before the share is opened.
 */
function draftShare(s: Session, draft: SealedDraft): Promise<Uint8Array> {
  const path = `/api/v1/drafts/${encodeURIComponent(draft.id)}/draft-share`;
  return receiveShare(s, path, {}, { kind: 'draft.read', cable: draft.id, office: draft.from });
}

/**
 * Opens a draft with this device's key of the draft's office epoch and, for a draft that requires release, its
 * draft share from the release service. Key and share stay in memory only and are wiped straight after.
 */
export async function openSealedDraft(s: Session, draft: SealedDraft): Promise<Cable> {
  const secret = await openEpochSecretOf(s, draft.from, draft.level, draft.epoch);
  let share: Uint8Array | undefined;
  try {
    if (draft.release) share = await draftShare(s, draft);
    return await openDraft(s.p, draft, secret, share);
  } finally {
    wipe(secret, ...(share ? [share] : []));
  }
}

async function nextId(s: Session, from: OfficeCode, year: number, skip: number): Promise<CableId> {
  const serials = (await listDrafts(s, from)).map((d) => splitCableId(d.id)).filter((p) => p.year === year).map((p) => p.serial);
  return formatCableId(from, year, Math.max(0, ...serials) + 1 + skip);
}

function soleOffice(offices: readonly OfficeCode[]): OfficeCode {
  const distinct = [...new Set(offices)];
  if (distinct.length !== 1) throw new RequestError('request.malformed', `name the originating office: you are a member of ${distinct.length === 0 ? 'none' : distinct.join(', ')}`);
  return distinct[0]!;
}

/** Builds the cable a draft holds (validated); DTG now, and the drafter as a placeholder releaser unless named. */
export function buildCable(s: Session, input: DraftInput & { from: OfficeCode }, id: CableId, now: Date): Cable {
  return assertValidCable({
    header: {
      id,
      dtg: dtgFromDate(now),
      precedence: input.precedence,
      marking: { classification: input.level, caveats: input.caveats ?? [], releasableTo: input.releasableTo ?? [] },
      from: input.from,
      to: input.to,
      info: input.info ?? [],
      tags: input.tags ?? [],
      drafter: s.keys.user,
      releaser: input.releaser ?? s.keys.user,
    },
    content: { subject: input.subject, references: input.references ?? [], body: input.body, attachments: input.attachments ?? [] },
  });
}

/**
 * Drafts a cable and files it sealed; returns its id. Refuses locally what policy or the addressed offices would
 * refuse (`policy.denied`, `seal.policy_denied`), before anything is sent.
 *
 * @example
 * const id = await draftCable(s, { from, to: [hq], precedence: 'PRIORITY', level: 'RESTRICTED', subject, body });
 */
export async function draftCable(s: Session, input: DraftInput): Promise<CableId> {
  const me = policyUserOf(await getUser(s, s.keys.user));
  const from = input.from ?? soleOffice(me.memberships.map((m) => m.office));
  const epoch = await currentEpoch(s, from, input.level);
  let hosted: HostedOffice[] | undefined;
  for (let attempt = 0; ; attempt++) {
    const now = new Date(s.now());
    const cable = buildCable(s, { ...input, from }, await nextId(s, from, now.getUTCFullYear(), attempt), now);
    assertAllowed(mayDraft(me, cable.header));
    // Addressees may be hosted by peers (their profiles as our node lists them); the draft itself stays here.
    hosted ??= await hostedOffices(s, [cable.header.from, ...cable.header.to, ...cable.header.info]);
    for (const { office } of hosted) assertAllowed(mayReceive(office, cable.header.marking));
    // The originating office is hosted here: the draft share goes to this node's release service, whose key comes from
    // the node certificate the session verified against the pinned root.
    const releaseService = { node: s.node.name, publicKey: s.node.certificate.releaseKey };
    const sealed = await sealDraft(s.p, cable, { epoch: epoch.epoch.epoch, publicKey: epoch.epoch.publicKey }, releaseService, cableSigner(s, 'drafter'));
    try {
      await s.http.post('/api/v1/drafts', { draft: toBase64(encodeSealedDraft(sealed)) });
      return cable.header.id;
    } catch (error) {
      // Another drafter of the office took this serial meanwhile: take the next one (a few times at most).
      if (!(error instanceof RemoteError && error.code === 'request.conflict' && attempt < 5)) throw error;
    }
  }
}
