// `chancery node certify-log-key`: the migration for a data directory whose node certificate predates root-certified
// log keys (docs/decisions/013-root-certified-log-key.md). Devices take the audit log key from the node certificate
// and refuse a node whose certificate names none, so the offline organisation root re-signs the certificate — the
// same node, keys and window, the next serial — adding the log key node.json names. Needs the root key, never the
// log's private key; a running node serves the new certificate after a restart.
import { renameSync, writeFileSync } from 'node:fs';
import { equalBytes } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { FileError } from '../errors.ts';
import { decodeNodeCertificate, encodeNodeCertificate, signNodeCertificate, type CertifiedLog, type NodeCertificate } from '../keys/node-certificate.ts';
import { encodeOrganisationRoot } from '../keys/organisation-root.ts';
import { readRootKeyFile, wipeRootKey } from '../client/root-key.ts';
import { describeNode, nodePath, readNodeIdentity } from './node-files.ts';

export interface CertifyLogKeyOptions {
  readonly dataDir: string;
  readonly rootKeyFile: string;
  readonly rootPassphrase: string;
}

export interface CertifyLogKeyResult {
  readonly node: string;
  /** The serial of the certificate node.json now holds. */
  readonly serial: number;
  /** False when the certificate already certified this log key: nothing was written. */
  readonly changed: boolean;
}

function sameLog(a: CertifiedLog | undefined, b: CertifiedLog): boolean {
  return a !== undefined && a.origin === b.origin && equalBytes(a.publicKey.ed25519, b.publicKey.ed25519) && equalBytes(a.publicKey.mlDsa65, b.publicKey.mlDsa65);
}

function bodyOf(cert: NodeCertificate): Omit<NodeCertificate, 'signature' | 'log'> {
  const { node, org, signingKey, releaseKey, url, validFrom, validUntil, serial } = cert;
  return { node, org, signingKey, releaseKey, ...(url === undefined ? {} : { url }), validFrom, validUntil, serial };
}

/**
 * Re-signs DATA's node certificate with the log key node.json names. Refuses (`file.missing`) a directory whose
 * node has not created its log key yet (start it once), and (`file.malformed`) a root key of another organisation or
 * root than the one node.json holds. Certifying a key the certificate already carries changes nothing.
 *
 * @example
 * ```ts
 * await certifyLogKey(p, { dataDir: 'data', rootKeyFile: '/media/offline/EEAS.root.key', rootPassphrase });
 * ```
 */
export async function certifyLogKey(p: CryptoProvider, o: CertifyLogKeyOptions): Promise<CertifyLogKeyResult> {
  const description = readNodeIdentity(o.dataDir);
  const log = description.log;
  if (!log) {
    throw new FileError('file.missing', `${nodePath(o.dataDir, 'description')} names no audit log key yet: start the node once (chancery serve) to create it, then certify it`);
  }
  const cert = decodeNodeCertificate(description.certificate);
  if (sameLog(cert.log, log)) return { node: cert.node, serial: cert.serial, changed: false };
  const root = await readRootKeyFile(o.rootKeyFile, o.rootPassphrase);
  try {
    if (root.org !== cert.org || !equalBytes(encodeOrganisationRoot(root.root), description.root)) {
      throw new FileError('file.malformed', `${o.rootKeyFile} is not the organisation root of node ${cert.node}`);
    }
    const renewed = await signNodeCertificate(p, { ...bodyOf(cert), log, serial: cert.serial + 1 }, root.secret);
    const path = nodePath(o.dataDir, 'description');
    // One step (write beside, then rename), so a crash leaves the old certificate or the new one.
    writeFileSync(`${path}.tmp`, describeNode({ ...description, certificate: encodeNodeCertificate(renewed) }), { encoding: 'utf8', mode: 0o644 });
    renameSync(`${path}.tmp`, path);
    return { node: cert.node, serial: renewed.serial, changed: true };
  } finally {
    wipeRootKey(root);
  }
}
