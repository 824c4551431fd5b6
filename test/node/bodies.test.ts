// Request bodies at the node's edge (src/node/app.ts): a body over the route's cap is 413 before anything reads it,
// only application/json is accepted (415), and malformed JSON or UTF-8 is 400 — each as `{code, message}`, each
// writing nothing. In-process, and over real HTTP for the size cap (Content-Length and chunked).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startNode, type RunningNode } from '../../src/node/serve.ts';
import { AMERICAS, buildRequest, codeOf, initTestNode, makeNode, officeBody, p, readReply, send, tableDigest, type InitialisedNode, type Reply, type TestNode } from './fixtures.ts';

const DEFAULT_MAX = 64 * 1024;

function assertError(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(codeOf(reply), code, reply.text);
}

/** A well-formed office body padded past `size` bytes (the padding is a legal name, so only size is wrong). */
function paddedOffice(size: number) {
  return { ...officeBody(AMERICAS), name: 'x'.repeat(size) };
}

describe('request bodies (in-process)', () => {
  let node: TestNode;
  let tables: ReturnType<typeof tableDigest>;
  before(async () => {
    node = await makeNode();
    tables = tableDigest(node.dataDir);
  });
  after(() => {
    tables.close();
    node.close();
  });

  it('a body over the cap is 413 request.too_large, signed or not', async () => {
    const before = tables.digest();
    assertError(await send(node, node.officer, 'POST', '/api/v1/offices', { body: paddedOffice(DEFAULT_MAX) }), 413, 'request.too_large');
    assertError(await send(node, null, 'POST', '/api/v1/offices', { body: paddedOffice(DEFAULT_MAX) }), 413, 'request.too_large');
    assertError(await send(node, null, 'POST', '/api/v1/enrollments', { raw: 'x'.repeat(DEFAULT_MAX + 1) }), 413, 'request.too_large');
    assert.deepEqual(tables.digest(), before);
  });

  it('a body just under the cap reaches the handler; a route may raise its own cap', async () => {
    const name = await send(node, node.officer, 'POST', '/api/v1/offices', { body: paddedOffice(DEFAULT_MAX - 200) });
    assertError(name, 400, 'encoding.malformed'); // the name is too long for an office, which the handler says
    const draft = await send(node, node.officer, 'POST', '/api/v1/drafts', { body: { draft: 'A'.repeat(2 * DEFAULT_MAX) } });
    assert.notEqual(draft.status, 413, 'drafts carry whole envelopes: their cap is larger');
    assert.ok(draft.status >= 400 && draft.status < 500, draft.text);
  });

  it('a body that is not application/json is 415', async () => {
    const before = tables.digest();
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data; boundary=x', 'json']) {
      const reply = await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS), contentType });
      assertError(reply, 415, 'request.unsupported_media_type');
    }
    assertError(await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(AMERICAS), contentType: null }), 415, 'request.unsupported_media_type');
    assert.deepEqual(tables.digest(), before);
  });

  it('application/json with parameters, in any case, is accepted', async () => {
    for (const [i, contentType] of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8'].entries()) {
      const reply = await send(node, node.officer, 'POST', '/api/v1/offices', { body: officeBody(`MFA.CY.OK${i}`), contentType });
      assert.equal(reply.status, 201, `${contentType}: ${reply.text}`);
    }
  });

  it('malformed JSON or UTF-8 is 400 request.malformed', async () => {
    const before = tables.digest();
    const bodies: (string | Uint8Array)[] = ['{', '{"code": }', '{"code":"MFA.CY.X",}', "{'code':1}", 'undefined', '\u0000', '[1,2', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])];
    for (const raw of bodies) assertError(await send(node, node.officer, 'POST', '/api/v1/offices', { raw }), 400, 'request.malformed');
    assert.deepEqual(tables.digest(), before);
  });

  it('well-formed JSON of the wrong shape is 400 with a stable code', async () => {
    for (const body of [null, [], 'office', 42, { code: AMERICAS }, { ...officeBody(AMERICAS), extra: 1 }, { ...officeBody(AMERICAS), ceiling: 'TOP' }]) {
      const reply = await send(node, node.officer, 'POST', '/api/v1/offices', { raw: JSON.stringify(body) });
      assert.equal(reply.status, 400, `${JSON.stringify(body)}: ${reply.text}`);
      assert.ok(['encoding.malformed', 'cable.invalid', 'request.malformed'].includes(codeOf(reply) ?? ''), reply.text);
    }
  });
});

describe('request bodies over real HTTP', () => {
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

  it('413 for an oversized body announced by Content-Length', async () => {
    const target = { url: running.url, now: () => Date.now() };
    const request = await buildRequest(target, init.officer, 'POST', '/api/v1/offices', { body: paddedOffice(2 * DEFAULT_MAX) });
    assertError(await readReply(await fetch(request)), 413, 'request.too_large');
  });

  it('413 for an oversized chunked body (no Content-Length)', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${running.url}/api/v1/offices`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    assertError(await readReply(response), 413, 'request.too_large');
  });
});
