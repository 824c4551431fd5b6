// Named users, offices and headers for the policy tests: a Cypriot ministry desk, an EEAS delegation and a few people.
import type { CableId, Classification, Marking, NodeName, OfficeCode, RoutingHeader, UserId } from '../../src/cable/types.ts';
import type { Membership, PolicyOffice, PolicyUser } from '../../src/policy/index.ts';

export const CY_DESK = 'MFA.CY.AMERICAS' as OfficeCode;
export const DEL_WASHINGTON = 'EEAS.DEL.WASHINGTON' as OfficeCode;
export const DEL_SUVA = 'EEAS.DEL.SUVA' as OfficeCode;
export const DE_NATO = 'MFA.DE.NATO' as OfficeCode;

export const offices = {
  cyDesk: { code: CY_DESK, node: 'MFA.CY' as NodeName, ceiling: 'SECRET', communities: ['CY', 'EU'] },
  washington: { code: DEL_WASHINGTON, node: 'EEAS' as NodeName, ceiling: 'CONFIDENTIAL', communities: ['EU'] },
  suva: { code: DEL_SUVA, node: 'EEAS' as NodeName, ceiling: 'RESTRICTED', communities: ['EU'] },
  deNato: { code: DE_NATO, node: 'MFA.DE' as NodeName, ceiling: 'SECRET', communities: ['DE', 'EU', 'NATO'] },
} as const satisfies Record<string, PolicyOffice>;

export function member(office: OfficeCode): Membership {
  return { office, role: 'member' };
}
export function securityOfficer(office: OfficeCode): Membership {
  return { office, role: 'security-officer' };
}
export function releasingOfficer(office: OfficeCode, releaseCeiling: Classification): Membership {
  return { office, role: 'releasing-officer', releaseCeiling };
}

/** A SECRET-cleared Cypriot member of the CY desk holding CRYPTO, active and not frozen, with overrides. */
export function user(overrides: Partial<PolicyUser> = {}): PolicyUser {
  return {
    id: 'anna' as UserId,
    clearance: 'SECRET',
    nationality: 'CY',
    organisations: ['EU'],
    caveats: ['CRYPTO'],
    memberships: [member(CY_DESK)],
    frozen: false,
    active: true,
    ...overrides,
  };
}

export const people = {
  anna: user(),
  nikos: user({ id: 'nikos' as UserId, memberships: [releasingOfficer(CY_DESK, 'CONFIDENTIAL')] }),
  so1: user({ id: 'so1' as UserId, memberships: [securityOfficer(CY_DESK)] }),
  so2: user({ id: 'so2' as UserId, memberships: [securityOfficer(CY_DESK)] }),
  marie: user({
    id: 'marie' as UserId,
    nationality: 'FR',
    clearance: 'CONFIDENTIAL',
    caveats: [],
    memberships: [member(DEL_WASHINGTON)],
  }),
  /** Locally engaged staff at the delegation: a US national in no EU community. */
  local: user({
    id: 'local' as UserId,
    nationality: 'US',
    organisations: [],
    clearance: 'RESTRICTED',
    caveats: [],
    memberships: [member(DEL_WASHINGTON)],
  }),
};

export function marking(classification: Classification, caveats: string[] = [], releasableTo: string[] = []): Marking {
  return { classification, caveats, releasableTo };
}

/** A cable from the CY desk to the Washington delegation, drafted by anna, released by nikos, with overrides. */
export function header(overrides: Partial<RoutingHeader> = {}): RoutingHeader {
  return {
    id: 'MFA.CY.AMERICAS/2026/000123' as CableId,
    dtg: '2026-11-26T14:30:00Z',
    precedence: 'ROUTINE',
    marking: marking('RESTRICTED'),
    from: CY_DESK,
    to: [DEL_WASHINGTON],
    info: [],
    tags: ['PREL', 'US'],
    drafter: 'anna' as UserId,
    releaser: 'nikos' as UserId,
    ...overrides,
  };
}
