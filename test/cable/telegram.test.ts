// Telegram text: golden output for a realistic cable, the marking line, and layout rules that keep body text from
// imitating the banners.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ValidationError } from '../../src/errors.ts';
import { renderMarking, renderTelegram } from '../../src/cable/telegram.ts';
import { assertValidCable } from '../../src/cable/validate.ts';
import { arbCable } from './arbitraries.ts';
import { sampleCable, sampleCopy } from './fixtures.ts';

const GOLDEN = `CONFIDENTIAL // CRYPTO // REL TO EU, NATO
IMMEDIATE 261430Z NOV 26
FM EEAS.DEL.WASHINGTON
TO EEAS.HQ.AMERICAS
TO MFA.CY.AMERICAS
INFO MFA.DE.USA
INFO EEAS.DEL.OTTAWA

CONFIDENTIAL // CRYPTO // REL TO EU, NATO
CABLE: EEAS.DEL.WASHINGTON/2026/000123
SUBJECT: Deputy Secretary on coordinating sanctions relief — next steps
TAGS: PREL, ETRD, US
REF: A. EEAS.DEL.WASHINGTON/2026/000101
     B. EEAS.HQ.AMERICAS/2026/000077

1. Summary: the Deputy Secretary wants a joint timetable by the end of January.

2. The Deputy Secretary opened by thanking the Head of Delegation for the EU's "steady line" and said
   Washington would table a draft within two weeks.

3. Comment:\tthe timetable is tight; Headquarters may wish to instruct before the Political Committee meets.

ATTACHMENTS:
  readout-2026-11-26.pdf (application/pdf, 1234 bytes)

DRAFTED BY: anna.schmidt
RELEASED BY: u-0042

CONFIDENTIAL // CRYPTO // REL TO EU, NATO
`;

describe('renderTelegram', () => {
  it('renders the sample cable exactly', () => {
    assert.equal(renderTelegram(sampleCable), GOLDEN);
  });

  it('leaves out empty lists and renders a bare classification', () => {
    const c = sampleCopy();
    c.header.info = [];
    c.header.tags = [];
    c.header.marking = { classification: 'LIMITED', caveats: [], releasableTo: ['EU'] };
    c.header.precedence = 'ROUTINE';
    c.content.references = [];
    c.content.attachments = [{ name: 'one.bin', mediaType: 'application/octet-stream', data: new Uint8Array(1) }];
    c.content.body = '';
    assert.equal(
      renderTelegram(assertValidCable(c)),
      [
        'LIMITED // EU ONLY',
        'ROUTINE 261430Z NOV 26',
        'FM EEAS.DEL.WASHINGTON',
        'TO EEAS.HQ.AMERICAS',
        'TO MFA.CY.AMERICAS',
        '',
        'LIMITED // EU ONLY',
        'CABLE: EEAS.DEL.WASHINGTON/2026/000123',
        'SUBJECT: Deputy Secretary on coordinating sanctions relief — next steps',
        '',
        'ATTACHMENTS:',
        '  one.bin (application/octet-stream, 1 byte)',
        '',
        'DRAFTED BY: anna.schmidt',
        'RELEASED BY: u-0042',
        '',
        'LIMITED // EU ONLY',
        '',
      ].join('\n'),
    );
  });

  it('numbers paragraphs split on blank lines and indents their further lines', () => {
    const c = sampleCopy();
    c.content.body = '\n\nFirst.\n \t\nSecond,\nSECRET\nDRAFTED BY: mallory\n\n\n\nThird.\n';
    c.content.attachments = [];
    const text = renderTelegram(assertValidCable(c));
    assert.ok(text.includes('1. First.\n\n2. Second,\n   SECRET\n   DRAFTED BY: mallory\n\n3. Third.\n\nDRAFTED BY: anna.schmidt'));
  });

  it('letters references past Z as AA, AB, …', () => {
    const c = sampleCopy();
    c.content.references = Array.from({ length: 28 }, (_, i) => `MFA.CY/2026/${String(i + 1).padStart(6, '0')}`);
    const text = renderTelegram(assertValidCable(c));
    assert.ok(text.includes('REF: A. MFA.CY/2026/000001\n'));
    assert.ok(text.includes('     Z. MFA.CY/2026/000026\n     AA. MFA.CY/2026/000027\n     AB. MFA.CY/2026/000028\n'));
  });

  it('refuses an invalid cable', () => {
    const c = sampleCopy();
    c.content.subject = 'SUBJECT\nSECRET';
    assert.throws(() => renderTelegram(c as never), ValidationError);
  });

  it('always opens and closes with the banner, which no other line repeats outside the header', () => {
    fc.assert(
      fc.property(arbCable, (cable) => {
        const lines = renderTelegram(cable).split('\n');
        const banner = renderMarking(cable.header.marking);
        assert.equal(lines[0], banner);
        assert.equal(lines.at(-2), banner);
        assert.equal(lines.at(-1), '');
        assert.equal(lines.filter((l) => l === banner).length, 3);
      }),
    );
  });
});

describe('renderMarking', () => {
  const cases: readonly (readonly [string, readonly string[], readonly string[], string])[] = [
    ['UNCLASSIFIED', [], [], 'UNCLASSIFIED'],
    ['LIMITED', [], [], 'LIMITED'],
    ['LIMITED', [], ['EU'], 'LIMITED // EU ONLY'],
    ['RESTRICTED', [], ['CY'], 'RESTRICTED // CY ONLY'],
    ['CONFIDENTIAL', ['CRYPTO'], ['EU', 'NATO'], 'CONFIDENTIAL // CRYPTO // REL TO EU, NATO'],
    ['SECRET', ['ATOMAL', 'CRYPTO'], [], 'SECRET // ATOMAL/CRYPTO'],
  ];
  for (const [classification, caveats, releasableTo, expected] of cases) {
    it(expected, () => {
      const marking = { classification, caveats, releasableTo };
      const { header } = assertValidCable({ ...sampleCable, header: { ...sampleCable.header, marking } });
      assert.equal(renderMarking(header.marking), expected);
    });
  }
});
