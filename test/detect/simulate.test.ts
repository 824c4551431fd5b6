// The simulator (docs/detection.md "Simulator"): deterministic, every line in the trace format, time-ordered, and
// its labels true to the trace; normal people read their portfolio in their hours; attackers leave the traces the
// detector is meant to find.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCableId, parseDeviceId, parseOfficeCode, parseUserId } from '../../src/cable/ids.ts';
import { CablePatterns } from '../../src/cable/limits.ts';
import { Classifications } from '../../src/cable/types.ts';
import { parseStartDate } from '../../src/detect/simulate/calendar.ts';
import { makePerson, type Person } from '../../src/detect/simulate/population.ts';
import { Simulation, type SimulationOptions } from '../../src/detect/simulate/simulation.ts';

const START = parseStartDate('2026-03-02') ?? 0;
const OPTIONS: SimulationOptions = { users: 80, days: 21, seed: 42, attacks: ['bulk', 'phished', 'widening', 'canary'], start: START };

function run(options: SimulationOptions): { trace: string; labels: string } {
  const sim = new Simulation(options);
  let trace = '';
  for (const chunk of sim.trace()) trace += chunk;
  return { trace, labels: sim.labelLines() };
}

interface Line {
  readonly t: string;
  readonly kind: string;
  readonly user: string;
  readonly device: string;
  readonly ip: string;
  readonly cable?: string;
  readonly office?: string;
  readonly level?: string;
  readonly tags?: readonly string[];
  readonly age_days?: number;
  readonly canary?: boolean;
}

interface Label {
  readonly attack: string;
  readonly user: string;
  readonly device: string;
  readonly start: string;
  readonly end: string;
  readonly events: number;
}

/** The originating office: the first part of the cable id. */
const originator = (l: Line): string => (l.cable ?? '').split('/')[0] ?? '';

/** Within the person's working day, give or take the jitter of a real one. */
function inWorkingHours(p: Person, t: string): boolean {
  const local = new Date(Date.parse(t) + p.home.utcOffsetMinutes * 60_000);
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  return p.workDays.includes(local.getUTCDay()) && minutes >= p.workStart - 90 && minutes <= p.workStart + p.workLength + 120;
}

const parseLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);

const { trace, labels } = run(OPTIONS);
const lines = parseLines<Line>(trace);
const truth = parseLines<Label>(labels);
const victims = new Set(truth.map((l) => l.user));
const people = new Map(Array.from({ length: OPTIONS.users }, (_, i) => makePerson(OPTIONS.seed, i + 1, OPTIONS.users)).map((p) => [p.id, p]));

