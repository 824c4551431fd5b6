// The WebAuthn relying party a node is (docs/web.md "Origin"): its id is the host name of the node's public URL and
// the one origin it accepts is that URL's origin. An IP address cannot be a relying party id (WebAuthn §5.1.4.1
// needs a valid domain), so a node served under one refuses passkeys with a stable code saying what to change.
import { isIP } from 'node:net';
import { WebAuthError } from '../../errors.ts';
import type { NodeContext } from '../node-context.ts';

export interface RelyingParty {
  readonly id: string;
  readonly origin: string;
  readonly name: string;
}

export function relyingParty(node: NodeContext): RelyingParty {
  const url = new URL(node.identity.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    throw new WebAuthError(
      'webauthn.unsupported_origin',
      `passkeys need the node to be served under a host name, not the IP address ${host}: set its public URL to a name (http://localhost:PORT for a demo, https://cables.example.eu in production)`,
    );
  }
  return { id: url.hostname, origin: url.origin, name: `Chancery ${node.identity.node}` };
}
