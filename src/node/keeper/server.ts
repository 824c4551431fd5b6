// The keeper's side of its socket: a Unix domain socket (mode 0600 by default: only the node's own user may ask),
// each connection a stream of request frames answered by id as each completes (protocol.ts). A connection that
// sends anything but well-formed requests is dropped. `runKeeper` is what both `chancery node keeper` and the
// process `chancery serve` spawns (main.ts) run.
import { chmodSync, statSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { ChanceryError, FileError } from '../../errors.ts';
import type { CryptoProvider } from '../../crypto/provider.ts';
import { checkSocketPath } from './files.ts';
import { frame, FrameReader } from './framing.ts';
import { Keeper } from './keeper.ts';
import { decodeRequest, encodeAnswer, encodeHello, encodeRefusal, KeeperLimits, type KeeperRequest } from './protocol.ts';
import type { CborMap } from '../../encoding/fields.ts';

export interface KeeperServerOptions {
  readonly socketPath: string;
  /** File mode of the socket; 0o600 unless the web process runs as another user (then 0o660 and a shared group). */
  readonly mode?: number;
  /** How long to wait for a keeper still answering on the socket (one exiting after its parent died). */
  readonly takeoverMs?: number;
  readonly log: Logger;
}

export interface RunningKeeper {
  readonly keeper: Keeper;
  readonly socketPath: string;
  close(): Promise<void>;
}

async function answer(keeper: Keeper, request: KeeperRequest): Promise<CborMap> {
  switch (request.op) {
    case 'hello':
      return encodeHello(keeper.hello);
    case 'checkpoint':
      return { note: await keeper.checkpoint(request.size) };
    case 'share': {
      const sealed = await keeper.share(request);
      return { enc: sealed.enc, cipherText: sealed.cipherText };
    }
  }
}

function serveConnection(keeper: Keeper, socket: Socket, log: Logger): void {
  const reader = new FrameReader(KeeperLimits.maxFrameBytes);
  const reply = (bytes: Uint8Array) => {
    if (!socket.destroyed) socket.write(frame(bytes));
  };
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    let frames: Uint8Array[];
    let requests: ReturnType<typeof decodeRequest>[];
    try {
      frames = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      requests = frames.map(decodeRequest);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'keeper: dropped a connection that sent a malformed request');
      socket.destroy();
      return;
    }
    for (const { id, request } of requests) {
      answer(keeper, request).then(
        (ok) => reply(encodeAnswer(id, ok)),
        (error: unknown) => {
          const code = error instanceof ChanceryError ? error.code : 'internal';
          const message = error instanceof Error ? error.message : 'keeper failure';
          // A refused share or checkpoint is a bug or an attack on the log: worth an operator's attention.
          log[code === 'log.out_of_range' ? 'warn' : 'error']({ op: request.op, code, err: message }, 'keeper refused a request');
          reply(encodeRefusal(id, code, message));
        },
      );
    }
  });
}

/** Whether something answers on `path` (a live keeper) rather than a socket file left behind. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Frees `path` for listening: a stale socket file is removed; a keeper that still answers is waited for, briefly. */
async function claimSocketPath(path: string, takeoverMs: number): Promise<void> {
  const deadline = Date.now() + takeoverMs;
  for (;;) {
    try {
      if (!statSync(path).isSocket()) throw new FileError('file.exists', `${path} exists and is not a socket`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (!(await answers(path))) {
      unlinkSync(path);
      return;
    }
    if (Date.now() > deadline) throw new FileError('file.exists', `another keeper answers on ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function listen(server: Server, path: string, mode: number): Promise<void> {
  // The socket is created under a umask that leaves it private; chmod then gives it exactly `mode`.
  const umask = process.umask(0o177);
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  }).finally(() => process.umask(umask)).then(() => chmodSync(path, mode));
}

/**
 * Serves `keeper` on a Unix socket until closed. Closing removes the socket file (Node unlinks it before the
 * listening socket closes, so a successor waiting in `claimSocketPath` never sees a dead file it would remove).
 */
export async function serveKeeper(keeper: Keeper, o: KeeperServerOptions): Promise<RunningKeeper> {
  const path = checkSocketPath(o.socketPath);
  await claimSocketPath(path, o.takeoverMs ?? 5000);
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    serveConnection(keeper, socket, o.log);
  });
  await listen(server, path, o.mode ?? 0o600);
  o.log.info({ socket: path, node: keeper.hello.node }, 'keeper listening');
  return {
    keeper,
    socketPath: path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => {
          keeper.close();
          resolve();
        });
      }),
  };
}

/** Loads the keys of the node in `dataDir` and serves them on `o.socketPath`. */
export async function runKeeper(p: CryptoProvider, dataDir: string, o: KeeperServerOptions): Promise<RunningKeeper> {
  const keeper = await Keeper.open(p, { dataDir, log: o.log });
  try {
    return await serveKeeper(keeper, o);
  } catch (error) {
    keeper.close();
    throw error;
  }
}
