// Running a node: opens its store, starts (or reaches) its keeper — the process that alone holds the release key and
// the audit log key (src/node/keeper/) — and serves the API over HTTP (@hono/node-server). This process never reads
// a key file: it has the keeper's signer and release service, and the public halves (node.json). Logs are JSON
// lines (pino) without secrets or cable content; the keeper's join them.
import { serve, type ServerType } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import { equalBytes } from '../bytes.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { FileError, UnavailableError } from '../errors.ts';
import { decodeNodeCertificate } from '../keys/node-certificate.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite.ts';
import type { Store } from '../store/store.ts';
import { createApp } from './app.ts';
import { AuditLog } from './audit-log.ts';
import { DetectionService } from './detection.ts';
import { alertWebhook } from './detection/webhook.ts';
import { DEFAULT_SHARE_RATE, type ShareRate } from './share-rate.ts';
import { createAuthenticator } from './authenticate.ts';
import { createFederation } from './federation/federation.ts';
import { startFederation } from './federation/services.ts';
import { KeeperClient } from './keeper/client.ts';
import { checkSocketPath, keeperPath } from './keeper/files.ts';
import type { KeeperHello } from './keeper/protocol.ts';
import { startKeeperProcess, type KeeperProcess } from './keeper/supervisor.ts';
import { createMetrics } from './metrics.ts';
import type { NodeContext, NodeIdentity } from './node-context.ts';
import { nodePath, readNodeIdentity, readNodeSigningKey } from './node-files.ts';
import { allRoutes } from './routes/index.ts';

export interface ServeOptions {
  readonly dataDir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Public URL clients sign requests for; defaults to http://host:port. */
  readonly url?: string;
  readonly log?: Logger;
  /** The release service's per-user rate (default `DEFAULT_SHARE_RATE`: 20 a minute, 120 an hour). */
  readonly shareRate?: ShareRate;
  /**
   * The socket of a keeper already running (`chancery node keeper`, perhaps as another user). Without it, the node
   * runs its own keeper as a child process on DATA/keeper.sock.
   */
  readonly keeper?: string;
  /** Run the detector over the log (docs/detection.md "In the node"); default true. `chancery serve --no-detect`. */
  readonly detect?: boolean;
  /** Where each alert is POSTed as its alert JSON line (`chancery serve --alert-webhook URL`). */
  readonly alertWebhook?: string;
  /** The longest wait between pushes to a peer that is down (default 3 minutes; `--peer-retry-cap`). */
  readonly peerRetryCapMs?: number;
}

export interface RunningNode {
  readonly url: string;
  readonly port: number;
  readonly context: NodeContext;
  /** The keeper child's pid now (none when the node uses a keeper it did not start). */
  readonly keeperPid: number | undefined;
  /** The live detector, or null with `detect: false`. */
  readonly detection: DetectionService | null;
  close(): Promise<void>;
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => resolve({ server, port: info.port }));
    server.once('error', reject);
  });
}

/** node.json with the keeper's log key, refused if the keeper holds another node's keys. */
function identityWith(p: CryptoProvider, dataDir: string, hello: KeeperHello): NodeIdentity {
  // Read after the keeper started: for a data directory older than the audit log, it has just named its log key here.
  const description = readNodeIdentity(dataDir);
  const named = description.log;
  const sameLog = named !== undefined && named.origin === hello.log.origin && equalBytes(named.publicKey.ed25519, hello.log.publicKey.ed25519) &&
    equalBytes(named.publicKey.mlDsa65, hello.log.publicKey.mlDsa65);
  const releaseKey = decodeNodeCertificate(description.certificate).releaseKey;
  if (hello.node !== description.node || !sameLog || !equalBytes(hello.releaseKeyHash, p.sha256(releaseKey))) {
    throw new FileError('file.malformed', `the keeper does not hold the keys ${nodePath(dataDir, 'description')} names`);
  }
  return { ...description, log: hello.log };
}

/** How long `chancery serve --keeper` waits for a keeper started beside it (systemd may start both at once). */
const KEEPER_WAIT_MS = 30_000;

