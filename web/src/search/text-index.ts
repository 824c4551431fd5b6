// The full-text index over the cables this device opened: token → cable numbers, built and queried in memory with no
// dependency. Pure (no DOM, no storage) so Node can test it at 10,000 cables; what is stored is its `snapshot`.

/** What the index keeps of one opened cable: enough to show a result line without opening the cable again. */
export interface IndexedCable {
  readonly id: string;
  readonly dtg: string;
  readonly precedence: string;
  readonly classification: string;
  readonly from: string;
  readonly subject: string;
}

/** The stored form: each cable with its distinct terms (postings are rebuilt on load; they are derived data). */
export interface IndexSnapshot {
  readonly version: 1;
  readonly cables: readonly (IndexedCable & { readonly terms: readonly string[] })[];
}

const MAX_TERM = 64;

/** Lower-case, diacritics folded (NFKD, combining marks dropped), split on anything not a letter or digit. */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .map((t) => t.slice(0, MAX_TERM));
}

function intersect(a: ReadonlySet<number>, b: ReadonlySet<number>): Set<number> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<number>();
  for (const n of small) if (large.has(n)) out.add(n);
  return out;
}

export class TextIndex {
  private readonly cables: (IndexedCable & { terms: readonly string[] })[] = [];
  private readonly numberOf = new Map<string, number>();
  private readonly postings = new Map<string, Set<number>>();
  /** The vocabulary sorted, for prefix matching by binary search; rebuilt lazily after additions. */
  private sorted: string[] | null = null;

  get size(): number {
    return this.numberOf.size;
  }

  has(id: string): boolean {
    return this.numberOf.has(id);
  }

  cable(id: string): IndexedCable | undefined {
    const n = this.numberOf.get(id);
    return n === undefined ? undefined : this.cables[n];
  }

  /** Indexes (or re-indexes) one cable's subject and body; an id seen before keeps its number. */
  add(meta: IndexedCable, body: string): void {
    this.put(meta, [...new Set(tokenize(`${meta.subject}\n${body}`))]);
  }

  private put(meta: IndexedCable, terms: readonly string[]): void {
    const known = this.numberOf.get(meta.id);
    const n = known ?? this.cables.length;
    if (known !== undefined) for (const t of this.cables[known]?.terms ?? []) this.postings.get(t)?.delete(known);
    const entry = { id: meta.id, dtg: meta.dtg, precedence: meta.precedence, classification: meta.classification, from: meta.from, subject: meta.subject, terms };
    this.cables[n] = entry;
    this.numberOf.set(meta.id, n);
    for (const t of terms) {
      let set = this.postings.get(t);
      if (!set) {
        set = new Set();
        this.postings.set(t, set);
        this.sorted = null;
      }
      set.add(n);
    }
  }

  /** Cable numbers of every term starting with `prefix`. */
  private withPrefix(prefix: string): Set<number> {
    this.sorted ??= [...this.postings.keys()].sort();
    const words = this.sorted;
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((words[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out = new Set<number>();
    for (let i = lo; i < words.length && (words[i] as string).startsWith(prefix); i++) for (const n of this.postings.get(words[i] as string) ?? []) out.add(n);
    return out;
  }

  /**
   * Ids of the cables containing every query term (AND); the last term also matches as a prefix unless the query
   * ends in a space (the user finished typing it). An empty query matches nothing.
   */
  search(query: string): string[] {
    const terms = tokenize(query);
    if (terms.length === 0) return [];
    const complete = /[^\p{L}\p{N}]$/u.test(query.normalize('NFKD').replace(/\p{M}+/gu, ''));
    const sets: Set<number>[] = [];
    terms.forEach((t, i) => {
      const last = i === terms.length - 1;
      sets.push(last && !complete ? this.withPrefix(t) : (this.postings.get(t) ?? new Set()));
    });
    sets.sort((a, b) => a.size - b.size);
    let hits = sets[0] ?? new Set<number>();
    for (const s of sets.slice(1)) {
      if (hits.size === 0) break;
      hits = intersect(hits, s);
    }
    return [...hits].sort((a, b) => a - b).map((n) => (this.cables[n] as IndexedCable).id);
  }

  snapshot(): IndexSnapshot {
    return { version: 1, cables: this.cables.map((c) => ({ ...c, terms: [...c.terms] })) };
  }

  /** An index from a stored snapshot; refuses anything not shaped like one (it came from storage). */
  static fromSnapshot(value: unknown): TextIndex {
    const index = new TextIndex();
    const s = value as Partial<IndexSnapshot> | null;
    if (!s || s.version !== 1 || !Array.isArray(s.cables)) throw new TypeError('the stored search index is not a version 1 index');
    for (const c of s.cables as unknown[]) {
      const r = c as Record<string, unknown>;
      const fields = ['id', 'dtg', 'precedence', 'classification', 'from', 'subject'] as const;
      if (!r || fields.some((f) => typeof r[f] !== 'string') || !Array.isArray(r.terms) || r.terms.some((t) => typeof t !== 'string')) {
        throw new TypeError('the stored search index has a malformed cable');
      }
      index.put(r as unknown as IndexedCable, r.terms as string[]);
    }
    return index;
  }
}
