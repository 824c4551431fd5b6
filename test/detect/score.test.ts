// Scoring on a tiny hand-made trace and labels: recall, time-to-detect and false alerts per 1,000 user-days.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../src/detect/alert.ts';
import { Scorer } from '../../src/detect/score.ts';
import type { TraceEvent } from '../../src/detect/trace.ts';
import { DAY, HOUR, T0 } from './scenario.ts';

const r = (user: string, at: number): TraceEvent => ({ at, kind: 'read', user, cable: 'C/1', office: 'O' });
const alert = (user: string, at: number, severity: Alert['severity'], action: Alert['action'] = 'alert'): Alert => ({ at, user, rule: 'low_and_slow', severity, action, evidence: [] });

describe('Scorer', () => {
  it('counts reads and hours to the first medium+ alert, and unexplained alerts as false', () => {
    const s = new Scorer([
      { attack: 'phished', user: 'u-1', start: T0 + DAY, end: T0 + 5 * DAY, events: 3 },
      { attack: 'phished', user: 'u-2', start: T0 + DAY, end: T0 + 5 * DAY, events: 3 },
      { attack: 'canary', user: 'u-3', start: T0 + 2 * DAY, end: T0 + 2 * DAY, events: 1 },
    ]);
    s.observe(r('u-1', T0), [alert('u-1', T0, 'medium')]); // before the attack: false
    s.observe(r('u-1', T0 + DAY), []);
    s.observe(r('u-1', T0 + DAY + 2 * HOUR), [alert('u-1', T0 + DAY + 2 * HOUR, 'low')]); // low does not count
    s.observe(r('u-1', T0 + DAY + 4 * HOUR), [alert('u-1', T0 + DAY + 4 * HOUR, 'high', 'freeze')]);
    s.observe(r('u-2', T0 + 2 * DAY), []);
    s.observe(r('u-3', T0 + 2 * DAY), [{ ...alert('u-3', T0 + 2 * DAY, 'high', 'freeze'), rule: 'canary' }]);
    s.observe(r('u-4', T0 + 10 * DAY), [alert('u-4', T0 + 10 * DAY, 'medium')]);
    const report = s.report();
    assert.equal(report.users, 4);
    assert.equal(report.days, 10);
    assert.equal(report.userDays, 40);
    assert.deepEqual(report.kinds.phished, {
      attacks: 2,
      detected: 1,
      recall: 0.5,
      withinTarget: 0.5,
      medianReads: 3,
      medianHours: 4,
      maxHours: 4,
      rules: { low_and_slow: 1 },
      missed: ['u-2'],
    });
    assert.equal(report.kinds.canary?.withinTarget, 1);
    assert.deepEqual(report.falseAlerts, { count: 2, per1000UserDays: 50, byRule: { low_and_slow: 2 } });
  });
});
