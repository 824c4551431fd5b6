// The demo's cables from headquarters (instructions) and the Ottawa delegation: see demo-cables.ts.
import type { UserId } from '../cable/types.ts';
import { type DemoCable, CY_AMERICAS, DEL_OTTAWA, DEL_WASHINGTON, FR_DAOI, HQ_AMERICAS, HQ_SECURITY } from './demo-directory.ts';

const u = (id: string) => id as UserId;
const SOFIA = u('sofia.ricci');
const JAN = u('jan.devries');
const JOAO = u('joao.almeida');
const AOIFE = u('aoife.byrne');
const CLAIRE = u('claire.lambert');
const EU = ['EU'];

const HEADQUARTERS: readonly DemoCable[] = [
  {
    drafter: SOFIA, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON], info: [CY_AMERICAS, FR_DAOI], precedence: 'IMMEDIATE', level: 'RESTRICTED', releasableTo: EU,
    tags: ['ETRD', 'US'], subject: 'Instructions: steel and aluminium, line to take',
    body: 'The Delegation is instructed to welcome any extension of the tariff-rate quota while making clear that the EU does not accept a link to its own rebalancing measures.\n\nThe Delegation should not comment on the timing of any decision by the Council.\n\nMember states have been informed through the Trade Policy Committee.',
  },
  {
    drafter: SOFIA, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON, DEL_OTTAWA], precedence: 'PRIORITY', level: 'RESTRICTED', releasableTo: EU,
    tags: ['PREL', 'US', 'CA'], subject: 'Preparation of the EU–US and EU–Canada summits',
    body: 'Headquarters is preparing the agendas for the two summits. Delegations are asked to report by Wednesday on the host governments’ priorities and on any deliverables they expect.\n\nPlease flag any item on which the host government expects a written EU commitment.',
  },
  {
    drafter: JAN, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON, DEL_OTTAWA], precedence: 'ROUTINE', level: 'UNCLASSIFIED',
    tags: ['AMGT'], subject: 'Annual reporting calendar for delegations in the Americas',
    body: 'The annual human rights report is due on 15 March, the political report on 30 April and the trade barriers report on 31 May.\n\nTemplates are on the intranet. Please send drafts to the desk two weeks before each deadline.',
  },
  {
    drafter: SOFIA, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON], precedence: 'PRIORITY', level: 'LIMITED', releasableTo: EU,
    tags: ['CASC', 'US'], subject: 'Detention at Dulles: headquarters response',
    body: 'The Delegation is authorised to deliver a note verbale expressing concern at the treatment of an official travelling on a service passport and requesting an explanation.\n\nThe note should avoid any reference to the subject of the questioning. The Spokesperson will not comment unless asked.',
  },
  {
    drafter: JAN, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_OTTAWA], precedence: 'ROUTINE', level: 'LIMITED',
    tags: ['AMGT', 'CA'], subject: 'Visit of the Managing Director to Ottawa: logistics',
    body: 'The Managing Director will arrive in Ottawa on the evening of 12 June and leave on the 14th. The Delegation is asked to propose a programme including the Deputy Minister of Foreign Affairs and the trade committee of the House of Commons.\n\nThe visit is not to be announced before 5 June.',
  },
  {
    drafter: SOFIA, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON], info: [HQ_SECURITY], precedence: 'IMMEDIATE', level: 'RESTRICTED', releasableTo: EU,
    tags: ['ASEC', 'US'], subject: 'Contractor account compromise: next steps',
    body: 'The Security Directorate has rotated the shared credentials and will send a forensic team next week.\n\nThe Delegation is asked to preserve the logs of the visitor management system and not to discuss the incident with the contractor’s management until the team arrives.',
  },
  {
    drafter: SOFIA, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON], info: [FR_DAOI], precedence: 'PRIORITY', level: 'RESTRICTED', releasableTo: EU,
    tags: ['PREL', 'HT', 'US'], subject: 'Haiti: initial headquarters view on funding a police component',
    body: 'Headquarters is not in a position to commit funds before the Council has discussed the matter. The Delegation may say that the EU remains the largest donor to the Haitian National Police and is studying all options.\n\nPlease report any indication of the amounts Washington has in mind.',
  },
  {
    drafter: JAN, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON, DEL_OTTAWA], info: [CY_AMERICAS, FR_DAOI], precedence: 'ROUTINE', level: 'UNCLASSIFIED',
    tags: ['KPAO'], subject: 'Press guidance: EU statement on the Summit of the Americas',
    body: 'The attached statement by the High Representative will be published at 1200 Brussels time. Delegations may share it with host governments after publication.\n\nNo further comment is to be made on the list of invited leaders.',
  },
  {
    drafter: SOFIA, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON], info: [CY_AMERICAS], precedence: 'ROUTINE', level: 'RESTRICTED', releasableTo: EU,
    tags: ['PREL', 'CY', 'US'], subject: 'Congressional letter on the Eastern Mediterranean: guidance',
    body: 'The Delegation may accept the briefing. It should recall the EU’s support for a comprehensive settlement within the UN framework and its solidarity with Cyprus, a member state.\n\nThe Cyprus Ministry of Foreign Affairs has been consulted and will share its own briefing material.',
  },
  {
    drafter: SOFIA, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON, DEL_OTTAWA], info: [HQ_SECURITY], precedence: 'FLASH', level: 'RESTRICTED', releasableTo: EU,
    tags: ['ASEC', 'AMGT'], subject: 'Phishing campaign impersonating the Americas Department',
    body: 'Action: staff in both delegations have received messages that imitate the Department’s mailbox and ask for travel documents. Do not open the attachments or reply.\n\nForward any such message to the Security Directorate and delete it. No cable network credentials are requested by any legitimate process.',
  },
  {
    drafter: SOFIA, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON], info: [CY_AMERICAS, FR_DAOI], precedence: 'PRIORITY', level: 'LIMITED', releasableTo: EU,
    tags: ['EFIN', 'VE', 'US'], subject: 'Sanctions coordination: request for US designations list in advance',
    body: 'The Delegation is asked to request advance sight of any new Treasury designations so that member states can consider parallel listings.\n\nThe request should be made at working level and need not be in writing.',
  },
  {
    drafter: JAN, releaser: JOAO, from: HQ_AMERICAS, to: [DEL_WASHINGTON], precedence: 'ROUTINE', level: 'LIMITED',
    tags: ['AMGT', 'US'], subject: 'Staffing: arrival of a new trade counsellor',
    body: 'The new trade counsellor will take up her duties on 1 September. The Delegation is asked to arrange accreditation with the State Department.',
  },
];

