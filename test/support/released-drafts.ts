// Cables released and awaiting the drafter, in bulk, for the send path's crash test and benchmark. Through the API a
// draft and its release cost ~15 signed requests (~170 ms of node time each on the 2-core machines, mostly ML-DSA
// checks of officer certificates), so 1,000 would take minutes: `insertReleased` seals with the same library calls
// the drafter's and releaser's devices make, and files the rows straight into the store. The node re-verifies
// everything at send, so a row it would not have accepted at release is refused there, not accepted by the test.
import type { Cable, CableId, OfficeCode } from '../../src/cable/types.ts';
import { formatCableId } from '../../src/cable/ids.ts';
import { dtgFromDate } from '../../src/cable/dtg.ts';
import { assertValidCable } from '../../src/cable/validate.ts';
import { toBase64 } from '../../src/bytes.ts';
import { draftCable, fetchDraft } from '../../src/client/drafts.ts';
import { listOffices } from '../../src/client/directory.ts';
import { currentEpoch } from '../../src/client/key-directory.ts';
import { prepareRelease, releaseCandidate } from '../../src/client/release.ts';
import { sendCable } from '../../src/client/send.ts';
import { cableSigner, type Session } from '../../src/client/session.ts';
import { encodeEnvelope } from '../../src/envelope/codec.ts';
import { encodeSealedDraft, sealDraft } from '../../src/envelope/draft.ts';
import { addSignature, sealCable } from '../../src/envelope/seal.ts';
import type { Envelope } from '../../src/envelope/types.ts';
import type { DraftRow } from '../../src/store/store.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts';
import { DEL, HQ, LEVEL, People } from './send-network.ts';

/** The body of the test cable with serial `serial`: readers check they open exactly this. */
export function bodyOf(serial: number): string {
  return `Summary: cable ${serial} for the send path.\n\nComment: the delegation has nothing to add.`;
}

function subjectOf(serial: number): string {
  return `Send path cable ${serial}`;
}

/** A cable released and awaiting the drafter: its id, serial (for its expected text) and releaser-signed envelope. */
export interface Released {
  readonly id: CableId;
  readonly serial: number;
  readonly envelope: Envelope;
}

/** Drafts and releases `count` cables through the real workflow (draftCable, prepareRelease, releaseCandidate). */
export async function releaseThroughApi(drafter: Session, releaser: Session, count: number): Promise<Released[]> {
  const out: Released[] = [];
  for (let serial = 1; serial <= count; serial++) {
    const id = await draftCable(drafter, { from: DEL, to: [HQ], tags: ['PREL'], precedence: 'ROUTINE', level: LEVEL, releasableTo: ['EU'], subject: subjectOf(serial), body: bodyOf(serial), releaser: People.releaser });
    await releaseCandidate(releaser, await prepareRelease(releaser, id));
    const { released } = await fetchDraft(drafter, id);
    out.push({ id, serial, envelope: released! }); // just released: the node returns the releaser's envelope
  }
  return out;
}

function cableOf(id: CableId, serial: number, now: Date): Cable {
  return assertValidCable({
    header: {
      id, dtg: dtgFromDate(now), precedence: serial % 10 === 0 ? 'IMMEDIATE' : 'ROUTINE',
      marking: { classification: LEVEL, caveats: [], releasableTo: ['EU'] },
      from: DEL, to: [HQ], info: [], tags: ['PREL'], drafter: People.drafter, releaser: People.releaser,
    },
    content: { subject: subjectOf(serial), references: [], body: bodyOf(serial), attachments: [] },
  });
}

/**
 * Seals cables with serials `first … first+count-1` as the drafter's device would (draft to the delegation's epoch
 * key) and as the releaser's device would (final envelope to both offices' verified current epochs and the node's
 * release service, signed as releaser), then stores them as released drafts in one transaction at `storePath`
 * (the node may be running: SQLite's WAL lets the second connection write).
 */
export async function insertReleased(drafter: Session, releaser: Session, storePath: string, first: number, count: number): Promise<Released[]> {
  const draftKey = (await currentEpoch(drafter, DEL, LEVEL)).epoch;
  const offices = await listOffices(releaser);
  const recipients = await Promise.all([DEL, HQ].map(async (code: OfficeCode) => {
    const epoch = (await currentEpoch(releaser, code, LEVEL)).epoch;
    return { office: offices.find((o) => o.code === code)!, epoch: epoch.epoch, level: LEVEL, publicKey: epoch.publicKey, open: true } as const;
  }));
  const releaseServices = [{ node: releaser.node.name, publicKey: releaser.node.certificate.releaseKey }];
  const now = new Date();
  const rows: DraftRow[] = [];
  const out: Released[] = [];
  for (let serial = first; serial < first + count; serial++) {
    const id = formatCableId(DEL, now.getUTCFullYear(), serial);
    const cable = cableOf(id, serial, now);
    const draft = await sealDraft(drafter.p, cable, draftKey, releaseServices[0]!, cableSigner(drafter, 'drafter'));
    const released = await sealCable(releaser.p, { cable, recipients, releaseServices, signers: [cableSigner(releaser, 'releaser')] });
    rows.push({
      id, from: DEL, level: LEVEL, drafter: People.drafter, status: 'released', sealedDraft: encodeSealedDraft(draft),
      releasedEnvelope: released.bytes, releaser: People.releaser, createdAt: now.getTime(), updatedAt: now.getTime(),
    });
    out.push({ id, serial, envelope: released.envelope });
  }
  const store = openSqliteStore(storePath);
  try {
    store.transaction((tx) => rows.forEach((r) => tx.putDraft(r)));
  } finally {
    store.close();
  }
  return out;
}

/**
 * The drafter's countersignature on a released envelope, as `sendCable` adds it after its checks: Ed25519 is
 * deterministic, so countersigning the same released envelope again gives the very same bytes.
 */
export async function countersign(drafter: Session, envelope: Envelope): Promise<Uint8Array> {
  const signatures = await addSignature(drafter.p, envelope.headerBytes, envelope.signatures, cableSigner(drafter, 'drafter'));
  return encodeEnvelope({ ...envelope, signatures });
}

/** POSTs a countersigned envelope: the send step alone, as `sendCable` ends. */
export function postSend(drafter: Session, id: CableId, envelope: Uint8Array): Promise<unknown> {
  return drafter.http.post(`/api/v1/drafts/${encodeURIComponent(id)}/send`, { envelope: toBase64(envelope) });
}

/**
 * Six sent cables for read tests: the first through the whole workflow (the drafter's check opens the released
 * draft: a logged share), five more released straight into the store at `storePath` and sent through the API.
 */
export async function sendSixCables(drafter: Session, releaser: Session, storePath: string): Promise<CableId[]> {
  const [first] = await releaseThroughApi(drafter, releaser, 1);
  await sendCable(drafter, first!.id);
  const ids = [first!.id];
  for (const r of await insertReleased(drafter, releaser, storePath, 2, 5)) {
    await postSend(drafter, r.id, await countersign(drafter, r.envelope));
    ids.push(r.id);
  }
  return ids;
}