describe('simulator', () => {
  it('gives byte-identical files for the same options, and different ones for another seed', () => {
    const again = run(OPTIONS);
    assert.equal(again.trace, trace);
    assert.equal(again.labels, labels);
    assert.notEqual(run({ ...OPTIONS, seed: 43 }).trace, trace);
  });

  it('writes every line in the trace format, keys in order', () => {
    const readKeys = ['t', 'kind', 'user', 'device', 'ip', 'cable', 'office', 'level', 'tags', 'age_days', 'canary'];
    const otherKeys = ['t', 'kind', 'user', 'device', 'ip'];
    assert.ok(lines.length > 5000);
    for (const l of lines) {
      assert.match(l.t, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal(new Date(l.t).toISOString().replace('.000Z', 'Z'), l.t);
      parseUserId(l.user);
      parseDeviceId(l.device);
      assert.match(l.ip, /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
      if (l.kind === 'read') {
        assert.deepEqual(Object.keys(l), readKeys);
        parseOfficeCode(l.office);
        parseCableId(l.cable);
        assert.ok(Classifications.some((c) => c === l.level));
        assert.ok(l.tags && l.tags.length > 0 && l.tags.every((t) => CablePatterns.tag.test(t)));
        assert.ok(Number.isInteger(l.age_days) && (l.age_days ?? -1) >= 0);
        assert.equal(typeof l.canary, 'boolean');
      } else {
        assert.ok(['login', 'search', 'device_enrolled'].includes(l.kind), l.kind);
        assert.deepEqual(Object.keys(l), otherKeys);
      }
    }
  });

  it('shows every device enrolled before it is used, unless it is one of the person\'s first two', () => {
    const enrolled = new Set<string>();
    for (const l of lines) {
      if (l.kind === 'device_enrolled') enrolled.add(l.device);
      else if (!/-[12]$/.test(l.device)) assert.ok(enrolled.has(l.device), `${l.device} used before enrollment`);
    }
    assert.ok(enrolled.size > 0);
  });

  it('writes the trace in time order', () => {
    for (let i = 1; i < lines.length; i++) assert.ok((lines[i - 1]?.t ?? '') <= (lines[i]?.t ?? ''), `line ${i + 1} goes back in time`);
  });

  it('labels every requested attack with the count of its events in the trace', () => {
    assert.deepEqual([...new Set(truth.map((l) => l.attack))].sort(), ['bulk', 'canary', 'phished', 'widening']);
    for (const label of truth) {
      const inWindow = lines.filter((l) => l.user === label.user && l.device === label.device && l.t >= label.start && l.t <= label.end);
      assert.equal(label.events, inWindow.length, `${label.attack} ${label.user}`);
      assert.ok(label.events > 0);
    }
    const bulk = truth.find((l) => l.attack === 'bulk');
    assert.ok(bulk && bulk.events >= 300 && Date.parse(bulk.end) - Date.parse(bulk.start) <= 5 * 3600_000);
  });

  it("keeps normal people's reading mostly inside their offices, portfolio and working hours", () => {
    let reads = 0;
    let ownOffice = 0;
    let ownTag = 0;
    let inHours = 0;
    for (const p of people.values()) {
      if (victims.has(p.id)) continue;
      const offices = new Set(p.offices.map(([o]) => o.code));
      const memberships = new Set(p.memberships.map((o) => o.code));
      const tags = new Set<string>(p.tags.map(([t]) => t));
      for (const l of lines) {
        if (l.user !== p.id || l.kind !== 'read') continue;
        reads++;
        assert.ok(memberships.has(l.office ?? ''), 'a read goes through an office the reader is a member of');
        if (offices.has(originator(l))) ownOffice++;
        if (tags.has(l.tags?.[0] ?? '')) ownTag++;
        if (inWorkingHours(p, l.t)) inHours++;
      }
    }
    assert.ok(reads > 1000);
    assert.equal(ownOffice, reads, 'a normal read is always of a cable from an office the person follows');
    assert.ok(ownTag / reads > 0.7, `portfolio share ${ownTag / reads}`);
    assert.ok(inHours / reads > 0.85, `in-hours share ${inHours / reads}`);
  });

  it('has the phished attacker read from a device and networks the owner never uses', () => {
    for (const label of truth.filter((l) => l.attack === 'phished')) {
      const attacker = lines.filter((l) => l.device === label.device);
      const owner = lines.filter((l) => l.user === label.user && l.device !== label.device);
      assert.ok(owner.length > 0, 'the owner keeps working');
      assert.equal(attacker.length, label.events);
      assert.ok(attacker.every((l) => l.user === label.user));
      const ownerIps = new Set(owner.map((l) => l.ip));
      assert.ok(attacker.every((l) => !ownerIps.has(l.ip)));
      const reads = attacker.filter((l) => l.kind === 'read');
      const followed = new Set(people.get(label.user)?.offices.map(([o]) => o.code));
      assert.ok(reads.every((l) => !followed.has(originator(l))), "the attacker reads other offices' cables than the owner does");
      const ownerProfile = people.get(label.user);
      const offHours = reads.filter((l) => ownerProfile && !inWorkingHours(ownerProfile, l.t)).length;
      assert.ok(offHours / reads.length >= 0.4, `off the owner's hours: ${offHours} of ${reads.length}`);
      const days = new Set(reads.map((l) => l.t.slice(0, 10)));
      assert.ok(reads.length / days.size >= 2 && reads.length / days.size <= 6);
    }
  });

  it('has canaries opened only by the canary attacker', () => {
    const canaries = lines.filter((l) => l.canary === true);
    const openers = truth.filter((l) => l.attack === 'canary');
    assert.equal(canaries.length, openers.length);
    for (const c of canaries) assert.ok(openers.some((o) => o.user === c.user && o.device === c.device && o.start === c.t));
  });

  it('is pure: no Node module imported, so it runs in the browser too', () => {
    const dir = new URL('../../src/detect/simulate/', import.meta.url).pathname;
    for (const file of readdirSync(dir)) assert.doesNotMatch(readFileSync(join(dir, file), 'utf8'), /from 'node:/, file);
  });

  it('leaves attacks out when asked for none', () => {
    const quiet = run({ ...OPTIONS, days: 5, attacks: [] });
    assert.equal(quiet.labels, '');
    assert.ok(!quiet.trace.includes('"canary":true'));
  });
});

describe('chancery simulate', () => {
  const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;
  const chancery = (...args: string[]) => spawnSync(process.execPath, [bin, 'simulate', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('writes trace.jsonl and labels.jsonl into --out', () => {
    const out = mkdtempSync(join(tmpdir(), 'chancery-sim-'));
    try {
      const r = chancery('--users', '30', '--days', '8', '--seed', '5', '--attacks', 'phished,canary', '--start', '2026-01-05', '--out', out);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /day 8\/8/);
      const written = parseLines<Label>(readFileSync(join(out, 'labels.jsonl'), 'utf8'));
      assert.deepEqual([...new Set(written.map((l) => l.attack))].sort(), ['canary', 'phished']);
      const first = parseLines<Line>(readFileSync(join(out, 'trace.jsonl'), 'utf8'))[0];
      assert.ok(first && first.t >= '2026-01-04');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('exits 2 on a bad argument', () => {
    for (const bad of [['--attacks', 'exfil'], ['--start', '2026-02-30']]) {
      const args = { '--users': '5', '--days': '2', '--seed': '1', '--out': tmpdir() } as Record<string, string>;
      args[bad[0] ?? ''] = bad[1] ?? '';
      const r = chancery(...Object.entries(args).flat());
      assert.equal(r.status, 2, `${bad.join(' ')}: ${r.stderr}`);
    }
  });
});
