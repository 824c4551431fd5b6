// Named cases for every decision, covering every denial code and combinations of several reasons at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UserId } from '../../src/cable/types.ts';
import {
  DenialCodes,
  PolicyDeniedError,
  assertAllowed,
  denialCodes,
  mayDraft,
  mayHoldOfficeKey,
  mayIssueGrant,
  mayRead,
  mayReceive,
  mayRelease,
  readableLevels,
} from '../../src/policy/index.ts';
import type { Decision, DenialCode } from '../../src/policy/index.ts';
import { PolicyError } from '../../src/errors.ts';
import {
  CY_DESK,
  DEL_SUVA,
  DEL_WASHINGTON,
  DE_NATO,
  header,
  marking,
  member,
  offices,
  people,
  releasingOfficer,
  securityOfficer,
  user,
} from './fixtures.ts';

const C = DenialCodes;
const { anna, nikos, so1, so2, marie, local } = people;
const wso1 = user({ id: 'wso1' as UserId, memberships: [securityOfficer(DEL_WASHINGTON)] });
const wso2 = user({ id: 'wso2' as UserId, memberships: [securityOfficer(DEL_WASHINGTON)] });
const natoMember = user({ id: 'hans' as UserId, nationality: 'DE', organisations: ['EU', 'NATO'], memberships: [member(DE_NATO)] });

interface Case {
  readonly name: string;
  readonly decide: () => Decision;
  /** Expected denial codes as a multiset; empty means allowed. */
  readonly codes: readonly DenialCode[];
}

