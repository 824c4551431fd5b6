// The client's one HTTP seam: JSON over fetch to one node, every call signed for one device (RFC 9421, docs/node.md
// "Request signatures") with the exact URL it is sent to. Errors come back as typed ChanceryErrors, never raw.
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import { fromUtf8, utf8 } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { ChanceryError, ErrorCodes, type ErrorCode } from '../errors.ts';
import { signRequest } from '../protocol/http-signature.ts';
import { formatNodeKeyId } from '../protocol/key-id.ts';

/** The fetch function the client uses; a test may wrap it to play a hostile node. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Whose key signs the requests: an approved device, or a device enrolling itself; or a node calling a peer with the
 * Ed25519 half of its certified node key (federation).
 */
export type RequestSigner =
  | { readonly user: UserId; readonly device: DeviceId; readonly signingSeed: Uint8Array }
  | { readonly node: NodeName; readonly signingSeed: Uint8Array };

export interface HttpOptions {
  /** The node's public URL, e.g. `http://127.0.0.1:8080`; requests are signed for exactly this origin. */
  readonly url: string;
  readonly signer: RequestSigner | null;
  readonly fetch?: Fetch;
  /** Per request; default 30 s (a large envelope on a slow link still fits). */
  readonly timeoutMs?: number;
}

/** A JSON client for one node and one device. */
export interface NodeHttp {
  readonly url: string;
  get(path: string, query?: Readonly<Record<string, string | undefined>>): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
}

/** Largest response read: a 60 MiB envelope in base64 and its JSON framing. */
const MAX_RESPONSE_BYTES = 90 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Why a request failed as the node (or the network) said it: `status` 0 means no HTTP answer at all. */
export class RemoteError extends ChanceryError {
  readonly status: number;
  /** Policy denials carry their reasons (`{code, message}`), so a user learns every one at once. */
  readonly reasons: readonly { readonly code: string; readonly message: string }[];
  constructor(code: ErrorCode, message: string, status: number, reasons: RemoteError['reasons'] = [], options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
    this.reasons = reasons;
  }
}

function knownCode(code: unknown): ErrorCode {
  // The union is closed: a code this client does not know (a newer node) is reported as `internal`.
  return ErrorCodes.find((c) => c === code) ?? 'internal';
}

function reasonsOf(value: unknown): RemoteError['reasons'] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, 32).flatMap((r: unknown) => {
    if (typeof r !== 'object' || r === null) return [];
    const { code, message } = r as Record<string, unknown>;
    return typeof code === 'string' && typeof message === 'string' ? [{ code: code.slice(0, 100), message: message.slice(0, 500) }] : [];
  });
}

function errorFrom(status: number, body: unknown): RemoteError {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const message = typeof b.message === 'string' ? b.message.slice(0, 500) : `HTTP ${status}`;
  return new RemoteError(knownCode(b.code), message, status, reasonsOf(b.reasons));
}

async function readBody(res: Response): Promise<unknown> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_RESPONSE_BYTES) throw new RemoteError('request.too_large', 'response too large', res.status);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_RESPONSE_BYTES) throw new RemoteError('request.too_large', 'response too large', res.status);
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(fromUtf8(bytes)) as unknown;
  } catch (cause) {
    throw new RemoteError('encoding.malformed', `node answered HTTP ${res.status} with something that is not JSON`, res.status, [], { cause });
  }
}

function unreachable(url: string, cause: unknown): RemoteError {
  const timeout = cause instanceof Error && cause.name === 'TimeoutError';
  const detail = timeout ? 'timed out' : cause instanceof Error && 'cause' in cause && cause.cause instanceof Error ? cause.cause.message : 'unreachable';
  return new RemoteError('internal', `cannot reach the node at ${new URL(url).origin}: ${detail}`, 0, [], { cause });
}

/**
 * A signed JSON client. Paths are relative to the node URL (`/api/v1/inbox`); the signature covers the full URL
 * with its query, so the node (which rebuilds it from its own public URL) sees exactly what was signed.
 *
 * @example
 * const http = createNodeHttp(p, { url: 'http://127.0.0.1:8080', signer: { user, device, signingSeed } });
 * const inbox = await http.get('/api/v1/inbox', { limit: '50' });
 */
export function createNodeHttp(p: CryptoProvider, options: HttpOptions): NodeHttp {
  const base = new URL(options.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('node URL must be http(s)');
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call(method: 'GET' | 'POST', path: string, query: Readonly<Record<string, string | undefined>>, body: unknown): Promise<unknown> {
    const target = new URL(path, base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) target.searchParams.set(k, v);
    const url = target.toString();
    const text = body === undefined ? undefined : JSON.stringify(body);
    const bytes = text === undefined ? new Uint8Array(0) : utf8(text); // what the Content-Digest covers
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.signer) {
      const signer = options.signer;
      const keyId = 'node' in signer ? formatNodeKeyId(signer.node) : `${signer.user}/${signer.device}`;
      Object.assign(headers, await signRequest(p, { method, url, body: bytes, keyId, signingSeed: signer.signingSeed, now: Date.now() }));
    }
    let res: Response;
    try {
      res = await doFetch(url, { method, headers, signal: AbortSignal.timeout(timeoutMs), ...(text === undefined ? {} : { body: text }) });
    } catch (cause) {
      throw unreachable(url, cause);
    }
    const parsed = await readBody(res);
    if (!res.ok) throw errorFrom(res.status, parsed);
    return parsed;
  }

  return {
    url: base.toString().replace(/\/$/, ''),
    get: (path, query = {}) => call('GET', path, query, undefined),
    post: (path, body) => call('POST', path, {}, body ?? {}),
  };
}
