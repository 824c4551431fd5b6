// What the sign-in screen shows about the node serving it, fetched from GET /api/v1/node and parsed with the core's
// own id checks (STYLE.md habit 2): nothing in it is trusted yet — the node certificate is verified at enrollment.
import { isNodeName } from '../../src/cable/ids.ts';
import type { NodeName } from '../../src/cable/types.ts';

/** The node's name and organisation as it states them (unverified). */
export interface NodeInfo {
  readonly node: NodeName;
  readonly org: string;
}

const ORG_MAX = 64;

/** Parses the JSON body of GET /api/v1/node; throws TypeError for anything that is not a node's description. */
export function parseNodeInfo(body: unknown): NodeInfo {
  if (typeof body !== 'object' || body === null) throw new TypeError('node description is not an object');
  const { node, org } = body as Record<string, unknown>;
  if (!isNodeName(node)) throw new TypeError('node description has no valid node name');
  if (typeof org !== 'string' || org.length === 0 || org.length > ORG_MAX) throw new TypeError('node description has no valid organisation');
  return { node, org };
}

/** Fetches and parses the node's description from the origin that served the app. */
export async function fetchNodeInfo(signal?: AbortSignal): Promise<NodeInfo> {
  const response = await fetch('/api/v1/node', { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!response.ok) throw new Error(`the node answered ${response.status}`);
  return parseNodeInfo(await response.json());
}