const OTTAWA: readonly DemoCable[] = [
  {
    drafter: AOIFE, releaser: CLAIRE, from: DEL_OTTAWA, to: [HQ_AMERICAS], info: [DEL_WASHINGTON], precedence: 'PRIORITY', level: 'RESTRICTED', releasableTo: EU,
    tags: ['ECON', 'EMIN', 'CA', 'US'], subject: 'Critical minerals: Canada cautious about a buyers’ club',
    body: 'Summary: Natural Resources Canada officials are interested but cautious. They fear price floors would deter the private investment Canada needs for new mines.\n\nOttawa would prefer joint financing of processing capacity to a price mechanism.',
  },
  {
    drafter: AOIFE, releaser: CLAIRE, from: DEL_OTTAWA, to: [HQ_AMERICAS], precedence: 'IMMEDIATE', level: 'LIMITED', releasableTo: EU,
    tags: ['SENV', 'CASC', 'CA'], subject: 'Wildfires in British Columbia: EU citizens and assistance',
    body: 'Summary: about 300 EU citizens are in the evacuation zones. Consulates of the member states are in contact with all who registered.\n\nThe province has requested firefighting aircraft through the EU Civil Protection Mechanism. The request is being processed by the Emergency Response Coordination Centre.',
  },
  {
    drafter: AOIFE, releaser: CLAIRE, from: DEL_OTTAWA, to: [HQ_AMERICAS], precedence: 'ROUTINE', level: 'UNCLASSIFIED',
    tags: ['ETRD', 'CA'], subject: 'CETA: sixth meeting of the joint committee',
    body: 'The joint committee adopted decisions on the recognition of professional qualifications for architects and on the rules of procedure of the investment tribunal.\n\nThe next meeting will take place in Brussels in the autumn.',
  },
  {
    drafter: AOIFE, releaser: CLAIRE, from: DEL_OTTAWA, to: [HQ_AMERICAS], precedence: 'PRIORITY', level: 'RESTRICTED', releasableTo: EU,
    tags: ['PREL', 'PGOV', 'CA'], subject: 'Arctic: Canada seeks EU support on a new observer framework',
    body: 'Summary: the Deputy Minister told the Head of Delegation that Canada will propose tightening the criteria for observers in the Arctic Council and hopes for quiet EU support.\n\nShe asked that the approach not be shared beyond member states.',
  },
  {
    drafter: AOIFE, releaser: CLAIRE, from: DEL_OTTAWA, to: [HQ_AMERICAS], precedence: 'ROUTINE', level: 'LIMITED',
    tags: ['PGOV', 'CA'], subject: 'Provincial elections in Quebec: outlook',
    body: 'Polls suggest a change of government in Quebec this autumn. None of the parties has made EU relations an issue; all support CETA.\n\nThe Delegation will report after the leaders’ debate.',
  },
];

/** Cables after Washington's (see demo-cables.ts). */
export const MORE_DEMO_CABLES: readonly DemoCable[] = [...HEADQUARTERS, ...OTTAWA];
