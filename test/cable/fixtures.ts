// A realistic, valid cable for example-based tests (validation tables, telegram golden text, codec vectors), and a
// deep copy helper so each test mutates its own plain-object copy.
import { assertValidCable } from '../../src/cable/validate.ts';
import type { Cable } from '../../src/cable/types.ts';

/** Deterministic attachment bytes: 0, 1, 2, … mod 256. */
export function counting(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i & 0xff);
}

export const sampleCable: Cable = assertValidCable({
  header: {
    id: 'EEAS.DEL.WASHINGTON/2026/000123',
    dtg: '2026-11-26T14:30:00Z',
    precedence: 'IMMEDIATE',
    marking: { classification: 'CONFIDENTIAL', caveats: ['CRYPTO'], releasableTo: ['EU', 'NATO'] },
    from: 'EEAS.DEL.WASHINGTON',
    to: ['EEAS.HQ.AMERICAS', 'MFA.CY.AMERICAS'],
    info: ['MFA.DE.USA', 'EEAS.DEL.OTTAWA'],
    tags: ['PREL', 'ETRD', 'US'],
    drafter: 'anna.schmidt',
    releaser: 'u-0042',
  },
  content: {
    subject: 'Deputy Secretary on coordinating sanctions relief — next steps',
    references: ['EEAS.DEL.WASHINGTON/2026/000101', 'EEAS.HQ.AMERICAS/2026/000077'],
    body: [
      'Summary: the Deputy Secretary wants a joint timetable by the end of January.',
      '',
      'The Deputy Secretary opened by thanking the Head of Delegation for the EU\'s "steady line" and said',
      'Washington would table a draft within two weeks.',
      '',
      'Comment:\tthe timetable is tight; Headquarters may wish to instruct before the Political Committee meets.',
    ].join('\n'),
    attachments: [{ name: 'readout-2026-11-26.pdf', mediaType: 'application/pdf', data: counting(1234) }],
  },
});

/** A loosely typed deep copy of the sample: tests break it field by field. */
export function sampleCopy(): { header: Record<string, unknown>; content: Record<string, unknown> } & Record<string, unknown> {
  return structuredClone(sampleCable) as unknown as { header: Record<string, unknown>; content: Record<string, unknown> };
}
