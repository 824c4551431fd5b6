// Communities, releasability and caveats as plain set logic; the decisions built on them are in decisions.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isReleasableTo, missingCaveats, releaseCeiling, rolesIn, userCommunities } from '../../src/policy/index.ts';
import { CY_DESK, DEL_WASHINGTON, marking, member, releasingOfficer, securityOfficer, user } from './fixtures.ts';

describe('releasability', () => {
  it("a user's communities are the nationality and the organisations, without repeats", () => {
    assert.deepEqual(userCommunities(user({ nationality: 'CY', organisations: ['EU', 'NATO'] })), ['CY', 'EU', 'NATO']);
    assert.deepEqual(userCommunities(user({ nationality: 'US', organisations: [] })), ['US']);
    assert.deepEqual(userCommunities(user({ nationality: 'EU', organisations: ['EU'] })), ['EU']);
  });

  it('an empty releasableTo is unrestricted', () => {
    assert.equal(isReleasableTo([], marking('SECRET')), true);
    assert.equal(isReleasableTo(['US'], marking('SECRET')), true);
  });

  it('a restricted marking needs one shared community', () => {
    assert.equal(isReleasableTo(['CY', 'EU'], marking('LIMITED', [], ['EU'])), true);
    assert.equal(isReleasableTo(['CY'], marking('LIMITED', [], ['EU', 'CY'])), true);
    assert.equal(isReleasableTo(['US'], marking('LIMITED', [], ['EU'])), false);
    assert.equal(isReleasableTo([], marking('LIMITED', [], ['EU'])), false);
  });

  it('compares communities exactly: a spelling mismatch denies', () => {
    assert.equal(isReleasableTo(['eu'], marking('LIMITED', [], ['EU'])), false);
  });

  it('lists the caveats the holder lacks, once each', () => {
    assert.deepEqual(missingCaveats([], marking('SECRET', ['CRYPTO', 'ATOMAL', 'CRYPTO'])), ['CRYPTO', 'ATOMAL']);
    assert.deepEqual(missingCaveats(['CRYPTO'], marking('SECRET', ['CRYPTO', 'ATOMAL'])), ['ATOMAL']);
    assert.deepEqual(missingCaveats(['CRYPTO', 'ATOMAL'], marking('SECRET', ['CRYPTO'])), []);
    assert.deepEqual(missingCaveats([], marking('SECRET')), []);
  });
});

describe('membership', () => {
  it('lists the distinct roles in an office', () => {
    const u = user({ memberships: [securityOfficer(CY_DESK), member(CY_DESK), member(CY_DESK), member(DEL_WASHINGTON)] });
    assert.deepEqual(rolesIn(u, CY_DESK), ['member', 'security-officer']);
    assert.deepEqual(rolesIn(u, DEL_WASHINGTON), ['member']);
  });

  it('takes the lowest of several release ceilings for one office', () => {
    const u = user({ memberships: [releasingOfficer(CY_DESK, 'SECRET'), releasingOfficer(CY_DESK, 'RESTRICTED')] });
    assert.equal(releaseCeiling(u, CY_DESK), 'RESTRICTED');
    assert.equal(releaseCeiling(u, DEL_WASHINGTON), undefined);
    assert.equal(releaseCeiling(user(), CY_DESK), undefined);
  });
});
