// phished_pattern on an account too new for a history of its own (src/detect/young-account.ts): a light reader with
// a handful of reads when an attacker's device appears on a network of its own, reading what the office never reads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Detector } from '../../src/detect/detector.ts';
import { MAX_INTEREST_OFFICES, OfficeNorms } from '../../src/detect/office-norms.ts';
import type { TraceEvent } from '../../src/detect/trace.ts';
import { DAY, HOUR, T0, habit, mediumPlus, normalDays, read, ruleAlerts, run } from './scenario.ts';

// Ten colleagues at the office teach it what its readers open (EEAS.DEL.WASHINGTON; PREL, US, ECON) for three weeks.
const colleagues = (): TraceEvent[] => Array.from({ length: 10 }, (_, i) => normalDays(habit(10 + i), T0, 21, 100 + i)).flat();
// The owner: 6 reads over three days, then nothing for a while (a part-timer, or back from leave later).
const owner = habit(1);
const ownerReads = (): TraceEvent[] => [0, 1, 2].flatMap((d) => [9, 13].map((h) => read(owner, T0 + d * DAY + h * HOUR)));
const attackStart = T0 + 8 * DAY;

/** The attacker: enrolls a device on day 8 and reads 3 cables a day of offices and topics the office never reads. */
function attacker(): TraceEvent[] {
  const a = { ...owner, device: 'd-1-9', ip: '203.0.113.7' };
  const out: TraceEvent[] = [{ at: attackStart - 5 * 60_000, kind: 'device_enrolled', user: a.user, device: a.device, ip: a.ip }];
  for (let d = 0; d < 7; d++) for (const h of [2, 3, 4]) out.push(read(a, attackStart + d * DAY + h * HOUR, { tags: ['TSPA', 'JP'] }, 'EEAS.DEL.TOKYO'));
  return out;
}

const ownerAlerts = (alerts: ReturnType<typeof run>['alerts']) => mediumPlus(alerts).filter((a) => a.user === owner.user);

describe('phished_pattern on a young account', () => {
  it('an attacker on an account with 6 reads is detected within 2 days of the first attacker read', () => {
    const { alerts } = run([...colleagues(), ...ownerReads(), ...attacker()]);
    const hits = ruleAlerts(ownerAlerts(alerts), 'phished_pattern');
    assert.ok(hits.length > 0, 'no medium+ phished_pattern alert on the owner');
    assert.ok(hits[0]!.at >= attackStart && hits[0]!.at < attackStart + 2 * DAY);
  });

  it('without the young-account judgement (as before) the same attack raises nothing medium', () => {
    const { alerts } = run([...colleagues(), ...ownerReads(), ...attacker()], new Detector({ youngReads: 0 }));
    assert.deepEqual(ownerAlerts(alerts), []);
  });

  it("the owner's own new laptop at home, reading the office's usual traffic, raises nothing medium", () => {
    const laptop = { ...owner, device: 'd-1-2', ip: '172.20.5.9' };
    const reads = Array.from({ length: 7 }, (_, d) => [19, 20, 21].map((h) => read(laptop, attackStart + d * DAY + h * HOUR))).flat();
    const { alerts } = run([...colleagues(), ...ownerReads(), ...reads]);
    assert.deepEqual(ownerAlerts(alerts), []);
  });

  it('an account with no other source before the attacker is not judged young (the first device is the owner\'s)', () => {
    const { alerts } = run([...colleagues(), ...attacker()]);
    assert.deepEqual(ruleAlerts(ownerAlerts(alerts), 'phished_pattern'), []);
  });
});

describe('office interest tallies are bounded', () => {
  it('only the first MAX_INTEREST_OFFICES offices get them; the rest keep their age and rate norms alone', () => {
    const norms = new OfficeNorms();
    for (let office = 0; office < MAX_INTEREST_OFFICES + 5; office++) norms.get(office);
    assert.ok(norms.get(0).interests, 'the first office has them');
    assert.ok(norms.get(MAX_INTEREST_OFFICES - 1).interests, 'the last one within the bound has them');
    assert.equal(norms.get(MAX_INTEREST_OFFICES).interests, undefined);
    assert.equal(norms.get(MAX_INTEREST_OFFICES + 4).interests, undefined);
    // An office without them still learns its ages.
    const late = norms.get(MAX_INTEREST_OFFICES + 4);
    late.ages[3] = 1;
    late.agesTotal = 1;
    assert.equal(late.ageShare(3), 1);
  });
});
