// `chancery serve` runs its keeper as a child process (main.ts) unless told where a running one listens: started
// before the node listens and health-checked over its socket, restarted (with a growing pause) whenever it dies, and
// stopped with the node. Its log lines (pino JSON on stderr) join the node's log, tagged `process: keeper`. The
// child holds the parent's end of a pipe as its stdin and exits when it closes, so a parent killed outright (even
// SIGKILL) leaves no keeper behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { ErrorCodes, FileError, UnavailableError, type ChanceryError, type ErrorCode } from '../../errors.ts';
import type { KeeperClient } from './client.ts';

export interface KeeperProcessOptions {
  readonly dataDir: string;
  readonly client: KeeperClient;
  readonly log: Logger;
  /** How long the first start may take before the node gives up, in ms (default 30 s). */
  readonly startTimeoutMs?: number;
}

export interface KeeperProcess {
  /** The pid of the keeper running now (it changes when one is restarted). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

const MAIN = new URL('./main.ts', import.meta.url).pathname;
const PINO_LEVELS: Readonly<Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'>> = {
  10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal',
};
const MAX_RESTART_PAUSE_MS = 10_000;

/** The last fatal line of a keeper that failed to start: its stable code and message. */
interface Fatal {
  code: ErrorCode;
  message: string;
}

/** Re-logs one line of the keeper's stderr in the node's log; returns it as a fatal error when it is one. */
function forward(log: Logger, pid: number | undefined, line: string): Fatal | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = null;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    if (line.trim() !== '') log.error({ process: 'keeper', keeperPid: pid }, line);
    return null;
  }
  const fields: Record<string, unknown> = { ...parsed };
  const { level, msg } = fields;
  // The node's own logger stamps these again.
  for (const key of ['level', 'msg', 'time', 'pid', 'hostname']) delete fields[key];
  const method = PINO_LEVELS[typeof level === 'number' ? level : 50] ?? 'error';
  const message = typeof msg === 'string' ? msg : 'keeper';
  log[method]({ ...fields, process: 'keeper', keeperPid: pid }, message);
  if (method !== 'fatal') return null;
  const code = ErrorCodes.find((c) => c === fields.code) ?? 'internal';
  return { code, message };
}

function startChild(o: KeeperProcessOptions, onFatal: (fatal: Fatal) => void): ChildProcess {
  // The child does not inherit this process's flags (a test's hooks, a profiler): only the TypeScript loader.
  const args = ['--import', import.meta.resolve('tsx'), MAIN, '--data', o.dataDir, '--socket', o.client.socketPath];
  // Its fatal line is how a failed start is reported, even to a node that logs nothing.
  const env = { ...process.env, CHANCERY_LOG_LEVEL: o.log.level === 'silent' ? 'fatal' : o.log.level };
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'], env });
  createInterface({ input: child.stderr }).on('line', (line) => {
    const fatal = forward(o.log, child.pid, line);
    if (fatal) onFatal(fatal);
  });
  return child;
}

function failure(fatal: Fatal | null, why: string): ChanceryError {
  if (!fatal) return new UnavailableError('node.keeper_unavailable', `the keeper did not start: ${why}`);
  return fatal.code.startsWith('file.') ? new FileError(fatal.code, fatal.message) : new UnavailableError('node.keeper_unavailable', `the keeper did not start: ${fatal.code}: ${fatal.message}`);
}

/** Waits until the keeper answers `hello`, or fails as soon as the child exits or time runs out. */
async function healthy(o: KeeperProcessOptions, child: ChildProcess, fatal: () => Fatal | null): Promise<void> {
  const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw failure(fatal(), `it exited (${child.exitCode ?? child.signalCode})`);
    try {
      await o.client.connect();
      return;
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      if (Date.now() > deadline) throw failure(fatal(), 'no answer on its socket in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Starts the keeper of the node in `o.dataDir` on `o.client`'s socket and resolves once it answers; rejects with
 * the keeper's own error (a missing key file: `file.missing`) if it cannot start.
 */
export async function startKeeperProcess(o: KeeperProcessOptions): Promise<KeeperProcess> {
  let lastFatal: Fatal | null = null;
  let stopping = false;
  let pause = 250;
  let restartTimer: NodeJS.Timeout | null = null;
  const launch = (): ChildProcess => {
    const startedAt = Date.now();
    const started = startChild(o, (f) => {
      lastFatal = f;
    });
    started.once('exit', (code, signal) => {
      if (stopping) return;
      // A keeper that ran a while and died restarts at once; one dying at start-up again and again, less and less often.
      if (Date.now() - startedAt > 60_000) pause = 250;
      o.log.error({ process: 'keeper', keeperPid: started.pid, code, signal, restartInMs: pause }, 'the keeper exited: restarting it');
      restartTimer = setTimeout(() => {
        restartTimer = null;
        child = launch();
      }, pause);
      pause = Math.min(pause * 2, MAX_RESTART_PAUSE_MS);
    });
    return started;
  };
  let child = launch();
  try {
    await healthy(o, child, () => lastFatal);
  } catch (error) {
    stopping = true;
    child.kill('SIGKILL');
    throw error;
  }
  return {
    get pid() {
      return child.pid;
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
