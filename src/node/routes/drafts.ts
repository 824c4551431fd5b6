// The release workflow (docs/node.md): a drafter files a sealed draft; a releasing officer of the originating
// office opens it (for a draft whose marking requires release, with the draft share the release service hands out
// after logging a `draft.read`) and uploads the final envelope signed as releaser; the drafter opens it (the release
// service hands the originating office's share of a released draft to its drafter), checks it is the draft,
// countersigns, and the node accepts and delivers it — all in one transaction. Until then addressees see nothing.
import type { CableId } from '../../cable/types.ts';
import { parseCableId, parseOfficeCode, splitCableId } from '../../cable/ids.ts';
import { dtgToDate } from '../../cable/dtg.ts';
import { equalBytes } from '../../bytes.ts';
import { RequestError, VerificationError } from '../../errors.ts';
import { assertAllowed } from '../../policy/decision.ts';
import { mayDraft, mayRelease } from '../../policy/release.ts';
import { isMember, releaseCeiling } from '../../policy/membership.ts';
import { mayRead, mayReadDraft } from '../../policy/read.ts';
import { requiresRelease } from '../../envelope/format.ts';
import { dominates } from '../../policy/clearance.ts';
import { decodeSealedDraft, draftMarking, verifyDraftSignature, type SealedDraft } from '../../envelope/draft.ts';
import { decodeNodeCertificate } from '../../keys/node-certificate.ts';
import type { DraftRow } from '../../store/store.ts';
import { callerOf, policyUser } from '../access.ts';
import { verifyForNode } from '../cable-checks.ts';
import { b64, base64Field, jsonBody } from '../request-body.ts';
import type { Route } from '../route.ts';
import { verifiedDevice } from '../trust.ts';
import { acceptCable } from './accept.ts';
import { returnedState } from './draft-returns.ts';
import { handOutShare, logThenHandOut } from './shares.ts';

/** DESIGN: the DTG is checked against the node's clock at release. */
const MAX_DTG_SKEW_MS = 10 * 60 * 1000;
const MAX_ENVELOPE = 60 * 1024 * 1024;

function draftJson(d: DraftRow, withBytes: boolean) {
  return {
    id: d.id, from: d.from, level: d.level, drafter: d.drafter, status: d.status, releaser: d.releaser, createdAt: d.createdAt, updatedAt: d.updatedAt,
    ...(withBytes ? { draft: b64(d.sealedDraft), released: d.releasedEnvelope ? b64(d.releasedEnvelope) : null } : {}),
  };
}

function draftOf(node: Parameters<Route['handle']>[0], id: CableId, caller: { user: string }): DraftRow {
  return node.store.transaction((tx) => {
    const d = tx.getDraft(id);
    if (!d) throw new RequestError('request.not_found', `no draft ${id}`);
    if (!isMember(policyUser(tx, caller.user as DraftRow['drafter']), d.from)) throw new RequestError('request.forbidden', 'drafts are for members of the originating office');
    return d;
  });
}

/**
 * A draft that requires release carries its share for this node's release service, under the key the node
 * certificate names (the decoder already refused a bundle where the marking needs none, or none where it needs one):
 * otherwise nobody here could ever open it.
 */
function checkDraftRelease(node: Parameters<Route['handle']>[0], draft: SealedDraft): void {
  if (!draft.release) return;
  const releaseKey = decodeNodeCertificate(node.identity.certificate).releaseKey;
  if (draft.release.node !== node.identity.node || !equalBytes(draft.release.keyHash, node.p.sha256(releaseKey))) {
    throw new VerificationError('verify.untrusted_key', "the draft share is not sealed to this node's release service");
  }
}

