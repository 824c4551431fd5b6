// Running a node: opens its store, loads its identity, release service and audit log key, and serves the API over
// HTTP (@hono/node-server). Logs are JSON lines (pino) without secrets or cable content.
import { serve, type ServerType } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import type { CryptoProvider } from '../crypto/provider.ts';
import { openSqliteStore } from '../store/sqlite/open-sqlite.ts';
import { createApp } from './app.ts';
import { AuditLog } from './audit-log.ts';
import { openLogKey } from './log-key.ts';
import { DEFAULT_SHARE_RATE, type ShareRate } from './share-rate.ts';
import { createAuthenticator } from './authenticate.ts';
import { createMetrics } from './metrics.ts';
import type { NodeContext } from './node-context.ts';
import { nodePath, readNodeIdentity } from './node-files.ts';
import { loadReleaseService } from './release-service.ts';
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
}

export interface RunningNode {
  readonly url: string;
  readonly port: number;
  readonly context: NodeContext;
  close(): Promise<void>;
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => resolve({ server, port: info.port }));
    server.once('error', reject);
  });
}

export async function startNode(p: CryptoProvider, o: ServeOptions): Promise<RunningNode> {
  const log = o.log ?? pino({ level: process.env.CHANCERY_LOG_LEVEL ?? 'info' });
  const store = openSqliteStore(nodePath(o.dataDir, 'store'));
  // The port is only known once listening; the identity's URL is fixed up right after.
  let url = o.url ?? '';
  const logKey = await openLogKey(p, o.dataDir, readNodeIdentity(o.dataDir), log);
  const identity = logKey.identity;
  const now = () => Date.now();
  const auditLog = new AuditLog(p, store, identity.node, { key: logKey.key, identity: identity.log }, now);
  // A crash between a commit and its checkpoint, or a data directory older than the log: sign the current head now,
  // so every entry is under a checkpoint before the first request (and GET never has to sign).
  await auditLog.checkpoint(store.transaction((tx) => tx.logSize()));
  const context: NodeContext = {
    p,
    store,
    get identity() {
      return { ...identity, url };
    },
    release: loadReleaseService(p, identity.node, nodePath(o.dataDir, 'releaseKey'), store),
    auditLog,
    shareRate: o.shareRate ?? DEFAULT_SHARE_RATE,
    log,
    now,
  };
  const app = createApp(context, allRoutes, createMetrics(), createAuthenticator(context));
  const { server, port } = await listen(app, o.host, o.port);
  if (!url) url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  log.info({ node: identity.node, url }, 'node listening');
  return {
    url,
    port,
    context,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}
