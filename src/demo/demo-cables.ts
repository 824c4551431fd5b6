// The demo's cables: realistic (and invented) reporting and instructions between the delegations, headquarters and
// the partner desks, of every precedence and level. Each is drafted, released and sent through the real workflow.
import type { UserId } from '../cable/types.ts';
import { type DemoCable, CY_AMERICAS, DEL_OTTAWA, DEL_WASHINGTON, FR_DAOI, HQ_AMERICAS, HQ_SECURITY } from './demo-directory.ts';
import { MORE_DEMO_CABLES } from './demo-cables-more.ts';

const u = (id: string) => id as UserId;
const TOMAS = u('tomas.novak');
const MARC = u('marc.dupont');
const HELENA = u('helena.virtanen');
const EU = ['EU'];

const WASHINGTON: readonly DemoCable[] = [
  {
    drafter: MARC, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], info: [HQ_SECURITY], precedence: 'FLASH', level: 'SECRET', releasableTo: EU,
    tags: ['PREL', 'ASEC', 'US'], subject: 'Suspected compromise of a Delegation contractor account',
    body: 'Summary: the host-country liaison informed us this morning that credentials of one of our local IT contractors were offered for sale on a criminal forum. We have suspended the account and asked for forensic support.\n\nThe account had no access to classified systems. It did have access to the visitor management system and the travel calendar of the Head of Delegation.\n\nAction requested: the Security Directorate is asked to confirm the rotation of shared credentials by close of business Brussels time.',
  },
  {
    drafter: TOMAS, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], info: [CY_AMERICAS, FR_DAOI], precedence: 'IMMEDIATE', level: 'CONFIDENTIAL', releasableTo: EU,
    tags: ['ETRD', 'EIND', 'US'], subject: 'Steel and aluminium: administration signals a reprieve for EU exporters',
    body: 'Summary: a senior trade official told the Deputy Head of Delegation that the administration will extend the current tariff-rate quota for EU steel by six months, provided the EU holds off on its rebalancing measures.\n\nThe official stressed that the offer had not yet been cleared at the highest level and asked that it not be discussed with member state embassies before Friday.\n\nComment: this is the first concrete movement in three months. We recommend a holding line in the Trade Policy Committee.',
  },
  {
    drafter: TOMAS, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], precedence: 'PRIORITY', level: 'RESTRICTED', releasableTo: EU,
    tags: ['PGOV', 'PREL', 'US'], subject: 'Senate Foreign Relations hearing on transatlantic security',
    body: 'Summary: the hearing was cordial; senators from both parties praised EU support to Ukraine but pressed witnesses on European defence spending.\n\nTwo senators asked about the EU entry-exit system and its effect on US business travellers. The State Department witness undertook to raise it with us.\n\nWe will report on the written questions once they are published.',
  },
  {
    drafter: TOMAS, releaser: MARC, from: DEL_WASHINGTON, to: [HQ_AMERICAS], precedence: 'ROUTINE', level: 'LIMITED',
    tags: ['SENV', 'ENRG', 'US'], subject: 'State-level climate coalitions after the federal rollback',
    body: 'Summary: twenty-two governors reaffirmed their emissions targets at a meeting in Sacramento. Several asked for closer cooperation with EU regions on methane monitoring and grid storage.\n\nThe Delegation proposes a workshop with the coalition secretariat in the spring.',
  },
  {
    drafter: MARC, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], info: [FR_DAOI], precedence: 'IMMEDIATE', level: 'SECRET', releasableTo: EU,
    tags: ['PREL', 'MARR', 'HT'], subject: 'Haiti: US planning for a follow-on security mission',
    body: 'Summary: the National Security Council is preparing options for a follow-on mission in Haiti, including a larger logistics role for US forces. Our interlocutor asked whether EU member states could fund the police component.\n\nHe said Washington would not announce anything before consulting Paris, and that France had been briefed separately.\n\nComment: a request for EU funding is likely within weeks. Headquarters may wish to prepare a position before the Foreign Affairs Council.',
  },
  {
    drafter: TOMAS, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], info: [CY_AMERICAS], precedence: 'PRIORITY', level: 'CONFIDENTIAL', releasableTo: EU,
    tags: ['PREL', 'CY', 'TU', 'US'], subject: 'Congressional letter on the Eastern Mediterranean',
    body: 'Summary: a bipartisan group of representatives has written to the Secretary of State urging a more active US role in Cyprus settlement talks and in maritime boundary disputes in the Eastern Mediterranean.\n\nThe letter cites EU positions accurately. Its authors would welcome a briefing by the Delegation.\n\nAction requested: guidance on whether to accept the briefing and on the line to take.',
  },
  {
    drafter: TOMAS, releaser: MARC, from: DEL_WASHINGTON, to: [HQ_AMERICAS], precedence: 'ROUTINE', level: 'UNCLASSIFIED',
    tags: ['KPAO', 'US'], subject: 'Europe Day reception: attendance and press coverage',
    body: 'The Delegation hosted 640 guests at the Europe Day reception, including eleven members of Congress and the Deputy Secretary of Commerce.\n\nCoverage was positive in two national newspapers and on regional radio. Photographs are available from the press section.',
  },
  {
    drafter: TOMAS, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], info: [DEL_OTTAWA], precedence: 'PRIORITY', level: 'RESTRICTED', releasableTo: EU,
    tags: ['ECON', 'EMIN', 'US', 'CA'], subject: 'Critical minerals: US proposes a trilateral buyers’ club',
    body: 'Summary: the Commerce Department floated a buyers’ club for critical minerals with the EU and Canada, with joint price floors for lithium and rare earths.\n\nOfficials acknowledged the WTO questions but argued that the alternative is a single dominant supplier.\n\nThe Delegation in Ottawa is asked to report on how Canada has received the idea.',
  },
  {
    drafter: MARC, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], precedence: 'FLASH', level: 'CONFIDENTIAL', releasableTo: EU,
    tags: ['CASC', 'US'], subject: 'Detention of an EU official at Dulles airport',
    body: 'Summary: an official of the Commission travelling on a service passport was held for six hours at Dulles airport last night and questioned about her contacts with a trade association.\n\nShe was released without charge at 0300 local time. The Head of Delegation has requested a meeting at the State Department today.\n\nAction requested: instructions on whether to deliver a formal note verbale.',
  },
  {
    drafter: MARC, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], info: [CY_AMERICAS, FR_DAOI], precedence: 'IMMEDIATE', level: 'CONFIDENTIAL', releasableTo: EU,
    tags: ['EFIN', 'VE', 'US'], subject: 'Treasury to designate further officials this week',
    body: 'Summary: a Treasury official said new designations of officials and two state companies would be announced on Thursday. She offered to share the list with the Delegation on Wednesday evening, for member states only.\n\nComment: this meets the request in the headquarters instruction. We will pass the list on as soon as we have it.',
  },
  {
    drafter: TOMAS, releaser: HELENA, from: DEL_WASHINGTON, to: [HQ_AMERICAS], precedence: 'PRIORITY', level: 'LIMITED',
    tags: ['PGOV', 'US'], subject: 'Appropriations: risk of a partial government shutdown',
    body: 'Summary: congressional leaders have not agreed a continuing resolution. If none passes by Friday, non-essential federal staff will be furloughed.\n\nVisa processing for EU staff would continue; meetings with agencies would be postponed.',
  },
  {
    drafter: TOMAS, releaser: MARC, from: DEL_WASHINGTON, to: [HQ_AMERICAS], precedence: 'ROUTINE', level: 'UNCLASSIFIED',
    tags: ['PREL', 'US'], subject: 'Congressional delegation to Brussels in October',
    body: 'Six members of the House Foreign Affairs Committee plan to visit Brussels from 14 to 16 October. They would like to meet the High Representative and members of the European Parliament.\n\nThe committee staff will send a draft programme next week.',
  },
  {
    drafter: TOMAS, releaser: MARC, from: DEL_WASHINGTON, to: [HQ_AMERICAS], precedence: 'ROUTINE', level: 'LIMITED', releasableTo: EU,
    tags: ['EFIN', 'US'], subject: 'Federal Reserve testimony: signals on the dollar swap lines',
    body: 'Summary: in testimony to the House Financial Services Committee the Chair said the standing swap lines with the ECB and other central banks were not under review.\n\nMarket reaction was muted. The Delegation will continue to follow the committee’s work on foreign bank supervision.',
  },
];

/** Every demo cable, in the order they are sent. */
export const DEMO_CABLES: readonly DemoCable[] = [...WASHINGTON, ...MORE_DEMO_CABLES];
