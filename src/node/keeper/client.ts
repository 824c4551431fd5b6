// The web process's side of the keeper's socket: one persistent connection, requests pipelined on it (each with an
// id, answered in any order), a deadline on every request, and a reconnection loop while the keeper is away. A
// keeper that cannot be reached, or does not answer in time, is `node.keeper_unavailable` (503): never a hang.
// Through it the web process gets its checkpoint signer and its release service, and holds no key of either.
import { createConnection, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { HpkeSealed } from '../../crypto/hpke.ts';
import {
  DecodeError, FileError, InternalError, LogError, OpenError, StoreError, UnavailableError, VerificationError, type ChanceryError, type ErrorCode,
} from '../../errors.ts';
import type { CheckpointSigner, LogIdentity, ReleaseService } from '../node-context.ts';
import type { ShareRequest } from '../release-service.ts';
import { equalBytes } from '../../bytes.ts';
import { frame, FrameReader } from './framing.ts';
import { decodeAnswer, decodeHello, decodeNote, decodeSealedShare, encodeRequest, KeeperLimits, type KeeperHello, type KeeperRequest } from './protocol.ts';

export interface KeeperClientOptions {
  readonly log: Logger;
  /** Deadline of one request, in ms (default 10 s: a signing takes milliseconds). */
  readonly timeoutMs?: number;
  /** Between reconnection attempts while the keeper is away, in ms (default 500). */
  readonly retryMs?: number;
}

interface Pending {
  readonly resolve: (ok: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

const ERROR_CLASSES: Readonly<Record<string, new (code: ErrorCode, message: string) => ChanceryError>> = {
  encoding: DecodeError,
  file: FileError,
  log: LogError,
  node: UnavailableError,
  open: OpenError,
  store: StoreError,
  verify: VerificationError,
};

/** The keeper's refusal as the error it was there (`internal` and unknown families as an InternalError). */
function refusal(code: ErrorCode, message: string): ChanceryError {
  const Class = ERROR_CLASSES[code.slice(0, code.indexOf('.'))];
  return Class ? new Class(code, message) : new InternalError(message);
}

function unavailable(why: string, cause?: unknown): UnavailableError {
  return new UnavailableError('node.keeper_unavailable', `the node's keeper is unavailable: ${why}`, cause === undefined ? undefined : { cause });
}

function sameKeeper(a: KeeperHello, b: KeeperHello): boolean {
  return a.node === b.node && a.log.origin === b.log.origin && equalBytes(a.log.publicKey.ed25519, b.log.publicKey.ed25519) &&
    equalBytes(a.log.publicKey.mlDsa65, b.log.publicKey.mlDsa65) && equalBytes(a.releaseKeyHash, b.releaseKeyHash);
}

export class KeeperClient {
  readonly socketPath: string;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #retryMs: number;
  readonly #pending = new Map<number, Pending>();
  readonly #readyListeners: ((hello: KeeperHello) => void)[] = [];
  #socket: Socket | null = null;
  #connecting: Promise<KeeperHello> | null = null;
  #retry: NodeJS.Timeout | null = null;
  #nextId = 1;
  #closed = false;
  /** The keeper first met: a later connection must reach the same keys. */
  #first: KeeperHello | null = null;

  constructor(socketPath: string, o: KeeperClientOptions) {
    this.socketPath = socketPath;
    this.#log = o.log;
    this.#timeoutMs = o.timeoutMs ?? 10_000;
    this.#retryMs = o.retryMs ?? 500;
  }

  /** Whether a connection to the keeper is open now. */
  get connected(): boolean {
    return this.#socket !== null;
  }

  /** Calls `listener` each time a connection is (re)established, after its `hello` (serve signs the log's head). */
  onReady(listener: (hello: KeeperHello) => void): void {
    this.#readyListeners.push(listener);
  }

  /** Connects if not connected, and answers who the keeper is; `node.keeper_unavailable` if it cannot. */
  connect(): Promise<KeeperHello> {
    if (this.#closed) return Promise.reject(unavailable('the client is closed'));
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  /** A checkpoint note of the log's first `size` entries, signed by the keeper. */
  async checkpoint(size: number): Promise<Uint8Array> {
    return decodeNote(await this.#request({ op: 'checkpoint', size }));
  }

  /** The release share of a logged read, sealed to the logged device. */
  async share(request: ShareRequest): Promise<HpkeSealed> {
    return decodeSealedShare(await this.#request({ op: 'share', ...request }));
  }

  /** The log's checkpoint signer, for AuditLog: a refusal by the keeper is a broken log, not the client's fault. */
  signer(identity: LogIdentity): CheckpointSigner {
    return {
      identity,
      sign: async (size) => {
        try {
          return await this.checkpoint(size);
        } catch (error) {
          if (error instanceof UnavailableError) throw error;
          throw new InternalError('the keeper refused to sign the log head', { cause: error });
        }
      },
    };
  }

  /** The node's release service: the keeper's. */
  releaseService(): ReleaseService {
    return {
      shareFor: (verified, office, receipt) => this.share({ cable: verified.routing.id, office, index: receipt.index }),
      // A round trip, not the connection's state: a keeper killed a moment ago may not have closed its end yet.
      ready: async () => {
        decodeHello(await this.#request({ op: 'hello' }));
      },
    };
  }

  /** Closes the connection for good; pending requests fail as unavailable. */
  close(): void {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#socket?.destroy();
    this.#socket = null;
    this.#failPending('the node is shutting down');
  }

  async #request(request: KeeperRequest): Promise<unknown> {
    const socket = this.#socket ?? (await this.connect(), this.#socket);
    if (!socket) throw unavailable('no connection');
    return this.#send(socket, request);
  }

  #send(socket: Socket, request: KeeperRequest): Promise<unknown> {
    const id = this.#nextId;
    this.#nextId = id >= 2 ** 32 - 1 ? 1 : id + 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(unavailable(`no answer to ${request.op} within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      socket.write(frame(encodeRequest(id, request)));
    });
  }

  async #connect(): Promise<KeeperHello> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = createConnection(this.socketPath);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', (error) => reject(unavailable(`cannot connect to ${this.socketPath}`, error)));
    });
    this.#attach(socket);
    try {
      const hello = decodeHello(await this.#send(socket, { op: 'hello' }));
      if (this.#first && !sameKeeper(this.#first, hello)) throw unavailable(`another node's keys answer on ${this.socketPath}`);
      this.#first ??= hello;
      this.#socket = socket;
      for (const listener of this.#readyListeners) listener(hello);
      return hello;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  #attach(socket: Socket): void {
    const reader = new FrameReader(KeeperLimits.maxFrameBytes);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const bytes of reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) this.#settle(decodeAnswer(bytes));
      } catch (error) {
        this.#log.error({ err: error instanceof Error ? error.message : String(error) }, 'keeper sent a malformed answer: reconnecting');
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      if (this.#socket === socket) {
        this.#socket = null;
        this.#log.warn({ socket: this.socketPath }, 'lost the connection to the keeper');
      }
      this.#failPending('the connection closed');
      this.#scheduleReconnect();
    });
  }

  #settle(answer: ReturnType<typeof decodeAnswer>): void {
    const pending = this.#pending.get(answer.id);
    if (!pending) return; // answered after its deadline
    this.#pending.delete(answer.id);
    clearTimeout(pending.timer);
    if ('refused' in answer) pending.reject(refusal(answer.refused.code, answer.refused.message));
    else pending.resolve(answer.ok);
  }

  #failPending(why: string): void {
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(unavailable(why));
    }
  }

  /** While the keeper is away, try again now and then; the timer never keeps the process alive. */
  #scheduleReconnect(): void {
    if (this.#closed || this.#retry || this.#socket) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (this.#closed || this.#socket) return;
      this.connect().catch(() => this.#scheduleReconnect());
    }, this.#retryMs);
    this.#retry.unref();
  }
}
