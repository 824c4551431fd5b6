// Hostile requests for the node's HTTP fuzz test: bodies (random JSON, field-shaped maps, valid bodies with one
// thing changed, huge strings, deep nesting, invalid UTF-8, prototype-pollution keys, base64 garbage and mutated
// signed records), headers, path parameters and query strings. Pure data: signing happens in fuzz.test.ts.
import fc from 'fast-check';
import { toBase64 } from '../../src/bytes.ts';
import type { Route } from '../../src/node/route.ts';

/** Valid records (encoded) the fuzzer mutates, and valid bodies per route it starts from. */
export interface FuzzWorld {
  readonly records: readonly Uint8Array[];
  readonly templates: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export type FuzzBody = { readonly kind: 'none' } | { readonly kind: 'raw'; readonly bytes: Uint8Array };

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
export const headerText = (maxLength: number) => fc.string({ unit: printable, maxLength });

const FIELDS = [
  'code', 'name', 'ceiling', 'communities', 'id', 'clearance', 'nationality', 'organisations', 'caveats', 'memberships', 'active', 'frozen',
  'user', 'device', 'signingKey', 'encryptionKey', 'record', 'certificate', 'draft', 'envelope', 'office', 'role', 'releaseCeiling',
];
const POLLUTION = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
export const IDISH = [
  'olga', 'd-olga-1', 'anna', 'd-anna-1', 'nobody', 'MFA.CY', 'MFA.CY.AMERICAS', 'MFA.CY.LOW', 'EEAS.DEL.X', 'SECRET', 'RESTRICTED', 'TOP',
  'member', 'security-officer', 'releasing-officer', 'MFA.CY.AMERICAS/2026/000001', 'EU', 'CY', '', ' ', 'A', '-', '.', 'x'.repeat(300),
];

const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 2, arbitrary: fc.constantFrom(...POLLUTION) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });

function mutate(bytes: Uint8Array, at: number, how: number, value: number): Uint8Array {
  const i = bytes.length === 0 ? 0 : at % bytes.length;
  switch (how) {
    case 0: return bytes.slice(0, i); // truncated
    case 1: return new Uint8Array([...bytes, value]); // trailing byte
    case 2: return bytes; // unchanged: a valid record, so handlers run to their end
    default: {
      const copy = bytes.slice();
      copy[i] = (copy[i] ?? 0) ^ (value | 1); // one byte flipped
      return copy;
    }
  }
}

function leaf(world: FuzzWorld) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>(...IDISH) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0), fc.constant(2 ** 53), fc.constant(1e308)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 1400 }).map(toBase64) },
    { weight: 1, arbitrary: fc.constantFrom('====', '!!!!', 'AAA', 'A===', 'QQ==\n', 'QQ', '-_-_', 'AAAA'.repeat(400) + '=') },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 90_000 }), fc.constantFrom('A', 'x', '\u00e9', '\ud83d\ude00', '\\')).map(([n, c]) => c.repeat(n)) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...world.records), fc.nat(), fc.nat(3), fc.nat(255)).map(([r, at, how, v]) => toBase64(mutate(r, at, how, v))) },
  );
}

/** JSON values of bounded size with object keys drawn from the API's field names and pollution keys. */
function jsonValue(world: FuzzWorld) {
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf(world), fc.array(tie('value'), { maxLength: 4 }), tie('object')),
    object: fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map((entries) => ({ entries })),
  }));
  return value;
}

/** Serialises, keeping duplicate and `__proto__` keys as written (a plain object would lose them). */
export function toJson(v: unknown): string {
  if (typeof v === 'object' && v !== null && 'entries' in v && Array.isArray(v.entries)) {
    const entries: readonly unknown[] = v.entries;
    return `{${entries.map((e) => (Array.isArray(e) ? `${JSON.stringify(String(e[0]))}:${toJson(e[1])}` : '"":null')).join(',')}}`;
  }
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  return JSON.stringify(v) ?? 'null';
}

const enc = new TextEncoder();

/** A route's valid body with its records mutated in place, and some keys set to other values, deleted or added. */
function edited(world: FuzzWorld, route: Route) {
  const template = world.templates[`${route.method} ${route.path}`] ?? {};
  const edit = fc.tuple(fc.constantFrom('set', 'delete', 'set', 'repeat'), fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...Object.keys(template), 'x') }, { weight: 1, arbitrary: key }), jsonValue(world));
  const recordMutation = fc.tuple(fc.nat(), fc.nat(3), fc.nat(255));
  return fc.tuple(fc.array(edit, { maxLength: 3 }), recordMutation).map(([edits, [at, how, value]]) => {
    const entries: [string, unknown][] = Object.entries(template).map(([k, v]) => {
      const record = typeof v === 'string' ? world.records.find((r) => toBase64(r) === v) : undefined;
      return [k, record ? toBase64(mutate(record, at, how, value)) : v];
    });
    for (const [op, k, v] of edits) {
      const at = entries.findIndex(([name]) => name === k);
      const current = at >= 0 ? entries[at]?.[1] : undefined;
      if (op === 'delete') {
        if (at >= 0) entries.splice(at, 1);
      } else if (op === 'repeat') {
        // A list with its first item twice (one office listed twice, one membership given twice…).
        const items: readonly unknown[] = Array.isArray(current) ? current : [];
        if (items.length > 0) entries[at] = [k, [...items, items[0]]];
      } else if (at >= 0) entries[at] = [k, v];
      else entries.push([k, v]);
    }
    return { entries };
  });
}