const postDraft: Route = {
  method: 'POST',
  path: '/api/v1/drafts',
  summary: 'File or replace a sealed draft (the drafter, a member of the originating office)',
  auth: 'device',
  maxBody: MAX_ENVELOPE,
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const bytes = base64Field(jsonBody(input.body, 'draft', ['draft']), 'draft', MAX_ENVELOPE);
    const draft = decodeSealedDraft(bytes);
    if (draft.drafter !== caller.user || draft.device !== caller.device) throw new RequestError('request.forbidden', 'a draft is filed by its drafter');
    if (splitCableId(draft.id).office !== draft.from) throw new RequestError('request.malformed', 'the cable id names another office');
    checkDraftRelease(node, draft);
    await verifyDraftSignature(node.p, draft, (await verifiedDevice(node, caller.user, caller.device)).record.signingKey);
    const row = node.store.transaction((tx) => {
      const user = policyUser(tx, caller.user);
      if (!isMember(user, draft.from) || !dominates(user.clearance, draft.level)) throw new RequestError('request.forbidden', 'not a cleared member of the originating office');
      const current = tx.currentEpoch(draft.from, draft.level);
      if (!current || current.epoch !== draft.epoch) throw new RequestError('request.conflict', 'draft is not sealed to the current epoch');
      const existing = tx.getDraft(draft.id);
      if (tx.getCable(draft.id) || (existing && (existing.status !== 'draft' || existing.drafter !== caller.user))) {
        throw new RequestError('request.conflict', `${draft.id} is already in use`);
      }
      const r: DraftRow = {
        id: draft.id, from: draft.from, level: draft.level, drafter: draft.drafter, status: 'draft', sealedDraft: bytes,
        releasedEnvelope: null, releaser: null, createdAt: existing?.createdAt ?? input.now, updatedAt: input.now,
      };
      tx.putDraft(r);
      return r;
    });
    return { status: 201, body: { draft: draftJson(row, false) } };
  },
};

const listDrafts: Route = {
  method: 'GET',
  path: '/api/v1/drafts',
  summary: "Drafts of an office, a returned one with `returned: {by, at}` (members of the office)",
  auth: 'device',
  handle(node, input) {
    const caller = callerOf(input.caller);
    const office = parseOfficeCode(input.query.get('office') ?? '');
    return node.store.transaction((tx) => {
      if (!isMember(policyUser(tx, caller.user), office)) throw new RequestError('request.forbidden', 'not a member of that office');
      return { body: { drafts: tx.listDrafts(office).map((d) => ({ ...draftJson(d, false), ...returnedState(tx, d.id) })) } };
    });
  },
};

const getDraft: Route = {
  method: 'GET',
  path: '/api/v1/drafts/:id',
  summary: 'One draft, sealed, with the released envelope if any (members of the originating office)',
  auth: 'device',
  handle(node, input) {
    const d = draftOf(node, parseCableId(input.params.id ?? ''), callerOf(input.caller));
    return { body: { draft: draftJson(d, true) } };
  },
};

const releaseDraft: Route = {
  method: 'POST',
  path: '/api/v1/drafts/:id/release',
  summary: 'Release a draft: the final envelope, sealed and signed by a releasing officer of the originating office',
  auth: 'device',
  stepUp: true,
  maxBody: MAX_ENVELOPE,
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    const d = draftOf(node, id, caller);
    if (d.status !== 'draft') throw new RequestError('request.conflict', `draft is already ${d.status}`);
    const bytes = base64Field(jsonBody(input.body, 'release', ['envelope']), 'envelope', MAX_ENVELOPE);
    const verified = await verifyForNode(node, bytes, ['releaser']);
    const h = verified.routing;
    if (h.id !== d.id || h.from !== d.from || h.marking.classification !== d.level || h.drafter !== d.drafter || h.releaser !== caller.user) {
      throw new RequestError('request.malformed', 'the envelope does not match the draft or its releaser');
    }
    if (verified.envelope.signatures.find((s) => s.role === 'releaser')?.device !== caller.device) throw new RequestError('request.forbidden', 'signed by another device');
    if (Math.abs(dtgToDate(h.dtg).getTime() - input.now) > MAX_DTG_SKEW_MS) throw new RequestError('request.dtg_skew', 'the date-time group is more than 10 minutes from the node clock');
    const row = node.store.transaction((tx) => {
      assertAllowed(mayRelease(policyUser(tx, caller.user), h));
      const current = tx.getDraft(id);
      if (!current || current.status !== 'draft') throw new RequestError('request.conflict', 'draft changed meanwhile');
      const r: DraftRow = { ...current, status: 'released', releasedEnvelope: bytes, releaser: caller.user, updatedAt: input.now };
      tx.putDraft(r);
      return r;
    });
    node.log.info({ cable: id }, 'draft released, awaiting the drafter');
    return { body: { draft: draftJson(row, false) } };
  },
};

