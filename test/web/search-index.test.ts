// The web search's pure parts in Node: the full-text index over 10,000 synthetic cables of ~300 words (known words,
// AND, prefix on the last term, diacritics folded, snapshot round trip) and the routing-field filters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ANY, choicesOf, distinctLines, fieldMatch, type HeaderLine } from '../../web/src/search/field-search.ts';
import { TextIndex, tokenize } from '../../web/src/search/text-index.ts';

/** A deterministic corpus: `count` cables of `words` words from a 5,000-word vocabulary, plus marker words. */
function syntheticIndex(count = 10_000, words = 300): TextIndex {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'xe', 'po', 'da', 'gu'];
  const vocabulary = Array.from({ length: 5000 }, (_, i) => `${syllables[i % 12]}${syllables[Math.floor(i / 12) % 12]}${syllables[Math.floor(i / 144) % 12]}${i}`);
  const index = new TextIndex();
  for (let i = 0; i < count; i++) {
    const body: string[] = [];
    for (let w = 0; w < words; w++) body.push(vocabulary[next() % vocabulary.length] as string);
    if (i % 7 === 0) body.push('tariffs');
    if (i % 100 === 0) body.push('Zanzibar');
    if (i === 4321) body.push('Société Générale, Brasília');
    const id = `EEAS.HQ.TEST/2026/${String(i).padStart(6, '0')}`;
    index.add({ id, dtg: '2026-11-26T10:00:00Z', precedence: 'ROUTINE', classification: 'LIMITED', from: 'EEAS.HQ.TEST', subject: `Synthetic cable ${i}` }, body.join(' '));
  }
  return index;
}

const idOf = (i: number) => `EEAS.HQ.TEST/2026/${String(i).padStart(6, '0')}`;

describe('web search: the full-text index', () => {
  const index = syntheticIndex();

  it('tokenises lower-case, folds diacritics and splits on anything not a letter or digit', () => {
    assert.deepEqual(tokenize('Société Générale — BRASÍLIA, 2026/000123'), ['societe', 'generale', 'brasilia', '2026', '000123']);
  });

  it('finds every cable with a known word, and only those', () => {
    assert.equal(index.size, 10_000);
    const hits = index.search('zanzibar ');
    assert.deepEqual(hits, Array.from({ length: 100 }, (_, k) => idOf(k * 100)));
    assert.equal(index.search('tariffs ').length, Math.ceil(10_000 / 7));
    assert.deepEqual(index.search('SOCIETE generale '), [idOf(4321)]);
    assert.deepEqual(index.search('unheardof '), []);
    assert.deepEqual(index.search('   '), []);
  });

  it('combines terms with AND', () => {
    const both = index.search('tariffs zanzibar ');
    assert.deepEqual(both, Array.from({ length: Math.ceil(10_000 / 700) }, (_, k) => idOf(k * 700)));
    assert.deepEqual(index.search('zanzibar societe '), []);
  });

  it('matches the last term as a prefix while it is being typed', () => {
    assert.deepEqual(index.search('zanz'), index.search('zanzibar '));
    assert.deepEqual(index.search('zanz '), [], 'a finished term is matched whole');
    assert.deepEqual(index.search('tariffs zanzi'), index.search('tariffs zanzibar '));
    assert.deepEqual(index.search('brasíl'), [idOf(4321)]);
  });

  it('searches the subject too, and re-indexing a cable replaces its terms', () => {
    const small = new TextIndex();
    const meta = { id: 'A/2026/000001', dtg: '2026-11-26T10:00:00Z', precedence: 'FLASH', classification: 'SECRET', from: 'A', subject: 'Steel tariffs' };
    small.add(meta, 'first body');
    assert.deepEqual(small.search('steel '), ['A/2026/000001']);
    small.add(meta, 'second body');
    assert.deepEqual(small.search('first '), []);
    assert.deepEqual(small.search('second '), ['A/2026/000001']);
    assert.equal(small.size, 1);
  });

  it('round-trips through its snapshot and refuses a malformed one', () => {
    const again = TextIndex.fromSnapshot(JSON.parse(JSON.stringify(index.snapshot())));
    assert.deepEqual(again.search('tariffs zanz'), index.search('tariffs zanz'));
    assert.equal(again.cable(idOf(4321))?.subject, 'Synthetic cable 4321');
    assert.throws(() => TextIndex.fromSnapshot({ version: 2, cables: [] }), TypeError);
    assert.throws(() => TextIndex.fromSnapshot({ version: 1, cables: [{ id: 1 }] }), TypeError);
  });
});

describe('web search: routing-field filters', () => {
  const line: HeaderLine = {
    id: 'EEAS.DEL.WASHINGTON/2026/000001', dtg: '2026-11-20T09:00:00Z', precedence: 'FLASH', classification: 'SECRET',
    from: 'EEAS.DEL.WASHINGTON', to: ['EEAS.HQ.AMERICAS'], info: ['EEAS.HQ.SECURITY'], tags: ['PREL', 'US'],
  };

  it('matches each field and combines them with AND', () => {
    assert.ok(fieldMatch(line, ANY));
    assert.ok(fieldMatch(line, { ...ANY, to: 'EEAS.HQ.SECURITY', tag: 'US', precedence: 'FLASH', level: 'SECRET' }));
    assert.ok(!fieldMatch(line, { ...ANY, tag: 'US', precedence: 'ROUTINE' }));
    assert.ok(!fieldMatch(line, { ...ANY, from: 'EEAS.HQ.AMERICAS' }));
    assert.ok(fieldMatch(line, { ...ANY, since: '2026-11-20', until: '2026-11-20' }), 'date bounds are inclusive');
    assert.ok(!fieldMatch(line, { ...ANY, since: '2026-11-21' }));
    assert.ok(!fieldMatch(line, { ...ANY, until: '2026-11-19' }));
  });

  it('keeps one line per cable, FLASH first then newest, and offers only values present', () => {
    const older: HeaderLine = { ...line, id: 'B/2026/000002', dtg: '2026-11-01T09:00:00Z', precedence: 'ROUTINE', tags: ['ECON'] };
    const merged = distinctLines([older, line, { ...line }]);
    assert.deepEqual(merged.map((l) => l.id), [line.id, older.id]);
    const choices = choicesOf(merged);
    assert.deepEqual(choices.to, ['EEAS.HQ.AMERICAS', 'EEAS.HQ.SECURITY']);
    assert.deepEqual(choices.tags, ['ECON', 'PREL', 'US']);
    assert.deepEqual(choices.levels, ['SECRET']);
  });
});
