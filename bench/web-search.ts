// Benchmark of issue 6 "Search": the web app's in-browser search at 10,000 cables of ~300 words — full-text queries
// (one word, two words AND, a prefix while typing) over the index of opened cables, field search over 10,000
// routing headers, and sealing the whole index (JSON → AES-256-GCM, as the browser stores it). Target: well under
// a second per query; the baseline in the same run is a scan of every text without the index.
import { Precedences, type Classification } from '../src/cable/types.ts';
import { ANY, fieldMatch, type FieldQuery, type HeaderLine } from '../web/src/search/field-search.ts';
import { TextIndex } from '../web/src/search/text-index.ts';
import { percentile, progress, round, timeOnce } from './stats.ts';

const CABLES = Number(process.env.BENCH_CABLES ?? 10_000);
const WORDS = 300;
const QUERIES = Number(process.env.BENCH_RUNS ?? 300);
const SCAN_QUERIES = 30;
/** The bound: results "well under a second for 10,000 cables". */
const TARGET_MS = 1000;

function corpus(): { index: TextIndex; headers: HeaderLine[]; vocabulary: string[]; texts: string[] } {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'xe', 'po', 'da', 'gu'];
  const vocabulary = Array.from({ length: 8000 }, (_, i) => `${syllables[i % 12]}${syllables[Math.floor(i / 12) % 12]}${syllables[Math.floor(i / 144) % 12]}${i}`);
  const levels: Classification[] = ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED', 'CONFIDENTIAL'];
  const index = new TextIndex();
  const headers: HeaderLine[] = [];
  const texts: string[] = [];
  for (let i = 0; i < CABLES; i++) {
    const words: string[] = [];
    for (let w = 0; w < WORDS; w++) words.push(vocabulary[next() % vocabulary.length] as string);
    const id = `EEAS.HQ.BENCH/2026/${String(i).padStart(6, '0')}`;
    const header: HeaderLine = {
      id, dtg: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`, precedence: Precedences[i % 4] ?? 'ROUTINE',
      classification: levels[i % 4] ?? 'LIMITED', from: `EEAS.DEL.D${i % 40}`, to: [`EEAS.HQ.H${i % 9}`], info: [`EEAS.HQ.I${i % 13}`], tags: [`T${i % 50}`, `C${i % 30}`],
    };
    headers.push(header);
    texts.push(words.join(' '));
    index.add({ ...header, subject: `Bench cable ${i}` }, texts[i] as string);
    progress('indexing', i + 1, CABLES);
  }
  return { index, headers, vocabulary, texts };
}

export async function benchWebSearch(): Promise<Record<string, unknown>> {
  const built = performance.now();
  const { index, headers, vocabulary, texts } = corpus();
  const buildMs = performance.now() - built;
  const pick = (k: number) => vocabulary[(k * 7919) % vocabulary.length] as string;

  const text: number[] = [];
  let hits = 0;
  for (let k = 0; k < QUERIES; k++) {
    const query = k % 3 === 0 ? `${pick(k)} ` : k % 3 === 1 ? `${pick(k)} ${pick(k + 1)} ` : pick(k).slice(0, 4);
    text.push(await timeOnce(() => (hits += index.search(query).length)));
  }
  const field: number[] = [];
  for (let k = 0; k < QUERIES; k++) {
    const q: FieldQuery = { ...ANY, tag: `T${k % 50}`, precedence: Precedences[k % 4] ?? '', since: '2026-03-01', until: '2026-09-30' };
    field.push(await timeOnce(() => (hits += headers.filter((h) => fieldMatch(h, q)).length)));
  }

  // The baseline, in the same run: what searching without an index costs — a scan of every opened cable's text.
  const scan: number[] = [];
  for (let k = 0; k < SCAN_QUERIES; k++) {
    const word = ` ${pick(k)} `;
    scan.push(await timeOnce(() => (hits += texts.filter((t) => ` ${t} `.includes(word)).length)));
  }

  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  let sealedBytes = 0;
  const sealMs = await timeOnce(async () => {
    const plain = new TextEncoder().encode(JSON.stringify(index.snapshot()));
    sealedBytes = (await crypto.subtle.encrypt({ name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)) }, key, plain)).byteLength;
  });
  const reloadMs = await timeOnce(() => TextIndex.fromSnapshot(index.snapshot()));

  return {
    cables: CABLES,
    words_per_cable: WORDS,
    queries: QUERIES,
    build_ms: round(buildMs, 1),
    query_ms_p50: round(percentile(text, 0.5)),
    query_ms_p99: round(percentile(text, 0.99)),
    baseline_scan_ms_p50: round(percentile(scan, 0.5)),
    ratio_to_scan_p50: round(percentile(text, 0.5) / percentile(scan, 0.5), 5),
    target_ms: TARGET_MS,
    ratio_p99_to_target: round(percentile(text, 0.99) / TARGET_MS, 5),
    field_ms_p50: round(percentile(field, 0.5)),
    field_ms_p99: round(percentile(field, 0.99)),
    seal_ms: round(sealMs, 1),
    rebuild_from_snapshot_ms: round(reloadMs, 1),
    sealed_index_bytes: sealedBytes,
    hits_checksum: hits,
  };
}

// Run directly (`node --import tsx bench/web-search.ts`) until bench/run.ts registers it.
if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify({ bench: 'web-search', ...(await benchWebSearch()) }, null, 2)}\n`);
