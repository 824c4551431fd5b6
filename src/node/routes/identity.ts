// Who this node is: its certificate and organisation root, which clients pin by fingerprint at enrollment, and its
// audit log's origin and public key, which they pin beside it (docs/node.md "The audit log").
import { formatVerifierKey } from '../../log/note-keys.ts';
import { b64 } from '../request-body.ts';
import type { Route } from '../route.ts';

export const identityRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/node',
    summary: 'The node certificate, the organisation root it chains to, and the audit log key that signs checkpoints',
    auth: 'none',
    handle: (node) => {
      const { identity, auditLog } = node;
      return {
        body: {
          node: identity.node,
          org: identity.org,
          url: identity.url,
          certificate: b64(identity.certificate),
          root: b64(identity.root),
          log: {
            origin: identity.log.origin,
            publicKey: { ed25519: b64(identity.log.publicKey.ed25519), mlDsa65: b64(identity.log.publicKey.mlDsa65) },
            // The note verifier keys in Go's text form: the first is what sumdb/note and witnesses take as it is.
            verifierKeys: [formatVerifierKey(auditLog.policy.ed25519), formatVerifierKey(auditLog.policy.mlDsa65)],
          },
        },
      };
    },
  },
];
