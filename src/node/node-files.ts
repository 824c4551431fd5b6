// The files of a node's data directory (docs/node.md "Processes and files"): the public node description, the
// node's signing seeds and the release-service key (each its own 0600 file), and the SQLite store.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNodeName } from '../cable/ids.ts';
import { fromBase64, toBase64 } from '../bytes.ts';
import { FileError } from '../errors.ts';
import type { NodeIdentity } from './node-context.ts';

export const NodeFiles = {
  description: 'node.json',
  store: 'node.sqlite',
  signingKey: 'node-signing.key',
  releaseKey: 'release-service.key',
} as const;

export function nodePath(dataDir: string, file: keyof typeof NodeFiles): string {
  return join(dataDir, NodeFiles[file]);
}

/** node.json: who the node is (all public). */
export function describeNode(identity: NodeIdentity): string {
  const { node, org, url, certificate, root } = identity;
  return `${JSON.stringify({ v: 1, node, org, url, certificate: toBase64(certificate), root: toBase64(root) }, null, 2)}\n`;
}

export function readNodeIdentity(dataDir: string, url?: string): NodeIdentity {
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
    };
  } catch (cause) {
    throw new FileError('file.malformed', `${path} is malformed`, { cause });
  }
}
