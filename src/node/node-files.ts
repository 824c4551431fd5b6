// The files of a node's data directory (docs/node.md "Processes and files"): the public node description, the
// node's signing seeds, the release-service key and the audit log's signing key (each its own 0600 file), and the
// SQLite store.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNodeName } from '../cable/ids.ts';
import { fromBase64, toBase64 } from '../bytes.ts';
import { HybridLengths, type HybridSecretKey } from '../crypto/hybrid-signature.ts';
import { FileError } from '../errors.ts';
import type { LogIdentity, NodeIdentity } from './node-context.ts';

export const NodeFiles = {
  description: 'node.json',
  store: 'node.sqlite',
  signingKey: 'node-signing.key',
  releaseKey: 'release-service.key',
  logKey: 'log-signing.key',
} as const;

export function nodePath(dataDir: string, file: keyof typeof NodeFiles): string {
  return join(dataDir, NodeFiles[file]);
}

/**
 * What node.json holds. `log` is absent in a data directory made before the audit log (issue 4): the node then
 * creates its log key on first start and adds it (src/node/log-key.ts).
 */
export type NodeDescription = Omit<NodeIdentity, 'log'> & { readonly log?: LogIdentity };

/** node.json: who the node is (all public). */
export function describeNode(identity: NodeDescription): string {
  const { node, org, url, certificate, root, log } = identity;
  const logJson = log ? { log: { origin: log.origin, ed25519: toBase64(log.publicKey.ed25519), mlDsa65: toBase64(log.publicKey.mlDsa65) } } : {};
  return `${JSON.stringify({ v: 1, node, org, url, certificate: toBase64(certificate), root: toBase64(root), ...logJson }, null, 2)}\n`;
}

function logOf(value: unknown): LogIdentity {
  if (typeof value !== 'object' || value === null) throw new Error('log: shape');
  const { origin, ed25519, mlDsa65 } = value as Record<string, unknown>; // an object: only read, then checked
  if (typeof origin !== 'string' || typeof ed25519 !== 'string' || typeof mlDsa65 !== 'string') throw new Error('log: shape');
  const publicKey = { ed25519: fromBase64(ed25519), mlDsa65: fromBase64(mlDsa65) };
  if (publicKey.ed25519.length !== HybridLengths.ed25519Public || publicKey.mlDsa65.length !== HybridLengths.mlDsa65Public) throw new Error('log: key length');
  return { origin, publicKey };
}

export function readNodeIdentity(dataDir: string, url?: string): NodeDescription {
  const path = nodePath(dataDir, 'description');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FileError('file.missing', `${path} not found: run \`chancery node init --data ${dataDir}\` first`, { cause });
  }
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    if (j.v !== 1 || typeof j.node !== 'string' || typeof j.org !== 'string' || typeof j.url !== 'string') throw new Error('shape');
    if (typeof j.certificate !== 'string' || typeof j.root !== 'string') throw new Error('shape');
    return {
      node: parseNodeName(j.node),
      org: j.org,
      url: url ?? j.url,
      certificate: fromBase64(j.certificate),
      root: fromBase64(j.root),
      ...(j.log === undefined ? {} : { log: logOf(j.log) }),
    };
  } catch (cause) {
    throw new FileError('file.malformed', `${path} is malformed`, { cause });
  }
}

/**
 * The node's signing key (DATA/node-signing.key, written by `chancery node init`): signs the node's federation
 * requests and delivery receipts. The web process loads it; it opens no cable (docs/federation.md).
 */
export function readNodeSigningKey(dataDir: string): HybridSecretKey {
  const path = nodePath(dataDir, 'signingKey');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FileError('file.missing', `${path} not found: the node's signing key is made by \`chancery node init\``, { cause });
  }
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    if (j.v !== 1 || typeof j.ed25519Seed !== 'string' || typeof j.mlDsa65Secret !== 'string') throw new Error('shape');
    const key = { ed25519Seed: fromBase64(j.ed25519Seed), mlDsa65Secret: fromBase64(j.mlDsa65Secret) };
    if (key.ed25519Seed.length !== HybridLengths.ed25519Seed || key.mlDsa65Secret.length !== HybridLengths.mlDsa65Secret) throw new Error('length');
    return key;
  } catch (cause) {
    throw new FileError('file.malformed', `${path} is not a node signing key`, { cause });
  }
}
