// The federated demo's three organisations, each running its own node: the EEAS (headquarters and the Washington
// delegation), the Cypriot and the French foreign ministries (one desk each). Every node has three security officers
// (an officer may not grant a key to themselves), a releasing officer per office and a member who drafts; the
// cables cross all three nodes.
import type { Classification, NodeName, OfficeCode, UserId } from '../cable/types.ts';
import type { Membership } from '../policy/subjects.ts';
import { DEL_WASHINGTON, HQ_AMERICAS, type DemoCable, type DemoOffice, type DemoPerson } from './demo-directory.ts';
import type { DemoDirectory } from './network.ts';

const o = (code: string) => code as OfficeCode;
const u = (id: string) => id as UserId;
export const CY_AMERICAS = o('MFA.CY.AMERICAS');
export const FR_DAOI = o('MFA.FR.DAOI');

const member = (office: OfficeCode): Membership => ({ office, role: 'member' });
const releaser = (office: OfficeCode, releaseCeiling: Classification): Membership => ({ office, role: 'releasing-officer', releaseCeiling });

function officers(offices: readonly DemoOffice[], people: readonly [string, string, string][]): DemoPerson[] {
  const memberships = offices.map((x): Membership => ({ office: x.code, role: 'security-officer' }));
  return people.map(([id, name, nationality], i) => ({ id: u(id), name, nationality, clearance: 'SECRET', title: i === 0 ? 'Security officer (created by node init)' : 'Security officer', memberships }));
}

const eeasOffices: DemoOffice[] = [
  { code: HQ_AMERICAS, name: 'EEAS Americas Department, Brussels', ceiling: 'SECRET', communities: ['EU'] },
  { code: DEL_WASHINGTON, name: 'EU Delegation to the United States, Washington', ceiling: 'SECRET', communities: ['EU'] },
];
const cyOffices: DemoOffice[] = [{ code: CY_AMERICAS, name: 'Cyprus Ministry of Foreign Affairs, Americas Division', ceiling: 'SECRET', communities: ['CY', 'EU'] }];
const frOffices: DemoOffice[] = [{ code: FR_DAOI, name: "France, Ministère de l'Europe et des Affaires étrangères, DAOI desk", ceiling: 'SECRET', communities: ['EU', 'FR', 'NATO'] }];

export const FEDERATION_DEMO: readonly DemoDirectory[] = [
  {
    node: 'EEAS' as NodeName,
    org: 'EEAS',
    offices: eeasOffices,
    officers: officers(eeasOffices, [['ines.moreau', 'Inès Moreau', 'FR'], ['piotr.nowak', 'Piotr Nowak', 'PL'], ['lena.berg', 'Lena Berg', 'SE']]),
    people: [
      { id: u('helena.virtanen'), name: 'Helena Virtanen', title: 'Head of Delegation, Washington', clearance: 'SECRET', nationality: 'FI', memberships: [releaser(DEL_WASHINGTON, 'SECRET')] },
      { id: u('tomas.novak'), name: 'Tomáš Novák', title: 'Political officer, Washington', clearance: 'CONFIDENTIAL', nationality: 'CZ', memberships: [member(DEL_WASHINGTON)] },
      { id: u('joao.almeida'), name: 'João Almeida', title: 'Head of the Americas Department, Brussels', clearance: 'SECRET', nationality: 'PT', memberships: [releaser(HQ_AMERICAS, 'SECRET')] },
      { id: u('sofia.ricci'), name: 'Sofia Ricci', title: 'Desk officer for the United States, Brussels', clearance: 'RESTRICTED', nationality: 'IT', memberships: [member(HQ_AMERICAS)] },
    ],
  },
  {
    node: 'MFA.CY' as NodeName,
    org: 'MFA.CY',
    offices: cyOffices,
    officers: officers(cyOffices, [['maria.ioannou', 'Maria Ioannou', 'CY'], ['nikos.pavlou', 'Nikos Pavlou', 'CY'], ['eleni.demetriou', 'Eleni Demetriou', 'CY']]),
    people: [
      { id: u('andreas.georgiou'), name: 'Andreas Georgiou', title: 'Director for the Americas', clearance: 'SECRET', nationality: 'CY', memberships: [releaser(CY_AMERICAS, 'SECRET')] },
      { id: u('christina.kyriakou'), name: 'Christina Kyriakou', title: 'Desk officer for the United States', clearance: 'CONFIDENTIAL', nationality: 'CY', memberships: [member(CY_AMERICAS)] },
    ],
  },
  {
    node: 'MFA.FR' as NodeName,
    org: 'MFA.FR',
    offices: frOffices,
    officers: officers(frOffices, [['paul.girard', 'Paul Girard', 'FR'], ['sophie.marchand', 'Sophie Marchand', 'FR'], ['luc.bernard', 'Luc Bernard', 'FR']]),
    people: [
      { id: u('camille.laurent'), name: 'Camille Laurent', title: 'Head of the DAOI desk', clearance: 'SECRET', nationality: 'FR', memberships: [releaser(FR_DAOI, 'SECRET')] },
      { id: u('julien.martin'), name: 'Julien Martin', title: 'Desk officer, DAOI', clearance: 'CONFIDENTIAL', nationality: 'FR', memberships: [member(FR_DAOI)] },
    ],
  },
];

/** The cables the federated demo sends once the nodes are peered: across all three, and one that stays at EEAS. */
export const FEDERATION_CABLES: readonly DemoCable[] = [
  {
    drafter: u('tomas.novak'), releaser: u('helena.virtanen'), from: DEL_WASHINGTON, to: [HQ_AMERICAS, CY_AMERICAS, FR_DAOI], precedence: 'IMMEDIATE', level: 'RESTRICTED', releasableTo: ['EU'], tags: ['PREL', 'US', 'ECON'],
    subject: 'US Treasury outreach on sanctions coordination',
    body: 'Summary: Treasury officials briefed EU member-state diplomats on the next sanctions package and asked for coordinated timing.\n\nComment: the Delegation recommends that capitals align positions before the next Council working party.',
  },
  {
    drafter: u('christina.kyriakou'), releaser: u('andreas.georgiou'), from: CY_AMERICAS, to: [HQ_AMERICAS], info: [FR_DAOI], precedence: 'PRIORITY', level: 'CONFIDENTIAL', releasableTo: ['EU'], tags: ['PREL', 'CY', 'US'],
    subject: 'Cyprus position ahead of the transatlantic dialogue',
    body: 'Summary: Nicosia supports the draft conclusions and asks for language on maritime security in the Eastern Mediterranean.\n\nAction request: the EEAS is invited to reflect this in the next draft.',
  },
  {
    drafter: u('julien.martin'), releaser: u('camille.laurent'), from: FR_DAOI, to: [DEL_WASHINGTON, CY_AMERICAS], precedence: 'ROUTINE', level: 'LIMITED', releasableTo: ['EU'], tags: ['PREL', 'FR'],
    subject: 'Visit programme of the French envoy to Washington',
    body: 'Summary: the envoy will be in Washington next week; Paris would welcome a joint meeting with the EU Delegation and the Cypriot embassy.',
  },
  {
    drafter: u('sofia.ricci'), releaser: u('joao.almeida'), from: HQ_AMERICAS, to: [DEL_WASHINGTON], precedence: 'ROUTINE', level: 'RESTRICTED', releasableTo: ['EU'], tags: ['ADMN'],
    subject: 'Instructions for the transatlantic dialogue (EEAS only)',
    body: 'Summary: headquarters instructions for the dialogue. This cable stays within the EEAS node.',
  },
];
