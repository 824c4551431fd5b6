// The node's HTTP application (Hono): one handler per Route, each wrapped the same way — size limit, JSON only,
// authentication, then the handler — and every failure mapped to `{code, message}` with a 4xx in one place.
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { ChanceryError, RequestError } from '../errors.ts';
import { encodePersonalDetails, isNetworkAddress, type PersonalDetails } from '../log/personal-details.ts';
import { httpStatusOf } from './http-status.ts';
import type { NodeMetrics } from './metrics.ts';
import type { NodeContext } from './node-context.ts';
import type { Caller, PeerCaller, Route, RouteAuth } from './route.ts';
import { buildOpenApi } from './openapi.ts';
import { claimedPeer, notePeerRefusal } from './federation/refusals.ts';
import { registerWebApp } from './web-app.ts';
import { webSessionFor } from './web-auth/sessions.ts';

/**
 * Checks a request's signature and signer; returns the device or peer that signed (null for `auth: 'none'`), or
 * throws AuthError.
 */
export type Authenticator = (request: { method: string; url: string; headers: Headers; body: Uint8Array }, mode: RouteAuth) => Promise<Caller | PeerCaller | null>;

const DEFAULT_MAX_BODY = 64 * 1024;

function errorResponse(c: Context, node: NodeContext, error: unknown): Response {
  if (error instanceof ChanceryError) {
    const status = httpStatusOf(error.code);
    if (status >= 500) node.log.error({ code: error.code, err: error.message }, 'request failed');
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if ('issues' in error && Array.isArray(error.issues)) body.issues = error.issues;
    if ('reasons' in error && Array.isArray(error.reasons)) body.reasons = error.reasons;
    return c.json(body, status as 400);
  }
  // Never leak a raw library error: log it (without request content) and answer with a stable code.
  node.log.error({ err: error instanceof Error ? error.message : String(error) }, 'unexpected error');
  return c.json({ code: 'internal', message: 'internal error' }, 500);
}

const USER_AGENT_MAX = 512;

/**
 * The peer's address as the socket saw it (behind a reverse proxy, the proxy's: forwarded headers are the client's
 * word, not evidence) and the User-Agent without control characters, cut at 512 characters. Either is left out when
 * it is not known or not well formed; in-process requests (tests) have no socket.
 */
function clientDetails(c: Context): PersonalDetails | null {
  let ip: string | undefined;
  try {
    const address = getConnInfo(c).remote.address?.toLowerCase();
    if (address !== undefined && isNetworkAddress(address)) ip = address;
  } catch {
    // no Node socket behind this request (Hono's app.request)
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const agent = (c.req.header('user-agent') ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, USER_AGENT_MAX);
  const details = { ...(ip === undefined ? {} : { ip }), ...(agent === '' ? {} : { userAgent: agent }) };
  if (details.ip === undefined && details.userAgent === undefined) return null;
  try {
    encodePersonalDetails(details);
    return details;
  } catch {
    return ip === undefined ? null : { ip };
  }
}

function readJson(c: Context, bytes: Uint8Array): unknown {
  if (bytes.length === 0) return null;
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json(\s*;|$)/i.test(type)) throw new RequestError('request.unsupported_media_type', 'send application/json');
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new RequestError('request.malformed', 'body is not valid UTF-8 JSON');
  }
}

function register(app: Hono, node: NodeContext, route: Route, metrics: NodeMetrics, authenticate: Authenticator): void {
  const maxBody = route.maxBody ?? DEFAULT_MAX_BODY;
  const limit = bodyLimit({
    maxSize: maxBody,
    onError: (c) => {
      // An oversized push is a peer refusal like any other (logged, rate-limited), though its signature is unread.
      const claimed = route.auth === 'peer' ? claimedPeer(c.req.header('signature-input') ?? null) : null;
      if (claimed) notePeerRefusal(node, claimed, 'request.too_large');
      return c.json({ code: 'request.too_large', message: `body exceeds ${maxBody} bytes` }, 413);
    },
  });
  app.on(route.method, route.path, limit, async (c) => {
    const stop = metrics.duration.startTimer({ route: route.path });
    let status = 500;
    try {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const signer = await authenticate({ method: c.req.method, url: c.req.url, headers: c.req.raw.headers, body }, route.auth);
      const caller = signer && 'user' in signer ? signer : null;
      const peer = signer && 'peer' in signer ? signer.peer : null;
      // A browser device's request needs its passkey session too (docs/web-auth.md); a CLI device's does not.
      const session = await webSessionFor(node, route, caller, c.req.header('cookie'));
      const input = { params: c.req.param(), query: new URL(c.req.url).searchParams, body: readJson(c, body), caller, peer, now: node.now(), client: clientDetails(c), session };
      const result = await route.handle(node, input);
      status = result.status ?? 200;
      const headers = result.headers ?? {};
      if (status === 204) return c.body(null, 204, headers);
      if ((result.produces ?? route.produces) === 'text') return c.text(String(result.body), status as 200, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      return c.json(result.body as object, status as 200, headers);
    } catch (error) {
      const response = errorResponse(c, node, error);
      status = response.status;
      return response;
    } finally {
      metrics.requests.inc({ route: route.path, status: String(status) });
      stop();
    }
  });
}

/** The whole node application: API routes, OpenAPI document, health and metrics. */
export function createApp(node: NodeContext, routes: readonly Route[], metrics: NodeMetrics, authenticate: Authenticator): Hono {
  const app = new Hono();
  // The web app first, so its responses carry its own headers (CSP) and not the API's below: src/node/web-app.ts.
  registerWebApp(app, () => node.identity.url);
  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'same-origin' }));
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.get('/healthz', (c) => c.json({ ok: true, node: node.identity.node }));
  app.get('/metrics', async (c) => c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }));
  // Built on first request: the public URL is known only once the server listens.
  let openapi: Record<string, unknown> | undefined;
  app.get('/api/v1/openapi.json', (c) => c.json((openapi ??= buildOpenApi(node.identity, routes))));
  for (const route of routes) register(app, node, route, metrics, authenticate);
  app.notFound((c) => c.json({ code: 'request.not_found', message: 'no such route' }, 404));
  app.onError((error, c) => errorResponse(c, node, error));
  return app;
}
