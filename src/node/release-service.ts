// The release service: the one module that loads the node's release key (DATA/release-service.key, mode 0600) and
// uses it. Route code gets a `ReleaseService` and never the key. Policy and the rate limit are the caller's checks;
// the audit log comes first of all: the service opens a share only against the receipt of the committed log entry
// recording it (docs/node.md "No unlogged decryption").
import { readFileSync } from 'node:fs';
import type { NodeName, OfficeCode } from '../cable/types.ts';
import { fromBase64, wipe } from '../bytes.ts';
import { DecodeError, FileError, InternalError, OpenError } from '../errors.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { openReleaseShares } from '../envelope/open.ts';
import type { VerifiedEnvelope } from '../envelope/verify.ts';
import { decodeLogEntry } from '../log/events.ts';
import type { Store } from '../store/store.ts';
import type { ReleaseService, ShareReceipt } from './node-context.ts';

/** Whether the committed entry at `receipt.index` records a share of this cable for this office. */
function recorded(store: Store, verified: VerifiedEnvelope, office: OfficeCode, receipt: ShareReceipt): boolean {
  const row = store.transaction((tx) => tx.logEntry(receipt.index));
  if (!row) return false;
  try {
    const entry = decodeLogEntry(row.leaf);
    return (entry.kind === 'cable.read' || entry.kind === 'share.released') && entry.cable === verified.routing.id && entry.office === office;
  } catch (error) {
    if (error instanceof DecodeError) return false;
    throw error;
  }
}

/** A release service over a secret held in memory; it reads the log in `store` to check each receipt. */
export function releaseServiceFromSecret(p: CryptoProvider, node: NodeName, secretKey: Uint8Array, store: Store): ReleaseService {
  const key = secretKey.slice();
  return {
    async shareFor(verified, office: OfficeCode, receipt: ShareReceipt) {
      // Route code always logs first; a share asked for without that is a bug, and nothing is opened for it.
      if (!recorded(store, verified, office, receipt)) throw new InternalError('release service: no log entry records this share');
      const shares = await openReleaseShares(p, verified, node, key);
      const share = shares.get(office);
      for (const [other, s] of shares) if (other !== office) wipe(s);
      if (!share) throw new OpenError('open.not_addressed', `no share for ${office}`);
      return share;
    },
  };
}

/** Loads the release key file written by `chancery node init`. */
export function loadReleaseService(p: CryptoProvider, node: NodeName, path: string, store: Store): ReleaseService {
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
  const service = releaseServiceFromSecret(p, node, secret, store);
  wipe(secret);
  return service;
}