const releasedDraftShare: Route = {
  method: 'POST',
  path: '/api/v1/drafts/:id/share',
  summary:
    "Release service: the originating office's share of a released draft, logged first (share.released), then sealed to the calling device (its drafter, or a releasing officer of that office) with the entry, a checkpoint and its inclusion proof, so the text is checked before it is countersigned",
  auth: 'device',
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    const office = jsonBody(input.body, 'share', ['office']).id('office', parseOfficeCode);
    const d = draftOf(node, id, caller);
    if (d.status !== 'released' || !d.releasedEnvelope) throw new RequestError('request.conflict', `the draft is ${d.status}, not awaiting its drafter`);
    if (office !== d.from) throw new RequestError('request.forbidden', 'a released draft opens only for its originating office');
    const user = node.store.transaction((tx) => policyUser(tx, caller.user));
    if (d.drafter !== caller.user && releaseCeiling(user, d.from) === undefined) {
      throw new RequestError('request.forbidden', 'only the drafter or a releasing officer of the originating office opens a released draft');
    }
    const verified = await verifyForNode(node, d.releasedEnvelope, ['releaser']);
    if (!requiresRelease(verified.routing.marking)) throw new RequestError('request.conflict', 'this cable is not split: the office key alone opens it');
    assertAllowed(mayRead(user, verified.routing, office));
    return handOutShare(node, input, verified, office, caller, 'released draft');
  },
};

const draftShare: Route = {
  method: 'POST',
  path: '/api/v1/drafts/:id/draft-share',
  summary:
    "Release service: the draft share of a draft whose marking requires release, logged first (draft.read), then sealed to the calling device (a member of the originating office who may read the draft) with the entry, a checkpoint and its inclusion proof",
  auth: 'device',
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    jsonBody(input.body, 'draft share', []);
    const draft = decodeSealedDraft(draftOf(node, id, caller).sealedDraft);
    if (!draft.release) throw new RequestError('request.conflict', 'this draft needs no release: the office key alone opens it');
    checkDraftRelease(node, draft);
    const user = node.store.transaction((tx) => policyUser(tx, caller.user));
    assertAllowed(mayReadDraft(user, { from: draft.from, marking: draftMarking(draft) }));
    const event = { kind: 'draft.read', user: caller.user, device: caller.device, cable: id, office: draft.from, level: draft.level } as const;
    return logThenHandOut(node, input, caller, { cable: id, office: draft.from, event });
  },
};

function alreadyAccepted(node: Parameters<Route['handle']>[0], id: CableId, bytes: Uint8Array) {
  const stored = node.store.transaction((tx) => tx.getCable(id));
  if (!stored || !equalBytes(stored.envelopeHash, node.p.sha256(bytes))) {
    throw new RequestError('request.conflict', 'this cable was already sent with another envelope');
  }
  return { id, seq: stored.seq, duplicate: true, deliveredTo: [] };
}

const sendDraft: Route = {
  method: 'POST',
  path: '/api/v1/drafts/:id/send',
  summary: "Send a released cable: the drafter's countersignature; the node then accepts and delivers it",
  auth: 'device',
  maxBody: MAX_ENVELOPE,
  async handle(node, input) {
    const caller = callerOf(input.caller);
    const id = parseCableId(input.params.id ?? '');
    const d = draftOf(node, id, caller);
    if (d.drafter !== caller.user) throw new RequestError('request.forbidden', 'only the drafter sends');
    const bytes = base64Field(jsonBody(input.body, 'send', ['envelope']), 'envelope', MAX_ENVELOPE);
    // A drafter whose acknowledgement was lost sends again: the very envelope stored is a duplicate, not an error.
    if (d.status === 'sent') return { status: 200, body: alreadyAccepted(node, id, bytes) };
    if (d.status !== 'released' || !d.releasedEnvelope) throw new RequestError('request.conflict', 'the draft has not been released');
    const verified = await verifyForNode(node, bytes, ['drafter', 'releaser']);
    const released = await verifyForNode(node, d.releasedEnvelope, ['releaser']);
    // The drafter adds a signature and nothing else: header, content and releaser signature are the released ones.
    const same = equalBytes(verified.envelope.headerBytes, released.envelope.headerBytes) && equalBytes(verified.envelope.content, released.envelope.content);
    if (!same) throw new RequestError('request.conflict', 'the envelope differs from the released one');
    node.store.transaction((tx) => assertAllowed(mayDraft(policyUser(tx, caller.user), verified.routing)));
    const result = await acceptCable(node, verified, bytes, input, (tx) => {
      const current = tx.getDraft(id);
      if (!current || current.status !== 'released') throw new RequestError('request.conflict', 'draft changed meanwhile');
      tx.putDraft({ ...current, status: 'sent', updatedAt: input.now });
    });
    return { status: 201, body: result };
  },
};

export const draftRoutes: readonly Route[] = [postDraft, listDrafts, getDraft, draftShare, releaseDraft, releasedDraftShare, sendDraft];
