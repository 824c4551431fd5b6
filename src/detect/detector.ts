// The streaming detector (issue 7 "The detector"): push events in log order, get alerts back. Per event it derives
// the facts several rules share, runs every rule against the state before the event, keeps the alerts that are not
// repeats, then learns the event. Memory is bounded: fixed-size state per user, at most maxUsers users.
import { RuleNames, SeverityRank, type Alert } from './alert.ts';
import { DetectorConfig, type DetectorSettings } from './config.ts';
import { ageBand, OfficeNorms } from './office-norms.ts';
import { bulkRead } from './rules/bulk-read.ts';
import { canary } from './rules/canary.ts';
import { dormantWakeup } from './rules/dormant-wakeup.ts';
import { lowAndSlow } from './rules/low-and-slow.ts';
import { newDeviceOrNetwork } from './rules/new-source.ts';
import { offHours } from './rules/off-hours.ts';
import { oldArchive } from './rules/old-archive.ts';
import { phishedPattern } from './rules/phished-pattern.ts';
import type { Finding, ReadFacts, Rule } from './rules/rule.ts';
import { Interner } from './tally.ts';
import type { TraceEvent } from './trace.ts';
import { UserState, RECENT_READS } from './user-state.ts';
import { networkOf, sourceFacts } from './sources.ts';
import { LEVEL_IDS, noveltyOf, originatorOf } from './novelty.ts';

const RULES: readonly Rule[] = [canary, bulkRead, dormantWakeup, newDeviceOrNetwork, phishedPattern, lowAndSlow, offHours, oldArchive];
const RULE_SLOT = new Map(RuleNames.map((r, i) => [r, i]));
const HOUR_MS = 3_600_000;

/** Sizes of the detector's state, for the bounded-memory test and the bench. */
export interface DetectorStats {
  readonly users: number;
  readonly symbols: number;
  readonly offices: number;
  readonly usersForgotten: number;
}

export class Detector {
  private readonly config: DetectorSettings;
  private readonly users = new Map<string, UserState>();
  private readonly symbols: Interner;
  private readonly offices = new OfficeNorms();
  private origin = Number.NaN;
  private forgotten = 0;
  // Per-event scratch, so what the rules and learning both need is computed once: the network of the event's
  // address, and the interned ids of its tags (interned on first need, in the order the detector always interned
  // them, so ids come out the same).
  private net: string | undefined;
  private tagIds = new Int32Array(32);
  private tagIdsReady = false;
  private officeId = -1;

  constructor(settings: Partial<DetectorSettings> = {}) {
    this.config = { ...DetectorConfig, ...settings };
    this.symbols = new Interner(this.config.maxSymbols);
  }

  /**
   * Judges one event (its 0-based index in the stream becomes the evidence) and learns it.
   *
   * @example
   * ```ts
   * const d = new Detector();
   * d.push(parseTraceLine(line, 1), 0); // [] or alerts
   * ```
   */
  push(event: TraceEvent, index: number): Alert[] {
    if (Number.isNaN(this.origin)) this.origin = event.at;
    const inf = Math.exp((event.at - this.origin) / this.config.profileTau);
    const user = this.userOf(event.user);
    this.net = event.ip === undefined ? undefined : networkOf(event.ip);
    this.tagIdsReady = false;
    const origin = event.kind === 'read' ? this.symbols.id(originatorOf(event)) : -1;
    const read = event.kind === 'read' ? this.readFacts(event, origin, user, inf) : undefined;
    const ctx = { event, index, user, config: this.config, read };
    let alerts: Alert[] | undefined;
    for (const rule of RULES) {
      const finding = rule(ctx);
      if (finding && this.fresh(user, finding, event.at)) (alerts ??= []).push({ at: event.at, user: event.user, ...finding });
    }
    this.learn(event, index, user, inf, read, origin);
    return alerts ?? [];
  }

  stats(): DetectorStats {
    return { users: this.users.size, symbols: this.symbols.size, offices: this.offices.size, usersForgotten: this.forgotten };
  }

  private userOf(name: string): UserState {
    let user = this.users.get(name);
    if (user) return user;
    if (this.users.size >= this.config.maxUsers) {
      // Map order is insertion order and learn() re-inserts users as they act, so the first is the least recent.
      const oldest = this.users.keys().next().value;
      if (oldest !== undefined) this.users.delete(oldest);
      this.forgotten++;
    }
    user = new UserState();
    this.users.set(name, user);
    return user;
  }

  /** Dedupe: one alert per user and rule within the window, unless this one is more severe. */
  private fresh(user: UserState, f: Finding, at: number): boolean {
    const slot = RULE_SLOT.get(f.rule)!;
    const rank = SeverityRank[f.severity];
    if (at - user.alertAt[slot]! < this.config.dedupeWindow && rank <= user.alertSeverity[slot]!) return false;
    user.alertAt[slot] = at;
    user.alertSeverity[slot] = rank;
    return true;
  }

  /** The event's tag ids in `tagIds`, interned once per event. */
  private internTags(event: TraceEvent): void {
    if (this.tagIdsReady) return;
    const tags = event.tags;
    if (!tags) return;
    // The node's events are not capped by the trace parser's MAX_TAGS.
    if (tags.length > this.tagIds.length) this.tagIds = new Int32Array(tags.length);
    for (let i = 0; i < tags.length; i++) this.tagIds[i] = this.symbols.id(tags[i]!);
    this.tagIdsReady = true;
  }

