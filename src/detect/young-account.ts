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
import type { OfficeInterests, OfficeNorm } from './office-norms.ts';
import type { SourceRows } from './source-rows.ts';
import { ABSENT } from './sources.ts';
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
 * Whether the source at `i` in the user's row (sources.ts: ABSENT when the event names none, negative when it is
 * not in the row yet) is one the user took up at least `gap` after another one, before having a history, less
 * than `span` ago. The gap: on a node (or a trace) that starts cold, a user's desk and laptop both show up in
 * their first day or two.
 */
export function youngSource(sources: SourceRows, row: number, i: number, at: number, span: number, gap: number): boolean {
  if (i === ABSENT) return false;
  const n = sources.count(row);
  if (i >= 0 && sources.judged(row, i)) return false; // sources.ts judges it
  const first = i >= 0 ? sources.firstSeen(row, i) : at;
  if (at - first >= span) return false;
  for (let j = 0; j < n; j++) if (j !== i && sources.firstSeen(row, j) <= first - gap) return true;
  return false;
}

/** Novelty of a read against the office's readers: 1 for a rare originating office, up to 1 for rare tags. */
export function officeNovelty(norm: OfficeInterests, origin: number, tagIds: Int32Array, tagCount: number, rare: number): number {
  let score = norm.origins.share(origin) < rare ? 1 : 0;
  if (tagCount > 0) {
    let unusual = 0;
    for (let i = 0; i < tagCount; i++) if (norm.tags.share(tagIds[i]!) < rare) unusual++;
    score += unusual / tagCount;
  }
  return score;
}

/**
 * Fills `f` for a read at `at` by `user` (whose interests may or may not be judged yet) from the device and network
 * at `device` and `network` in the user's rows (youngSource above), the network's hash `networkHash`; `norm` is the
 * office the read was opened through, `tagIds` the read's `tagCount` interned tags. Cheap for almost every read:
 * only an account with few reads is looked at, and only its reads from a source other than its first.
 */
export function judgeYoung(
  f: YoungFacts & { readonly newDevice: boolean },
  at: number,
  device: number,
  network: number,
  networkHash: number,
  origin: number,
  tagIds: Int32Array,
  tagCount: number,
  user: UserState,
  rows: UserRows,
  norm: OfficeNorm | undefined,
  inf: number,
  config: DetectorSettings,
): void {
  f.youngSource = false;
  f.officeNovelty = 0;
  f.officeOffHours = false;
  const office = norm?.interests;
  if (user.reads >= config.youngReads || office === undefined || office.readsSeen(inf) < config.youngOfficeReads) return;
  const span = config.newSourceSpan;
  const gap = config.youngGap;
  if (f.newDevice || !youngSource(rows.devices, user.row, device, at, span, gap) || !youngSource(rows.networks, user.row, network, at, span, gap)) return;
  // A network the office's readers use (its desks, a shared VPN) is not an intruder's.
  if (office.networks.share(networkHash) >= config.youngOfficeNetworkShare) return;
  f.youngSource = true;
  // Once the account's own interests are judged, phished_pattern uses them (novelty.ts).
  if (user.reads >= config.interestReads && user.days >= config.matureDays) return;
  f.officeNovelty = officeNovelty(office, origin, tagIds, tagCount, config.unusualShare);
  f.officeOffHours = office.hourShare(Math.floor(at / config.hour) % 24) < config.offHoursShare;
}
