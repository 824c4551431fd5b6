// A tiny hand-rolled CBOR writer for tests: it writes exactly what it is told (map keys in the given order,
// duplicates, over-long integer heads), so tests can build the non-canonical encodings the decoder must refuse.
import { concatBytes, utf8 } from '../../src/bytes.ts';

/** A CBOR item to write; `head` lets a test choose the width of an argument (0 = shortest). */
export type Item =
  | { readonly kind: 'uint'; readonly value: number; readonly width?: 1 | 2 | 4 }
  | { readonly kind: 'text'; readonly value: string; readonly width?: 1 | 2 | 4 }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'array'; readonly items: readonly Item[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, Item])[] }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

function head(major: number, argument: number, width?: 1 | 2 | 4): Uint8Array {
  const m = major << 5;
  if (width === undefined && argument < 24) return Uint8Array.of(m | argument);
  const w = width ?? (argument < 0x100 ? 1 : argument < 0x10000 ? 2 : 4);
  const out = new Uint8Array(1 + w);
  out[0] = m | (w === 1 ? 24 : w === 2 ? 25 : 26);
  for (let i = 0; i < w; i++) out[w - i] = Math.floor(argument / 256 ** i) & 0xff;
  return out;
}

/** Encodes an item exactly as described. */
export function write(item: Item): Uint8Array {
  switch (item.kind) {
    case 'uint':
      return head(0, item.value, item.width);
    case 'text': {
      const bytes = utf8(item.value);
      return concatBytes(head(3, bytes.length, item.width), bytes);
    }
    case 'bytes':
      return concatBytes(head(2, item.value.length), item.value);
    case 'array':
      return concatBytes(head(4, item.items.length), ...item.items.map(write));
    case 'map':
      return concatBytes(
        head(5, item.entries.length),
        ...item.entries.flatMap(([key, value]) => [write({ kind: 'text', value: key }), write(value)]),
      );
    case 'raw':
      return item.bytes;
  }
}

export const text = (value: string): Item => ({ kind: 'text', value });
export const uint = (value: number): Item => ({ kind: 'uint', value });
export const texts = (values: readonly string[]): Item => ({ kind: 'array', items: values.map(text) });
export const map = (entries: readonly (readonly [string, Item])[]): Item => ({ kind: 'map', entries });
