// The node's self-description and housekeeping endpoints: the OpenAPI 3.1 document lists exactly the routes the
// router serves (both ways), /healthz answers, /metrics speaks the Prometheus text format — in-process and over a
// real socket (startNode on port 0).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { allRoutes } from '../../src/node/routes/index.ts';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { initTestNode, makeNode, NODE, p, readReply, send, type InitialisedNode, type TestNode } from './fixtures.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `/api/v1/devices/:user/:device/approval` → `/api/v1/devices/{user}/{device}/approval`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; required: boolean }[]; responses?: Record<string, unknown> }>>;
  components?: { schemas?: Record<string, unknown> };
}

describe('OpenAPI document', () => {
  let node: TestNode;
  let doc: OpenApiDoc;
  before(async () => {
    node = await makeNode();
    const reply = await send(node, null, 'GET', '/api/v1/openapi.json');
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
    doc = reply.json as OpenApiDoc;
  });
  after(() => node.close());

  it('is OpenAPI 3.1 with info and paths', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.ok(doc.info.title.includes(NODE));
    assert.equal(typeof doc.paths, 'object');
    assert.ok(doc.components?.schemas?.Error, 'the error schema {code, message} is described');
  });

  it('every served route is in the document, with its path parameters', () => {
    for (const route of allRoutes) {
      const operation = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${route.path} missing from the document`);
      const names = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      assert.deepEqual((operation.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name), names, `${route.method} ${route.path} parameters`);
      for (const x of operation.parameters ?? []) assert.equal(x.required, true);
      assert.ok(operation.responses?.['4XX'], `${route.method} ${route.path} documents its errors`);
    }
  });

  it('every documented operation is a served route', () => {
    const served = new Set(allRoutes.map((r) => `${r.method} ${openApiPath(r.path)}`));
    let count = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      assert.doesNotMatch(path, /:/, `${path} still uses :param syntax`);
      for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
        count++;
        assert.ok(served.has(`${method.toUpperCase()} ${path}`), `${method} ${path} is documented but not served`);
      }
    }
    assert.equal(count, allRoutes.length);
  });

  it('/healthz answers with the node name', async () => {
    const reply = await send(node, null, 'GET', '/healthz');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, { ok: true, node: NODE });
  });

  it('/metrics is Prometheus text and counts requests by route and status', async () => {
    await send(node, null, 'GET', '/api/v1/node');
    const reply = await send(node, null, 'GET', '/metrics');
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(reply.text, /^# HELP chancery_http_requests_total /m);
    assert.match(reply.text, /^# TYPE chancery_http_requests_total counter$/m);
    assert.match(reply.text, /^chancery_http_requests_total\{route="\/api\/v1\/node",status="200"\} [1-9]\d*$/m);
    // Every non-comment line is `name{labels} value` (prom-client writes NaN as `Nan`; Prometheus parses floats
    // case-insensitively, as Go's strconv.ParseFloat does).
    for (const line of reply.text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? ([-+0-9.eE]+|NaN|[+-]Inf)$/i, line);
    }
  });
});

describe('over real HTTP (startNode on port 0)', () => {
  let init: InitialisedNode;
  let running: RunningNode;
  before(async () => {
    init = await initTestNode();
    running = await startNode(p, { dataDir: init.dataDir, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }) });
  });
  after(async () => {
    await running.close();
    init.cleanup();
  });

  it('listens on a free port and serves health, metrics and the document', async () => {
    assert.ok(running.port > 0);
    assert.equal(running.url, `http://127.0.0.1:${running.port}`);
    const health = await readReply(await fetch(`${running.url}/healthz`));
    assert.deepEqual(health.json, { ok: true, node: NODE });
    assert.equal(health.headers.get('cache-control'), 'no-store');
    const doc = (await readReply(await fetch(`${running.url}/api/v1/openapi.json`))).json as OpenApiDoc & { servers: { url: string }[] };
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.servers[0]?.url, running.url, 'the document names the URL the node listens on');
    const metrics = await readReply(await fetch(`${running.url}/metrics`));
    assert.match(metrics.text, /chancery_http_requests_total/);
  });

  it('answers an unknown route with 404 {code, message}', async () => {
    const reply = await readReply(await fetch(`${running.url}/api/v1/nothing-here`));
    assert.equal(reply.status, 404);
    assert.deepEqual(reply.json, { code: 'request.not_found', message: 'no such route' });
  });
});