const cases: readonly Case[] = [
  // mayRead
  {
    name: 'read: drafter office member reads its own cable via from',
    decide: () => mayRead(anna, header(), CY_DESK),
    codes: [],
  },
  {
    name: 'read: action addressee member reads via to',
    decide: () => mayRead(marie, header(), DEL_WASHINGTON),
    codes: [],
  },
  {
    name: 'read: information addressee member reads via info',
    decide: () => mayRead(natoMember, header({ info: [DE_NATO] }), DE_NATO),
    codes: [],
  },
  { name: 'read: releasing officer counts as member', decide: () => mayRead(nikos, header(), CY_DESK), codes: [] },
  { name: 'read: security officer counts as member', decide: () => mayRead(so1, header(), CY_DESK), codes: [] },
  {
    name: 'read: empty releasableTo is open to a non-EU national',
    decide: () => mayRead(local, header(), DEL_WASHINGTON),
    codes: [],
  },
  {
    name: 'read: releasable by nationality',
    decide: () => mayRead(local, header({ marking: marking('RESTRICTED', [], ['US', 'EU']) }), DEL_WASHINGTON),
    codes: [],
  },
  {
    name: 'read: clearance below level',
    decide: () => mayRead(marie, header({ marking: marking('SECRET') }), DEL_WASHINGTON),
    codes: [C.clearanceInsufficient],
  },
  {
    name: 'read: one caveat missing',
    decide: () => mayRead(marie, header({ marking: marking('CONFIDENTIAL', ['CRYPTO']) }), DEL_WASHINGTON),
    codes: [C.caveatMissing],
  },
  {
    name: 'read: two caveats missing give two reasons',
    decide: () => mayRead(marie, header({ marking: marking('CONFIDENTIAL', ['CRYPTO', 'ATOMAL']) }), DEL_WASHINGTON),
    codes: [C.caveatMissing, C.caveatMissing],
  },
  {
    name: 'read: EU ONLY excludes a US national',
    decide: () => mayRead(local, header({ marking: marking('RESTRICTED', [], ['EU']) }), DEL_WASHINGTON),
    codes: [C.releasabilityExcluded],
  },
  {
    name: 'read: addressed office but not a member',
    decide: () => mayRead(anna, header(), DEL_WASHINGTON),
    codes: [C.needToKnowNotMember],
  },
  {
    name: 'read: member of an office the cable is not addressed to',
    decide: () => mayRead(marie, header({ to: [DE_NATO] }), DEL_WASHINGTON),
    codes: [C.officeNotAddressed],
  },
  {
    name: 'read: neither member nor addressed',
    decide: () => mayRead(anna, header(), DEL_SUVA),
    codes: [C.needToKnowNotMember, C.officeNotAddressed],
  },
  { name: 'read: frozen', decide: () => mayRead(user({ frozen: true }), header(), CY_DESK), codes: [C.userFrozen] },
  {
    name: 'read: inactive',
    decide: () => mayRead(user({ active: false }), header(), CY_DESK),
    codes: [C.userInactive],
  },
  {
    name: 'read: malformed flags fail closed',
    decide: () => mayRead(user({ frozen: undefined as unknown as boolean, active: 'yes' as unknown as boolean }), header(), CY_DESK),
    codes: [C.userFrozen, C.userInactive],
  },
  {
    name: 'read: every reader check fails at once',
    decide: () =>
      mayRead(
        user({ ...local, frozen: true, active: false }),
        header({ marking: marking('SECRET', ['CRYPTO'], ['EU']), to: [DE_NATO] }),
        DEL_SUVA,
      ),
    codes: [
      C.userFrozen,
      C.userInactive,
      C.clearanceInsufficient,
      C.caveatMissing,
      C.releasabilityExcluded,
      C.needToKnowNotMember,
      C.officeNotAddressed,
    ],
  },

  // mayReceive
  {
    name: 'receive: SECRET EU ONLY to the CY desk',
    decide: () => mayReceive(offices.cyDesk, marking('SECRET', [], ['EU'])),
    codes: [],
  },
  {
    name: 'receive: REL NATO to a NATO desk',
    decide: () => mayReceive(offices.deNato, marking('SECRET', [], ['NATO'])),
    codes: [],
  },
  {
    name: 'receive: caveats are not an office matter',
    decide: () => mayReceive(offices.suva, marking('RESTRICTED', ['CRYPTO'])),
    codes: [],
  },
  {
    name: 'receive: level at the ceiling',
    decide: () => mayReceive(offices.washington, marking('CONFIDENTIAL')),
    codes: [],
  },
  {
    name: 'receive: level above the ceiling',
    decide: () => mayReceive(offices.washington, marking('SECRET')),
    codes: [C.officeCeilingExceeded],
  },
  {
    name: 'receive: CY ONLY to an EU delegation',
    decide: () => mayReceive(offices.washington, marking('LIMITED', [], ['CY'])),
    codes: [C.officeNotReleasable],
  },
  {
    name: 'receive: above ceiling and not releasable',
    decide: () => mayReceive(offices.suva, marking('CONFIDENTIAL', [], ['CY', 'NATO'])),
    codes: [C.officeCeilingExceeded, C.officeNotReleasable],
  },

  // mayRelease
  {
    name: 'release: releasing officer within ceiling',
    decide: () => mayRelease(nikos, header({ marking: marking('CONFIDENTIAL', ['CRYPTO']) })),
    codes: [],
  },
  {
    name: 'release: above the release ceiling',
    decide: () => mayRelease(nikos, header({ marking: marking('SECRET') })),
    codes: [C.releaseAboveCeiling],
  },
  {
    name: 'release: a plain member has no authority',
    decide: () => mayRelease(anna, header({ drafter: 'someone' as UserId, releaser: anna.id })),
    codes: [C.releaseNoAuthority],
  },
  {
    name: "release: releasing officer of another office has no authority for this one",
    decide: () =>
      mayRelease(user({ id: 'rw' as UserId, memberships: [releasingOfficer(DEL_WASHINGTON, 'SECRET')] }), header({ releaser: 'rw' as UserId })),
    codes: [C.releaseNoAuthority],
  },
  {
    name: 'release: header names another releaser',
    decide: () => mayRelease(nikos, header({ releaser: 'eleni' as UserId })),
    codes: [C.releaseNotReleaser],
  },
  {
    name: 'release: releasing own draft',
    decide: () => mayRelease(nikos, header({ drafter: nikos.id })),
    codes: [C.releaseOwnDraft],
  },
  {
    name: 'release: frozen and above ceiling',
    decide: () => mayRelease(user({ ...nikos, frozen: true }), header({ marking: marking('SECRET') })),
    codes: [C.userFrozen, C.releaseAboveCeiling],
  },
  {
    name: 'release: missing caveat',
    decide: () => mayRelease(user({ ...nikos, caveats: [] }), header({ marking: marking('RESTRICTED', ['CRYPTO']) })),
    codes: [C.caveatMissing],
  },
  {
    name: 'release: release ceiling above the clearance does not help',
    decide: () => mayRelease(user({ ...nikos, clearance: 'RESTRICTED' }), header({ marking: marking('CONFIDENTIAL') })),
    codes: [C.clearanceInsufficient],
  },
  {
    name: 'release: releaser outside releasability',
    decide: () => mayRelease(user({ ...nikos, nationality: 'US', organisations: [] }), header({ marking: marking('LIMITED', [], ['EU']) })),
    codes: [C.releasabilityExcluded],
  },
  {
    name: 'release: inactive, not the named releaser, and own draft',
    decide: () => mayRelease(user({ ...nikos, active: false }), header({ drafter: nikos.id, releaser: anna.id })),
    codes: [C.userInactive, C.releaseNotReleaser, C.releaseOwnDraft],
  },

  // mayDraft
  {
    name: 'draft: member of from drafts',
    decide: () => mayDraft(anna, header({ marking: marking('SECRET', ['CRYPTO'], ['EU']) })),
    codes: [],
  },
  {
    name: 'draft: not a member of from',
    decide: () => mayDraft(marie, header({ drafter: marie.id })),
    codes: [C.needToKnowNotMember],
  },
  {
    name: 'draft: header names another drafter',
    decide: () => mayDraft(anna, header({ drafter: nikos.id })),
    codes: [C.draftNotDrafter],
  },
  {
    name: 'draft: low clearance, missing caveat, another drafter',
    decide: () => mayDraft(user({ clearance: 'LIMITED', caveats: [] }), header({ marking: marking('CONFIDENTIAL', ['CRYPTO']), drafter: nikos.id })),
    codes: [C.clearanceInsufficient, C.caveatMissing, C.draftNotDrafter],
  },

  // mayHoldOfficeKey
  {
    name: 'key: SECRET member of a SECRET desk, SECRET key',
    decide: () => mayHoldOfficeKey(anna, offices.cyDesk, 'SECRET'),
    codes: [],
  },
  {
    name: 'key: CONFIDENTIAL member, CONFIDENTIAL key',
    decide: () => mayHoldOfficeKey(marie, offices.washington, 'CONFIDENTIAL'),
    codes: [],
  },
  {
    name: 'key: security officer holds keys as a member',
    decide: () => mayHoldOfficeKey(so1, offices.cyDesk, 'SECRET'),
    codes: [],
  },
  {
    name: 'key: above clearance and above office ceiling',
    decide: () => mayHoldOfficeKey(marie, offices.washington, 'SECRET'),
    codes: [C.clearanceInsufficient, C.officeCeilingExceeded],
  },
  {
    name: 'key: not a member',
    decide: () => mayHoldOfficeKey(anna, offices.washington, 'RESTRICTED'),
    codes: [C.needToKnowNotMember],
  },
  {
    name: 'key: above clearance',
    decide: () => mayHoldOfficeKey(local, offices.washington, 'CONFIDENTIAL'),
    codes: [C.clearanceInsufficient],
  },
  {
    name: 'key: above the office ceiling only',
    decide: () => mayHoldOfficeKey(user({ memberships: [member(DEL_SUVA)] }), offices.suva, 'CONFIDENTIAL'),
    codes: [C.officeCeilingExceeded],
  },
  {
    name: 'key: frozen and inactive',
    decide: () => mayHoldOfficeKey(user({ frozen: true, active: false }), offices.cyDesk, 'LIMITED'),
    codes: [C.userFrozen, C.userInactive],
  },

  // mayIssueGrant
  {
    name: 'grant: one officer, RESTRICTED',
    decide: () => mayIssueGrant([so1], anna, offices.cyDesk, 'RESTRICTED'),
    codes: [],
  },
  {
    name: 'grant: two officers, SECRET',
    decide: () => mayIssueGrant([so1, so2], anna, offices.cyDesk, 'SECRET'),
    codes: [],
  },
  {
    name: 'grant: one officer, CONFIDENTIAL',
    decide: () => mayIssueGrant([so1], anna, offices.cyDesk, 'CONFIDENTIAL'),
    codes: [C.grantTooFewOfficers],
  },
  {
    name: 'grant: no officer at all',
    decide: () => mayIssueGrant([], anna, offices.cyDesk, 'UNCLASSIFIED'),
    codes: [C.grantTooFewOfficers],
  },
  {
    name: 'grant: the same officer twice',
    decide: () => mayIssueGrant([so1, so1], anna, offices.cyDesk, 'SECRET'),
    codes: [C.grantDuplicateOfficer, C.grantTooFewOfficers],
  },
  {
    name: 'grant: a releasing officer is not a security officer',
    decide: () => mayIssueGrant([nikos, so1], anna, offices.cyDesk, 'CONFIDENTIAL'),
    codes: [C.grantNotSecurityOfficer, C.grantTooFewOfficers],
  },
  {
    name: "grant: another office's security officers at the same node do not count",
    decide: () => mayIssueGrant([wso1, wso2], user({ memberships: [member(DEL_SUVA)] }), offices.suva, 'LIMITED'),
    codes: [C.grantNotSecurityOfficer, C.grantNotSecurityOfficer, C.grantTooFewOfficers],
  },
  {
    name: 'grant: a frozen officer',
    decide: () => mayIssueGrant([user({ ...so1, frozen: true }), so2], anna, offices.cyDesk, 'SECRET'),
    codes: [C.userFrozen, C.grantTooFewOfficers],
  },
  {
    name: 'grant: an inactive officer, LIMITED',
    decide: () => mayIssueGrant([user({ ...so1, active: false })], anna, offices.cyDesk, 'LIMITED'),
    codes: [C.userInactive, C.grantTooFewOfficers],
  },
  {
    name: 'grant: an officer cleared below the level',
    decide: () => mayIssueGrant([user({ ...so1, clearance: 'CONFIDENTIAL' }), so2], anna, offices.cyDesk, 'SECRET'),
    codes: [C.clearanceInsufficient, C.grantTooFewOfficers],
  },
  {
    name: 'grant: an officer granting to themselves',
    decide: () => mayIssueGrant([so1, so2], so1, offices.cyDesk, 'SECRET'),
    codes: [C.grantSelfGrant, C.grantTooFewOfficers],
  },
  {
    name: 'grant: an unqualified third officer still denies',
    decide: () => mayIssueGrant([so1, so2, nikos], anna, offices.cyDesk, 'SECRET'),
    codes: [C.grantNotSecurityOfficer],
  },
  {
    name: 'grant: recipient not a member of the office',
    decide: () => mayIssueGrant([so1, so2], marie, offices.cyDesk, 'CONFIDENTIAL'),
    codes: [C.needToKnowNotMember],
  },
  {
    name: 'grant: recipient above clearance, level above the office ceiling',
    decide: () => mayIssueGrant([wso1, wso2], marie, offices.washington, 'SECRET'),
    codes: [C.clearanceInsufficient, C.officeCeilingExceeded],
  },
  {
    name: 'grant: frozen recipient and one frozen officer of two',
    decide: () => mayIssueGrant([so1, user({ ...so2, frozen: true })], user({ frozen: true }), offices.cyDesk, 'SECRET'),
    codes: [C.userFrozen, C.userFrozen, C.grantTooFewOfficers],
  },
];

