// How far a read lies outside the user's usual reading: one point for an unusual originating office, up to one for its tags (the
// share of them the user does not usually read), half a point for an unusual level. Shares come from the user's decayed tallies.
import { Classifications, type Classification } from '../cable/types.ts';
import type { DetectorSettings } from './config.ts';
import type { TraceEvent } from './trace.ts';
import type { UserState } from './user-state.ts';

/** A level's id: its rank in Classifications (the byte scanner's level index is the same number). */
export const LEVEL_IDS = Object.fromEntries(Classifications.map((c, i) => [c, i])) as Readonly<Record<Classification, number>>;

/**
 * The office whose cable this is: the cable id's first part (`EEAS.DEL.WASHINGTON/2026/000123`). The trace's
 * `office` is the reader's own office the cable was opened through, which says nothing about interests.
 */
export function originatorOf(event: TraceEvent): string {
  const cable = event.cable!;
  const slash = cable.indexOf('/');
  return slash > 0 ? cable.slice(0, slash) : event.office!;
}

/** `tagIds` holds the interned ids of the read's `tagCount` tags; `level` is its LEVEL_IDS id, or -1. */
export function noveltyOf(origin: number, tagIds: Int32Array, tagCount: number, level: number, user: UserState, config: DetectorSettings): number {
  const rare = config.unusualShare;
  const { rows, row } = user;
  let score = rows.origins.share(row, origin) < rare ? 1 : 0;
  const n = tagCount;
  if (n > 0) {
    let unusual = 0;
    for (let i = 0; i < n; i++) if (rows.tags.share(row, tagIds[i]!) < rare) unusual++;
    score += unusual / n;
  }
  if (level >= 0 && rows.levels.share(row, level) < rare) score += 0.5;
  return score;
}
