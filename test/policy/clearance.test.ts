// Clearance dominance over every pair of levels, written out by hand from DESIGN.md "Words" rather than derived.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Classifications } from '../../src/cable/types.ts';
import type { Classification } from '../../src/cable/types.ts';
import { compareClassification, dominates, isClassification, rank } from '../../src/policy/index.ts';

// Rows: clearance; columns: classification in order U, L, R, C, S. 1 = dominates.
const DOMINANCE: Record<Classification, readonly (0 | 1)[]> = {
  UNCLASSIFIED: [1, 0, 0, 0, 0],
  LIMITED: [1, 1, 0, 0, 0],
  RESTRICTED: [1, 1, 1, 0, 0],
  CONFIDENTIAL: [1, 1, 1, 1, 0],
  SECRET: [1, 1, 1, 1, 1],
};

describe('clearance', () => {
  for (const clearance of Classifications) {
    for (const [i, classification] of Classifications.entries()) {
      const expected = DOMINANCE[clearance][i] === 1;
      it(`${clearance} ${expected ? 'dominates' : 'does not dominate'} ${classification}`, () => {
        assert.equal(dominates(clearance, classification), expected);
      });
    }
  }

  it('ranks the levels 0..4 in DESIGN.md order', () => {
    assert.deepEqual(
      ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET'].map((c) => rank(c as Classification)),
      [0, 1, 2, 3, 4],
    );
  });

  it('sorts with compareClassification, lowest first', () => {
    const shuffled: Classification[] = ['SECRET', 'UNCLASSIFIED', 'CONFIDENTIAL', 'LIMITED', 'RESTRICTED'];
    assert.deepEqual(shuffled.sort(compareClassification), [...Classifications]);
    assert.equal(compareClassification('LIMITED', 'LIMITED'), 0);
    assert.ok(compareClassification('LIMITED', 'SECRET') < 0);
    assert.ok(compareClassification('SECRET', 'LIMITED') > 0);
  });

  it('refuses unknown levels instead of ranking them low (fail closed)', () => {
    for (const bad of ['TOP SECRET', 'secret', '', 'COSMIC']) {
      assert.throws(() => rank(bad as Classification), TypeError);
      assert.throws(() => dominates('SECRET', bad as Classification), TypeError);
      assert.throws(() => dominates(bad as Classification, 'UNCLASSIFIED'), TypeError);
      assert.equal(isClassification(bad), false);
    }
    assert.equal(isClassification(3), false);
    assert.equal(isClassification('CONFIDENTIAL'), true);
  });
});
