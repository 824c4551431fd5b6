// The demo network's offices and people: one EEAS node hosting headquarters, two delegations, the security
// directorate and two partner ministries' desks (federation comes later), with clearances and roles chosen so that
// every rule shows: a SECRET head of delegation, a CONFIDENTIAL political officer, a RESTRICTED desk officer, a
// LIMITED assistant, and Cypriot and French diplomats who see what is released to them.
import type { Classification, OfficeCode, Precedence, UserId } from '../cable/types.ts';
import type { Membership } from '../policy/subjects.ts';

export interface DemoOffice {
  readonly code: OfficeCode;
  readonly name: string;
  readonly ceiling: Classification;
  readonly communities: readonly string[];
}

export interface DemoPerson {
  readonly id: UserId;
  readonly name: string;
  readonly title: string;
  readonly clearance: Classification;
  readonly nationality: string;
  readonly memberships: readonly Membership[];
}

/** A cable the demo drafts, releases and sends (demo-cables.ts). */
export interface DemoCable {
  readonly drafter: UserId;
  readonly releaser: UserId;
  readonly from: OfficeCode;
  readonly to: readonly OfficeCode[];
  readonly info?: readonly OfficeCode[];
  readonly precedence: Precedence;
  readonly level: Classification;
  readonly releasableTo?: readonly string[];
  readonly tags: readonly string[];
  readonly subject: string;
  readonly body: string;
}

const o = (code: string) => code as OfficeCode;
export const HQ_AMERICAS = o('EEAS.HQ.AMERICAS');
export const DEL_WASHINGTON = o('EEAS.DEL.WASHINGTON');
export const DEL_OTTAWA = o('EEAS.DEL.OTTAWA');
export const HQ_SECURITY = o('EEAS.HQ.SECURITY');
export const CY_AMERICAS = o('MFA.CY.AMERICAS');
export const FR_DAOI = o('MFA.FR.DAOI');

export const DEMO_OFFICES: readonly DemoOffice[] = [
  { code: HQ_AMERICAS, name: 'EEAS Americas Department, Brussels', ceiling: 'SECRET', communities: ['EU'] },
  { code: DEL_WASHINGTON, name: 'EU Delegation to the United States, Washington', ceiling: 'SECRET', communities: ['EU'] },
  { code: DEL_OTTAWA, name: 'EU Delegation to Canada, Ottawa', ceiling: 'CONFIDENTIAL', communities: ['EU'] },
  { code: HQ_SECURITY, name: 'EEAS Security Directorate, Brussels', ceiling: 'SECRET', communities: ['EU'] },
  { code: CY_AMERICAS, name: 'Cyprus Ministry of Foreign Affairs, Americas Division (hosted by EEAS)', ceiling: 'SECRET', communities: ['CY', 'EU'] },
  { code: FR_DAOI, name: "France, Ministère de l'Europe et des Affaires étrangères, DAOI desk (hosted by EEAS)", ceiling: 'SECRET', communities: ['EU', 'FR', 'NATO'] },
];

/** Every office's security officers: three, because an officer may not grant a key to themselves (see network.ts). */
const securityOfficer = DEMO_OFFICES.map((office): Membership => ({ office: office.code, role: 'security-officer' }));
const member = (office: OfficeCode): Membership => ({ office, role: 'member' });
const releaser = (office: OfficeCode, releaseCeiling: Classification): Membership => ({ office, role: 'releasing-officer', releaseCeiling });
const u = (id: string) => id as UserId;

/** The first officer is the one `node init` creates; the other two are appointed with the root key. */
export const DEMO_OFFICERS: readonly DemoPerson[] = [
  { id: u('ines.moreau'), name: 'Inès Moreau', title: 'Security officer (created by node init)', clearance: 'SECRET', nationality: 'FR', memberships: [...securityOfficer, member(HQ_SECURITY)] },
  { id: u('piotr.nowak'), name: 'Piotr Nowak', title: 'Security officer', clearance: 'SECRET', nationality: 'PL', memberships: securityOfficer },
  { id: u('lena.berg'), name: 'Lena Berg', title: 'Security officer', clearance: 'SECRET', nationality: 'SE', memberships: securityOfficer },
];

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { id: u('helena.virtanen'), name: 'Helena Virtanen', title: 'Head of Delegation, Washington', clearance: 'SECRET', nationality: 'FI', memberships: [releaser(DEL_WASHINGTON, 'SECRET')] },
  { id: u('marc.dupont'), name: 'Marc Dupont', title: 'Deputy Head of Delegation, Washington', clearance: 'SECRET', nationality: 'BE', memberships: [releaser(DEL_WASHINGTON, 'SECRET')] },
  { id: u('tomas.novak'), name: 'Tomáš Novák', title: 'Political officer, Washington', clearance: 'CONFIDENTIAL', nationality: 'CZ', memberships: [member(DEL_WASHINGTON)] },
  { id: u('joao.almeida'), name: 'João Almeida', title: 'Head of the Americas Department, Brussels', clearance: 'SECRET', nationality: 'PT', memberships: [releaser(HQ_AMERICAS, 'SECRET')] },
  { id: u('sofia.ricci'), name: 'Sofia Ricci', title: 'Desk officer for the United States, Brussels', clearance: 'RESTRICTED', nationality: 'IT', memberships: [member(HQ_AMERICAS)] },
  { id: u('jan.devries'), name: 'Jan de Vries', title: 'Assistant, Americas Department, Brussels', clearance: 'LIMITED', nationality: 'NL', memberships: [member(HQ_AMERICAS)] },
  { id: u('claire.lambert'), name: 'Claire Lambert', title: 'Head of Delegation, Ottawa', clearance: 'CONFIDENTIAL', nationality: 'LU', memberships: [releaser(DEL_OTTAWA, 'CONFIDENTIAL')] },
  { id: u('aoife.byrne'), name: 'Aoife Byrne', title: 'Political and trade officer, Ottawa', clearance: 'RESTRICTED', nationality: 'IE', memberships: [member(DEL_OTTAWA)] },
  { id: u('andreas.georgiou'), name: 'Andreas Georgiou', title: 'Director for the Americas, Cyprus MFA', clearance: 'CONFIDENTIAL', nationality: 'CY', memberships: [member(CY_AMERICAS)] },
  { id: u('camille.laurent'), name: 'Camille Laurent', title: 'Desk officer, French MEAE', clearance: 'SECRET', nationality: 'FR', memberships: [member(FR_DAOI)] },
];

/** Each person's device id: one device each in the demo. */
export function demoDevice(id: UserId): string {
  return `d-${id.split('.')[0]}-1`;
}
