// The audit log's signing key (DATA/log-signing.key, mode 0600): its own hybrid Ed25519 + ML-DSA-65 key, apart from
// the node certificate's key, which signs nothing else. Its public half is in node.json, GET /api/v1/node and the
// root-signed node certificate, where clients take it from (docs/node.md "The audit log"). A data directory made
// before the audit log gets its key on first start, with a warning: clients refuse it until the root certifies it.
// In a running node only the keeper process reads the file (src/node/keeper/keeper.ts); no code path of the web
// process calls this module (docs/node.md "Deployment").
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { NodeName } from '../cable/types.ts';
import { equalBytes, fromBase64, toBase64, wipe } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { HybridLengths, hybridSigningKeyFromSeeds, type HybridSigningKey } from '../crypto/hybrid-signature.ts';
import { FileError } from '../errors.ts';
import { writeNewPrivateFile } from '../client/key-file.ts';
import type { LogIdentity, NodeIdentity } from './node-context.ts';
import { describeNode, nodePath, type NodeDescription } from './node-files.ts';

/**
 * The checkpoint origin of a node's log, also the Ed25519 note key name (C2SP tlog-checkpoint: the key name SHOULD
 * be the origin); the ML-DSA-65 key is named `<origin>/ml-dsa-65`.
 *
 * @example
 * ```ts
 * logOrigin('MFA.CY'); // 'chancery/MFA.CY'
 * ```
 */
export function logOrigin(node: NodeName): string {
  return `chancery/${node}`;
}

/** A fresh log key written to `DATA/log-signing.key` (refuses to replace one: `file.exists`). */
export async function createLogKey(p: CryptoProvider, dataDir: string, node: NodeName): Promise<{ key: HybridSigningKey; identity: LogIdentity }> {
  const ed25519Seed = p.randomBytes(HybridLengths.ed25519Seed);
  const mlDsa65Seed = p.randomBytes(HybridLengths.mlDsa65Seed);
  try {
    const key = await hybridSigningKeyFromSeeds(p, ed25519Seed, mlDsa65Seed);
    const origin = logOrigin(node);
    await writeNewPrivateFile(
      nodePath(dataDir, 'logKey'),
      `${JSON.stringify({ v: 1, node, origin, ed25519Seed: toBase64(ed25519Seed), mlDsa65Seed: toBase64(mlDsa65Seed) })}\n`,
    );
    return { key, identity: { origin, publicKey: key.public } };
  } finally {
    wipe(ed25519Seed, mlDsa65Seed);
  }
}

/** Reads `DATA/log-signing.key`: `file.missing`, or `file.malformed` for another node's file or a bad one. */
export async function loadLogKey(p: CryptoProvider, dataDir: string, node: NodeName): Promise<{ key: HybridSigningKey; identity: LogIdentity }> {
  const path = nodePath(dataDir, 'logKey');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FileError('file.missing', `audit log key not found at ${path}`, { cause });
  }
  let seeds: { ed25519: Uint8Array; mlDsa65: Uint8Array };
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    if (j.v !== 1 || j.node !== node || j.origin !== logOrigin(node) || typeof j.ed25519Seed !== 'string' || typeof j.mlDsa65Seed !== 'string') throw new Error('shape');
    seeds = { ed25519: fromBase64(j.ed25519Seed), mlDsa65: fromBase64(j.mlDsa65Seed) };
    if (seeds.ed25519.length !== HybridLengths.ed25519Seed || seeds.mlDsa65.length !== HybridLengths.mlDsa65Seed) throw new Error('length');
  } catch (cause) {
    throw new FileError('file.malformed', `audit log key file ${path} is malformed`, { cause });
  }
  try {
    const key = await hybridSigningKeyFromSeeds(p, seeds.ed25519, seeds.mlDsa65);
    return { key, identity: { origin: logOrigin(node), publicKey: key.public } };
  } finally {
    wipe(seeds.ed25519, seeds.mlDsa65);
  }
}

/** Replaces node.json in one step (write beside it, then rename), so a crash leaves the old or the new file. */
function rewriteDescription(dataDir: string, description: NodeDescription): void {
  const path = nodePath(dataDir, 'description');
  writeFileSync(`${path}.tmp`, describeNode(description), { encoding: 'utf8', mode: 0o644 });
  renameSync(`${path}.tmp`, path);
}

function sameKey(a: LogIdentity, b: LogIdentity): boolean {
  return a.origin === b.origin && equalBytes(a.publicKey.ed25519, b.publicKey.ed25519) && equalBytes(a.publicKey.mlDsa65, b.publicKey.mlDsa65);
}

/**
 * The node's log key and its full identity, for `chancery serve`. A data directory made before the audit log (no
 * key file, no `log` in node.json) gets a new key now, with a warning. A key file whose public half differs from
 * node.json, or node.json naming a log key whose file is gone, is refused: clients pinned that key, and a silently
 * replaced one would look exactly like a forged log.
 */
export async function openLogKey(
  p: CryptoProvider,
  dataDir: string,
  description: NodeDescription,
  log: Logger,
): Promise<{ key: HybridSigningKey; identity: NodeIdentity }> {
  const exists = existsSync(nodePath(dataDir, 'logKey'));
  if (!exists && description.log) {
    throw new FileError('file.missing', `${nodePath(dataDir, 'logKey')} is missing, but node.json names a log key: restore it from backup`);
  }
  const loaded = exists ? await loadLogKey(p, dataDir, description.node) : await createLogKey(p, dataDir, description.node);
  if (!exists) log.warn({ file: nodePath(dataDir, 'logKey'), origin: loaded.identity.origin }, 'this data directory had no audit log key: created one; clients refuse it until the organisation root certifies it (chancery node certify-log-key)');
  if (description.log && !sameKey(description.log, loaded.identity)) {
    throw new FileError('file.malformed', `${nodePath(dataDir, 'logKey')} does not hold the log key node.json names`);
  }
  const identity: NodeIdentity = { ...description, log: loaded.identity };
  if (!description.log) rewriteDescription(dataDir, identity);
  return { key: loaded.key, identity };
}
