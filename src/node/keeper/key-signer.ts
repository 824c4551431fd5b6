// A checkpoint signer over the log key held in memory: what the keeper signs with, and what `chancery node init`,
// unit tests and in-process nodes use. It signs whatever root it is given; the keeper's checks come before it
// (src/node/keeper/head-signer.ts).
import type { HybridSigningKey } from '../../crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { signCheckpoint } from '../../log/checkpoint.ts';
import type { CheckpointSigner, LogIdentity } from '../node-context.ts';

/** The log key and its public identity, as `loadLogKey` and `createLogKey` give them (src/node/log-key.ts). */
export interface LogKeyPair {
  readonly key: HybridSigningKey;
  readonly identity: LogIdentity;
}

/**
 * Signs checkpoints with `pair.key` under its origin, stamped with `now()` (the checkpoint's `time` line).
 *
 * @example
 * ```ts
 * const signer = keySigner(p, await loadLogKey(p, dataDir, node), () => Date.now());
 * const note = await signer.sign(size, root);
 * ```
 */
export function keySigner(p: CryptoProvider, pair: LogKeyPair, now: () => number): CheckpointSigner {
  return {
    identity: pair.identity,
    sign: (size, root) => signCheckpoint(p, { origin: pair.identity.origin, size, root, time: now(), extensions: [] }, pair.key),
  };
}