const sorted = (codes: readonly DenialCode[]): DenialCode[] => [...codes].sort();

describe('policy decisions', () => {
  it('has at least 40 named cases with unique names', () => {
    assert.ok(cases.length >= 40, `only ${cases.length} cases`);
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  });

  it('covers every denial code, and some case with several reasons', () => {
    const seen = new Set(cases.flatMap((c) => c.codes));
    for (const code of Object.values(DenialCodes)) assert.ok(seen.has(code), `no case for ${code}`);
    assert.ok(cases.some((c) => new Set(c.codes).size >= 3));
  });

  for (const c of cases) {
    it(c.name, () => {
      const decision = c.decide();
      assert.deepEqual(sorted(denialCodes(decision)), sorted(c.codes));
      assert.equal(decision.allowed, c.codes.length === 0);
      if (!decision.allowed) {
        for (const r of decision.reasons) assert.ok(r.message.length > 0);
      }
    });
  }
});

describe('reasons', () => {
  it('name the officer a grant reason concerns', () => {
    const frozen = user({ ...so1, frozen: true });
    const d = mayIssueGrant([frozen, so2], anna, offices.cyDesk, 'SECRET');
    assert.ok(!d.allowed);
    assert.deepEqual(
      d.reasons.map((r) => [r.code, r.user]),
      [
        [C.userFrozen, so1.id],
        [C.grantTooFewOfficers, undefined],
      ],
    );
  });

  it('are reported in check order', () => {
    const d = mayRead(user({ frozen: true, clearance: 'LIMITED' }), header({ marking: marking('SECRET') }), DEL_SUVA);
    assert.deepEqual(denialCodes(d), [C.userFrozen, C.clearanceInsufficient, C.needToKnowNotMember, C.officeNotAddressed]);
  });
});

