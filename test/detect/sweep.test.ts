// bulk_read's sweep: a user new to the node who downloads slowly ("any office, any topic, any age") is frozen
// within 50 reads and 5 minutes, judged against what their office's readers open; a new colleague catching up
// on their office's recent cables is not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Detector } from '../../src/detect/detector.ts';
import { SweepRows } from '../../src/detect/sweep.ts';
import { UserRows, UserState } from '../../src/detect/user-state.ts';
import type { TraceEvent } from '../../src/detect/trace.ts';
import { DAY, HOUR, MINUTE, T0, habit, mediumPlus, normalDays, read, ruleAlerts, run, sequence } from './scenario.ts';

const HISTORY_DAYS = 20;
/** Colleagues who have read through the office for weeks: its norms (what ages its readers open). */
const office = () => [2, 3, 4, 5].flatMap((n) => normalDays(habit(n), T0, HISTORY_DAYS + 2, n));
/** Someone who joined three days ago and has read a few cables a day: no interests of their own to judge yet. */
const newcomer = { ...habit(1), readsPerDay: 6 };
const joined = T0 + (HISTORY_DAYS - 3) * DAY;
const start = T0 + HISTORY_DAYS * DAY + 10 * HOUR;
const ORIGINS = ['EEAS.DEL.BEIJING', 'EEAS.DEL.MOSCOW', 'MFA.MT.EUROPE', 'DE.AA.BERLIN', 'FR.MAE.PARIS', 'MFA.EE.TALLINN'];

/** `n` reads by `who` every `everyMs` from `start`: cables of any office and age when `sweep`, else the office's own recent ones. */
function reads(n: number, everyMs: number, sweep: boolean, seed: number): TraceEvent[] {
  const rnd = sequence(seed);
  return Array.from({ length: n }, (_, i) => {
    const at = start + i * everyMs;
    if (!sweep) return read(newcomer, at, { ageDays: Math.floor(rnd() * 12) });
    return read(newcomer, at, { ageDays: 30 + Math.floor(rnd() * 370), tags: ['MIL', 'CN'] }, ORIGINS[Math.floor(rnd() * ORIGINS.length)]);
  });
}

const firstFreeze = (events: TraceEvent[], detector?: Detector) => {
  const out = run([...office(), ...normalDays(newcomer, joined, 3, 11), ...events], detector);
  return { ...out, freeze: out.alerts.find((a) => a.user === newcomer.user && a.action === 'freeze') };
};

describe('bulk_read sweep', () => {
  it('freezes a new user downloading 3 cables a minute within 50 reads and 5 minutes', () => {
    const { freeze, events } = firstFreeze(reads(60, 20_000, true, 1));
    assert.ok(freeze, 'frozen');
    assert.equal(freeze.rule, 'bulk_read');
    assert.equal(freeze.severity, 'high');
    assert.ok(freeze.at - start <= 5 * MINUTE, `frozen after ${(freeze.at - start) / MINUTE} minutes`);
    const nth = events.filter((e) => e.user === newcomer.user && e.at >= start && e.at <= freeze.at).length;
    assert.ok(nth <= 50, `frozen at read ${nth}`);
    assert.ok(freeze.evidence.length >= 5, 'evidence names the sweep');
  });

  it('is what catches it: without the sweep the same download is not frozen within 5 minutes', () => {
    const { freeze } = firstFreeze(reads(60, 20_000, true, 1), new Detector({ sweepReads: Number.POSITIVE_INFINITY }));
    assert.ok(!freeze || freeze.at - start > 5 * MINUTE);
  });

  it('leaves alone a new colleague catching up on the office’s recent cables at 6 a minute', () => {
    const { alerts } = firstFreeze(reads(180, 10_000, false, 2));
    assert.deepEqual(mediumPlus(alerts.filter((a) => a.user === newcomer.user)), []);
  });

  it('leaves alone a few old cables among ordinary reading', () => {
    const mixed = reads(40, 30_000, false, 3).map((e, i) => (i % 5 === 0 ? { ...e, ageDays: 400 + i } : e));
    const { alerts } = firstFreeze(mixed);
    assert.deepEqual(ruleAlerts(mediumPlus(alerts), 'bulk_read'), []);
  });

  it('needs several offices: an archive dig into one office is not a sweep', () => {
    const dig = reads(30, 20_000, true, 4).map((e) => ({ ...e, cable: `EEAS.DEL.BEIJING/2019/${e.cable!.slice(-6)}` }));
    const { alerts } = firstFreeze(dig);
    assert.deepEqual(ruleAlerts(alerts, 'bulk_read'), []);
  });

  it('forgets a user’s window when their row goes to someone else', () => {
    const rows = new UserRows();
    const sweeps = new SweepRows();
    const a = new UserState('u-0001', 0, rows);
    for (let i = 0; i < 4; i++) sweeps.observe(a, T0 + i * 1000, i, true, 10 * MINUTE);
    assert.equal(sweeps.observe(a, T0 + 5000, 9, true, 10 * MINUTE).sweeps, 5);
    const b = new UserState('u-0002', 0, rows);
    const w = sweeps.observe(b, T0 + 6000, 3, true, 10 * MINUTE);
    assert.deepEqual({ ...w }, { reads: 1, sweeps: 1, origins: 1 });
  });
});
