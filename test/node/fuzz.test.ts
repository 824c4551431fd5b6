// Fuzzing the node's HTTP layer (fast-check): hostile requests to every route, signed by the officer's approved
// device (so handlers really run) or not signed at all. Whatever arrives, the node never answers 5xx, every error
// is `{code, message}` with a code from ErrorCodes, and a refused request leaves every table as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { DeviceId, UserId } from '../../src/cable/types.ts';
import { fromBase64, toBase64 } from '../../src/bytes.ts';
import { xwingGenerateKeyPair } from '../../src/crypto/xwing.ts';
import { ErrorCodes } from '../../src/errors.ts';
import { encodeDeviceRecord, signDeviceRecord } from '../../src/keys/device-record.ts';
import { issueGrant } from '../../src/keys/grant-seal.ts';
import { encodeKeyGrant } from '../../src/keys/key-grant.ts';
import { encodeOfficeEpoch, signOfficeEpoch } from '../../src/keys/office-epoch.ts';
import { allRoutes } from '../../src/node/routes/index.ts';
import type { Route } from '../../src/node/route.ts';
import { verifiedDevice, verifiedEpoch } from '../../src/node/trust.ts';
import { parseKeyId } from '../../src/protocol/key-id.ts';
import { AMERICAS, approvedUser, enroll, LOW, makeNode, NODE, officeBody, OLGA, OLGA_DEVICE, p, readReply, send, signedHeaders, tableDigest, userBody, type Session, type TestNode } from './fixtures.ts';
import { bodyArb, headerPlanArb, NATURAL_PARAMS, paramsArb, queryArb, toJson, type FuzzBody, type FuzzWorld, type HeaderPlan } from './fuzz-arbitraries.ts';

/** With the sweep's ~270 requests, 350 keeps the file under ten seconds; CHANCERY_FUZZ_RUNS=20000 for a long local hunt. */
const RUNS = Number(process.env.CHANCERY_FUZZ_RUNS ?? 350);
const KNOWN_CODES: ReadonlySet<string> = new Set(ErrorCodes);

interface Case {
  readonly route: Route;
  readonly method: string;
  readonly params: readonly string[];
  readonly query: string;
  readonly body: FuzzBody;
  readonly signed: boolean;
  readonly headers: HeaderPlan;
}

/** Builds the fixed world: offices, an approved member, an open epoch, and valid records to start mutating from. */
async function buildWorld(node: TestNode): Promise<{ world: FuzzWorld; enrolling: Session }> {
  const ok = async (path: string, body: unknown) => {
    const reply = await send(node, node.officer, 'POST', path, { body });
    assert.ok(reply.status < 300, `${path}: ${reply.text}`);
  };
  await ok('/api/v1/offices', officeBody(AMERICAS));
  await ok('/api/v1/offices', officeBody(LOW, 'RESTRICTED'));
  await ok('/api/v1/users', userBody(OLGA, 'SECRET', [{ office: AMERICAS, role: 'security-officer' }]));
  const anna = await approvedUser(node, 'anna' as UserId, 'SECRET', [{ office: AMERICAS, role: 'member' }]);
  const epochKey = await xwingGenerateKeyPair(p);
  const epoch = (n: number) =>
    signOfficeEpoch(p, { office: AMERICAS, node: NODE, level: 'RESTRICTED', epoch: n, publicKey: epochKey.publicKey, openedAt: node.context.now(), certifiedBy: OLGA }, node.officer.signingSeed);
  await ok('/api/v1/epochs', { record: toBase64(encodeOfficeEpoch(await epoch(0))) });
  const row = node.context.store.transaction((tx) => tx.getEpoch(AMERICAS, 'RESTRICTED', 0));
  assert.ok(row);
  const grant = await issueGrant(p, {
    epochSecret: epochKey.secretKey, epoch: await verifiedEpoch(node.context, row), recipient: await verifiedDevice(node.context, anna.user, anna.device),
    officers: [{ user: OLGA, signingSeed: node.officer.signingSeed }], issuedAt: node.context.now(),
  });
  // A device enrolled and left pending, with the officer's approval ready: approvals get as far as verification.
  const pending = await enroll(node, anna.user, 'd-pending' as DeviceId);
  assert.equal(pending.reply.status, 201);
  const approval = await signDeviceRecord(
    p,
    { user: anna.user, device: pending.keys.device, node: NODE, signingKey: pending.keys.signingKey, encryptionKey: pending.keys.encryptionKey, createdAt: node.context.now(), approval: { kind: 'officer', officer: OLGA } },
    node.officer.signingSeed,
  );
  const stored = node.context.store.transaction((tx) => ({ officer: tx.getDevice(OLGA, OLGA_DEVICE)?.record, cert: tx.getOfficerCertificate(OLGA), anna: tx.getDevice(anna.user, anna.device)?.record }));
  assert.ok(stored.officer && stored.cert && stored.anna);
  const next = encodeOfficeEpoch(await epoch(1));
  const records = [stored.officer, stored.cert, encodeDeviceRecord(approval), next, encodeKeyGrant(grant), stored.anna];
  const enrolling: Session = { user: 'anna' as UserId, device: 'd-fuzz' as DeviceId, signingSeed: p.randomBytes(32) };
  const enrollingKey = toBase64(await p.ed25519PublicKey(enrolling.signingSeed));
  const b64 = (i: number) => toBase64(records[i]!);
  const templates: FuzzWorld['templates'] = {
    'POST /api/v1/offices': officeBody('MFA.CY.FUZZ'),
    'POST /api/v1/users': userBody('fuzz', 'SECRET', [{ office: AMERICAS, role: 'releasing-officer', releaseCeiling: 'SECRET' }]),
    'POST /api/v1/enrollments': { user: 'anna', device: 'd-fuzz', signingKey: enrollingKey, encryptionKey: toBase64(anna.encryptionKey) },
    'POST /api/v1/devices/:user/:device/approval': { record: b64(2) },
    'POST /api/v1/officers': { certificate: b64(1) },
    'POST /api/v1/epochs': { record: b64(3) },
    'POST /api/v1/epoch-closures': { record: b64(3) },
    'POST /api/v1/grants': { record: b64(4) },
    'POST /api/v1/drafts': { draft: b64(0) },
    'POST /api/v1/drafts/:id/release': { envelope: b64(0) },
    'POST /api/v1/drafts/:id/share': { office: AMERICAS },
    'POST /api/v1/drafts/:id/send': { envelope: b64(0) },
    'POST /api/v1/cables/:id/share': { office: AMERICAS },
    'POST /api/v1/cables/:id/read': {},
  };
  return { world: { records, templates }, enrolling };
}

