// `chancery node init`: creates an organisation's trust anchors and a node. The organisation root (offline, kept
// outside the node's data) certifies the node key — which carries the release-service key and the audit log's key —
// and the first security officer, a founding one (docs/decisions/012-two-officers-appoint.md); every later officer,
// epoch, device and grant chains back to it (docs/keys.md). The audit log's first entries are the first officer's
// appointment and device, under a first signed checkpoint.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';
import { toBase64, toHex } from '../bytes.ts';
import { FileError } from '../errors.ts';
import { encodeCanonical } from '../encoding/canonical-cbor.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { generateHybridSigningKey, wipeHybridSecret } from '../crypto/hybrid-signature.ts';
import { xwingGenerateKeyPair } from '../crypto/xwing.ts';
import { encodeOrganisationRoot, parseOrgId, rootFingerprint, signOrganisationRoot } from '../keys/organisation-root.ts';
import { encodeNodeCertificate, signNodeCertificate } from '../keys/node-certificate.ts';
import { encodeOfficerCertificate, signOfficerCertificate } from '../keys/officer-certificate.ts';
import { officerSigningKey } from '../keys/officer-keys.ts';
import { encodeDeviceRecord, signDeviceRecord } from '../keys/device-record.ts';
import { generateDeviceKeys } from '../client/device-keys.ts';
import { sealSecretFile, writeKeyFile, writeNewPrivateFile, type KeyFileOptions } from '../client/key-file.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite.ts';
import { AuditLog } from './audit-log.ts';
import { createLogKey } from './log-key.ts';
import { describeNode, nodePath } from './node-files.ts';
import type { LogIdentity } from './node-context.ts';

const YEAR = 365 * 24 * 3600 * 1000;

export interface InitOptions {
  readonly dataDir: string;
  readonly rootDir: string;
  readonly org: string;
  readonly node: NodeName;
  readonly url: string;
  readonly rootPassphrase: string;
  readonly officer: { readonly id: UserId; readonly name: string; readonly nationality: string; readonly device: DeviceId; readonly passphrase: string; readonly keyFile: string };
  readonly now: number;
  readonly keyFileOptions?: KeyFileOptions;
}

export interface InitResult {
  readonly rootFingerprint: string;
  readonly rootKeyFile: string;
  readonly officerKeyFile: string;
  /** The audit log's origin and public key, for the first officer's client to pin. */
  readonly log: LogIdentity;
}

export async function initNode(p: CryptoProvider, o: InitOptions): Promise<InitResult> {
  if (existsSync(nodePath(o.dataDir, 'description'))) throw new FileError('file.exists', `${o.dataDir} already holds a node`);
  const org = parseOrgId(o.org);
  const rootKey = await generateHybridSigningKey(p);
  const root = await signOrganisationRoot(p, { org, publicKey: rootKey.public, createdAt: o.now }, rootKey.secret);
  const rootKeyFile = join(o.rootDir, `${o.org}.root.key`);
  const rootSecret = encodeCanonical({ org, ed25519Seed: rootKey.secret.ed25519Seed, mlDsa65Secret: rootKey.secret.mlDsa65Secret, publicRecord: encodeOrganisationRoot(root) });
  await writeNewPrivateFile(rootKeyFile, await sealSecretFile(rootSecret, o.rootPassphrase, o.keyFileOptions));

  const nodeKey = await generateHybridSigningKey(p);
  const release = await xwingGenerateKeyPair(p);
  // The log key first: the root certifies it in the node certificate, so devices take it on the root's word.
  const logKey = await createLogKey(p, o.dataDir, o.node);
  const certificate = await signNodeCertificate(
    p,
    {
      node: o.node, org, signingKey: nodeKey.public, releaseKey: release.publicKey, log: logKey.identity, url: o.url,
      validFrom: o.now, validUntil: o.now + 2 * YEAR, serial: 1,
    },
    rootKey.secret,
  );
  await writeNewPrivateFile(
    nodePath(o.dataDir, 'signingKey'),
    `${JSON.stringify({ v: 1, node: o.node, ed25519Seed: toBase64(nodeKey.secret.ed25519Seed), mlDsa65Secret: toBase64(nodeKey.secret.mlDsa65Secret) })}\n`,
  );
  await writeNewPrivateFile(nodePath(o.dataDir, 'releaseKey'), `${JSON.stringify({ v: 1, node: o.node, secretKey: toBase64(release.secretKey) })}\n`);

  const officer = await generateDeviceKeys(p, o.officer.id, o.officer.device, o.node);
  const officerSigning = await officerSigningKey(p, officer.signingSeed);
  const officerCert = await signOfficerCertificate(
    p,
    { org, user: o.officer.id, scope: o.node, signingKey: officerSigning.public, validFrom: o.now, validUntil: o.now + YEAR, founding: true },
    rootKey.secret,
  );
  wipeHybridSecret(officerSigning.secret); // only its public half is certified here
  const deviceRecord = await signDeviceRecord(
    p,
    { user: o.officer.id, device: o.officer.device, node: o.node, signingKey: officer.signingKey, encryptionKey: officer.encryptionKey, createdAt: o.now, approval: { kind: 'officer', officer: o.officer.id } },
    officer.signingSeed,
  );
  await writeKeyFile(o.officer.keyFile, officer, o.officer.passphrase, o.keyFileOptions);

  const store = openSqliteStore(nodePath(o.dataDir, 'store'));
  try {
    const auditLog = new AuditLog(p, store, o.node, logKey, () => o.now);
    const officerRecord = encodeOfficerCertificate(officerCert);
    const deviceBytes = encodeDeviceRecord(deviceRecord);
    const { size } = store.transaction((tx) => {
      tx.putUser({ id: o.officer.id, name: o.officer.name, clearance: 'SECRET', nationality: o.officer.nationality, organisations: [], caveats: [], active: true, frozen: false });
      tx.setMemberships(o.officer.id, []);
      tx.putOfficerCertificate(o.officer.id, officerRecord);
      tx.putDevice({ user: o.officer.id, device: o.officer.device, status: 'approved', signingKey: officer.signingKey, encryptionKey: officer.encryptionKey, record: deviceBytes, createdAt: o.now });
      return auditLog.append(tx, o.now, [
        { kind: 'officer.appointed', user: o.officer.id, scope: o.node, recordHash: p.sha256(officerRecord) },
        { kind: 'device.approved', user: o.officer.id, device: o.officer.device, recordHash: p.sha256(deviceBytes), approver: { kind: 'officer', officer: o.officer.id } },
      ]);
    });
    await auditLog.checkpoint(size);
  } finally {
    store.close();
  }
  const identity = { node: o.node, org, url: o.url, certificate: encodeNodeCertificate(certificate), root: encodeOrganisationRoot(root), log: logKey.identity };
  await writeNewPrivateFile(nodePath(o.dataDir, 'description'), describeNode(identity));
  return { rootFingerprint: toHex(rootFingerprint(p, root)), rootKeyFile, officerKeyFile: o.officer.keyFile, log: logKey.identity };
}

