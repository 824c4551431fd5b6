// Each rule fires on a hand-built scenario and stays quiet on normal reading; alerts are deduplicated.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY, HOUR, MINUTE, T0, habit, mediumPlus, normalDays, read, ruleAlerts, run } from './scenario.ts';
import type { TraceEvent } from '../../src/detect/trace.ts';

const BASE_DAYS = 30;
const after = T0 + BASE_DAYS * DAY;
const me = habit(1);
/** Colleagues in the same office, so office norms exist. */
const office = (days = BASE_DAYS + 10) => [2, 3, 4, 5].flatMap((n) => normalDays(habit(n), T0, days, n));
const baseline = () => [...normalDays(me, T0, BASE_DAYS, 1), ...office()];

describe('detector rules', () => {
  it('stays quiet on weeks of normal reading', () => {
    const { alerts } = run([...normalDays(me, T0, 60, 1), ...office(60)]);
    assert.deepEqual(alerts, []);
  });

  it('bulk_read freezes a download before 50 cables beyond the norm and within 5 minutes', () => {
    const start = after + 10 * HOUR;
    const bulk = Array.from({ length: 300 }, (_, i) => read(me, start + i * 1000));
    const { alerts, events } = run([...baseline(), ...bulk]);
    const hit = ruleAlerts(alerts, 'bulk_read')[0];
    assert.ok(hit, 'bulk detected');
    assert.equal(hit.severity, 'high');
    assert.equal(hit.action, 'freeze');
    assert.ok(hit.at - start < 5 * MINUTE);
    const nth = events.filter((e) => e.user === me.user && e.at >= start && e.at <= hit.at).length;
    assert.ok(nth < 50, `frozen at bulk read ${nth}`);
    assert.ok(hit.evidence.length > 10, 'evidence names the burst');
  });

  it('low_and_slow accumulates a few unusual reads a day into medium, then high', () => {
    const drift: TraceEvent[] = [];
    for (let d = 0; d < 6; d++) for (let k = 0; k < 4; k++) drift.push(read(me, after + d * DAY + (9 + k) * HOUR, { tags: ['CN', 'MIL'], level: 'RESTRICTED' }, 'EEAS.DEL.BEIJING'));
    const normal = normalDays(me, after, 6, 9);
    const { alerts } = run([...baseline(), ...drift, ...normal]);
    const hits = ruleAlerts(alerts, 'low_and_slow');
    assert.ok(hits.some((a) => a.severity === 'medium'));
    assert.ok(hits.some((a) => a.severity === 'high' && a.action === 'freeze'));
    assert.ok(hits[0]!.at < after + 3 * DAY, 'within days');
  });

  it('new_device_or_network asks for step-up on the first read from a new device', () => {
    const { alerts } = run([...baseline(), read(me, after + 9 * HOUR, { device: 'd-1-9' }), read(me, after + 10 * HOUR, { device: 'd-1-9' })]);
    const hits = ruleAlerts(alerts, 'new_device_or_network');
    assert.equal(hits.length, 1);
    assert.equal(hits[0]!.action, 'step_up');
    assert.equal(hits[0]!.severity, 'low');
  });

  it('phished_pattern: unusual reading from a new device and network is high within two days', () => {
    const attacker = { ...me, device: 'd-1-x', ip: '192.0.2.44' };
    const reads = [0, 1, 2].flatMap((d) => [3, 5, 7].map((h) => read(attacker, after + d * DAY + h * HOUR, { tags: ['CN'] }, 'EEAS.DEL.BEIJING')));
    const { alerts } = run([...baseline(), ...normalDays(me, after, 3, 7), ...reads]);
    const hits = ruleAlerts(alerts, 'phished_pattern');
    const high = hits.find((a) => a.severity === 'high');
    assert.equal(high?.action, 'freeze');
    assert.ok(high.at < after + 2 * DAY);
  });

  it('off_hours: one night read is low; a night of reading is medium; repeats are deduplicated', () => {
    const night = Array.from({ length: 20 }, (_, i) => read(me, after + 2 * HOUR + i * 3 * MINUTE));
    const { alerts } = run([...baseline(), ...night]);
    const hits = ruleAlerts(alerts, 'off_hours');
    assert.deepEqual(hits.map((a) => a.severity), ['low', 'medium']);
  });

  it('old_archive: a cable years older than anything the office opens', () => {
    // Old reads are medium only when many and a real share of the user's reading (everyone opens one now and then).
    const { alerts } = run([...baseline(), ...Array.from({ length: 45 }, (_, i) => read(me, after + 9 * HOUR + i * 10 * MINUTE, { ageDays: 3000 }))]);
    const hits = ruleAlerts(alerts, 'old_archive');
    assert.equal(hits[0]?.severity, 'low');
    assert.ok(hits.some((a) => a.severity === 'medium'));
  });

  it('dormant_wakeup: months of silence, then reading', () => {
    const { alerts } = run([...baseline(), read(me, after + 90 * DAY)]);
    assert.equal(ruleAlerts(alerts, 'dormant_wakeup')[0]?.severity, 'medium');
  });

  it('canary: the first opening is high and freezes, even for a brand-new user', () => {
    const stranger = habit(77);
    const { alerts } = run([read(stranger, after, { canary: true })]);
    assert.deepEqual(alerts.map((a) => [a.rule, a.severity, a.action, a.evidence]), [['canary', 'high', 'freeze', [0]]]);
  });

  it('a user warming up is judged against the office norm, not let through', () => {
    const newcomer = habit(50);
    const bulk = Array.from({ length: 120 }, (_, i) => read(newcomer, after + 10 * HOUR + i * 1000));
    const { alerts } = run([...office(), ...bulk]);
    assert.equal(mediumPlus(ruleAlerts(alerts, 'bulk_read')).length, 1);
  });
});
