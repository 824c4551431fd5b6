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
import type { Finding, ReadFacts } from './rules/rule.ts';
import { ContextScratch, ReadScratch } from './scratch.ts';
import { Interner } from './tally.ts';
import type { TraceEvent } from './trace.ts';
import { UserRows, UserState } from './user-state.ts';
import { ABSENT, FIRST_READ, NEW_DEVICE, NEW_NETWORK, networkOf, sourceFlags } from './sources.ts';
import { LEVEL_IDS, noveltyOf, originatorOf } from './novelty.ts';
import { ByteNames } from './byte-names.ts';
import { UserNames } from './user-names.ts';
import { ActivityOrder } from './activity-order.ts';
import { ScannedEvent } from './scanned-event.ts';
import { F_CABLE, F_DEVICE, F_IP, F_OFFICE, F_USER, latin1, type ScannedLine } from './scanned-line.ts';
import { judgeYoung } from './young-account.ts';
import { sourceHash } from './source-rows.ts';

const RULE_SLOT = new Map(RuleNames.map((r, i) => [r, i]));
const HOUR_MS = 3_600_000;
/** Shared by every event that raises nothing (most): callers only read the array. */
const NO_ALERTS: readonly Alert[] = Object.freeze([]);

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
  private readonly rows: UserRows;
  private rowsUsed = 0;
  /** Activity order, the least recently active user first (forgotten first); `byRow` finds the user of a row. */
  private readonly activity = new ActivityOrder();
  private readonly byRow: UserState[] = [];
  private readonly facts = new ReadScratch();
  private readonly ctx: ContextScratch;
  private readonly symbols: Interner;
  private readonly offices = new OfficeNorms();
  private origin = Number.NaN;
  private forgotten = 0;
  // Per-event scratch, resolved before judging so the rules and learning share it: the interned ids of the read's
  // tags, and the event's device and network as found in the user's rows (a position, UNKNOWN or ABSENT) with
  // their names for when they are new.
  private tagIds = new Int32Array(32);
  private tagCount = 0;
  /** The read's level as its LEVEL_IDS id, -1 when it has none. */
  private levelId = -1;
  private device = ABSENT;
  private network = ABSENT;
  private deviceName: string | undefined;
  private networkName: string | undefined;
  /** The network's sourceHash (source-rows.ts), meaningful when `network` is not ABSENT: offices tally networks by it. */
  private networkHash = 0;
  /** The fast path's memos of names met as bytes: users to their rows, offices and tags to their ids. */
  private readonly userNames: UserNames;
  private readonly symbolNames = new ByteNames(1 << 12);
  private readonly scanned = new ScannedEvent();
  /** UserRows.prefetch's sums, kept so its reads are not optimised away. */
  private touched = 0.5;

  constructor(settings: Partial<DetectorSettings> = {}) {
    this.config = { ...DetectorConfig, ...settings };
    this.rows = new UserRows(this.config.maxUsers);
    this.symbols = new Interner(this.config.maxSymbols);
    this.ctx = new ContextScratch(this.config);
    this.userNames = new UserNames(Math.min(4 * this.config.maxUsers, 1 << 16), this.rows);
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
  push(event: TraceEvent, index: number): readonly Alert[] {
    const user = this.userOf(event.user);
    const rows = this.rows;
    this.touched += rows.prefetch(user.row, Math.floor(event.at / HOUR_MS) % 24);
    this.device = event.device === undefined ? ABSENT : rows.devices.find(user.row, event.device);
    this.deviceName = event.device;
    const net = event.ip === undefined ? undefined : networkOf(event.ip);
    this.network = net === undefined ? ABSENT : rows.networks.find(user.row, net);
    this.networkName = net;
    if (net !== undefined) this.networkHash = sourceHash(net);
    this.tagCount = 0;
    this.levelId = event.level === undefined ? -1 : LEVEL_IDS[event.level];
    if (event.kind !== 'read') return this.judge(event, index, user, -1, -1);
    // Interned in the order the detector always interned them (the origin, the tags when they are judged, the
    // office, the tags to learn): past maxSymbols the order decides which names share ids.
    const origin = this.symbols.id(originatorOf(event));
    const tags = event.tags;
    const mature = this.mature(user);
    if (tags && mature) this.internTags(tags);
    const office = this.symbols.id(event.office!);
    if (tags && !mature) this.internTags(tags);
    return this.judge(event, index, user, origin, office);
  }

  /**
   * push() for a line the byte scanner took (trace-bytes.ts): the same judgement and learning, with the user, the
   * offices, the tags and the sources found from the line's bytes (ByteNames) rather than from strings.
   */
  pushLine(line: ScannedLine, index: number): readonly Alert[] {
    const buf = line.buf;
    const from = line.from;
    const to = line.to;
    const uh = line.hash[F_USER]!;
    const known = this.userNames.get(uh, buf, from[F_USER]!, to[F_USER]!);
    const rows = this.rows;
    // A known user's record was brought near by hint(); a new one's is fresh and far.
    const user = known >= 0 ? this.byRow[known]! : this.userOf(latin1(buf, from[F_USER]!, to[F_USER]!));
    if (known < 0) {
      this.userNames.set(uh, buf, from[F_USER]!, to[F_USER]!, user.row);
      this.touched += rows.prefetch(user.row, Math.floor(line.at / HOUR_MS) % 24);
    }
    this.device = ABSENT;
    if (line.has(F_DEVICE)) {
      const f = from[F_DEVICE]!;
      const t = to[F_DEVICE]!;
      this.device = rows.devices.findBytes(user.row, line.hash[F_DEVICE]!, buf, f, t);
      if (this.device < 0) this.deviceName = latin1(buf, f, t);
    }
    this.network = ABSENT;
    if (line.has(F_IP)) {
      const f = from[F_IP]!;
      const t = line.networkEnd;
      this.network = rows.networks.findBytes(user.row, line.networkHash, buf, f, t);
      this.networkHash = line.networkHash;
      if (this.network < 0) this.networkName = latin1(buf, f, t);
    }
    const event = this.scanned;
    event.fill(line, user.name);
    this.tagCount = 0;
    this.levelId = line.level; // the scanner's index in Classifications, which LEVEL_IDS is
    if (line.kind !== 0) return this.judge(event.asEvent(), index, user, -1, -1);
    // The origin: the cable id's first part (novelty.ts originatorOf), interned in push()'s order.
    const cf = from[F_CABLE]!;
    const origin =
      line.originEnd > cf ? this.symbolAt(line.originHash, buf, cf, line.originEnd) : this.symbolAt(line.hash[F_OFFICE]!, buf, from[F_OFFICE]!, to[F_OFFICE]!);
    const mature = this.mature(user);
    if (mature) this.symbolTags(line);
    const office = this.symbolAt(line.hash[F_OFFICE]!, buf, from[F_OFFICE]!, to[F_OFFICE]!);
    if (!mature) this.symbolTags(line);
    return this.judge(event.asEvent(), index, user, origin, office);
  }

  /**
   * A hint before pushLine() of each of `lines[0, count)`: reads the records of the users their names probably
   * are (UserNames.likelyRow, from an index in the caches), so the misses of a whole batch overlap.
   */
  hint(lines: readonly ScannedLine[], count: number): void {
    let sum = 0;
    const names = this.userNames;
    const rows = this.rows;
    for (let i = 0; i < count; i++) {
      const line = lines[i]!;
      const row = names.likelyRow(line.hash[F_USER]!);
      if (row >= 0) sum += rows.prefetch(row, Math.floor(line.at / HOUR_MS) % 24) + this.byRow[row]!.row;
    }
    this.touched += sum;
  }

  /** The event of the last pushLine(), valid until the next push (for the scorer). */
  lastScanned(): TraceEvent {
    return this.scanned.asEvent();
  }

  private mature(user: UserState): boolean {
    return user.reads >= this.config.interestReads && user.days >= this.config.matureDays;
  }

  /** The symbol id of the name `buf[from, to)`, whose bytesHash is `h`. */
  private symbolAt(h: number, buf: Uint8Array, from: number, to: number): number {
    let id = this.symbolNames.get(h, buf, from, to);
    if (id < 0) {
      id = this.symbols.id(latin1(buf, from, to));
      this.symbolNames.set(h, buf, from, to, id);
    }
    return id;
  }

  private symbolTags(line: ScannedLine): void {
    if (this.tagCount > 0 || line.tagCount <= 0) return;
    for (let i = 0; i < line.tagCount; i++) this.tagIds[i] = this.symbolAt(line.tagHash[i]!, line.buf, line.tagFrom[i]!, line.tagTo[i]!);
    this.tagCount = line.tagCount;
  }

  /** Judges the event against the state before it, then learns it: the rules, dedupe, learning. */
  private judge(event: TraceEvent, index: number, user: UserState, origin: number, office: number): readonly Alert[] {
    if (Number.isNaN(this.origin)) this.origin = event.at;
    const inf = Math.exp((event.at - this.origin) / this.config.profileTau);
    const read = event.kind === 'read' ? this.readFacts(event, origin, office, user, inf) : undefined;
    const ctx = this.ctx;
    ctx.event = event;
    ctx.index = index;
    ctx.user = user;
    ctx.read = read;
    // Each rule called by name, in the order alerts of one event have always come in: a call site each (a loop over an array of rules was one call
    // site for eight functions, which the compiler neither inlines nor predicts).
    let alerts = this.raised(undefined, canary(ctx), user, event.at);
    alerts = this.raised(alerts, bulkRead(ctx), user, event.at);
    alerts = this.raised(alerts, dormantWakeup(ctx), user, event.at);
    alerts = this.raised(alerts, newDeviceOrNetwork(ctx), user, event.at);
    alerts = this.raised(alerts, phishedPattern(ctx), user, event.at);
    alerts = this.raised(alerts, lowAndSlow(ctx), user, event.at);
    alerts = this.raised(alerts, offHours(ctx), user, event.at);
    alerts = this.raised(alerts, oldArchive(ctx), user, event.at);
    this.learn(event, index, user, inf, read, origin, office);
    return alerts ?? NO_ALERTS;
  }

  /** `alerts` with the finding's alert added when there is one and it is not a repeat (fresh()). */
  private raised(alerts: Alert[] | undefined, finding: Finding | undefined, user: UserState, at: number): Alert[] | undefined {
    if (finding && this.fresh(user, finding, at)) (alerts ??= []).push({ at, user: user.name, ...finding });
    return alerts;
  }

  stats(): DetectorStats {
    return { users: this.users.size, symbols: this.symbols.size, offices: this.offices.size, usersForgotten: this.forgotten };
  }

  private userOf(name: string): UserState {
    let user = this.users.get(name);
    if (user) return user;
    let row = -1;
    if (this.users.size >= this.config.maxUsers) {
      // learn() moves users to the end as they act, so the first is the least recent.
      if (this.activity.oldest >= 0) {
        row = this.activity.oldest;
        const name = this.byRow[row]!.name;
        this.users.delete(name);
        this.userNames.forget(name, row);
        this.activity.unlink(row);
      }
      this.forgotten++;
    }
    user = new UserState(name, row >= 0 ? row : this.rowsUsed++, this.rows);
    this.users.set(name, user);
    this.byRow[user.row] = user;
    this.activity.append(user.row);
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

  /** The read's tag ids in `tagIds`, interned once per event. */
  private internTags(tags: readonly string[]): void {
    if (this.tagCount > 0 || tags.length === 0) return;
    // The node's events are not capped by the trace parser's MAX_TAGS.
    if (tags.length > this.tagIds.length) this.tagIds = new Int32Array(tags.length);
    for (let i = 0; i < tags.length; i++) this.tagIds[i] = this.symbols.id(tags[i]!);
    this.tagCount = tags.length;
  }

  private readFacts(event: TraceEvent, origin: number, office: number, user: UserState, inf: number): ReadFacts {
    const home = user.home;
    const hour = Math.floor(event.at / HOUR_MS) % 24;
    const source = sourceFlags(event.at, this.device, this.network, user, this.rows, this.config);
    let novelty = 0;
    if (this.mature(user)) novelty = noveltyOf(origin, this.tagIds, this.tagCount, this.levelId, user, this.config);
    const recent = user.readsSince(event.at - this.config.bulkWindow);
    const f = this.facts;
    f.warm = user.reads >= this.config.warmReads;
    f.novelty = novelty;
    f.newDevice = (source & NEW_DEVICE) !== 0;
    f.newNetwork = (source & NEW_NETWORK) !== 0;
    f.newSource = f.newDevice || f.newNetwork;
    f.firstReadOnNewSource = (source & FIRST_READ) !== 0;
    f.offHours = user.events >= this.config.offHoursWarmEvents && user.hourShare(hour) < this.config.offHoursShare;
    f.count5 = (recent & 0xffff) + 1;
    f.novel5 = (recent >>> 16) + (novelty >= 1 ? 1 : 0);
    f.cableOffice = this.offices.peek(office);
    f.homeOffice = home >= 0 ? this.offices.peek(home) : undefined;
    f.inflation = inf;
    f.origin = origin;
    // The tags are interned already (push, pushLine): for a user whose interests are not judged, right after the office.
    judgeYoung(f, event.at, this.device, this.network, this.networkHash, origin, this.tagIds, this.tagCount, user, this.rows, f.cableOffice, inf, this.config);
    return f;
  }

  private learn(event: TraceEvent, index: number, user: UserState, inf: number, read: ReadFacts | undefined, origin: number, office: number): void {
    const c = this.config;
    if (event.at - user.lastAt > HOUR_MS) {
      // Cheap LRU: move to the end at most hourly, so the first user stays the least recently active one.
      this.activity.touch(user.row);
    }
    user.events++;
    user.lastAt = Math.max(user.lastAt, event.at);
    const hour = Math.floor(event.at / HOUR_MS) % 24;
    user.learnHour(hour, inf);
    const hasHistory = user.reads >= c.warmReads / 4;
    if (this.device >= 0) this.rows.devices.touch(user.row, this.device, event.at, read !== undefined);
    else if (this.device !== ABSENT) this.rows.devices.insert(user.row, this.deviceName!, event.at, hasHistory, read !== undefined);
    if (this.network >= 0) this.rows.networks.touch(user.row, this.network, event.at, read !== undefined);
    else if (this.network !== ABSENT) this.rows.networks.insert(user.row, this.networkName!, event.at, hasHistory, read !== undefined);
    if (!read) return;
    user.reads++;
    // Unusual reads are learnt at a fraction of their weight: drift must not become the norm within days. So are
    // reads from a new device on a new network, even before interests are judged: an intruder who arrives in a
    // user's first days must not write the baseline they will later be judged against.
    const w = read.novelty > 0 || (read.newDevice && read.newNetwork) || read.youngSource ? inf * c.novelLearning : inf;
    const rows = this.rows;
    const row = user.row;
    rows.origins.add(row, origin, w);
    user.learnOffice(office, inf);
    const tagCount = this.tagCount; // interned before judging
    for (let i = 0; i < tagCount; i++) rows.tags.add(row, this.tagIds[i]!, w / tagCount);
    if (this.levelId >= 0) rows.levels.add(row, this.levelId, inf);
    const norm = this.offices.get(office);
    if (event.ageDays !== undefined) {
      const band = ageBand(event.ageDays);
      // Archive reads enter the user's baseline slowly, like unusual ones, so a dig into the archive stays unusual.
      const aw = event.ageDays >= c.oldAgeDays ? inf * c.novelLearning : inf;
      rows.ages.add(row, band, aw);
      norm.ages[band] = norm.ages[band]! + aw;
      norm.agesTotal += aw;
    }
    norm.interests?.learnRead(origin, this.tagIds, this.tagCount, this.network === ABSENT ? undefined : this.networkHash, hour, w);
    user.learnRecent(event.at, index, read.novelty >= 1);
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