/** Who signs: for an enrollment, the key the body enrolls (under the body's own id, when it has a usable one). */
function signerFor(node: TestNode, c: Case, body: Uint8Array, enrolling: Session): Session {
  if (c.route.auth !== 'enrollment') return node.officer;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { user?: unknown; device?: unknown };
    const ids = parseKeyId(`${String(parsed.user)}/${String(parsed.device)}`);
    if (ids) return { ...enrolling, user: ids.user, device: ids.device };
  } catch {
    // not JSON: sign as the enrolling key anyway; the node must still refuse cleanly
  }
  return enrolling;
}

async function requestFor(node: TestNode, c: Case, enrolling: Session): Promise<Request> {
  const params = [...c.params];
  const url = `${node.context.identity.url}${c.route.path.replace(/:[A-Za-z]+/g, () => params.shift() ?? 'x')}${c.query}`;
  const body = c.body.kind === 'raw' && c.method !== 'GET' ? c.body.bytes : new Uint8Array(0);
  const headers = new Headers();
  const contentType = c.headers.contentType === undefined ? (body.length > 0 ? 'application/json' : null) : c.headers.contentType;
  if (contentType !== null) headers.set('content-type', contentType);
  for (const [name, value] of Object.entries(c.headers.extra)) {
    // A signed request keeps its own signature headers unless this case spoils one on purpose.
    if (!c.signed || !['signature', 'signature-input', 'content-digest'].includes(name)) headers.set(name, value);
  }
  if (c.signed) {
    const signed = await signedHeaders(signerFor(node, c, body, enrolling), c.method, url, body, node.context.now());
    for (const [name, value] of Object.entries(signed)) headers.set(name, value);
    if (c.headers.spoil !== 'none') headers.set(c.headers.spoil, c.headers.extra[c.headers.spoil] ?? 'sig1=:AAAA:');
  }
  return new Request(url, { method: c.method, headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) });
}