describe('readableLevels', () => {
  it('runs up to the lower of clearance and office ceiling', () => {
    assert.deepEqual(readableLevels(anna, offices.cyDesk), ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET']);
    assert.deepEqual(readableLevels(marie, offices.washington), ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED', 'CONFIDENTIAL']);
    assert.deepEqual(readableLevels(local, offices.washington), ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED']);
    assert.deepEqual(readableLevels(user({ memberships: [member(DEL_SUVA)] }), offices.suva), ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED']);
  });

  it('is empty for a non-member, a frozen or an inactive user', () => {
    assert.deepEqual(readableLevels(anna, offices.washington), []);
    assert.deepEqual(readableLevels(user({ frozen: true }), offices.cyDesk), []);
    assert.deepEqual(readableLevels(user({ active: false }), offices.cyDesk), []);
  });
});

describe('assertAllowed', () => {
  it('returns on an allowed decision', () => {
    assert.doesNotThrow(() => assertAllowed(mayRead(anna, header(), CY_DESK)));
  });

  it("throws PolicyError('policy.denied') carrying every reason", () => {
    const d = mayRead(user({ frozen: true }), header(), DEL_SUVA);
    assert.throws(
      () => assertAllowed(d),
      (e: unknown) => {
        assert.ok(e instanceof PolicyError);
        assert.ok(e instanceof PolicyDeniedError);
        assert.equal(e.code, 'policy.denied');
        assert.deepEqual(e.reasons.map((r) => r.code), [C.userFrozen, C.needToKnowNotMember, C.officeNotAddressed]);
        return true;
      },
    );
  });
});
