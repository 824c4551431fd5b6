// A route of the node's API: method, path, who may call it, and its handler. The router and the OpenAPI document
// are both built from the one list of routes, so the document cannot drift from what is served.
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import type { PersonalDetails } from '../log/personal-details.ts';
import type { Store } from '../store/store.ts';
import type { WebSessionRow } from '../store/web-auth.ts';
import type { NodeContext } from './node-context.ts';

/**
 * Who may call: anyone, an enrolling (not yet approved) device, an approved device, a peer node (a request signed
 * with its certified node key: federation), or either an approved device or a peer (the public key directory peers
 * synchronise from), or a browser session alone (a passkey login's cookie, no signature: docs/web-auth.md).
 */
export type RouteAuth = 'none' | 'enrollment' | 'device' | 'peer' | 'device-or-peer' | 'session';

export interface Caller {
  readonly user: UserId;
  readonly device: DeviceId;
}

/** A peer node that signed a request (docs/federation.md "Requests between nodes"). */
export interface PeerCaller {
  readonly peer: NodeName;
}

export interface RequestInput {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body (unknown until a handler's decoder has checked it). */
  readonly body: unknown;
  /** The authenticated device, for `auth: 'device'` routes (and `device-or-peer` ones a device called). */
  readonly caller: Caller | null;
  /** The peer node that signed the request, for `auth: 'peer'` routes (and `device-or-peer` ones a peer called). */
  readonly peer: NodeName | null;
  readonly now: number;
  /**
   * Where the request came from (the peer's address, the User-Agent), for the audit log's personal details — kept
   * beside the leaf behind a salted commitment (docs/log.md "Personal details"). Null when neither is known.
   */
  readonly client: PersonalDetails | null;
  /**
   * The live browser session (docs/web-auth.md): always for `auth: 'session'` routes; for a browser device's signed
   * request, its own session; null for a CLI device, a peer, or an unsigned route.
   */
  readonly session?: WebSessionRow | null;
}

export interface RouteResult {
  readonly status?: number;
  /** JSON, unless the route's `produces` is text: then the text itself. */
  readonly body: unknown;
  /** Overrides the route's `produces` for this answer (a relay answers with whatever the relayed route produces). */
  readonly produces?: 'json' | 'text';
  /** Extra response headers (a session's `Set-Cookie`). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Hono path syntax: `/api/v1/cables/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly auth: RouteAuth;
  /** Largest accepted request body in bytes. */
  readonly maxBody?: number;
  /** What a success is: JSON (the default), or UTF-8 text (a signed checkpoint, as C2SP tlog-checkpoint serves it). */
  readonly produces?: 'json' | 'text';
  /**
   * A protected action (releasing a cable, approving a device, clearing a frozen user): a browser device also needs
   * a step-up — its passkey again — under 2 minutes old, consumed by the action. CLI devices are unaffected.
   */
  readonly stepUp?: true;
  handle(node: NodeContext, input: RequestInput): Promise<RouteResult> | RouteResult;
}

export type { Store };