export function bodyArb(world: FuzzWorld, route: Route): fc.Arbitrary<FuzzBody> {
  const raw = (s: string): FuzzBody => ({ kind: 'raw', bytes: enc.encode(s) });
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<FuzzBody>({ kind: 'none' }) },
    { weight: 6, arbitrary: edited(world, route).map((v) => raw(toJson(v))) },
    { weight: 4, arbitrary: jsonValue(world).map((v) => raw(toJson(v))) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 40_000 }), fc.constantFrom('[', '{"a":')).map(([n, open]) => raw(open === '[' ? '['.repeat(n) + ']'.repeat(n) : `${open.repeat(n)}1${'}'.repeat(n)}`)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map(raw) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes): FuzzBody => ({ kind: 'raw', bytes })) },
  );
}

const paramArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...IDISH).map(encodeURIComponent) },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%ZZ', '%00', '%2F', '%2e%2e', '..', '.', '%C0%AF', '%ED%A0%80', 'a'.repeat(4000), '__proto__', 'constructor') },
);

/** Path parameter values that name things the fuzz world holds, so handlers get past their lookups. */
export const NATURAL_PARAMS: Readonly<Record<string, readonly string[]>> = {
  user: ['anna', 'olga'],
  device: ['d-pending', 'd-anna-1', 'd-fuzz'],
  id: ['MFA.CY.AMERICAS/2026/000001', 'olga', 'anna'],
  code: ['MFA.CY.AMERICAS', 'MFA.CY.LOW'],
  index: ['0', '1', '3'],
};

/** Values for a route's path parameters, in order, as they appear in the URL (encoded, or deliberately not). */
export function paramsArb(route: Route): fc.Arbitrary<string[]> {
  const names = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? '');
  return fc.tuple(
    ...names.map((name) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(NATURAL_PARAMS[name] ?? IDISH)).map(encodeURIComponent) }, { weight: 2, arbitrary: paramArb })),
  );
}

export const queryArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('office', 'limit', 'after', 'user', 'device', 'cursor', 'from', 'to', 'count', 'size', '__proto__', ''), fc.oneof(fc.constantFrom(...IDISH), fc.string({ maxLength: 40 }), fc.integer().map(String), fc.constantFrom('1e400', '-1', 'NaN', '0.5', 'eyJwIjowLCJzIjowLCJvIjoiWCJ9', 'x'.repeat(2000)))), { maxLength: 4 })
      .map((pairs) => (pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('?', '?&', '?=', '?office', '?office=%', '?limit=1e400&limit=2', '?after=%FF', '?office=MFA.CY.AMERICAS&office=MFA.CY.LOW',
      '?from=0&to=3', '?from=3&to=1', '?from=1&to=9007199254740991', '?from=0&count=1000000', '?size=2', '?size=99999', '?from=01&to=2'),
  },
);

const sfGarbage = fc.oneof(
  headerText(300),
  fc.tuple(fc.constantFrom('sig1', 'sig2', 'sig1, sig2'), fc.constantFrom('("@method" "@target-uri" "content-digest")', '("@method")', '()', '("@method";sf)', '?1', ':AAAA:'), fc.integer(), headerText(30), fc.constantFrom('olga/d-olga-1', 'x', 'olga/d-olga-1/x', ''), fc.constantFrom('ed25519', 'rsa', ''))
    .map(([label, list, created, nonce, keyid, alg]) => `${label}=${list};created=${created};nonce="${nonce.replace(/["\\]/g, '')}";keyid="${keyid}";alg="${alg}"`),
  fc.uint8Array({ maxLength: 80 }).map((b) => `sig1=:${toBase64(b)}:`),
);

export interface HeaderPlan {
  readonly contentType: string | null | undefined;
  /** For a signed request, which of its headers to spoil after signing. */
  readonly spoil: 'none' | 'signature' | 'signature-input' | 'content-digest';
  readonly extra: Readonly<Record<string, string>>;
}

export const headerPlanArb: fc.Arbitrary<HeaderPlan> = fc.record({
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constant<string | null | undefined>(undefined) },
    { weight: 1, arbitrary: fc.constant<string | null | undefined>(null) },
    { weight: 2, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/jsonx', 'application/json;', 'application/x-www-form-urlencoded', '*/*', ' application/json') },
    { weight: 1, arbitrary: headerText(60) },
  ),
  spoil: fc.oneof({ weight: 8, arbitrary: fc.constant('none' as const) }, { weight: 1, arbitrary: fc.constantFrom('signature' as const, 'signature-input' as const, 'content-digest' as const) }),
  extra: fc.dictionary(fc.constantFrom('signature', 'signature-input', 'content-digest', 'x-forwarded-host', 'host', 'content-encoding', 'x-chancery'), fc.oneof(sfGarbage, headerText(60)), { maxKeys: 2 }),
});
