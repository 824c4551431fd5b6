// The demo's cable traffic: every demo cable goes through the real release workflow — the drafter's device drafts,
// the releasing officer's device opens it and releases it, the drafter's device checks and sends — and a few are
// read by an addressee so that the inbox shows read marks.
import type { CableId, Classification, Precedence, UserId } from '../cable/types.ts';
import { InternalError } from '../errors.ts';
import { draftCable } from '../client/drafts.ts';
import { prepareRelease, releaseCandidate } from '../client/release.ts';
import { sendCable } from '../client/send.ts';
import { markRead, readCable } from '../client/reading.ts';
import type { Session } from '../client/session.ts';
import { DEMO_CABLES } from './demo-cables.ts';

export interface SentCable {
  readonly id: CableId;
  readonly precedence: Precedence;
  readonly level: Classification;
  readonly subject: string;
  readonly drafter: UserId;
  readonly releaser: UserId;
}

function sessionOf(sessions: ReadonlyMap<UserId, Session>, id: UserId): Session {
  const s = sessions.get(id);
  if (!s) throw new InternalError(`demo: no session for ${id}`);
  return s;
}

/** Drafts, releases and sends every demo cable; the head of the Americas Department then reads the first three. */
export async function sendDemoCables(sessions: ReadonlyMap<UserId, Session>, say: (line: string) => void): Promise<SentCable[]> {
  const sent: SentCable[] = [];
  for (const c of DEMO_CABLES) {
    const drafter = sessionOf(sessions, c.drafter);
    const releaser = sessionOf(sessions, c.releaser);
    const id = await draftCable(drafter, {
      from: c.from,
      to: c.to,
      info: c.info ?? [],
      tags: c.tags,
      precedence: c.precedence,
      level: c.level,
      releasableTo: c.releasableTo ?? [],
      subject: c.subject,
      body: c.body,
      releaser: c.releaser,
    });
    await releaseCandidate(releaser, await prepareRelease(releaser, id));
    const result = await sendCable(drafter, id);
    sent.push({ id, precedence: c.precedence, level: c.level, subject: c.subject, drafter: c.drafter, releaser: c.releaser });
    say(`cable ${id} ${c.precedence} ${c.level}: drafted by ${c.drafter}, released by ${c.releaser}, sent to ${result.deliveredTo.join(', ')}`);
  }
  const reader = sessionOf(sessions, 'joao.almeida' as UserId);
  for (const c of sent.filter((x) => x.drafter !== ('joao.almeida' as UserId)).slice(0, 3)) {
    await readCable(reader, c.id);
    await markRead(reader, c.id);
    say(`joao.almeida read ${c.id} (the release service handed his device its share)`);
  }
  return sent;
}
