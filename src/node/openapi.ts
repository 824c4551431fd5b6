// The OpenAPI 3.1 document of the node's API, generated from the route list itself (so it cannot drift) and
// served at /api/v1/openapi.json.
import type { NodeIdentity } from './node-context.ts';
import type { Route } from './route.ts';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string', description: 'stable error code (src/errors.ts)' }, message: { type: 'string' } },
} as const;

/** `/api/v1/cables/:id` → `/api/v1/cables/{id}` and its parameter names. */
function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const converted = path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: converted, params };
}

export function buildOpenApi(identity: NodeIdentity, routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const { path, params } = openApiPath(route.path);
    const operation: Record<string, unknown> = {
      summary: route.summary,
      operationId: `${route.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
      parameters: params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      responses: {
        '200': {
          description: 'success',
          content: route.produces === 'text' ? { 'text/plain': { schema: { type: 'string' } } } : { 'application/json': { schema: { type: 'object' } } },
        },
        '4XX': { description: 'refused', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      ...(route.auth === 'none' ? { security: [] } : {}),
      ...(route.auth === 'session' ? { security: [{ sessionCookie: [] }] } : {}),
    };
    if (route.method !== 'GET') operation.requestBody = { required: true, content: { 'application/json': { schema: { type: 'object' } } } };
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: `Chancery node ${identity.node}`, version: '1', description: 'Every call but enrollment is signed by a device key (RFC 9421); see docs/node.md.' },
    servers: [{ url: identity.url }],
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        deviceSignature: { type: 'apiKey', in: 'header', name: 'Signature', description: 'RFC 9421 HTTP Message Signature, Ed25519, by an approved device' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: '__Host-chancery-session', description: 'a passkey login (docs/web-auth.md); browser devices need it beside their signature' },
      },
    },
    security: [{ deviceSignature: [] }],
    paths,
  };
}
