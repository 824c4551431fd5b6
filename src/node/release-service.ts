// The release service: the one module that loads the node's release key (DATA/release-service.key, mode 0600) and
// uses it. Route code gets a `ReleaseService` and never the key. Policy, rate limits and the audit log are checked
// by the caller before it asks for a share (the audit-log milestone moves that check in here, log first).
import { readFileSync } from 'node:fs';
import type { NodeName, OfficeCode } from '../cable/types.ts';
import { fromBase64, wipe } from '../bytes.ts';
import { FileError, OpenError } from '../errors.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { openReleaseShares } from '../envelope/open.ts';
import type { ReleaseService } from './node-context.ts';

/** A release service over a secret held in memory. */
export function releaseServiceFromSecret(p: CryptoProvider, node: NodeName, secretKey: Uint8Array): ReleaseService {
  const key = secretKey.slice();
  return {
    async shareFor(verified, office: OfficeCode) {
      const shares = await openReleaseShares(p, verified, node, key);
      const share = shares.get(office);
      for (const [other, s] of shares) if (other !== office) wipe(s);
      if (!share) throw new OpenError('open.not_addressed', `no share for ${office}`);
      return share;
    },
  };
}

/** Loads the release key file written by `chancery node init`. */
export function loadReleaseService(p: CryptoProvider, node: NodeName, path: string): ReleaseService {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FileError('file.missing', `release-service key not found at ${path}`, { cause });
  }
  let secret: Uint8Array;
  try {
    const parsed = JSON.parse(text) as { v?: unknown; node?: unknown; secretKey?: unknown };
    if (parsed.v !== 1 || parsed.node !== node || typeof parsed.secretKey !== 'string') throw new Error('shape');
    secret = fromBase64(parsed.secretKey);
    if (secret.length !== 32) throw new Error('length');
  } catch (cause) {
    throw new FileError('file.malformed', `release-service key file ${path} is malformed`, { cause });
  }
  const service = releaseServiceFromSecret(p, node, secret);
  wipe(secret);
  return service;
}
