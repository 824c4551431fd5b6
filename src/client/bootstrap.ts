// Setting up a new node from the first security officer's machine: `initNode` (organisation root, node keys, the
// officer's certificate and device) and the officer's client configuration, pinned to the root just created.
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { initNode, type InitResult } from '../node/init.ts';
import { configPathFor, writeClientConfig } from './config.ts';
import type { KeyFileOptions } from './key-file.ts';

export interface NodeSetup {
  readonly dataDir: string;
  /** Where the organisation root key goes: offline storage in production, never inside `dataDir`. */
  readonly rootDir: string;
  readonly org: string;
  readonly node: NodeName;
  /** The node's public URL, as devices will reach it. */
  readonly url: string;
  readonly rootPassphrase: string;
  readonly officer: {
    readonly id: UserId;
    readonly name: string;
    readonly nationality: string;
    readonly device: DeviceId;
    readonly keyFile: string;
    readonly passphrase: string;
  };
  readonly keyFileOptions?: KeyFileOptions;
}

export interface NodeSetupResult extends InitResult {
  readonly node: NodeName;
  readonly officerConfigFile: string;
}

/** Initialises a node and pins its root for the first officer's device (`<officer key>.json`). */
export async function setUpNode(p: CryptoProvider, setup: NodeSetup): Promise<NodeSetupResult> {
  const result = await initNode(p, { ...setup, now: Date.now() });
  await writeClientConfig(setup.officer.keyFile, { node: setup.node, url: setup.url, rootFingerprint: result.rootFingerprint });
  return { ...result, node: setup.node, officerConfigFile: configPathFor(setup.officer.keyFile) };
}
