// The text of each page of a PDF that Chromium printed (Skia's writer), for tests that check what is on which
// page. Skia writes plain objects (no object streams), Flate-compressed content streams, and text as 2-byte glyph
// ids of Type0 / Identity-H fonts, each with a ToUnicode CMap: so a page's text is its content stream's Tj/TJ
// strings mapped through the CMap of the font selected by Tf. Enough for Skia's output; not a general PDF reader.
import { inflateSync } from 'node:zlib';

interface PdfObject {
  readonly dict: string;
  readonly stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const found = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.search(/stream\r?\n/);
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0 && body.slice(0, s).includes('/Length')) {
      dict = body.slice(0, s);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? NaN);
      const from = start + s + (/stream\r\n/.test(body.slice(s, s + 8)) ? 8 : 7);
      const raw = pdf.subarray(from, from + length);
      stream = dict.includes('/FlateDecode') ? inflateSync(raw) : Buffer.from(raw);
    }
    found.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return found;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

/** Glyph id → text, from a ToUnicode CMap's bfchar and bfrange sections. */
function cmap(source: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(src ?? '', 16), utf16(dst ?? ''));
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, dst] of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const first = parseInt(dst ?? '', 16);
      for (let g = parseInt(lo ?? '', 16), i = 0; g <= parseInt(hi ?? '', 16); g++, i++) map.set(g, String.fromCharCode(first + i));
    }
  }
  return map;
}

/** Each page's text runs (one per Tj/TJ), in page order. */
export function pdfPageTexts(pdf: Buffer): string[][] {
  const objs = objects(pdf);
  const catalog = [...objs.values()].find((o) => /\/Type\s*\/Catalog/.test(o.dict));
  const root = catalog ? ref(catalog.dict, 'Pages') : null;
  const kids = (n: number): number[] => {
    const o = objs.get(n);
    if (!o) return [];
    if (/\/Type\s*\/Pages/.test(o.dict)) return [...(/\/Kids\s*\[([^\]]*)\]/.exec(o.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].flatMap((k) => kids(Number(k[1])));
    return [n];
  };
  if (root === null) throw new Error('no page tree in the PDF');
  const maps = new Map<number, Map<number, string>>();
  return kids(root).map((p) => {
    const page = objs.get(p);
    if (!page) return [];
    const fonts = new Map<string, Map<number, string>>();
    for (const [, name, obj] of page.dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const n = Number(obj);
      if (!maps.has(n)) {
        const uni = ref(objs.get(n)?.dict ?? '', 'ToUnicode');
        maps.set(n, cmap(uni === null ? '' : (objs.get(uni)?.stream?.toString('latin1') ?? '')));
      }
      fonts.set(name ?? '', maps.get(n) ?? new Map<number, string>());
    }
    const contents = ref(page.dict, 'Contents');
    const content = contents === null ? '' : (objs.get(contents)?.stream?.toString('latin1') ?? '');
    const runs: string[] = [];
    let font = new Map<number, string>();
    // Tf picks the font; Tj shows one string, TJ an array of strings and kerning numbers.
    for (const [, tf, tj, tjArray] of content.matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj|\[((?:\s*(?:<[0-9a-fA-F]*>|-?[\d.]+))*)\s*\]\s*TJ/g)) {
      if (tf) {
        font = fonts.get(tf) ?? new Map<number, string>();
        continue;
      }
      const hexes = tj !== undefined ? [tj] : [...(tjArray ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1] ?? '');
      runs.push(hexes.map((h) => (h.match(/.{4}/g) ?? []).map((g) => font.get(parseInt(g, 16)) ?? '\uFFFD').join('')).join(''));
    }
    return runs;
  });
}
