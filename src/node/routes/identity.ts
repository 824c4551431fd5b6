// Who this node is: its certificate and organisation root, which clients pin by fingerprint at enrollment.
import { b64 } from '../request-body.ts';
import type { Route } from '../route.ts';

export const identityRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/node',
    summary: 'The node certificate and the organisation root it chains to',
    auth: 'none',
    handle: (node) => ({
      body: { node: node.identity.node, org: node.identity.org, url: node.identity.url, certificate: b64(node.identity.certificate), root: b64(node.identity.root) },
    }),
  },
];
