// The keeper: the one process of a node that loads its two secrets, the release service's key
// (DATA/release-service.key) and the audit log's signing key (DATA/log-signing.key), and the only code that uses
// them (DESIGN.md "The envelope" step 4; docs/node.md "Deployment"). It reads the node's store through its own
// read-only connection and believes nothing the web-facing process says beyond a size, a cable, an office and an
// index: it computes checkpoint roots itself and signs only trees that extend the last it signed (head-signer.ts),
// and hands out a share only against an entry proven under a head it signed, sealed to the device that entry names
// (src/node/release-service.ts).
import type { Logger } from 'pino';
import { equalBytes, wipe } from '../../bytes.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { publicKeyOf, type HpkeSealed } from '../../crypto/hpke.ts';
import { wipeHybridSecret } from '../../crypto/hybrid-signature.ts';
import { FileError } from '../../errors.ts';
import { decodeNodeCertificate } from '../../keys/node-certificate.ts';
import { decodeOrganisationRoot, pinRoot, rootFingerprint } from '../../keys/organisation-root.ts';
import { checkpointPolicy } from '../../log/checkpoint.ts';
import { openSqliteStore } from '../../store/sqlite/open-sqlite.ts';
import type { Store } from '../../store/store.ts';
import { openLogKey } from '../log-key.ts';
import type { NodeIdentity } from '../node-context.ts';
import { nodePath, readNodeIdentity } from '../node-files.ts';
import { loadReleaseKey, releaseShare, type ReleaseKeyContext, type ShareRequest } from '../release-service.ts';
import { keeperPath } from './files.ts';
import { HeadSigner } from './head-signer.ts';
import { keySigner, type LogKeyPair } from './key-signer.ts';
import { cachedOfficerVerifier } from './officer-cache.ts';
import type { KeeperHello } from './protocol.ts';

export interface KeeperOptions {
  readonly dataDir: string;
  readonly log: Logger;
  /** The time checkpoints are stamped with and device chains are checked at; the wall clock by default. */
  readonly now?: () => number;
}

/** What needs the store: opened on first use, since the web process may still be migrating it when the keeper starts. */
interface Opened {
  readonly store: Store;
  readonly heads: HeadSigner;
  readonly release: ReleaseKeyContext;
}

export class Keeper {
  readonly hello: KeeperHello;
  readonly #p: CryptoProvider;
  readonly #dataDir: string;
  readonly #identity: NodeIdentity;
  readonly #logKey: LogKeyPair;
  readonly #releaseKey: Uint8Array;
  readonly #now: () => number;
  #opened: Promise<Opened> | null = null;
  #closed = false;

  private constructor(p: CryptoProvider, o: KeeperOptions, identity: NodeIdentity, logKey: LogKeyPair, releaseKey: Uint8Array, hello: KeeperHello) {
    this.#p = p;
    this.#dataDir = o.dataDir;
    this.#identity = identity;
    this.#logKey = logKey;
    this.#releaseKey = releaseKey;
    this.#now = o.now ?? (() => Date.now());
    this.hello = hello;
  }

  /**
   * Loads both keys of the node in `o.dataDir`. A data directory older than the audit log gets its log key now
   * (src/node/log-key.ts, with a warning); a release key that is not the one the node certificate names is refused.
   */
  static async open(p: CryptoProvider, o: KeeperOptions): Promise<Keeper> {
    const opened = await openLogKey(p, o.dataDir, readNodeIdentity(o.dataDir), o.log);
    const identity = opened.identity;
    const releaseKey = loadReleaseKey(identity.node, nodePath(o.dataDir, 'releaseKey'));
    const releaseKeyHash = p.sha256(await publicKeyOf(p, releaseKey));
    if (!equalBytes(releaseKeyHash, p.sha256(decodeNodeCertificate(identity.certificate).releaseKey))) {
      wipe(releaseKey);
      throw new FileError('file.malformed', `${nodePath(o.dataDir, 'releaseKey')} is not the release key the node certificate names`);
    }
    const hello: KeeperHello = { node: identity.node, log: identity.log, releaseKeyHash };
    return new Keeper(p, o, identity, { key: opened.key, identity: identity.log }, releaseKey, hello);
  }

  /** A signed checkpoint of the log's first `size` entries (head-signer.ts for what is refused). */
  async checkpoint(size: number): Promise<Uint8Array> {
    return (await this.#open()).heads.checkpoint(size);
  }

  /** The share of `request`, sealed to the logged device, if a head this keeper signed proves the entry. */
  async share(request: ShareRequest): Promise<HpkeSealed> {
    const opened = await this.#open();
    return releaseShare(opened.release, opened.heads.head, request);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    wipe(this.#releaseKey);
    wipeHybridSecret(this.#logKey.key.secret);
    void this.#opened?.then((o) => o.store.close(), () => undefined);
  }

  #open(): Promise<Opened> {
    this.#opened ??= this.#openStore().catch((error: unknown) => {
      this.#opened = null;
      throw error;
    });
    return this.#opened;
  }

  async #openStore(): Promise<Opened> {
    const store = openSqliteStore(nodePath(this.#dataDir, 'store'), { readonly: true });
    try {
      const p = this.#p;
      const policy = checkpointPolicy(p, this.#logKey.identity.origin, this.#logKey.identity.publicKey);
      const heads = await HeadSigner.open(p, store, keySigner(p, this.#logKey, this.#now), policy, keeperPath(this.#dataDir, 'signedHead'));
      const decoded = decodeOrganisationRoot(this.#identity.root);
      const root = await pinRoot(p, decoded, rootFingerprint(p, decoded));
      const verifyOfficer = cachedOfficerVerifier(p, root, this.#now);
      return { store, heads, release: { p, node: this.#identity.node, secretKey: this.#releaseKey, store, root, now: this.#now, verifyOfficer } };
    } catch (error) {
      store.close();
      throw error;
    }
  }
}
