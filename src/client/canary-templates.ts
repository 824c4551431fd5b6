// The decoy text of planted canary cables (issue 7 "a believable decoy"; docs/detection.md "Planted canaries"):
// routine administrative traffic an office files to its records, generic enough to fit any office, dull enough that
// nobody with real work opens it, and chosen by a seeded generator so a plant can be repeated exactly in a test.
import type { Classification, Precedence } from '../cable/types.ts';

/** Subjects and bodies of routine records traffic; `{office}` and `{month}` are filled in. */
const TEMPLATES: readonly { readonly subject: string; readonly body: string; readonly tags: readonly string[] }[] = [
  {
    subject: 'Inventory of registry holdings, {month}',
    body: 'Summary: the registry of {office} completed its periodic inventory of holdings for {month}.\n\nComment: no discrepancies beyond those reported in the previous return; the schedule of disposals is unchanged. Records retained for the statutory period.',
    tags: ['ADMN', 'ARCH'],
  },
  {
    subject: 'Retention schedule: files closed in {month}',
    body: 'Summary: files closed by {office} in {month} are transferred to records under the standing retention schedule.\n\nComment: the file list is kept by the registry. No action requested.',
    tags: ['ADMN', 'ARCH'],
  },
  {
    subject: 'Archive transfer note, {month} consignment',
    body: 'Summary: the {month} consignment of closed correspondence from {office} was packed and logged for transfer.\n\nComment: box numbering follows the registry convention; one box of duplicates was destroyed under supervision. For the record.',
    tags: ['ADMN'],
  },
  {
    subject: 'Correspondence register: quarterly reconciliation',
    body: 'Summary: {office} reconciled its correspondence register against the registry index up to {month}.\n\nComment: entries missing reference numbers were completed from the covering notes. Nothing further.',
    tags: ['ADMN', 'ARCH'],
  },
  {
    subject: 'Superseded standing instructions withdrawn, {month}',
    body: 'Summary: standing instructions of {office} superseded during {month} are withdrawn from circulation and filed.\n\nComment: current instructions are unaffected. Copies held by sections have been recalled for destruction.',
    tags: ['ADMN'],
  },
  {
    subject: 'Records management: disposal certificate, {month}',
    body: 'Summary: the disposal of ephemeral records of {office} scheduled for {month} was carried out and certified.\n\nComment: the certificate is held by the registry. Filed for the record; no distribution required.',
    tags: ['ADMN', 'ARCH'],
  },
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];


export interface DecoyText {
  readonly subject: string;
  readonly body: string;
  readonly tags: readonly string[];
  readonly precedence: Precedence;
  readonly level: Classification;
}

const pick = <T>(random: () => number, from: readonly T[]): T => from[Math.floor(random() * from.length)]!;

/**
 * `count` decoys for `office`, no template twice in a row, each at one of `levels` (the office's usual ones) and
 * ROUTINE or now and then PRIORITY, as records traffic is.
 */
export function decoyTexts(random: () => number, office: string, levels: readonly Classification[], now: Date, count: number): DecoyText[] {
  const out: DecoyText[] = [];
  let last = -1;
  for (let i = 0; i < count; i++) {
    let t = Math.floor(random() * TEMPLATES.length);
    if (t === last) t = (t + 1) % TEMPLATES.length;
    last = t;
    const template = TEMPLATES[t]!;
    const month = `${MONTHS[(now.getUTCMonth() + 11 - Math.floor(random() * 3)) % 12]!}`;
    const fill = (text: string) => text.replaceAll('{office}', office).replaceAll('{month}', month);
    out.push({ subject: fill(template.subject), body: fill(template.body), tags: template.tags, precedence: random() < 0.8 ? 'ROUTINE' : 'PRIORITY', level: pick(random, levels) });
  }
  return out;
}

const FIRST = ['helmut', 'maria', 'jonas', 'elena', 'pieter', 'sofia', 'tomas', 'claire', 'andrzej', 'ines', 'matteo', 'katrin', 'lukas', 'agnes', 'vasco', 'hanna'];
const LAST = ['kranz', 'lindqvist', 'moreno', 'kowalczyk', 'vermeulen', 'papadakis', 'horvath', 'oconnell', 'brandt', 'ferreira', 'novak', 'laurent', 'schuster', 'dimitrov', 'rossetti', 'aalto'];

/** An ordinary-looking account name for a persona: `first.last`, with the display name to match. */
export function personaName(random: () => number): { readonly id: string; readonly name: string } {
  const first = pick(random, FIRST);
  const last = pick(random, LAST);
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return { id: `${first}.${last}`, name: `${cap(first)} ${last === 'oconnell' ? "O'Connell" : cap(last)}` };
}