function caseArb(world: FuzzWorld): fc.Arbitrary<Case> {
  return fc.constantFrom(...allRoutes).chain((route) =>
    fc.record({
      route: fc.constant(route),
      method: fc.oneof({ weight: 9, arbitrary: fc.constant<string>(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') }),
      params: paramsArb(route),
      query: queryArb,
      body: bodyArb(world, route),
      signed: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      headers: headerPlanArb,
    }),
  );
}

/** Tallies of what the node answered, to show the fuzz reached the handlers. */
class Tally {
  readonly statuses = new Map<number, number>();
  signed = 0;
  reachedHandler = 0;
  report(): string {
    return `statuses ${JSON.stringify(Object.fromEntries([...this.statuses].sort(([a], [b]) => a - b)))}; signed ${this.signed}, past authentication ${this.reachedHandler}`;
  }
}

/** Sends one case and checks the three invariants: no 5xx, `{code, message}` with a known code, no write on refusal. */
async function check(node: TestNode, tables: ReturnType<typeof tableDigest>, enrolling: Session, c: Case, tally: Tally): Promise<void> {
  const request = await requestFor(node, c, enrolling);
  const before = tables.digest();
  const reply = await readReply(await node.app.request(request));
  const what = `${c.method} ${new URL(request.url).pathname.slice(0, 200)} → ${reply.status} ${reply.text.slice(0, 300)}`;
  tally.statuses.set(reply.status, (tally.statuses.get(reply.status) ?? 0) + 1);
  if (c.signed) {
    tally.signed++;
    if (reply.status !== 401 && reply.status !== 413) tally.reachedHandler++;
  }
  assert.ok(reply.status < 500, what);
  if (reply.status >= 400) {
    assert.match(reply.headers.get('content-type') ?? '', /^application\/json/, what);
    const j = reply.json as { code?: unknown; message?: unknown };
    assert.ok(typeof j === 'object' && j !== null && !Array.isArray(j), what);
    assert.ok(typeof j.code === 'string' && KNOWN_CODES.has(j.code), `unknown code: ${what}`);
    assert.equal(typeof j.message, 'string', what);
  } else if (c.route.produces === 'text' && c.method === c.route.method) {
    assert.match(reply.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/, what);
  } else {
    assert.notEqual(reply.json, undefined, `a success is JSON: ${what}`);
  }
  if (reply.status >= 300 || c.method === 'GET') assert.deepEqual(tables.digest(), before, `a refused request wrote: ${what}`);
}

/** One change to one field of a valid body: gone, repeated, or replaced by something hostile. */
const FIELD_CHANGES: readonly (readonly [string, (v: unknown) => unknown])[] = [
  ['null', () => null],
  ['a number', () => 1e308],
  ['negative', () => -1],
  ['empty', () => ''],
  ['huge', () => 'A'.repeat(60_000)],
  ['wrapped in a list', (v) => [v]],
  ['a polluting object', () => ({ entries: [['__proto__', { entries: [['polluted', true]] }]] })],
  ['its first item twice', (v) => (Array.isArray(v) ? twice(v) : [v, v])],
  ['not base64', () => '!!!!'],
  ['with its last byte flipped', (v) => reencoded(v, (b) => b.map((x, i) => (i === b.length - 1 ? x ^ 1 : x)))],
  ['cut short', (v) => reencoded(v, (b) => b.slice(0, b.length >> 1))],
];

function twice(items: readonly unknown[]): unknown[] {
  return items.length > 0 ? [...items, items[0]] : [null, null];
}

/** A base64 value's bytes changed by `f` (a signed record's signature, or its CBOR framing); other values as they are. */
function reencoded(v: unknown, f: (bytes: Uint8Array) => Uint8Array): unknown {
  if (typeof v !== 'string' || v.length < 8) return v;
  try {
    return toBase64(f(fromBase64(v)));
  } catch {
    return v;
  }
}

/** Every route's valid body with each field changed one way at a time, plus pollution keys beside the fields. */
function sweepCases(world: FuzzWorld): Case[] {
  const headers: HeaderPlan = { contentType: undefined, spoil: 'none', extra: {} };
  const params = (route: Route) => [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => encodeURIComponent(NATURAL_PARAMS[m[1] ?? '']?.[0] ?? 'x'));
  const cases: Case[] = [];
  for (const route of allRoutes.filter((r) => r.method === 'POST')) {
    const entries: [string, unknown][] = Object.entries(world.templates[`${route.method} ${route.path}`] ?? {});
    const bodies = entries.flatMap(([key], i) => [
      entries.filter((_, j) => j !== i),
      ...FIELD_CHANGES.map(([, change]) => entries.map(([k, v]): [string, unknown] => [k, k === key ? change(v) : v])),
    ]);
    bodies.push([...entries, ['__proto__', { entries: [['polluted', true]] }]], [['constructor', { entries: [['prototype', 1]] }], ...entries]);
    for (const body of bodies) {
      cases.push({ route, method: route.method, params: params(route), query: '', signed: true, headers, body: { kind: 'raw', bytes: new TextEncoder().encode(toJson({ entries: body })) } });
    }
  }
  return cases;
}

describe('HTTP fuzz over every route', () => {
  let node: TestNode;
  let tables: ReturnType<typeof tableDigest>;
  let world: FuzzWorld;
  let enrolling: Session;
  before(async () => {
    node = await makeNode();
    tables = tableDigest(node.dataDir);
    ({ world, enrolling } = await buildWorld(node));
  });
  after(() => {
    tables.close();
    node.close();
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  });

  it('each field of each valid body, changed one way at a time (signed by the officer)', async (t) => {
    const tally = new Tally();
    for (const c of sweepCases(world)) await check(node, tables, enrolling, c, tally);
    t.diagnostic(tally.report());
    assert.ok(tally.reachedHandler >= tally.signed * 0.9, tally.report());
  });

  it(`${RUNS} random hostile requests: no 5xx, errors are {code, message} with known codes, refusals write nothing`, async (t) => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(caseArb(world), (c) => check(node, tables, enrolling, c, tally)),
      { numRuns: RUNS },
    );
    t.diagnostic(tally.report());
    assert.ok(tally.reachedHandler >= tally.signed / 3, `too few signed requests reached a handler: ${tally.report()}`);
  });
});
