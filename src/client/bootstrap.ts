// Setting up a new node from the first security officer's machine: `initNode` (organisation root, node keys, the
// officer's certificate and device) and the officer's client configuration, pinned to the root and the audit log
// key just created.
import type { NodeName } from '../cable/types.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { initNode, type InitOptions, type InitResult } from '../node/init.ts';
import { configPathFor, writeClientConfig } from './config.ts';
import { logKeyFingerprint } from './log-view.ts';

/** What `initNode` needs, but the clock: `rootDir` belongs offline in production, never inside `dataDir`. */
export type NodeSetup = Omit<InitOptions, 'now'>;

export interface NodeSetupResult extends InitResult {
  readonly node: NodeName;
  readonly officerConfigFile: string;
}

/** Initialises a node and pins its root and log key for the first officer's device (`<officer key>.json`). */
export async function setUpNode(p: CryptoProvider, setup: NodeSetup): Promise<NodeSetupResult> {
  const result = await initNode(p, { ...setup, now: Date.now() });
  const logPin = logKeyFingerprint(p, result.log.origin, result.log.publicKey);
  await writeClientConfig(setup.officer.keyFile, { node: setup.node, url: setup.url, rootFingerprint: result.rootFingerprint, logKeyFingerprint: logPin });
  return { ...result, node: setup.node, officerConfigFile: configPathFor(setup.officer.keyFile) };
}
