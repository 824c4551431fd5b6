// fast-check generators over a small universe of offices, communities and caveats, so that allowed and denied
// outcomes both occur often. Every generated value is deep-frozen: a decision that mutated its input would throw.
import fc from 'fast-check';
import { Classifications } from '../../src/cable/types.ts';
import type { CableId, Classification, Marking, NodeName, OfficeCode, RoutingHeader, UserId } from '../../src/cable/types.ts';
import type { Membership, PolicyOffice, PolicyUser } from '../../src/policy/index.ts';

export const OFFICES = ['MFA.CY.AMERICAS', 'EEAS.DEL.WASHINGTON', 'MFA.DE.NATO'] as OfficeCode[];
export const COMMUNITIES = ['CY', 'DE', 'US', 'EU', 'NATO'];
export const CAVEATS = ['CRYPTO', 'ATOMAL', 'SIGINT'];
export const USER_IDS = ['u1', 'u2', 'u3', 'u4'] as UserId[];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Mostly `usual`, sometimes the other boolean. */
const mostly = (usual: boolean): fc.Arbitrary<boolean> =>
  fc.oneof({ arbitrary: fc.constant(usual), weight: 9 }, { arbitrary: fc.constant(!usual), weight: 1 });

export const classification: fc.Arbitrary<Classification> = fc.constantFrom(...Classifications);
export const office: fc.Arbitrary<OfficeCode> = fc.constantFrom(...OFFICES);

export const membership: fc.Arbitrary<Membership> = fc.oneof(
  fc.record({ office, role: fc.constantFrom('member' as const, 'security-officer' as const) }),
  fc.record({ office, role: fc.constant('releasing-officer' as const), releaseCeiling: classification }),
);

export const policyUser: fc.Arbitrary<PolicyUser> = fc
  .record({
    id: fc.constantFrom(...USER_IDS),
    clearance: classification,
    nationality: fc.constantFrom('CY', 'DE', 'US'),
    organisations: fc.subarray(['EU', 'NATO']),
    caveats: fc.subarray(CAVEATS),
    memberships: fc.array(membership, { maxLength: 4 }),
    frozen: mostly(false),
    active: mostly(true),
  })
  .map(deepFreeze);

export const policyOffice: fc.Arbitrary<PolicyOffice> = fc
  .record({
    code: office,
    node: fc.constantFrom('MFA.CY', 'EEAS') as fc.Arbitrary<NodeName>,
    ceiling: classification,
    communities: fc.subarray(COMMUNITIES),
  })
  .map(deepFreeze);

export const markingArb: fc.Arbitrary<Marking> = fc
  .record({
    classification,
    caveats: fc.subarray(CAVEATS, { maxLength: 2 }),
    releasableTo: fc.oneof(fc.constant([]), fc.subarray(COMMUNITIES, { minLength: 1 })),
  })
  .map(deepFreeze);

export const headerArb: fc.Arbitrary<RoutingHeader> = fc
  .record({
    id: fc.constant('MFA.CY.AMERICAS/2026/000001' as CableId),
    dtg: fc.constant('2026-11-26T14:30:00Z'),
    precedence: fc.constantFrom('FLASH' as const, 'IMMEDIATE' as const, 'PRIORITY' as const, 'ROUTINE' as const),
    marking: markingArb,
    from: office,
    to: fc.subarray(OFFICES, { minLength: 1 }),
    info: fc.subarray(OFFICES),
    tags: fc.constant(['PREL']),
    drafter: fc.constantFrom(...USER_IDS),
    releaser: fc.constantFrom(...USER_IDS),
  })
  .map(deepFreeze);

/** A user who is, most of the time, a security officer of `code`. */
export function officerOf(code: OfficeCode): fc.Arbitrary<PolicyUser> {
  return fc
    .tuple(policyUser, mostly(true))
    .map(([u, isOfficer]) =>
      deepFreeze({
        ...u,
        memberships: isOfficer ? [...u.memberships, { office: code, role: 'security-officer' as const }] : u.memberships,
      }),
    );
}

/** A header and a user who is, half the time, its named releaser and a releasing officer of its `from` office. */
export const releaseScenario: fc.Arbitrary<[RoutingHeader, PolicyUser]> = headerArb.chain((h) =>
  fc.tuple(
    fc.constant(h),
    fc.oneof(
      policyUser,
      fc.tuple(policyUser, classification).map(([u, ceiling]) =>
        deepFreeze({
          ...u,
          id: h.releaser,
          memberships: [...u.memberships, { office: h.from, role: 'releasing-officer' as const, releaseCeiling: ceiling }],
        }),
      ),
    ),
  ),
);