  private readFacts(event: TraceEvent, origin: number, user: UserState, inf: number): ReadFacts {
    const warm = user.reads >= this.config.warmReads;
    const home = user.home;
    const hour = Math.floor(event.at / HOUR_MS) % 24;
    const source = sourceFacts(event, this.net, user, this.config);
    let novelty = 0;
    if (user.reads >= this.config.interestReads && user.days >= this.config.matureDays) {
      this.internTags(event);
      novelty = noveltyOf(event, origin, this.tagIds, user, this.config);
    }
    const recent = user.readsSince(event.at - this.config.bulkWindow);
    return {
      warm,
      novelty,
      newSource: source.newSource,
      newDevice: source.newDevice,
      newNetwork: source.newNetwork,
      firstReadOnNewSource: source.firstRead,
      offHours: user.events >= this.config.offHoursWarmEvents && user.hourShare(hour) < this.config.offHoursShare,
      count5: (recent & 0xffff) + 1,
      novel5: (recent >>> 16) + (novelty >= 1 ? 1 : 0),
      cableOffice: this.offices.peek((this.officeId = this.symbols.id(event.office!))),
      homeOffice: home >= 0 ? this.offices.peek(home) : undefined,
      inflation: inf,
    };
  }

  private learn(event: TraceEvent, index: number, user: UserState, inf: number, read: ReadFacts | undefined, origin: number): void {
    const c = this.config;
    if (event.at - user.lastAt > HOUR_MS) {
      // Cheap LRU: re-insert at most hourly so the Map's first key stays the least recently active user.
      this.users.delete(event.user);
      this.users.set(event.user, user);
    }
    user.events++;
    user.lastAt = Math.max(user.lastAt, event.at);
    const hour = Math.floor(event.at / HOUR_MS) % 24;
    user.hours[hour] = user.hours[hour]! + inf;
    user.hoursTotal += inf;
    if (event.device !== undefined) user.devices.see(event.device, event.at, user.reads >= c.warmReads / 4, read !== undefined);
    if (this.net !== undefined) user.networks.see(this.net, event.at, user.reads >= c.warmReads / 4, read !== undefined);
    if (!read) return;
    user.reads++;
    const office = this.officeId; // interned by readFacts for this read
    // Unusual reads are learnt at a fraction of their weight: drift must not become the norm within days. So are
    // reads from a new device on a new network, even before interests are judged: an intruder who arrives in a
    // user's first days must not write the baseline they will later be judged against.
    const w = read.novelty > 0 || (read.newDevice && read.newNetwork) ? inf * c.novelLearning : inf;
    user.origins.add(origin, w);
    user.learnOffice(office, inf);
    const tags = event.tags;
    if (tags && tags.length > 0) {
      this.internTags(event);
      for (let i = 0; i < tags.length; i++) user.tags.add(this.tagIds[i]!, w / tags.length);
    }
    if (event.level !== undefined) user.levels.add(LEVEL_IDS[event.level], inf);
    if (event.ageDays !== undefined) {
      const band = ageBand(event.ageDays);
      // Archive reads enter the user's baseline slowly, like unusual ones, so a dig into the archive stays unusual.
      const aw = event.ageDays >= c.oldAgeDays ? inf * c.novelLearning : inf;
      user.ages.add(band, aw);
      const norm = this.offices.get(office);
      norm.ages[band] = norm.ages[band]! + aw;
      norm.agesTotal += aw;
    }
    const slot = user.recentNext;
    user.recent[slot] = event.at;
    user.recentIndex[slot] = index;
    user.recentNovel[slot] = read.novelty >= 1 ? 1 : 0;
    user.recentNext = (slot + 1) % RECENT_READS;
    if (user.recentCount < RECENT_READS) user.recentCount++;
    this.learnRates(event.at, user, read.novelty > 0);
  }

  /** Peak 5-minute counts from closed buckets; daily EWMA from closed days. */
  private learnRates(at: number, user: UserState, novel: boolean): void {
    const c = this.config;
    const bucket = Math.floor(at / c.bulkWindow);
    if (bucket !== user.bucket5) {
      if (user.bucket5 >= 0) this.closeBucket(at, user);
      user.bucket5 = bucket;
      user.bucket5Count = 0;
    }
    user.bucket5Count++;
    const day = Math.floor(at / c.day);
    if (day !== user.day) {
      if (user.day >= 0) user.dayEwma = user.dayEwma === 0 ? user.dayCount : 0.85 * user.dayEwma + 0.15 * user.dayCount;
      user.day = day;
      user.dayCount = 0;
      user.dayNovel = 0;
      user.days++;
    }
    user.dayCount++;
    if (novel) user.dayNovel++;
  }

  private closeBucket(at: number, user: UserState): void {
    const c = this.config;
    const count = user.bucket5Count;
    const decayed = user.peak5 * Math.exp(-(at - user.bucket5 * c.bulkWindow) / c.profileTau);
    // A bucket far above the peak is learnt slowly: a burst that escaped the rule must not become the new norm.
    user.peak5 = count <= 2 * user.peak5 + 10 ? Math.max(decayed, count) : Math.max(decayed, user.peak5 + (count - user.peak5) * 0.1);
    if (user.reads >= c.warmReads) {
      const home = user.home;
      if (home >= 0) this.offices.get(home).learnPeak(user.peak5, at, c.profileTau);
    }
  }
}