/** The first `hello` of a keeper this process did not start, waiting a while for it to come up. */
async function awaitKeeper(client: KeeperClient, log: Logger): Promise<KeeperHello> {
  const deadline = Date.now() + KEEPER_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.connect();
    } catch (error) {
      if (!(error instanceof UnavailableError) || Date.now() > deadline) throw error;
      if (attempt === 0) log.warn({ keeper: client.socketPath }, 'waiting for the keeper to answer');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The keeper: reached on `o.keeper`, or started as a child process and health-checked. */
async function reachKeeper(o: ServeOptions, log: Logger): Promise<{ client: KeeperClient; child: KeeperProcess | null; hello: KeeperHello }> {
  const client = new KeeperClient(checkSocketPath(o.keeper ?? keeperPath(o.dataDir, 'socket')), { log });
  try {
    const child = o.keeper === undefined ? await startKeeperProcess({ dataDir: o.dataDir, client, log }) : null;
    try {
      return { client, child, hello: child ? await client.connect() : await awaitKeeper(client, log) };
    } catch (error) {
      await child?.stop();
      throw error;
    }
  } catch (error) {
    client.close();
    throw error;
  }
}

export async function startNode(p: CryptoProvider, o: ServeOptions): Promise<RunningNode> {
  const log = o.log ?? pino({ level: process.env.CHANCERY_LOG_LEVEL ?? 'info' });
  // Opened (and migrated) before the keeper starts: the keeper reads the schema this process writes.
  const store = openSqliteStore(nodePath(o.dataDir, 'store'));
  let keeper: Awaited<ReturnType<typeof reachKeeper>>;
  try {
    keeper = await reachKeeper(o, log);
  } catch (error) {
    store.close();
    throw error;
  }
  const stopKeeper = async () => {
    keeper.client.close();
    await keeper.child?.stop();
  };
  try {
    return await serveWith(p, o, log, store, keeper.client, identityWith(p, o.dataDir, keeper.hello), keeper.child, stopKeeper);
  } catch (error) {
    await stopKeeper();
    store.close();
    throw error;
  }
}

async function serveWith(
  p: CryptoProvider,
  o: ServeOptions,
  log: Logger,
  store: Store,
  client: KeeperClient,
  identity: NodeIdentity,
  child: KeeperProcess | null,
  stopKeeper: () => Promise<void>,
): Promise<RunningNode> {
  // The port is only known once listening; the identity's URL is fixed up right after.
  let url = o.url ?? '';
  const now = () => Date.now();
  // One webhook for the detector's alerts and the peers' (forks, conflicts).
  const webhook = o.alertWebhook === undefined ? undefined : alertWebhook(o.alertWebhook, log);
  // Every logged write waits for a signing that covers it, after its commit: the moment to judge the new entries.
  let detection: DetectionService | null = null;
  const keeperSigner = client.signer(identity.log);
  const signer = {
    identity: keeperSigner.identity,
    async sign(size: number, root: Uint8Array): Promise<Uint8Array> {
      const note = await keeperSigner.sign(size, root);
      detection?.kick();
      return note;
    },
  };
  const auditLog = new AuditLog(p, store, identity.node, signer, now);
  const signHead = () => auditLog.checkpoint(store.transaction((tx) => tx.logSize()));
  // A crash between a commit and its checkpoint, a data directory older than the log, or entries committed while the
  // keeper was away: sign the head now and whenever the keeper is back, so every entry gets under a checkpoint.
  await signHead();
  client.onReady(() => {
    signHead().catch((error: unknown) => log.error({ err: error instanceof Error ? error.message : String(error) }, 'could not sign the log head'));
  });
  const context: NodeContext = {
    p,
    store,
    get identity() {
      return { ...identity, url };
    },
    release: client.releaseService(),
    auditLog,
    shareRate: o.shareRate ?? DEFAULT_SHARE_RATE,
    log,
    now,
    federation: createFederation(p, identity.node, readNodeSigningKey(o.dataDir), {
      outbox: o.peerRetryCapMs === undefined ? {} : { backoffCapMs: o.peerRetryCapMs },
      ...(webhook ? { onAlert: (key: string, line: string) => webhook.sendLine(key, line) } : {}),
      log,
      now,
    }),
  };
  if (o.detect !== false) {
    const service = new DetectionService(context, webhook ? { webhook } : {});
    // Before listening: the baselines are whole, and any alert a crash left unraised is raised, before a request.
    await service.start();
    detection = service;
  }
  const app = createApp(context, allRoutes, createMetrics(), createAuthenticator(context));
  let listening: Awaited<ReturnType<typeof listen>>;
  try {
    listening = await listen(app, o.host, o.port);
  } catch (error) {
    await detection?.stop();
    throw error;
  }
  const { server, port } = listening;
  if (!url) url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  log.info({ node: identity.node, url, keeper: client.socketPath }, 'node listening');
  const federation = startFederation(context);
  return {
    url,
    port,
    context,
    get keeperPid() {
      return child?.pid;
    },
    detection,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          void federation.stop().then(() => detection?.stop()).then(stopKeeper).finally(() => {
            store.close();
            resolve();
          });
        });
      }),
  };
}
