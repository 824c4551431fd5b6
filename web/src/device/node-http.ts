// The browser's HTTP seam: the client's own JSON client (src/client/http.ts), signing for the node's public URL as
// its certificate states it, but always fetching from the origin that served the app — the same node under the
// name the browser used — with the session cookie (same-origin only; the cookie is SameSite=Strict anyway).
import type { Fetch, HttpOptions, NodeHttp } from '../../../src/client/http.ts';
import { createNodeHttp } from '../../../src/client/http.ts';
import { webProvider } from '../../../src/crypto/web-provider.ts';

/** Rewrites a URL under the node's public origin to this page's origin. */
export const sameOriginFetch: Fetch = (input, init) => {
  const u = new URL(input);
  return fetch(`${u.pathname}${u.search}`, { ...init, credentials: 'same-origin' });
};

/** A client for this node: unsigned (`signer` null: public and session-only routes) or signed by a device. */
export function nodeHttp(url: string, signer: HttpOptions['signer']): NodeHttp {
  return createNodeHttp(webProvider, { url, signer, fetch: sameOriginFetch });
}
