// A phished account that is too new to have a history: the owner has read a handful of cables when the attacker's
// device appears. sources.ts judges a device or network "new" only once the user has a history (10 reads), so the
// account's first sources are not suspicious; and the owner's interests are judged only after 20 reads on 7 days.
// Neither holds for a light reader in their first weeks, so phished_pattern never saw such an intruder.
//
// Here a source is "young" when the account took it up after its first one (the first device and network are the
// owner's), before it had a history, within newSourceSpan; and a read is judged against what the readers of the
// office it was opened through open (originating offices and tags, office-norms.ts) as long as the account's own
// interests are not judged yet, and at the office's off-hours. Only a young device on a young network, reading what
// the office does not read, counts: a new colleague reads their office's usual traffic, on their laptop too.
import type { DetectorSettings } from './config.ts';
import type { OfficeNorm } from './office-norms.ts';
import { sourceHash, type SourceRows } from './source-rows.ts';
import type { TraceEvent } from './trace.ts';
import type { UserRows, UserState } from './user-state.ts';

/** The young-account facts of one read (fields of the detector's ReadFacts). */
export interface YoungFacts {
  /** The read is from a young device on a young network (above). */
  youngSource: boolean;
  /** Novelty (novelty.ts, without the level) of the read against its office's readers; 0 when not judged. */
  officeNovelty: number;
  /** The hour is one the office's readers are almost never active at. */
  officeOffHours: boolean;
}

/**
 * Whether `name` is a source the user took up at least `gap` after another one, before having a history, less
 * than `span` ago. The gap: on a node (or a trace) that starts cold, a user's desk and laptop both show up in
 * their first day or two.
 */
export function youngSource(sources: SourceRows, row: number, name: string | undefined, at: number, span: number, gap: number): boolean {
  if (name === undefined) return false;
  const n = sources.count(row);
  const i = sources.find(row, name);
  if (i >= 0 && sources.judged(row, i)) return false; // sources.ts judges it
  const first = i >= 0 ? sources.firstSeen(row, i) : at;
  if (at - first >= span) return false;
  for (let j = 0; j < n; j++) if (j !== i && sources.firstSeen(row, j) <= first - gap) return true;
  return false;
}

/** Novelty of a read against the office's readers: 1 for a rare originating office, up to 1 for rare tags. */
export function officeNovelty(norm: OfficeNorm, origin: number, tagIds: Int32Array, tagCount: number, rare: number): number {
  let score = norm.origins.share(origin) < rare ? 1 : 0;
  if (tagCount > 0) {
    let unusual = 0;
    for (let i = 0; i < tagCount; i++) if (norm.tags.share(tagIds[i]!) < rare) unusual++;
    score += unusual / tagCount;
  }
  return score;
}

/**
 * Fills `f` for a read by `user` (whose interests may or may not be judged yet); `norm` is the office the read was
 * opened through, `tagIds` the read's interned tags. Cheap for almost every read: only an account with few reads
 * is looked at, and only its reads from a source other than its first.
 */
export function judgeYoung(f: YoungFacts & { readonly newDevice: boolean }, event: TraceEvent, net: string | undefined, origin: number, tagIds: Int32Array, user: UserState, rows: UserRows, norm: OfficeNorm | undefined, inf: number, config: DetectorSettings): void {
  f.youngSource = false;
  f.officeNovelty = 0;
  f.officeOffHours = false;
  if (user.reads >= config.youngReads || norm === undefined || norm.readsSeen(inf) < config.youngOfficeReads) return;
  const span = config.newSourceSpan;
  const gap = config.youngGap;
  if (f.newDevice || !youngSource(rows.devices, user.row, event.device, event.at, span, gap) || !youngSource(rows.networks, user.row, net, event.at, span, gap)) return;
  // A network the office's readers use (its desks, a shared VPN) is not an intruder's.
  if (norm.networks.share(sourceHash(net!)) >= config.youngOfficeNetworkShare) return;
  f.youngSource = true;
  // Once the account's own interests are judged, phished_pattern uses them (novelty.ts).
  if (user.reads >= config.interestReads && user.days >= config.matureDays) return;
  f.officeNovelty = officeNovelty(norm, origin, tagIds, event.tags?.length ?? 0, config.unusualShare);
  f.officeOffHours = norm.hourShare(Math.floor(event.at / config.hour) % 24) < config.offHoursShare;
}
