// Reading: the inbox (routing headers only, FLASH first), and opening one cable — verify the envelope against
// root-chained device keys before anything is decrypted, fetch the second share sealed to this device from the
// release service and verify its audit-log receipt, open with the office key from this device's grant, and keep
// content keys in memory only.
import type { CableId, Classification, OfficeCode, Precedence } from '../cable/types.ts';
import type { InboxEntry } from '../store/store.ts';
import { Classifications, Precedences } from '../cable/types.ts';
import { CablePatterns } from '../cable/limits.ts';
import { parseCableId, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { renderTelegram } from '../cable/telegram.ts';
import type { Cable } from '../cable/types.ts';
import { wipe } from '../bytes.ts';
import { OpenError, RequestError } from '../errors.ts';
import { decodeEnvelope } from '../envelope/codec.ts';
import { requiresRelease } from '../envelope/format.ts';
import { openCable } from '../envelope/open.ts';
import { verifyEnvelope, type VerifiedEnvelope } from '../envelope/verify.ts';
import { originSignerResolver } from './peer-directory.ts';
import { receiveShare } from './share-receipt.ts';
import { listGrants, openEpochSecretOf } from './keyring.ts';
import type { Session } from './session.ts';
import { base64Of, fieldsOf, listIn, type Fields } from './wire.ts';

/**
 * One inbox line: a cable's routing fields as delivered to one of the caller's offices (`office`), with the
 * node's acceptance order and the caller's read time. The wire shape is the store's (a type only).
 */
export type InboxLine = InboxEntry;

function lineOf(f: Fields): InboxLine {
  return {
    id: f.id('id', parseCableId),
    dtg: f.token('dtg', 20),
    precedence: f.oneOf<Precedence>('precedence', Precedences),
    classification: f.oneOf<Classification>('classification', Classifications),
    caveats: f.codeList('caveats', 8, CablePatterns.caveat),
    releasableTo: f.codeList('releasableTo', 32, CablePatterns.community),
    from: f.id('from', parseOfficeCode),
    to: f.idList('to', 1, 500, parseOfficeCode),
    info: f.idList('info', 0, 500, parseOfficeCode),
    tags: f.codeList('tags', 32, CablePatterns.tag),
    drafter: f.id('drafter', parseUserId),
    releaser: f.id('releaser', parseUserId),
    office: f.id('office', parseOfficeCode),
    seq: f.uint('seq'),
    acceptedAt: f.uint('acceptedAt'),
    readAt: f.has('readAt') ? f.uint('readAt') : null,
  };
}

const LINE_KEYS = ['id', 'dtg', 'precedence', 'classification', 'caveats', 'releasableTo', 'from', 'to', 'info', 'tags', 'drafter', 'releaser', 'office', 'seq', 'acceptedAt'];

/** One page of the inbox, FLASH → ROUTINE and newest first within a precedence; `next` pages on. */
export async function fetchInbox(s: Session, options: { office?: OfficeCode; limit?: number; after?: string } = {}): Promise<{ entries: InboxLine[]; next: string | null }> {
  const query = { office: options.office, limit: options.limit === undefined ? undefined : String(options.limit), after: options.after };
  const body = await s.http.get('/api/v1/inbox', query);
  const entries = listIn('inbox', body, 'entries', 200).map((e) => lineOf(fieldsOf('inbox entry', e, LINE_KEYS, ['readAt'])));
  const f = fieldsOf('inbox', body, ['entries'], ['next']);
  return { entries, next: f.has('next') ? f.token('next', 1024) : null };
}

/** A cable as this device opened it. */
export interface OpenedCable {
  readonly cable: Cable;
  readonly telegram: string;
  /** The office whose key opened it. */
  readonly office: OfficeCode;
  readonly envelopeBytes: number;
}

/**
 * Whom the release service is asked for a share: the reader of a delivered cable (`cables`), or the drafter or a
 * releasing officer of a released draft, before it is sent (`drafts`).
 */
export type ShareSource = 'cables' | 'drafts';

/**
 * The release service's share, opened only after its receipt verifies (src/client/share-receipt.ts): the opening is
 * on the audit log, under a checkpoint consistent with the last this device saw. Anything else refuses to decrypt.
 */
async function releaseShare(s: Session, source: ShareSource, id: CableId, office: OfficeCode): Promise<Uint8Array> {
  const kind = source === 'cables' ? 'cable.read' : 'share.released';
  return receiveShare(s, `/api/v1/${source}/${encodeURIComponent(id)}/share`, { office }, { kind, cable: id, office });
}

/**
 * Opens a verified envelope through `office` (its wrap sealed to `epoch`): the office key from this device's grant
 * and, for a split cable, the share from the release service. Both are wiped straight after.
 */
export async function openVerified(s: Session, verified: VerifiedEnvelope, office: OfficeCode, epoch: number, source: ShareSource = 'cables'): Promise<Cable> {
  const level = verified.routing.marking.classification;
  const secret = await openEpochSecretOf(s, office, level, epoch);
  let share: Uint8Array | undefined;
  try {
    if (requiresRelease(verified.routing.marking)) share = await releaseShare(s, source, verified.routing.id, office);
    return await openCable(s.p, verified, { office, epoch, secretKey: secret, ...(share ? { releaseShare: share } : {}) });
  } finally {
    wipe(secret, ...(share ? [share] : []));
  }
}

/**
 * Fetches, verifies and opens one cable. Refuses (`verify.*`) an envelope whose signatures, manifest or digest do
 * not check against root-chained device keys, before any key is used; `open.not_addressed` when this device holds
 * no key of an office the cable is addressed to.
 */
export async function readCable(s: Session, id: CableId): Promise<OpenedCable> {
  const f = fieldsOf('cable', await s.http.get(`/api/v1/cables/${encodeURIComponent(id)}`), ['id', 'offices', 'envelope']);
  const bytes = base64Of(f, 'envelope', 64 * 1024 * 1024);
  const envelope = decodeEnvelope(bytes);
  // A cable from a peer's office is signed by the peer's devices: checked against the peer's root, not ours.
  const verified = await verifyEnvelope(s.p, envelope, await originSignerResolver(s, envelope));
  if (verified.routing.id !== id) throw new RequestError('request.malformed', 'the node served another cable');
  // Prefer the offices the node says the user reads through; any addressed office this device holds a key of works.
  const suggested = f.idList('offices', 0, 501, parseOfficeCode);
  const grants = await listGrants(s);
  const usable = verified.envelope.header.manifest
    .filter((m) => grants.some((g) => g.office === m.office && g.level === m.level && g.epoch === m.epoch))
    .sort((a, b) => Number(suggested.includes(b.office)) - Number(suggested.includes(a.office)));
  const entry = usable[0];
  if (!entry) throw new OpenError('open.not_addressed', `this device holds no key that opens ${id}`);
  const cable = await openVerified(s, verified, entry.office, entry.epoch);
  return { cable, telegram: renderTelegram(cable), office: entry.office, envelopeBytes: bytes.length };
}

/** Records that the user read a cable (first read time is kept). */
export async function markRead(s: Session, id: CableId): Promise<{ id: CableId; readAt: number }> {
  const f = fieldsOf('read', await s.http.post(`/api/v1/cables/${encodeURIComponent(id)}/read`, {}), ['id', 'readAt']);
  return { id: f.id('id', parseCableId), readAt: f.uint('readAt') };
}
